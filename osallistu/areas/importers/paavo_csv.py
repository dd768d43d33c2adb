"""Import Paavo statistics from CSV with code headers or PxWeb label headers."""

from django.utils.translation import gettext as _

from .. import paavo
from ..services import PaavoImportError, PaavoImportReport, paavo_import
from .base import ImportResult, Progress

KIND = "paavo_csv"


def import_paavo_csv(
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    statistics_year: int | None = None,
    release_year: int | None = None,
    municipality_code: str | None = None,
    municipality_name: str | None = None,
) -> ImportResult:
    """Import one statistics year of Paavo values; see services.paavo_import for the rules.

    The statistics year defaults to the release year minus two, and the release year to the
    statistics year plus two. Writes PaavoRecord rows and the IndicatorValue rows of the
    Paavo-derived indicators; `created`, `updated` and `unchanged` count the latter.
    """
    result = ImportResult(kind=KIND, dry_run=dry_run)
    statistics_year, release_year = paavo_years(statistics_year, release_year)
    try:
        report = paavo_import(
            data,
            statistics_year=statistics_year,
            release_year=release_year,
            dry_run=dry_run,
            municipality_code=municipality_code,
            municipality_name=municipality_name,
            progress=progress,
        )
    except PaavoImportError as error:
        result.add_error(error.line, str(error), message_has_row=error.line is not None)
        return result
    fill_result(result, report)
    return result


def paavo_years(statistics_year: int | None, release_year: int | None) -> tuple[int, int]:
    """Return (statistics year, release year), deriving a missing one by Paavo's two-year lag."""
    lag = paavo.RELEASE_LAG_YEARS
    if statistics_year is None and release_year is None:
        release_year = 2026
    if statistics_year is None:
        statistics_year = release_year - lag
    if release_year is None:
        release_year = statistics_year + lag
    return statistics_year, release_year


def fill_result(result: ImportResult, report: PaavoImportReport) -> None:
    """Copy a Paavo import report's counts and details into `result`."""
    result.rows_read = len(report.imported_postal_codes) + len(report.skipped_postal_codes)
    result.created = report.values_created
    result.updated = report.values_updated
    result.unchanged = report.values_unchanged
    result.notes.append(
        _("Postal areas imported: %(count)d (statistics year %(year)d).")
        % {"count": len(report.imported_postal_codes), "year": report.statistics_year}
    )
    if report.skipped_postal_codes:
        result.notes.append(
            _("Rows of other municipalities skipped: %(count)d.")
            % {"count": len(report.skipped_postal_codes)}
        )
    if report.removed_postal_codes:
        result.notes.append(
            _("Records removed because their postal areas are not in the file: %(codes)s")
            % {"codes": ", ".join(report.removed_postal_codes)}
        )
    missing = sum(report.missing_counts.values())
    if missing:
        result.notes.append(
            _("Values marked missing or protected: %(count)d.") % {"count": missing}
        )
