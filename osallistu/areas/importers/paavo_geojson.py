"""Import the Paavo WFS layer as GeoJSON: statistics and polygons of one Paavo year together.

The WFS layer `pno_tilasto` carries each postal area's Paavo variables as feature properties and
its boundary as the geometry, in ETRS-TM35FIN (EPSG:3067) or WGS84. Taking both from one file
keeps statistics and boundaries of the same year, and the polygons replace development data.
"""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from .. import paavo
from ..services import (
    GeometryImportError,
    PaavoImportError,
    load_feature_collection,
    paavo_import,
    postal_area_geometry_import,
)
from .base import ImportResult, Progress
from .paavo_csv import fill_result, paavo_years

KIND = "paavo_geojson"


def import_paavo_geojson(
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    statistics_year: int | None = None,
    release_year: int | None = None,
    municipality_code: str | None = None,
    municipality_name: str | None = None,
) -> ImportResult:
    """Import Paavo statistics and production polygons from a GeoJSON FeatureCollection.

    The release year defaults to the features' `vuosi` property. Statistics follow the rules of
    services.paavo_import and polygons those of services.postal_area_geometry_import, stored in
    WGS84 with the development-data flag cleared. Errors name the feature by its number (the
    first feature is 1); both parts are written in one transaction or not at all.
    """
    result = ImportResult(kind=KIND, dry_run=dry_run)
    try:
        collection = load_feature_collection(data)
    except GeometryImportError as error:
        result.add_error(None, str(error))
        return result
    features = collection["features"]
    result.rows_read = len(features)
    if release_year is None and statistics_year is None:
        years = {
            (feature.get("properties") or {}).get("vuosi")
            for feature in features
            if isinstance(feature, dict)
        }
        years.discard(None)
        if len(years) == 1:
            release_year = int(years.pop())
    statistics_year, release_year = paavo_years(statistics_year, release_year)
    table = _statistics_table(features)
    try:
        paavo.parse_paavo_csv(table)
    except paavo.PaavoError as error:
        # The table has a header line, so line N of it is feature N - 1.
        result.add_error(
            error.line - 1,
            _(error.message) % {**error.params, "line": error.line - 1},
            message_has_row=True,
        )
        return result
    options = {"municipality_code": municipality_code, "municipality_name": municipality_name}
    try:
        with transaction.atomic():
            report = paavo_import(
                table.encode(),
                statistics_year=statistics_year,
                release_year=release_year,
                **options,
            )
            geometry = postal_area_geometry_import(data, development_data=False, **options)
            if dry_run:
                transaction.set_rollback(True)
    except (PaavoImportError, GeometryImportError) as error:
        result.add_error(None, str(error))
        return result
    report.dry_run = dry_run
    fill_result(result, report)
    result.notes.append(
        _("Polygons stored: %(count)d (coordinates in %(crs)s, stored in WGS84).")
        % {
            "count": len(geometry.updated_postal_codes) + len(geometry.created_postal_codes),
            "crs": geometry.source_crs,
        }
    )
    result.rows_read = len(features)
    if progress:
        progress(len(features), len(features))
    return result


def _statistics_table(features: list) -> str:
    """Return the features' properties as a Paavo CSV with code headers, one line a feature."""
    variables: dict[str, None] = {}
    for feature in features:
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        for name in properties:
            if paavo.variable_group(str(name).lower()):
                variables[str(name).lower()] = None
    columns = ["postinumeroalue", "nimi", "kunta", "kunta_nimi", *variables]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(columns)
    for feature in features:
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        properties = {str(name).lower(): value for name, value in properties.items()}
        code = properties.get("postinumeroalue", properties.get("posti_alue"))
        if isinstance(code, int):
            code = str(code).zfill(5)
        # `kunta` is a code in the WFS layer but a name in some extracts.
        municipality = str(properties.get("kunta") or "")
        municipality_name = str(properties.get("kunta_nimi") or "")
        if municipality and not municipality.isdigit():
            municipality, municipality_name = "", municipality_name or municipality
        row = [code or "", properties.get("nimi") or "", municipality, municipality_name]
        row += ["" if properties.get(name) is None else properties[name] for name in variables]
        writer.writerow(row)
    return output.getvalue()
