"""Stream CSV downloads of staff logs without building them in memory."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# Spreadsheets run a cell that starts with one of these characters as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str:
    """Return `value` as CSV cell text, with an apostrophe before a would-be formula."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_PREFIXES:
        return "'" + text
    return text


def streaming_csv_response(
    header: list[str], rows: Iterable[list], filename: str
) -> StreamingHttpResponse:
    """Return a CSV attachment that writes `header` and then each row as it is produced."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
