"""CSV import of feedback requests, for a city whose feedback system has no interface.

Columns (the header row names them; case, spaces and the order do not matter):

| column               | also accepted                                  | required |
|----------------------|------------------------------------------------|----------|
| service_request_id   | id, tunniste, palautteen_tunniste              | yes      |
| requested_datetime   | requested_at, date, päivämäärä, pvm, jätetty   | yes      |
| service_code         | palvelukoodi, aihekoodi                        | one of   |
| service_name         | palvelu, aihe, palvelun_nimi                   | the two  |
| status               | tila                                           | no       |
| lat                  | latitude, leveysaste                           | no       |
| long                 | lon, longitude, pituusaste                     | no       |
| zipcode              | zip_code, postal_code, postinumero             | no       |

Other columns, such as a description (kuvaus), are ignored and never stored. Dates are ISO 8601
(2025-03-31, 2025-03-31T14:05:00+03:00) or Finnish (31.3.2025, 31.3.2025 14.05, in local time).
Status is open or closed, or in Finnish avoin, suljettu, käsitelty or valmis. Coordinates are
WGS84 degrees with a point or a comma. The delimiter (comma, semicolon or tab) and the encoding
(UTF-8, or Windows-1252 as Excel saves it) are detected.

Every row is checked before anything is stored, and each error names its row number as a
spreadsheet shows it: the header is row 1.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .base import (
    REQUEST_ID_MAX_LENGTH,
    FeedbackSource,
    FeedbackSourceError,
    RequestBatch,
    RequestRecord,
    ServiceRecord,
    is_future,
    latitude_in_range,
    longitude_in_range,
)
from .open311 import parse_coordinate

COLUMN_ALIASES = {
    "service_request_id": ("id", "tunniste", "palautteen_tunniste", "palaute_id"),
    "requested_datetime": ("requested_at", "date", "päivämäärä", "pvm", "jätetty", "aika"),
    "service_code": ("palvelukoodi", "aihekoodi"),
    "service_name": ("palvelu", "aihe", "palvelun_nimi"),
    "group": ("ryhmä",),
    "status": ("tila",),
    "lat": ("latitude", "leveysaste"),
    "long": ("lon", "longitude", "pituusaste"),
    "zipcode": ("zip_code", "postal_code", "postinumero"),
}
STATUS_ALIASES = {
    "": "",
    "open": "open",
    "closed": "closed",
    "avoin": "open",
    "auki": "open",
    "suljettu": "closed",
    "käsitelty": "closed",
    "valmis": "closed",
}
FINNISH_DATE = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(?:klo\s+)?(\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?)?$"
)
POSTAL_CODE = re.compile(r"^\d{5}$")
# Rows read from one file at the most; a larger export is split into several files.
MAX_ROWS = 100_000
# Errors listed at the most, so that a file in the wrong format gives a readable page.
MAX_ERRORS = 50


@dataclass(frozen=True)
class ColumnHelp:
    """One column as the import page describes it to staff."""

    name: str
    aliases: tuple[str, ...]
    required: str
    format: str


def column_help() -> list[ColumnHelp]:
    """Return the accepted columns with their aliases, whether required, and their format."""
    yes, no = _("yes"), _("no")
    text = _("text")
    rows = [
        (
            "service_request_id",
            yes,
            _("text, unique in the file, at most %(max)s characters")
            % {"max": REQUEST_ID_MAX_LENGTH},
        ),
        (
            "requested_datetime",
            yes,
            _(
                "2025-03-31, 2025-03-31T14:05:00+03:00, 31.3.2025 or 31.3.2025 14.05; "
                "not after today"
            ),
        ),
        ("service_code", _("this or service_name"), text),
        ("service_name", _("this or service_code"), text),
        ("group", no, text),
        ("status", no, _("open or closed (avoin, suljettu, käsitelty, valmis)")),
        ("lat", no, _("WGS84 degrees from -90 to 90, such as 62.89 or 62,89")),
        ("long", no, _("WGS84 degrees from -180 to 180, such as 27.68")),
        ("zipcode", no, _("five digits, such as 70100")),
    ]
    return [
        ColumnHelp(name=name, aliases=COLUMN_ALIASES[name], required=need, format=form)
        for name, need, form in rows
    ]


class CsvImportError(FeedbackSourceError):
    """The file has errors; `errors` lists them with row numbers, in the active language."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class CsvFeedbackFile(FeedbackSource):
    """The requests of one CSV file, all validated when the file is read."""

    records: list[RequestRecord] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, content: bytes) -> "CsvFeedbackFile":
        """Parse and validate every row; raise CsvImportError listing every error found."""
        text = _decode(content)
        reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
        header = next(reader, None)
        if not header:
            raise CsvImportError([_("The file is empty.")])
        columns = _columns(header)
        parsed = cls()
        errors: list[str] = []
        first_row_of: dict[str, int] = {}
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if row_number - 1 > MAX_ROWS:
                errors.append(
                    _("The file has more than %(max)s rows. Split it into several files.")
                    % {"max": MAX_ROWS}
                )
                break
            values = {name: _cell(row, index) for name, index in columns.items()}
            record, row_errors = _record(values, row_number)
            request_id = values.get("service_request_id", "")
            if request_id in first_row_of:
                row_errors.append(
                    _("Row %(row)s: the request id %(id)s is also on row %(first)s.")
                    % {"row": row_number, "id": request_id, "first": first_row_of[request_id]}
                )
            elif request_id:
                first_row_of[request_id] = row_number
            errors.extend(row_errors)
            if record is not None and not row_errors:
                parsed.records.append(record)
                if values.get("group"):
                    parsed.groups[record.service_code] = values["group"]
        if errors:
            if len(errors) > MAX_ERRORS:
                hidden = len(errors) - MAX_ERRORS
                more = _("… and %(count)s more errors.") % {"count": hidden}
                errors = [*errors[:MAX_ERRORS], more]
            raise CsvImportError(errors)
        if not parsed.records:
            raise CsvImportError([_("The file has a header row but no requests.")])
        return parsed

    def fetch_services(self) -> list[ServiceRecord]:
        names = {}
        for record in self.records:
            names.setdefault(record.service_code, record.service_name)
        return [
            ServiceRecord(code=code, name=name, group=self.groups.get(code, ""))
            for code, name in names.items()
        ]

    def fetch_requests(self, start: datetime.datetime, end: datetime.datetime) -> RequestBatch:
        records = [r for r in self.records if start <= r.requested_at < end]
        return RequestBatch(records=records, returned=len(records))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252, which decodes every Finnish letter.
        return content.decode("cp1252", errors="replace")


