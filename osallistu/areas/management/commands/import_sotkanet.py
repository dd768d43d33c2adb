from pathlib import Path

from django.core.management.base import CommandError

from osallistu.areas.importers.base import FileError
from osallistu.areas.importers.sotkanet import KIND, read_regions

from ._importer import ImportCommand


class Command(ImportCommand):
    help = (
        "Import THL Sotkanet rows (/json or /csv output) as municipality-level indicator values. "
        "Give the /regions list with --regions unless the file is a JSON object with the "
        "members regions and data."
    )
    kind = KIND

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--regions", type=Path, help="Sotkanet /regions JSON file.")

    def options_for(self, options) -> dict:
        if not options["regions"]:
            return {}
        try:
            return {"regions": read_regions(options["regions"].read_bytes())}
        except (OSError, FileError) as error:
            raise CommandError(str(error)) from None
