"""What every area-data importer shares: the result type, CSV reading and number parsing.

An importer reads and checks the whole file first and collects row-numbered errors. Only a file
without errors is written, inside one transaction, and a dry run rolls that transaction back, so
that it counts exactly what a real run would write. A second import of the same file reports
every row as unchanged.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# Errors listed before an importer stops reporting more; the file is rejected either way.
MAX_ERRORS = 100
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """An error of one row, feature or line (`row`), or of the whole file (`row` None).

    `message` is already translated into the language that was active during the import.
    """

    row: int | None
    message: str
    # True where `message` names the line itself, as the Paavo parser's messages do.
    message_has_row: bool = False

    def __str__(self) -> str:
        if self.row is None or self.message_has_row:
            return self.message
        return _("Row %(row)d: %(error)s") % {"row": self.row, "error": self.message}


@dataclass
class ImportResult:
    """The counts and errors of one import, or of what a dry run would write.

    `rows_read` counts data rows (CSV lines after the header, JSON rows, GeoJSON features).
    `created`, `updated` and `unchanged` count the stored objects the rows map to. `notes` are
    translated lines with further detail, such as skipped rows of other municipalities.
    """

    kind: str
    dry_run: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        """Return whether the import changed the database."""
        return self.ok and not self.dry_run and bool(self.created or self.updated)

    def add_error(self, row: int | None, message: str, *, message_has_row: bool = False) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, message, message_has_row))

    def as_dict(self) -> dict:
        """Return the result as JSON-ready data, as ImportJob.summary and errors store it."""
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "notes": list(self.notes),
        }

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class FileError(ValueError):
    """A file that cannot be read at all; `row` is the line of the problem, if there is one."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


def decode(data: bytes | str) -> str:
    """Return `data` as text, without a byte order mark; raise FileError unless it is UTF-8."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(
            _("The file is not UTF-8 text. Save it as UTF-8 and try again."),
            row=data[: error.start].count(b"\n") + 1,
        ) from None


@dataclass
class CsvFile:
    """A CSV file's lower-case header, delimiter and data rows as (line number, cells by column)."""

    header: list[str]
    delimiter: str
    rows: list[tuple[int, dict[str, str]]]


def read_csv(data: bytes | str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    """Read a comma- or semicolon-separated file with a header line; return a CsvFile.

    Column names are matched without case and surrounding space. Raise FileError naming the
    missing or unknown columns, or the line that is not valid CSV. Line numbers are the file's,
    so the header is line 1.
    """
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise FileError(_("The file is empty."), row=1) from None
    except csv.Error:
        raise FileError(_("The line is not valid CSV."), row=1) from None
    missing = [column for column in required if column not in header]
    if missing:
        raise FileError(
            _("The header lacks the columns %(missing)s. Expected columns: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(required + optional)},
            row=1,
        )
    unknown = [column for column in header if column not in required + optional]
    if unknown:
        raise FileError(
            _("The header has unknown columns %(unknown)s. Expected columns: %(expected)s.")
            % {"unknown": ", ".join(unknown), "expected": ", ".join(required + optional)},
            row=1,
        )
    rows = []
    for line, cells in _numbered(reader):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FileError(
                _("Expected %(expected)d columns but found %(found)d.")
                % {"expected": len(header), "found": len(cells)},
                row=line,
            )
        rows.append(
            (line, {column: cell.strip() for column, cell in zip(header, cells, strict=True)})
        )
    return CsvFile(header=header, delimiter=delimiter, rows=rows)


def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileError(_("The line is not valid CSV."), row=line) from None
        yield line, cells


def parse_number(text: str, *, decimal_comma: bool) -> float:
    """Return `text` as a float; accept a decimal comma when `decimal_comma`; raise ValueError."""
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return float(cleaned)


def parse_decimal(text: str, *, decimal_comma: bool) -> Decimal:
    """Return `text` as a Decimal, read as parse_number reads it; raise ValueError."""
    parse_number(text, decimal_comma=decimal_comma)
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    return Decimal(cleaned.replace(",", ".") if decimal_comma else cleaned)


def parse_year(text: str) -> int:
    """Return `text` as a statistics year between 1990 and 2100; raise ValueError."""
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise ValueError(text)
    year = int(text)
    if not 1990 <= year <= 2100:
        raise ValueError(text)
    return year


def not_a_number(column: str, value: str) -> str:
    return _("The value “%(value)s” in column %(column)s is not a number.") % {
        "value": value[:40],
        "column": column,
    }


def not_a_year(column: str, value: str) -> str:
    return _("The value “%(value)s” in column %(column)s is not a year between 1990 and 2100.") % {
        "value": value[:40],
        "column": column,
    }


def duplicate_row(first_row: int) -> str:
    return _("The row repeats row %(first)d.") % {"first": first_row}
