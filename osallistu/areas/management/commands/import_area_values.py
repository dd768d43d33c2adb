from osallistu.areas.importers.city_csv import KIND

from ._importer import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the city's own indicator values from a long CSV with the columns indicator, "
        "area_kind, area, year, value and optional numerator, denominator and status. A file "
        "with any error writes nothing."
    )
    kind = KIND
