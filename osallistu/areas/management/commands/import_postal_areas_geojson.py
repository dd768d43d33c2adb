from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from osallistu.areas.services import GeometryImportError, postal_area_geometry_import


class Command(BaseCommand):
    help = (
        "Import postal-area polygons from a GeoJSON FeatureCollection whose features have a "
        "postinumeroalue (or posti_alue) property, in WGS84 or EPSG:3067 as its crs member "
        "states. Use the Paavo WFS layer of the same year as the statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="GeoJSON file.")
        parser.add_argument(
            "--development-data",
            action="store_true",
            help=(
                "Mark the polygons as development data: maps then say so, and the polygons do "
                "not replace production polygons."
            ),
        )

    def handle(self, *args, file: Path, development_data: bool, **options):
        try:
            report = postal_area_geometry_import(file, development_data=development_data)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        except GeometryImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Polygons stored: %(updated)d postal areas updated, %(created)d created "
                    "(source coordinates %(crs)s)."
                )
                % {
                    "updated": len(report.updated_postal_codes),
                    "created": len(report.created_postal_codes),
                    "crs": report.source_crs,
                }
            )
        )
        if report.kept_postal_codes:
            self.stdout.write(
                _("Production polygons kept: %(codes)s")
                % {"codes": ", ".join(report.kept_postal_codes)}
            )
        if report.skipped_postal_codes:
            self.stdout.write(
                _("Skipped features of other municipalities: %(codes)s")
                % {"codes": ", ".join(report.skipped_postal_codes)}
            )
