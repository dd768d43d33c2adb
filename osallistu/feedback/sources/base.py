"""The interface every feedback source implements, and the records it returns.

A record carries only what Osallistu stores: no description, status notes, media or contact
details, because residents write personal data into them.
"""

import abc
import datetime
from dataclasses import dataclass

from django.utils import timezone

from ..models import FeedbackRequest, FeedbackService

# Longest request id and service code a row may have: longer ones would be cut when stored,
# and two cut ids could then name the same request.
REQUEST_ID_MAX_LENGTH = FeedbackRequest._meta.get_field("service_request_id").max_length
SERVICE_CODE_MAX_LENGTH = FeedbackService._meta.get_field("code").max_length


class FeedbackSourceError(Exception):
    """Reading the source failed; the message is for the user, in the active language."""


def latitude_in_range(value: float) -> bool:
    """Return True when `value` is a WGS84 latitude, -90 to 90 degrees."""
    return -90 <= value <= 90


def longitude_in_range(value: float) -> bool:
    """Return True when `value` is a WGS84 longitude, -180 to 180 degrees."""
    return -180 <= value <= 180


def is_future(moment: datetime.datetime) -> bool:
    """Return True when `moment` falls on a day after today in local time.

    A request cannot be made in the future; such a date is a typing or export error.
    """
    return timezone.localdate(moment) > timezone.localdate()


@dataclass(frozen=True)
class ServiceRecord:
    """A service (feedback category) as the source lists it."""

    code: str
    name: str
    group: str = ""


@dataclass(frozen=True)
class RequestRecord:
    """One feedback request as the source sent it, before placement."""

    service_request_id: str
    service_code: str
    # "" when the source sends no name; the service list may still name the code.
    service_name: str
    requested_at: datetime.datetime
    status: str = ""
    detailed_status: str = ""
    # WGS84 degrees exactly as sent (perhaps swapped); None when missing or not a number.
    lat: float | None = None
    lon: float | None = None
    postal_code: str = ""


@dataclass(frozen=True)
class RequestBatch:
    """The requests of one call, with the number of items in the response."""

    records: list[RequestRecord]
    # Items in the response, including those skipped for a missing id or time. Window splitting
    # compares this number, not len(records), with the source's maximum count.
    returned: int
    skipped: int = 0


class FeedbackSource(abc.ABC):
    """A feedback service that lists its services and its requests in a time window."""

    # Maximum number of requests one call returns, or None when the source returns all of them.
    max_count: int | None = None

    @abc.abstractmethod
    def fetch_services(self) -> list[ServiceRecord]:
        """Return the services the source lists; raise FeedbackSourceError on failure."""

    @abc.abstractmethod
    def fetch_requests(self, start: datetime.datetime, end: datetime.datetime) -> RequestBatch:
        """Return the requests made from `start` to `end`; raise FeedbackSourceError on failure.

        A source with `max_count` may return only the first `max_count` requests of the window,
        so callers split a window that returns that many (see `windows.fetch_all`).
        """
