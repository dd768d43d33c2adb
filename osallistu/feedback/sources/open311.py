"""Open311 GeoReport v2 adapter: GET services and GET requests, in JSON or XML.

Real services bend the specification, and the adapter accepts what they send:

- a body in ISO-8859-1 although GeoReport v2 requires UTF-8 (Helsinki's Swedish service list);
- coordinates as strings, such as "60.2126", as well as numbers;
- `zip_code` where the specification says `zipcode`;
- an empty `service_name`, kept as "" so that pages show "(no service name)";
- a single request object where an array is expected;
- an error array `[{"code": 403, "description": ...}]`, also with HTTP status 200.

Swapped coordinates are not corrected here: placement needs the city's bounding box to notice
them (see `placement.py`).
"""

import datetime
import json
import logging
import math
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core.fetch import FetchError, fetch_url

from .base import (
    REQUEST_ID_MAX_LENGTH,
    SERVICE_CODE_MAX_LENGTH,
    FeedbackSource,
    FeedbackSourceError,
    RequestBatch,
    RequestRecord,
    ServiceRecord,
    is_future,
    latitude_in_range,
    longitude_in_range,
)

logger = logging.getLogger(__name__)

# Seconds to wait for one call.
TIMEOUT = 30.0
# Largest response read from one call, in bytes: 10 000 requests take about 10 MB in JSON.
MAX_BYTES = 20 * 1024 * 1024
CHARSET_PATTERN = re.compile(r"charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)
POSTAL_CODE_PATTERN = re.compile(r"\b(\d{5})\b")


@dataclass(frozen=True)
class DiscoveryEndpoint:
    """One endpoint of a discovery document: its address, type (test or production) and formats."""

    url: str
    kind: str
    formats: tuple[str, ...]


class Open311Error(FeedbackSourceError):
    """The service returned a GeoReport error array or an HTTP error status."""


class Open311Source(FeedbackSource):
    """A GeoReport v2 endpoint, such as https://asiointi.hel.fi/palautews/rest/v1."""

    def __init__(
        self,
        endpoint_url: str,
        *,
        jurisdiction_id: str = "",
        api_key: str = "",
        locale: str = "",
        response_format: str = "json",
        use_extensions: bool = False,
        max_count: int | None = None,
    ):
        self.endpoint_url = endpoint_url.rstrip("/")
        self.jurisdiction_id = jurisdiction_id
        self.api_key = api_key
        self.locale = locale
        self.response_format = response_format
        self.use_extensions = use_extensions
        self.max_count = max_count

    @classmethod
    def from_config(cls, config) -> "Open311Source":
        """Return the adapter for a FeedbackSourceConfig of kind Open311."""
        return cls(
            config.endpoint_url,
            jurisdiction_id=config.jurisdiction_id,
            api_key=config.api_key,
            locale=config.locale,
            response_format=config.response_format,
            use_extensions=config.use_extensions,
            max_count=config.max_count,
        )

    def fetch_discovery(self) -> list[DiscoveryEndpoint]:
        """Return the endpoints listed in the service discovery document (`discovery.json`)."""
        url = f"{self.endpoint_url}/discovery.json"
        try:
            response = fetch_url(url, timeout=TIMEOUT, max_bytes=MAX_BYTES)
        except FetchError as error:
            raise FeedbackSourceError(self._without_api_key(str(error))) from error
        items = parse_json(response.content, response.headers)
        _raise_for_errors(items, response.status, url)
        endpoints = []
        for document in items:
            for item in document.get("endpoints") or []:
                if isinstance(item, dict) and item.get("url"):
                    endpoints.append(
                        DiscoveryEndpoint(
                            url=_text(item.get("url")),
                            kind=_text(item.get("type")),
                            formats=tuple(_text(f) for f in item.get("formats") or []),
                        )
                    )
        return endpoints

    def fetch_services(self) -> list[ServiceRecord]:
        items = self._get("services", {})
        services = []
        for item in items:
            code = _text(item.get("service_code"))
            if len(code) > SERVICE_CODE_MAX_LENGTH:
                logger.warning(
                    "open311 service skipped: code longer than %s", SERVICE_CODE_MAX_LENGTH
                )
            elif code:
                services.append(
                    ServiceRecord(
                        code=code,
                        name=_text(item.get("service_name")),
                        group=_text(item.get("group")),
                    )
                )
        return services

    def fetch_requests(self, start: datetime.datetime, end: datetime.datetime) -> RequestBatch:
        params = {"start_date": _iso_utc(start), "end_date": _iso_utc(end)}
        if self.use_extensions:
            params["extensions"] = "true"
        items = self._get("requests", params)
        records = [record for item in items if (record := parse_request(item)) is not None]
        skipped = len(items) - len(records)
        if skipped:
            logger.info(
                "open311 requests skipped for a missing, too long or future id, code or time "
                "endpoint=%s skipped=%s",
                self.endpoint_url,
                skipped,
            )
        return RequestBatch(records=records, returned=len(items), skipped=skipped)

    def _get(self, resource: str, params: dict) -> list[dict]:
        """GET `resource` and return its items as dicts; raise FeedbackSourceError on failure."""
        url = f"{self.endpoint_url}/{resource}.{self.response_format}"
        params = dict(params)
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        if self.locale:
            params["locale"] = self.locale
        if self.api_key:
            params["api_key"] = self.api_key
        try:
            response = fetch_url(url, params=params, timeout=TIMEOUT, max_bytes=MAX_BYTES)
        except FetchError as error:
            raise FeedbackSourceError(self._without_api_key(str(error))) from error
        if self.response_format == "xml":
            items = parse_xml(response.content, response.headers)
        else:
            items = parse_json(response.content, response.headers)
        _raise_for_errors(items, response.status, url)
        return items

    def _without_api_key(self, message: str) -> str:
        """Return `message` with the API key blanked, because errors may quote the full URL."""
        if not self.api_key:
            return message
        for form in (self.api_key, quote_plus(self.api_key), quote(self.api_key)):
            message = message.replace(form, "***")
        return message


def decode_body(content: bytes, headers: dict[str, str]) -> str:
    """Decode `content` by the charset in Content-Type, falling back to ISO-8859-1.

    GeoReport v2 requires UTF-8, but some services send ISO-8859-1 and still declare UTF-8 or
    nothing. Every byte string is valid ISO-8859-1, so the fallback always succeeds.
    """
    content_type = next(
        (value for key, value in headers.items() if key.lower() == "content-type"), ""
    )
    match = CHARSET_PATTERN.search(content_type)
    charset = match.group(1) if match else "utf-8"
    try:
        return content.decode(charset).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError):
        logger.warning("open311 response is not valid %s; decoded as ISO-8859-1", charset)
        return content.decode("iso-8859-1")


