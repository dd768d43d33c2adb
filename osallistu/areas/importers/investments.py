"""Import the city's investment programme: projects per suburb with year, cost and priority."""

from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import InvestmentProject, Suburb
from .base import (
    FileError,
    ImportResult,
    Progress,
    duplicate_row,
    not_a_number,
    not_a_year,
    parse_decimal,
    parse_year,
    read_csv,
)

KIND = "investments"
COLUMNS = ("id", "suburb", "name", "year", "cost", "service_area", "priority")
OPTIONAL_COLUMNS = ("prioritised",)
TRUE_WORDS = frozenset({"1", "true", "yes", "kyllä", "ja", "x"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "ei", "nej"})
_CENTS = Decimal("0.01")
_FIELDS = ("suburb_id", "name", "year", "cost", "service_area", "priority", "is_prioritised")


def import_investments(
    data: bytes, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Create or update InvestmentProject rows by their `id` in the city's programme.

    Columns: `id`, `suburb` (identifier or name), `name`, `year`, `cost` (euros, not negative),
    `service_area`, `priority` (1 is the highest) and optional `prioritised` (yes/no, kyllä/ei,
    1/0). Projects missing from the file are kept, since a programme file may cover one year.
    """
    result = ImportResult(kind=KIND, dry_run=dry_run)
    try:
        csv_file = read_csv(data, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    except FileError as error:
        result.add_error(error.row, error.message)
        return result
    decimal_comma = csv_file.delimiter == ";"
    suburbs = {}
    for suburb in Suburb.objects.all():
        suburbs[suburb.slug] = suburb
        suburbs[slugify(suburb.name)] = suburb
    name_length = InvestmentProject._meta.get_field("name").max_length
    result.rows_read = len(csv_file.rows)
    checked: list[tuple[str, dict]] = []
    first_rows: dict[str, int] = {}
    for line, row in csv_file.rows:
        errors_before = len(result.errors)
        external_id = row["id"]
        if not external_id or len(external_id) > 100:
            result.add_error(line, _("The id must be 1 to 100 characters long."))
        suburb = suburbs.get(slugify(row["suburb"]))
        if suburb is None:
            result.add_error(line, _("Unknown suburb “%(value)s”.") % {"value": row["suburb"][:40]})
        if not row["name"] or len(row["name"]) > name_length:
            result.add_error(
                line,
                _("The name must be 1 to %(max)d characters long.") % {"max": name_length},
            )
        try:
            year = parse_year(row["year"])
        except ValueError:
            result.add_error(line, not_a_year("year", row["year"]))
            year = None
        try:
            cost = parse_decimal(row["cost"], decimal_comma=decimal_comma)
        except ValueError:
            result.add_error(line, not_a_number("cost", row["cost"]))
            cost = None
        if cost is not None and cost < 0:
            result.add_error(line, _("The cost may not be negative."))
        priority = row["priority"]
        if not priority.isdigit() or not 1 <= int(priority) <= 1000:
            result.add_error(
                line,
                _("The priority “%(value)s” is not a whole number from 1 to 1000.")
                % {"value": priority[:40]},
            )
        prioritised = row.get("prioritised", "").lower()
        if prioritised not in TRUE_WORDS | FALSE_WORDS:
            result.add_error(
                line,
                _("The value “%(value)s” in column prioritised is not yes or no.")
                % {"value": prioritised[:40]},
            )
        if len(result.errors) > errors_before:
            continue
        if external_id in first_rows:
            result.add_error(line, duplicate_row(first_rows[external_id]))
            continue
        first_rows[external_id] = line
        checked.append(
            (
                external_id,
                {
                    "suburb_id": suburb.pk,
                    "name": row["name"],
                    "year": year,
                    "cost": cost.quantize(_CENTS),
                    "service_area": row["service_area"][:200],
                    "priority": int(priority),
                    "is_prioritised": prioritised in TRUE_WORDS,
                },
            )
        )
    if not result.ok:
        return result
    with transaction.atomic():
        existing = InvestmentProject.objects.select_for_update().in_bulk(
            [external_id for external_id, _fields in checked], field_name="external_id"
        )
        for external_id, fields in checked:
            project = existing.get(external_id)
            if project is None:
                InvestmentProject.objects.create(external_id=external_id, **fields)
                result.count("created")
            elif all(getattr(project, name) == fields[name] for name in _FIELDS):
                result.count("unchanged")
            else:
                for name in _FIELDS:
                    setattr(project, name, fields[name])
                project.save()
                result.count("updated")
        if dry_run:
            transaction.set_rollback(True)
    if progress:
        progress(len(csv_file.rows), len(csv_file.rows))
    return result
