from osallistu.areas.importers.investments import KIND

from ._importer import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the investment programme from a CSV with the columns id, suburb, name, year, "
        "cost, service_area, priority and optional prioritised. Projects are updated by id. A "
        "file with any error writes nothing."
    )
    kind = KIND