def parse_json(content: bytes, headers: dict[str, str]) -> list[dict]:
    """Return the items of a JSON response: an array of objects, or one object as a list."""
    try:
        data = json.loads(decode_body(content, headers))
    except ValueError as error:
        raise FeedbackSourceError(
            _("The feedback service's answer is not valid JSON: %(error)s") % {"error": error}
        ) from error
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FeedbackSourceError(_("The feedback service's answer is not a list of items."))
    return [item for item in data if isinstance(item, dict)]


def parse_xml(content: bytes, headers: dict[str, str]) -> list[dict]:
    """Return the child elements of the XML response's root as dicts of their children's text.

    defusedxml rejects entity declarations, so a response cannot expand entities or make the
    server read other files or addresses.
    """
    try:
        root = ElementTree.fromstring(content)
    except DefusedXmlException as error:
        raise FeedbackSourceError(
            _("The feedback service's answer is not valid XML: %(error)s") % {"error": error}
        ) from error
    except ElementTree.ParseError:
        # The declaration may name UTF-8 while the bytes are ISO-8859-1: decode, then drop it.
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_body(content, headers))
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as error:
            raise FeedbackSourceError(
                _("The feedback service's answer is not valid XML: %(error)s") % {"error": error}
            ) from error
    return [_element_dict(child) for child in root]


