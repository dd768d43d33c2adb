"""Window splitting against a fake service that returns at most `max_count` requests a call."""

import datetime

from osallistu.feedback import windows
from osallistu.feedback.sources import FeedbackSource, RequestBatch, RequestRecord

UTC = datetime.UTC
START = datetime.datetime(2025, 1, 1, tzinfo=UTC)


class CappedSource(FeedbackSource):
    """Return the oldest `max_count` requests of a window, as a capped Open311 service does."""

    def __init__(self, times: list[datetime.datetime], max_count: int):
        self.records = [
            RequestRecord(
                service_request_id=f"r{number}",
                service_code="171",
                service_name="Katujen kunto",
                requested_at=moment,
            )
            for number, moment in enumerate(sorted(times))
        ]
        self.max_count = max_count
        self.windows: list[tuple[datetime.datetime, datetime.datetime]] = []

    def fetch_services(self):
        return []

    def fetch_requests(self, start, end):
        self.windows.append((start, end))
        # Inclusive at both ends, like many servers, so boundary requests come twice.
        found = [r for r in self.records if start <= r.requested_at <= end]
        return RequestBatch(records=found[: self.max_count], returned=len(found[: self.max_count]))


def hours(count: int, day: int = 0) -> list[datetime.datetime]:
    return [START + datetime.timedelta(days=day, hours=hour) for hour in range(count)]


def test_chunks_of_90_days():
    source = CappedSource([], max_count=10)
    windows.fetch_all(source, START, START + datetime.timedelta(days=200))

    spans = [(end - start).days for start, end in source.windows]
    assert spans == [90, 90, 20]


def test_full_window_split_until_complete():
    times = [START + datetime.timedelta(days=day, hours=3) for day in range(60)]
    source = CappedSource(times, max_count=10)

    outcome = windows.fetch_all(source, START, START + datetime.timedelta(days=90))

    assert len(outcome.records) == 60
    assert outcome.truncated == []
    assert outcome.calls == len(source.windows)
    assert outcome.calls > 1


def test_one_full_day_truncated():
    source = CappedSource(hours(15, day=10), max_count=10)

    outcome = windows.fetch_all(source, START, START + datetime.timedelta(days=90))

    assert len(outcome.records) == 10
    assert len(outcome.truncated) == 1
    start, end = outcome.truncated[0]
    assert end - start >= windows.MIN_WINDOW
    assert end - start < 2 * windows.MIN_WINDOW
    assert min(end - start for start, end in source.windows) >= windows.MIN_WINDOW


def test_boundary_requests_deduplicated():
    # A request at midnight between two halves comes in both; it is kept once.
    times = [START + datetime.timedelta(days=45), *hours(9, day=3)]
    source = CappedSource(times, max_count=10)

    outcome = windows.fetch_all(source, START, START + datetime.timedelta(days=90))

    assert len(outcome.records) == 10
    assert outcome.truncated == []


def test_no_cap_reads_once():
    source = CappedSource(hours(500), max_count=10)
    source.max_count = None

    outcome = windows.fetch_all(source, START, START + datetime.timedelta(days=30))

    assert outcome.calls == 1
    assert len(outcome.records) == 500
