"""Import the city's own indicator values from a long-format CSV, one value a row.

Columns: `indicator` (catalogue code), `area_kind` (postal_area, suburb or municipality), `area`
(postal code, suburb identifier or three-digit municipality code), `year`, `value`, and optional
`numerator`, `denominator` and `status` (ok, missing, suppressed). The infrastructure domain
(`building_age`, `repair_backlog`) is loaded this way.
"""

from django.utils.translation import gettext as _

from ..models import Indicator, IndicatorValue, PostalArea, Suburb
from ..services import indicator_catalogue_ensure
from .base import (
    FileError,
    ImportResult,
    Progress,
    duplicate_row,
    not_a_number,
    not_a_year,
    parse_number,
    parse_year,
    read_csv,
)
from .values import ValueRow, write_checked_values

KIND = "city_csv"
COLUMNS = ("indicator", "area_kind", "area", "year", "value")
OPTIONAL_COLUMNS = ("numerator", "denominator", "status")
POSTAL_AREA, SUBURB, MUNICIPALITY = "postal_area", "suburb", "municipality"
AREA_KINDS = (POSTAL_AREA, SUBURB, MUNICIPALITY)


def import_city_csv(
    data: bytes, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import long-format values; see the module docstring for the columns.

    An empty `value` with `numerator` and `denominator` is computed as the indicator's
    `scale * numerator / denominator`. An empty value without them, or a status of missing or
    suppressed, is stored as missing, never as 0. A semicolon-separated file may use decimal
    commas. Unknown indicators, postal codes and suburbs, bad numbers and repeated rows are
    row-numbered errors, and a file with any error writes nothing.
    """
    result = ImportResult(kind=KIND, dry_run=dry_run)
    try:
        csv_file = read_csv(data, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    except FileError as error:
        result.add_error(error.row, error.message)
        return result
    indicator_catalogue_ensure()
    decimal_comma = csv_file.delimiter == ";"
    cells = [cells for _line, cells in csv_file.rows]
    indicators = Indicator.objects.in_bulk({row["indicator"] for row in cells}, field_name="code")
    postal_areas = PostalArea.objects.in_bulk(
        {row["area"] for row in cells if row["area_kind"] == POSTAL_AREA}, field_name="code"
    )
    suburbs = Suburb.objects.in_bulk(
        {row["area"] for row in cells if row["area_kind"] == SUBURB}, field_name="slug"
    )
    result.rows_read = len(csv_file.rows)
    checked: list[ValueRow] = []
    first_rows: dict[tuple, int] = {}
    for position, (line, row) in enumerate(csv_file.rows, start=1):
        if progress and position % 200 == 0:
            progress(position, len(csv_file.rows))
        errors_before = len(result.errors)
        indicator = indicators.get(row["indicator"])
        if indicator is None:
            result.add_error(
                line,
                _("Unknown indicator code “%(value)s”.") % {"value": row["indicator"][:40]},
            )
        area = _area(row, postal_areas, suburbs, line, result)
        try:
            year = parse_year(row["year"])
        except ValueError:
            result.add_error(line, not_a_year("year", row["year"]))
            year = None
        numbers = {}
        for column in ("value", "numerator", "denominator"):
            text = row.get(column, "")
            try:
                numbers[column] = parse_number(text, decimal_comma=decimal_comma) if text else None
            except ValueError:
                result.add_error(line, not_a_number(column, text))
        status = row.get("status", "").lower() or IndicatorValue.Status.OK
        if status not in IndicatorValue.Status.values:
            result.add_error(
                line,
                _("The status “%(value)s” is not one of ok, missing, suppressed.")
                % {"value": status[:40]},
            )
        if len(result.errors) > errors_before:
            continue
        value = _value(indicator, numbers, status)
        if value is None and status == IndicatorValue.Status.OK:
            status = IndicatorValue.Status.MISSING
        key = (indicator.pk, *area, year)
        if key in first_rows:
            result.add_error(line, duplicate_row(first_rows[key]))
            continue
        first_rows[key] = line
        postal_area, suburb, municipality_code = area
        checked.append(
            ValueRow(
                indicator=indicator,
                statistics_year=year,
                value=value if status == IndicatorValue.Status.OK else None,
                numerator=numbers.get("numerator"),
                denominator=numbers.get("denominator"),
                status=status,
                postal_area=postal_area,
                suburb=suburb,
                municipality_code=municipality_code,
            )
        )
    return write_checked_values(checked, result, progress=progress)


def _area(row, postal_areas, suburbs, line, result) -> tuple:
    """Return (postal area, suburb, municipality code) of a row, or add an error."""
    kind, key = row["area_kind"].lower(), row["area"]
    if kind == POSTAL_AREA:
        if key in postal_areas:
            return (postal_areas[key], None, "")
        result.add_error(line, _("Unknown postal code “%(value)s”.") % {"value": key[:40]})
    elif kind == SUBURB:
        if key in suburbs:
            return (None, suburbs[key], "")
        result.add_error(line, _("Unknown suburb identifier “%(value)s”.") % {"value": key[:40]})
    elif kind == MUNICIPALITY:
        if key.isdigit() and len(key) <= 3:
            return (None, None, key.zfill(3))
        result.add_error(
            line,
            _("The municipality code “%(value)s” is not a number of up to three digits.")
            % {"value": key[:40]},
        )
    else:
        result.add_error(
            line,
            _("The area kind “%(value)s” is not one of postal_area, suburb, municipality.")
            % {"value": kind[:40]},
        )
    return (None, None, "")


def _value(indicator: Indicator, numbers: dict, status: str) -> float | None:
    if status != IndicatorValue.Status.OK:
        return None
    if numbers.get("value") is not None:
        return numbers["value"]
    numerator, denominator = numbers.get("numerator"), numbers.get("denominator")
    if numerator is not None and denominator:
        return indicator.scale * numerator / denominator
    return None
