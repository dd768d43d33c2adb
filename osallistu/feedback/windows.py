"""Fetch every request of a period from a source that caps the number returned per call.

GeoReport v2 services return at most a service-defined number of requests per call and often
no more than 90 days by default. The period is read in 90-day chunks. A chunk whose response
contains the maximum count may have been cut off, so it is split in half and each half is read
again, down to one day. A one-day window that still returns the maximum is kept and reported as
truncated, because no smaller window can be asked for by date.
"""

import datetime
from dataclasses import dataclass, field

from .sources import FeedbackSource, RequestRecord

CHUNK = datetime.timedelta(days=90)
MIN_WINDOW = datetime.timedelta(days=1)


@dataclass
class WindowOutcome:
    """The requests of a period by id, with the windows that may have lost requests."""

    records: dict[str, RequestRecord] = field(default_factory=dict)
    truncated: list[tuple[datetime.datetime, datetime.datetime]] = field(default_factory=list)
    calls: int = 0
    skipped: int = 0


def fetch_all(
    source: FeedbackSource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    chunk: datetime.timedelta = CHUNK,
    min_window: datetime.timedelta = MIN_WINDOW,
) -> WindowOutcome:
    """Return every request from `start` to `end`, deduplicated by service_request_id.

    Raise FeedbackSourceError from the first call that fails; nothing is returned then.
    """
    outcome = WindowOutcome()
    chunk_start = start
    while chunk_start < end:
        chunk_end = min(chunk_start + chunk, end)
        _fetch_window(source, chunk_start, chunk_end, min_window, outcome)
        chunk_start = chunk_end
    return outcome


def _fetch_window(source, start, end, min_window, outcome: WindowOutcome) -> None:
    batch = source.fetch_requests(start, end)
    outcome.calls += 1
    is_full = source.max_count is not None and batch.returned >= source.max_count
    if is_full and end - start >= 2 * min_window:
        # The capped answer is dropped: both halves are read again in full.
        middle = start + (end - start) / 2
        _fetch_window(source, start, middle, min_window, outcome)
        _fetch_window(source, middle, end, min_window, outcome)
        return
    if is_full:
        outcome.truncated.append((start, end))
    outcome.skipped += batch.skipped
    for record in batch.records:
        # Windows share their boundary instant, so a request may come twice; the later read wins.
        outcome.records[record.service_request_id] = record
