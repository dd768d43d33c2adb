from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from osallistu.areas import paavo
from osallistu.areas.services import PaavoImportError, PaavoImportReport, paavo_import

# The release of the Kuopio file shipped in osallistu/areas/data; its statistics year is 2024.
DEFAULT_RELEASE_YEAR = 2026

MISSING_REASON_LABELS = {
    paavo.SUPPRESSED: gettext_lazy("-1, “...” or empty in the file"),
    paavo.SMALL_AREA: gettext_lazy("HE fields of areas with fewer than %(limit)d inhabitants"),
    paavo.ZERO_GROUP: gettext_lazy("whole groups of zeros in inhabited areas"),
    paavo.ZERO_AVERAGE: gettext_lazy("averages and medians of 0"),
}


class Command(BaseCommand):
    help = (
        "Import Statistics Finland's Paavo statistics by postal area from a comma-separated UTF-8 "
        "file with Paavo variable codes or PxWeb's Finnish labels as column names. Rows of other "
        "municipalities than OSALLISTU_MUNICIPALITY_CODE / OSALLISTU_CITY_NAME are skipped. The "
        "file replaces the data of its statistics year. A malformed row aborts the import and "
        "nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Paavo CSV file.")
        parser.add_argument(
            "--statistics-year",
            type=int,
            help=(
                "Year the statistics describe. Default: the release year minus "
                f"{paavo.RELEASE_LAG_YEARS}, because a Paavo release N carries statistics "
                "for year N-2."
            ),
        )
        parser.add_argument(
            "--release",
            type=int,
            help=(
                "Paavo release (publication year). Default: the statistics year plus "
                f"{paavo.RELEASE_LAG_YEARS}, or {DEFAULT_RELEASE_YEAR} when neither is given."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would be imported, without writing.",
        )

    def handle(self, *args, file: Path, statistics_year, release, dry_run, **options):
        statistics_year, release = _years(statistics_year, release)
        if release - statistics_year != paavo.RELEASE_LAG_YEARS:
            self.stderr.write(
                _(
                    "Warning: Paavo release %(release)d usually carries statistics for "
                    "%(expected)d, not %(year)d."
                )
                % {
                    "release": release,
                    "expected": release - paavo.RELEASE_LAG_YEARS,
                    "year": statistics_year,
                }
            )
        try:
            report = paavo_import(
                file, statistics_year=statistics_year, release_year=release, dry_run=dry_run
            )
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        except PaavoImportError as error:
            raise CommandError(str(error)) from None
        self._write_report(report)

    def _write_report(self, report: PaavoImportReport) -> None:
        params = {
            "count": len(report.imported_postal_codes),
            "year": report.statistics_year,
            "release": report.release_year,
        }
        if report.dry_run:
            message = ngettext(
                "Dry run: %(count)d postal area would be imported for statistics year %(year)d "
                "(Paavo release %(release)d). Nothing was written.",
                "Dry run: %(count)d postal areas would be imported for statistics year %(year)d "
                "(Paavo release %(release)d). Nothing was written.",
                params["count"],
            )
        else:
            message = ngettext(
                "Imported %(count)d postal area for statistics year %(year)d "
                "(Paavo release %(release)d).",
                "Imported %(count)d postal areas for statistics year %(year)d "
                "(Paavo release %(release)d).",
                params["count"],
            )
        self.stdout.write(self.style.SUCCESS(message % params))
        if report.created_postal_codes:
            self.stdout.write(
                _("New postal areas: %(codes)s") % {"codes": ", ".join(report.created_postal_codes)}
            )
        if report.removed_postal_codes:
            self.stdout.write(
                _("Records removed because their postal areas are not in the file: %(codes)s")
                % {"codes": ", ".join(report.removed_postal_codes)}
            )
        if report.skipped_postal_codes:
            count = len(report.skipped_postal_codes)
            self.stdout.write(
                ngettext(
                    "Skipped %(count)d row of other municipalities (out of scope): %(codes)s",
                    "Skipped %(count)d rows of other municipalities (out of scope): %(codes)s",
                    count,
                )
                % {"count": count, "codes": ", ".join(report.skipped_postal_codes)}
            )
        for reason, label in MISSING_REASON_LABELS.items():
            count = report.missing_counts.get(reason, 0)
            self.stdout.write(
                _("Missing values, %(reason)s: %(count)d")
                % {"reason": label % {"limit": paavo.SMALL_AREA_LIMIT}, "count": count}
            )
        if report.ignored_columns:
            self.stdout.write(
                _("Ignored columns that are not Paavo variables: %(columns)s")
                % {"columns": ", ".join(report.ignored_columns)}
            )


def _years(statistics_year: int | None, release: int | None) -> tuple[int, int]:
    if release is None:
        release = (
            DEFAULT_RELEASE_YEAR
            if statistics_year is None
            else statistics_year + paavo.RELEASE_LAG_YEARS
        )
    if statistics_year is None:
        statistics_year = release - paavo.RELEASE_LAG_YEARS
    for year in (statistics_year, release):
        if not 1990 <= year <= 2100:
            raise CommandError(
                _("The year %(year)d is not a plausible Paavo year (1990–2100).") % {"year": year}
            )
    return statistics_year, release
