from osallistu.areas.importers.paavo_geojson import KIND

from ._importer import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Paavo statistics and postal-area polygons from the Paavo WFS layer as GeoJSON "
        "(EPSG:3067 or WGS84). The polygons are stored in WGS84 as production data. A file with "
        "any error writes nothing."
    )
    kind = KIND

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--statistics-year",
            type=int,
            help="Year the statistics describe. Default: the features' vuosi minus 2.",
        )

    def options_for(self, options) -> dict:
        return {"statistics_year": options["statistics_year"]}
