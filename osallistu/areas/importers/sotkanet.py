"""Import THL Sotkanet rows as municipality-level indicator values (trends over several years).

Sotkanet's `/json` and `/csv` rows name the region by Sotkanet's internal id, so the importer
needs the `/regions` list to find the municipality code. Give it as the `regions` option, or send
one JSON object `{"regions": [...], "data": [...]}`. Only regions of category KUNTA are stored;
rows of other regions (wellbeing services counties, the whole country) are skipped and counted.
"""

import json

from django.utils.translation import gettext as _

from ..models import Indicator, IndicatorValue
from ..services import indicator_catalogue_ensure
from .base import (
    FileError,
    ImportResult,
    Progress,
    decode,
    duplicate_row,
    not_a_number,
    not_a_year,
    parse_number,
    parse_year,
    read_csv,
)
from .values import ValueRow, write_checked_values

KIND = "sotkanet"
GENDERS = ("total", "male", "female")
MUNICIPALITY_CATEGORY = "KUNTA"
CSV_COLUMNS = ("indicator", "region", "year", "value")
CSV_OPTIONAL_COLUMNS = ("gender", "absvalue")


def import_sotkanet(
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    regions: list | None = None,
) -> ImportResult:
    """Import Sotkanet rows from JSON or semicolon-separated CSV; see the module docstring.

    A row needs a known indicator (catalogue code `sotkanet_<id>`), a region of the regions
    list, a year and a value (empty or null: stored as missing); `gender` defaults to total and
    becomes the value's breakdown, and `absValue` its numerator. Row numbers count JSON rows from
    1 and CSV lines with the header as line 1.
    """
    result = ImportResult(kind=KIND, dry_run=dry_run)
    try:
        rows, file_regions = _read_rows(data)
    except FileError as error:
        result.add_error(error.row, error.message)
        return result
    region_codes = _municipality_codes(regions if regions is not None else file_regions or [])
    known_regions = _region_ids(regions if regions is not None else file_regions or [])
    indicators = _sotkanet_indicators()
    result.rows_read = len(rows)
    checked: list[ValueRow] = []
    first_rows: dict[tuple, int] = {}
    skipped = 0
    for position, (number, row) in enumerate(rows, start=1):
        if progress and position % 200 == 0:
            progress(position, len(rows))
        errors_before = len(result.errors)
        indicator = _indicator(row.get("indicator"), indicators)
        if indicator is None:
            result.add_error(
                number,
                _("Unknown Sotkanet indicator “%(value)s”. Known indicators: %(known)s.")
                % {
                    "value": str(row.get("indicator"))[:40],
                    "known": ", ".join(str(key) for key in sorted(indicators)),
                },
            )
        region = _int(row.get("region"))
        if region is None or region not in known_regions:
            result.add_error(
                number,
                _(
                    "The region “%(value)s” is not in the Sotkanet regions list. Add the list "
                    "of /regions to the file or the import."
                )
                % {"value": str(row.get("region"))[:40]},
            )
        try:
            year = parse_year(str(row.get("year", "")))
        except ValueError:
            result.add_error(number, not_a_year("year", str(row.get("year", ""))))
            year = None
        gender = str(row.get("gender") or "total").strip().lower()
        if gender not in GENDERS:
            result.add_error(
                number,
                _("The gender “%(value)s” is not one of total, male, female.")
                % {"value": gender[:40]},
            )
        value = _number(row, "value", number, result)
        absolute = _number(row, "absvalue", number, result)
        if len(result.errors) > errors_before:
            continue
        code = region_codes.get(region)
        if code is None:
            skipped += 1
            continue
        key = (indicator.pk, code, year, gender)
        if key in first_rows:
            result.add_error(number, duplicate_row(first_rows[key]))
            continue
        first_rows[key] = number
        checked.append(
            ValueRow(
                indicator=indicator,
                statistics_year=year,
                value=value,
                numerator=absolute,
                status=(
                    IndicatorValue.Status.OK if value is not None else IndicatorValue.Status.MISSING
                ),
                municipality_code=code,
                breakdown=gender,
            )
        )
    if skipped:
        result.notes.append(
            _("Rows of regions that are not municipalities skipped: %(count)d.")
            % {"count": skipped}
        )
    return write_checked_values(checked, result, progress=progress)


def read_regions(data: bytes) -> list:
    """Return the list of a Sotkanet /regions JSON file; raise FileError if it is not one."""
    try:
        regions = json.loads(decode(data))
    except json.JSONDecodeError as error:
        raise FileError(
            _("The regions file is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    if not isinstance(regions, list):
        raise FileError(_("The regions file is not a list of Sotkanet regions."))
    return regions


def _read_rows(data: bytes) -> tuple[list[tuple[int, dict]], list | None]:
    text = decode(data)
    if text.lstrip()[:1] in ("[", "{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise FileError(
                _("The file is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": error.lineno, "column": error.colno}
            ) from None
        regions = None
        if isinstance(document, dict):
            regions = document.get("regions")
            document = document.get("data", document.get("rows"))
        if not isinstance(document, list) or not all(isinstance(row, dict) for row in document):
            raise FileError(
                _(
                    "The JSON is not a list of Sotkanet rows or an object with the members "
                    "regions and data."
                )
            )
        rows = [
            (number, {str(name).lower(): value for name, value in row.items()})
            for number, row in enumerate(document, start=1)
        ]
        return rows, regions if isinstance(regions, list) else None
    csv_file = read_csv(text, required=CSV_COLUMNS, optional=CSV_OPTIONAL_COLUMNS)
    decimal_comma = csv_file.delimiter == ";"
    rows = []
    for line, cells in csv_file.rows:
        if decimal_comma:
            cells = {name: cell.replace(",", ".") for name, cell in cells.items()}
        rows.append((line, cells))
    return rows, None


def _region_ids(regions: list) -> set[int]:
    return {_int(region.get("id")) for region in regions if isinstance(region, dict)}


def _municipality_codes(regions: list) -> dict[int, str]:
    """Return the three-digit municipality code of each KUNTA region, by Sotkanet id."""
    codes = {}
    for region in regions:
        if not isinstance(region, dict):
            continue
        category = str(region.get("category", "")).upper()
        code = str(region.get("code", "")).strip()
        if category == MUNICIPALITY_CATEGORY and code.isdigit():
            codes[_int(region.get("id"))] = code.zfill(3)
    return codes


def _sotkanet_indicators() -> dict[int, Indicator]:
    indicator_catalogue_ensure()
    indicators = {}
    for indicator in Indicator.objects.filter(code__startswith="sotkanet_"):
        sotkanet_id = _int(indicator.code.removeprefix("sotkanet_"))
        if sotkanet_id is not None:
            indicators[sotkanet_id] = indicator
    return indicators


def _indicator(value, indicators: dict[int, Indicator]) -> Indicator | None:
    number = _int(value)
    return indicators.get(number) if number is not None else None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _number(row: dict, column: str, number: int, result: ImportResult) -> float | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return parse_number(str(value), decimal_comma=False)
    except ValueError:
        result.add_error(number, not_a_number(column, str(value)))
        return None
