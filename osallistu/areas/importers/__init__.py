"""Importers of area data, one module per format, all returning base.ImportResult.

`run_import(kind, data, ...)` dispatches by ImportJob.Kind, for the background task and the
management commands alike.
"""

from .base import ImportResult, Progress, RowError
from .city_csv import import_city_csv
from .investments import import_investments
from .paavo_csv import import_paavo_csv
from .paavo_geojson import import_paavo_geojson
from .sotkanet import import_sotkanet

IMPORTERS = {
    "paavo_csv": import_paavo_csv,
    "paavo_geojson": import_paavo_geojson,
    "sotkanet": import_sotkanet,
    "city_csv": import_city_csv,
    "investments": import_investments,
}
# Options each importer accepts besides the data, dry_run and progress.
OPTIONS = {
    "paavo_csv": ("statistics_year", "release_year"),
    "paavo_geojson": ("statistics_year", "release_year"),
    "sotkanet": ("regions",),
    "city_csv": (),
    "investments": (),
}

__all__ = ["IMPORTERS", "OPTIONS", "ImportResult", "Progress", "RowError", "run_import"]


def run_import(
    kind: str,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    options: dict | None = None,
) -> ImportResult:
    """Run the importer of `kind` (an ImportJob.Kind value) on `data`; see its module."""
    options = {name: value for name, value in (options or {}).items() if name in OPTIONS[kind]}
    return IMPORTERS[kind](data, dry_run=dry_run, progress=progress, **options)