def _element_dict(element) -> dict:
    result = {}
    for child in element:
        result[child.tag] = _element_dict(child) if len(child) else (child.text or "")
    return result


def _raise_for_errors(items: list[dict], status: int, url: str) -> None:
    """Raise Open311Error for an error array or an HTTP error status."""
    errors = [
        item
        for item in items
        if "description" in item and "code" in item and "service_code" not in item
    ]
    if errors and len(errors) == len(items):
        descriptions = "; ".join(
            _("%(code)s %(description)s")
            % {"code": _text(item.get("code")), "description": _text(item.get("description"))}
            for item in errors
        )
        logger.warning("open311 error array url=%s status=%s", url, status)
        raise Open311Error(
            _("The feedback service returned an error: %(errors)s") % {"errors": descriptions}
        )
    if status >= 400:
        logger.warning("open311 HTTP error url=%s status=%s", url, status)
        raise Open311Error(
            _("The feedback service answered with HTTP status %(status)s.") % {"status": status}
        )


def parse_request(item: dict) -> RequestRecord | None:
    """Return the request in `item`, or None when it cannot be stored as sent.

    A request is skipped, with the reason logged, when its id is missing or longer than the
    stored id, its service code is too long, or its requested time is missing, invalid or after
    today. Coordinates outside WGS84 ranges are dropped, so placement falls back on the postal
    code. Description, status notes, media and any other attribute are left out on purpose.
    """
    request_id = _text(item.get("service_request_id"))
    requested_at = parse_datetime(item.get("requested_datetime"))
    if not request_id or requested_at is None:
        return None
    if len(request_id) > REQUEST_ID_MAX_LENGTH:
        # The id itself is not logged: it is the garbage that was too long.
        logger.warning("open311 request skipped: id longer than %s", REQUEST_ID_MAX_LENGTH)
        return None
    if len(_text(item.get("service_code"))) > SERVICE_CODE_MAX_LENGTH:
        logger.warning(
            "open311 request %s skipped: service code longer than %s",
            request_id,
            SERVICE_CODE_MAX_LENGTH,
        )
        return None
    if is_future(requested_at):
        logger.warning("open311 request %s skipped: requested time in the future", request_id)
        return None
    lat = parse_coordinate(item.get("lat"))
    lon = parse_coordinate(item.get("long"))
    if lat is not None and lon is not None:
        if not (latitude_in_range(lat) and longitude_in_range(lon)):
            logger.warning(
                "open311 request %s: coordinates out of range, location dropped", request_id
            )
            lat = lon = None
    if lat is None or lon is None or (lat == 0 and lon == 0):
        # Some services send 0,0 for "no location".
        lat = lon = None
    extended = item.get("extended_attributes")
    detailed_status = _text(extended.get("detailed_status")) if isinstance(extended, dict) else ""
    return RequestRecord(
        service_request_id=request_id,
        service_code=_text(item.get("service_code")),
        service_name=_text(item.get("service_name")),
        requested_at=requested_at,
        status=_text(item.get("status")).lower(),
        detailed_status=detailed_status[:100],
        lat=lat,
        lon=lon,
        postal_code=parse_postal_code(item.get("zipcode") or item.get("zip_code")),
    )


def parse_coordinate(value) -> float | None:
    """Return a finite number from a number or a string such as "60.21" or "60,21", else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse_datetime(value) -> datetime.datetime | None:
    """Return an aware datetime from ISO 8601 text; a time without offset is in local time."""
    text = _text(value)
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_postal_code(value) -> str:
    """Return the first five-digit postal code in `value`, or ""."""
    match = POSTAL_CODE_PATTERN.search(_text(value))
    return match.group(1) if match else ""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _iso_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