def _dialect(text: str):
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _normalise(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _columns(header: list[str]) -> dict[str, int]:
    """Return the column index of each known column; raise CsvImportError for missing ones."""
    lookup = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        for alias in (canonical, *aliases):
            lookup[alias] = canonical
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = lookup.get(_normalise(name))
        if canonical and canonical not in columns:
            columns[canonical] = index
    errors = []
    for required in ("service_request_id", "requested_datetime"):
        if required not in columns:
            errors.append(
                _("The file has no column %(column)s. Accepted names: %(names)s.")
                % {"column": required, "names": ", ".join(COLUMN_ALIASES[required])}
            )
    if "service_code" not in columns and "service_name" not in columns:
        errors.append(
            _("The file needs a column service_code or service_name (palvelukoodi or palvelu).")
        )
    if errors:
        raise CsvImportError(errors)
    return columns


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _record(values: dict[str, str], row: int) -> tuple[RequestRecord | None, list[str]]:
    """Return the row's request, or None and its errors."""
    errors = []
    request_id = values.get("service_request_id", "")
    if not request_id:
        errors.append(_("Row %(row)s: the request id is missing.") % {"row": row})
    elif len(request_id) > REQUEST_ID_MAX_LENGTH:
        errors.append(
            _("Row %(row)s: the request id is longer than %(max)s characters.")
            % {"row": row, "max": REQUEST_ID_MAX_LENGTH}
        )
    raw_date = values.get("requested_datetime", "")
    requested_at = parse_date(raw_date)
    if requested_at is None:
        errors.append(
            _(
                "Row %(row)s: the date “%(value)s” is not valid. Use for example 2025-03-31 or "
                "31.3.2025 14.05."
            )
            % {"row": row, "value": raw_date}
        )
    elif is_future(requested_at):
        errors.append(
            _("Row %(row)s: the date “%(value)s” is in the future.")
            % {"row": row, "value": raw_date}
        )
    code = values.get("service_code", "")
    name = values.get("service_name", "")
    if not code and not name:
        errors.append(_("Row %(row)s: the service code and name are both missing.") % {"row": row})
    raw_status = values.get("status", "")
    status = STATUS_ALIASES.get(raw_status.lower())
    if status is None:
        errors.append(
            _("Row %(row)s: the status “%(value)s” is not valid. Use open or closed.")
            % {"row": row, "value": raw_status}
        )
    lat, lon = _coordinates(values, row, errors)
    postal_code = values.get("zipcode", "")
    if postal_code and not POSTAL_CODE.match(postal_code):
        errors.append(
            _("Row %(row)s: the postal code “%(value)s” is not five digits.")
            % {"row": row, "value": postal_code}
        )
    if errors:
        return None, errors
    record = RequestRecord(
        service_request_id=request_id,
        service_code=(code or name)[:100],
        service_name=name[:300],
        requested_at=requested_at,
        status=status,
        lat=lat,
        lon=lon,
        postal_code=postal_code,
    )
    return record, []


def _coordinates(values: dict[str, str], row: int, errors: list[str]):
    raw = {"lat": values.get("lat", ""), "long": values.get("long", "")}
    if not raw["lat"] and not raw["long"]:
        return None, None
    numbers = {}
    checks = (
        ("lat", _("latitude"), latitude_in_range, 90),
        ("long", _("longitude"), longitude_in_range, 180),
    )
    for key, label, in_range, limit in checks:
        numbers[key] = parse_coordinate(raw[key])
        if numbers[key] is None:
            errors.append(
                _("Row %(row)s: the %(coordinate)s “%(value)s” is not a number.")
                % {"row": row, "coordinate": label, "value": raw[key]}
            )
        elif not in_range(numbers[key]):
            errors.append(
                _(
                    "Row %(row)s: the %(coordinate)s “%(value)s” is not between -%(max)s and "
                    "%(max)s."
                )
                % {"row": row, "coordinate": label, "value": raw[key], "max": limit}
            )
    return numbers["lat"], numbers["long"]


def parse_date(text: str) -> datetime.datetime | None:
    """Return an aware datetime from ISO 8601 or Finnish d.m.yyyy [hh.mm] text, else None."""
    text = text.strip()
    if not text:
        return None
    match = FINNISH_DATE.match(text)
    try:
        if match:
            day, month, year, hour, minute, second = match.groups()
            # Finnish dates carry no offset; they are made aware in local time below.
            moment = datetime.datetime(  # noqa: DTZ001
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        else:
            moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
