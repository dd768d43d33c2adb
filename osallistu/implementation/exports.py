"""The open data of implementation: public items only, the same fields in the API and the CSV."""

import csv
import io

from . import selectors

COLUMNS = [
    "id",
    "title",
    "kind",
    "suburb",
    "status",
    "progress",
    "budget",
    "actual_cost",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "service_area",
    "longitude",
    "latitude",
    "updated_on",
]


def _text(value) -> str:
    return "" if value is None else str(value)


def item_record(item) -> dict:
    """Return the open data fields of a public item as strings, None where unknown."""
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "suburb": item.suburb.slug if item.suburb_id else None,
        "status": item.status,
        "progress": item.progress,
        "budget": None if item.budget is None else f"{item.budget:.2f}",
        "actual_cost": None if item.actual_cost is None else f"{item.actual_cost:.2f}",
        "planned_start": item.planned_start,
        "planned_end": item.planned_end,
        "actual_start": item.actual_start,
        "actual_end": item.actual_end,
        "service_area": item.service_area.name if item.service_area_id else None,
        "longitude": None if item.longitude is None else float(item.longitude),
        "latitude": None if item.latitude is None else float(item.latitude),
        "updated_on": item.updated_at.date(),
    }


def items_csv() -> str:
    """Return every public item as CSV under CC BY 4.0; an unknown value is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in selectors.item_list():
        record = item_record(item)
        writer.writerow([_text(record[column]) for column in COLUMNS])
    return buffer.getvalue()
