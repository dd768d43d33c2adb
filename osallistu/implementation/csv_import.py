"""Bulk updates of implementation items from a CSV file, all rows or none.

Columns (docs/implementation.md): id, status, progress, actual_cost, planned_end, actual_end and
note, with Finnish aliases. An empty cell leaves the value as it is; a `title` column, which the
template has to help people find their rows, is ignored. Every row is checked before anything is
written: if any row fails, the report lists every error by row number and nothing is saved.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import selectors, services
from .models import ImplementationItem, ImplementationUpdate, Status

# Canonical column: accepted headers, compared in lower case with spaces as underscores.
COLUMNS = {
    "id": {"id", "tunnus"},
    "status": {"status", "tila"},
    "progress": {"progress", "valmiusaste", "edistyminen"},
    "actual_cost": {"actual_cost", "toteutunut_kustannus", "toteutuneet_kustannukset"},
    "planned_end": {"planned_end", "suunniteltu_valmistuminen", "arvioitu_valmistuminen"},
    "actual_end": {"actual_end", "valmistunut", "toteutunut_valmistuminen"},
    "note": {"note", "huomautus", "tiedote"},
    "title": {"title", "nimi", "otsikko"},
}
TEMPLATE_COLUMNS = [
    "id",
    "title",
    "status",
    "progress",
    "actual_cost",
    "planned_end",
    "actual_end",
    "note",
]
# Finnish status names accepted besides the codes, as staff type them.
STATUS_ALIASES = {
    "suunnitteilla": Status.PLANNED,
    "suunnittelussa": Status.DESIGN,
    "hankinnassa": Status.PROCUREMENT,
    "kilpailutuksessa": Status.PROCUREMENT,
    "toteutuksessa": Status.IN_PROGRESS,
    "käynnissä": Status.IN_PROGRESS,
    "valmis": Status.DONE,
    "peruttu": Status.CANCELLED,
}
# ASCII digits only: str.isdigit() also accepts characters such as "²" that int() rejects.
_AMOUNT = re.compile(r"^-?[0-9]+([.,][0-9]{1,2})?$")
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")
# Ids are BigAutoField keys; a larger number cannot be one and would overflow the database query.
MAX_ID = 2**63 - 1
# actual_cost has max_digits=14 and decimal_places=2, so 12 digits before the decimal point.
MAX_AMOUNT = Decimal(10**12)
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass
class RowChange:
    """The changes one valid row makes to one item, for the preview."""

    row: int
    item: ImplementationItem
    changes: dict
    note: str


@dataclass
class ImportReport:
    """The outcome of an import: the rows' changes, every error, and whether anything was saved."""

    rows: list[RowChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def updated(self) -> list[RowChange]:
        """Return the rows that change a field or post a note; a row that repeats changes none."""
        return [row for row in self.rows if row.changes or row.note]


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    errors = []
    for index, name in enumerate(header):
        key = name.strip().lower().replace(" ", "_")
        canonical = next((column for column, names in COLUMNS.items() if key in names), None)
        if canonical is None:
            errors.append(
                _("Row 1: unknown column %(column)s. The columns are: %(columns)s.")
                % {"column": name, "columns": ", ".join(TEMPLATE_COLUMNS)}
            )
        elif canonical in columns:
            errors.append(_("Row 1: the column %(column)s appears twice.") % {"column": name})
        else:
            columns[canonical] = index
    if "id" not in columns:
        errors.append(_("Row 1: the column id is missing."))
    return columns, errors


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _parse_status(value: str) -> str | None:
    key = value.strip().lower()
    if key in Status.values:
        return key
    return STATUS_ALIASES.get(key)


def _parse_amount(value: str) -> Decimal | None:
    compact = value.replace(" ", "").replace("\u00a0", "").replace("€", "")
    if not _AMOUNT.match(compact):
        return None
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:
        return None


def _parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    match = _FINNISH_DATE.match(value)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _row_changes(row_number: int, cells: dict[str, str], header: dict[str, str]):
    """Return (changes, errors) of one row's value cells; the id is handled by the caller."""
    changes: dict = {}
    errors = []

    def fail(message: str, column: str, **params) -> None:
        errors.append(
            message
            % {"row": row_number, "column": header[column], "value": cells[column], **params}
        )

    if cells.get("status"):
        status = _parse_status(cells["status"])
        if status is None:
            errors.append(
                _("Row %(row)s: %(column)s must be one of %(choices)s, not %(value)s.")
                % {
                    "row": row_number,
                    "column": header["status"],
                    "value": cells["status"],
                    "choices": ", ".join(Status.values),
                }
            )
        else:
            changes["status"] = status
    if cells.get("progress"):
        value = cells["progress"].strip().rstrip("%").strip()
        if not _WHOLE_NUMBER.match(value) or not 0 <= int(value) <= 100:
            fail(
                _("Row %(row)s: %(column)s must be a whole number from 0 to 100, not %(value)s."),
                "progress",
            )
        else:
            changes["progress"] = int(value)
    if cells.get("actual_cost"):
        amount = _parse_amount(cells["actual_cost"])
        if amount is not None and abs(amount) >= MAX_AMOUNT:
            fail(
                _("Row %(row)s: %(column)s %(value)s is too large. The maximum is %(max)s."),
                "actual_cost",
                max=number_format(MAX_AMOUNT - Decimal("0.01"), decimal_pos=2, force_grouping=True),
            )
        elif amount is None:
            fail(
                _(
                    "Row %(row)s: %(column)s must be an amount in euros such as 1250,50, "
                    "not %(value)s."
                ),
                "actual_cost",
            )
        else:
            changes["actual_cost"] = amount
    for column in ("planned_end", "actual_end"):
        if cells.get(column):
            date = _parse_date(cells[column])
            if date is None:
                fail(
                    _(
                        "Row %(row)s: %(column)s must be a date such as 31.12.2026 or "
                        "2026-12-31, not %(value)s."
                    ),
                    column,
                )
            else:
                changes[column] = date
    return changes, errors


def _rows(text: str, report: ImportReport):
    """Yield (row number, {column: cell}, {column: header as written}) of the data rows."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        report.errors.append(_("The file is empty."))
        return
    columns, errors = _header_map(header)
    report.errors += errors
    if errors:
        return
    names = {column: header[index].strip() for column, index in columns.items()}
    for row_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            report.errors.append(
                _("Row %(row)s has %(count)s cells, more than the %(columns)s columns.")
                % {"row": row_number, "count": len(values), "columns": len(header)}
            )
            continue
        cells = {
            column: values[index].strip() if index < len(values) else ""
            for column, index in columns.items()
        }
        yield row_number, cells, names


def _parse_id(value: str) -> int | None:
    if not _WHOLE_NUMBER.match(value) or int(value) > MAX_ID:
        return None
    return int(value)


def _latest_notes(item_ids) -> dict[int, str]:
    """Return the text of each item's latest update, to keep a re-imported note from repeating."""
    latest: dict[int, str] = {}
    updates = ImplementationUpdate.objects.filter(item__in=item_ids).order_by(
        "item", "-published_on", "-pk"
    )
    for item_id, text in updates.values_list("item", "text"):
        latest.setdefault(item_id, text.strip())
    return latest


def _validate(user, text: str, report: ImportReport) -> None:
    """Fill `report` with the changes of every row, or with every error found.

    Values equal to the item's current ones are left out of a row's changes, and a note equal to
    the item's latest update is dropped, so importing the same file again changes nothing.
    """
    parsed = list(_rows(text, report))
    ids = {_parse_id(cells["id"]) for _row_number, cells, _names in parsed} - {None}
    items = {
        item.pk: item
        for item in selectors.items_for_update().select_for_update(of=("self",)).filter(pk__in=ids)
    }
    latest_notes = _latest_notes(items)
    first_row: dict[int, int] = {}
    for row_number, cells, names in parsed:
        raw_id = cells["id"]
        item_id = _parse_id(raw_id)
        if item_id is None:
            report.errors.append(
                _("Row %(row)s: %(column)s must be the number of an item, not %(value)s.")
                % {"row": row_number, "column": names["id"], "value": raw_id or "–"}
            )
            continue
        if item_id in first_row:
            report.errors.append(
                _("Row %(row)s: the id %(id)s is already on row %(first)s.")
                % {"row": row_number, "id": item_id, "first": first_row[item_id]}
            )
            continue
        first_row[item_id] = row_number
        item = items.get(item_id)
        if item is None:
            report.errors.append(
                _("Row %(row)s: there is no implementation item with the id %(id)s.")
                % {"row": row_number, "id": item_id}
            )
            continue
        if not services.can_update(user, item):
            report.errors.append(
                _("Row %(row)s: you may not update the item %(id)s.")
                % {"row": row_number, "id": item_id}
            )
            continue
        changes, errors = _row_changes(row_number, cells, names)
        report.errors += errors
        if errors:
            continue
        row_errors = _check(item, changes)
        for message in row_errors:
            report.errors.append(
                _("Row %(row)s: %(message)s") % {"row": row_number, "message": message}
            )
        if not row_errors:
            note = cells.get("note", "")
            report.rows.append(
                RowChange(
                    row=row_number,
                    item=item,
                    changes={
                        name: value
                        for name, value in changes.items()
                        if getattr(item, name) != value
                    },
                    note="" if note == latest_notes.get(item_id) else note,
                )
            )


def _check(item: ImplementationItem, changes: dict) -> list[str]:
    """Return the messages of the rules that the item would break with `changes`."""
    candidate = ImplementationItem(
        **{field.attname: getattr(item, field.attname) for field in item._meta.concrete_fields}
    )
    if changes.get("status") == Status.DONE and "progress" not in changes:
        changes["progress"] = 100
    for name, value in changes.items():
        setattr(candidate, name, value)
    return [
        message
        for errors in services.check_item(candidate, previous_status=item.status).values()
        for error in errors
        for message in error.messages
    ]


def import_csv(user, text: str, *, dry_run: bool = False) -> ImportReport:
    """Check every row of the CSV `text` and, unless `dry_run`, apply them all in one transaction.

    Return the report: with any error, `errors` lists them all by row number and nothing is
    written. A row's note is posted as an update of its item unless it repeats the item's latest
    update, so the same file imported twice changes nothing the second time. Raise
    PermissionDenied for a user who may not update implementation at all.
    """
    if not services.can_update_any(user):
        raise PermissionDenied(_("You may not update implementation."))
    report = ImportReport()
    with transaction.atomic():
        _validate(user, text, report)
        if report.errors or dry_run:
            return report
        try:
            for row in report.updated:
                services.apply_changes(user, row.item, row.changes)
                if row.note:
                    services.post_update(user, row.item, text=row.note)
        except ValidationError as error:
            # check_item ran on every row, so this means a rule the check missed; nothing stays.
            transaction.set_rollback(True)
            report.errors += error.messages
            return report
        report.applied = True
    return report


def template_csv(user) -> str:
    """Return a CSV of the current values of the items `user` may update, for editing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for item in selectors.item_list(public_only=False):
        if not services.can_update(user, item):
            continue
        writer.writerow(
            [
                item.pk,
                item.title,
                item.status,
                item.progress,
                "" if item.actual_cost is None else item.actual_cost,
                item.planned_end.isoformat() if item.planned_end else "",
                item.actual_end.isoformat() if item.actual_end else "",
                "",
            ]
        )
    return buffer.getvalue()
