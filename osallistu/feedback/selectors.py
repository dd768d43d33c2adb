"""Reads of feedback requests: counts by service and by month for a suburb, and staff lists.

A request belongs to a suburb through its postal area. A postal area may belong to several
suburbs, and its requests then count in each of them, as its residents do in the situational
picture.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from osallistu.areas.models import Suburb

from .models import FeedbackFetch, FeedbackRequest, FeedbackSourceConfig


@dataclass(frozen=True)
class ServiceCount:
    """The number of requests of one service name; `name` is "" for requests without one."""

    name: str
    count: int


@dataclass(frozen=True)
class MonthCount:
    """The number of requests in a calendar month; `month` is its first day."""

    month: datetime.date
    count: int


@dataclass(frozen=True)
class SuburbFeedback:
    """The feedback of a suburb over the last months, by service and by month."""

    services: list[ServiceCount]
    months: list[MonthCount]
    # True when any counted request is example data loaded for the demo.
    has_examples: bool

    @property
    def total(self) -> int:
        return sum(item.count for item in self.services)


def suburb_requests(suburb: Suburb) -> QuerySet[FeedbackRequest]:
    """Return the requests placed in any postal area of the suburb."""
    return FeedbackRequest.objects.filter(postal_area__suburbs=suburb)


def counts_by_service(
    suburb: Suburb, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[ServiceCount]:
    """Return the suburb's request counts by service name, largest first. One query.

    `since` and `until` are dates in the active time zone, both included.
    """
    rows = (
        _in_period(suburb_requests(suburb), since, until)
        .values("service__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "service__name")
    )
    return [ServiceCount(name=row["service__name"], count=row["count"]) for row in rows]


def monthly_trend(
    suburb: Suburb, months: int = 12, today: datetime.date | None = None
) -> list[MonthCount]:
    """Return the suburb's request counts for the last `months` calendar months. One query.

    The current month is the last; months without requests count 0.
    """
    first_months = _month_starts(months, today)
    rows = (
        _in_period(suburb_requests(suburb), first_months[0], None)
        .annotate(month=TruncMonth("requested_at"))
        .values("month")
        .annotate(count=Count("pk"))
    )
    counts = {_as_date(row["month"]): row["count"] for row in rows}
    return [MonthCount(month=month, count=counts.get(month, 0)) for month in first_months]


def suburb_feedback(
    suburb: Suburb, months: int = 12, today: datetime.date | None = None
) -> SuburbFeedback:
    """Return the suburb's counts by service and by month over the last `months`. One query."""
    first_months = _month_starts(months, today)
    rows = (
        _in_period(suburb_requests(suburb), first_months[0], None)
        .annotate(month=TruncMonth("requested_at"))
        .values("service__name", "month")
        .annotate(count=Count("pk"), examples=Count("pk", filter=Q(is_example=True)))
    )
    by_service: dict[str, int] = defaultdict(int)
    by_month: dict[datetime.date, int] = defaultdict(int)
    has_examples = False
    for row in rows:
        by_service[row["service__name"]] += row["count"]
        by_month[_as_date(row["month"])] += row["count"]
        has_examples = has_examples or row["examples"] > 0
    services = [
        ServiceCount(name=name, count=count)
        for name, count in sorted(by_service.items(), key=lambda item: (-item[1], item[0]))
    ]
    return SuburbFeedback(
        services=services,
        months=[MonthCount(month=m, count=by_month.get(m, 0)) for m in first_months],
        has_examples=has_examples,
    )


def sources() -> QuerySet[FeedbackSourceConfig]:
    """Return the sources with their request counts and latest fetch time. One query."""
    return FeedbackSourceConfig.objects.annotate(request_count=Count("requests", distinct=True))


def recent_fetches(limit: int = 10) -> QuerySet[FeedbackFetch]:
    """Return the latest fetches and imports with their sources."""
    return FeedbackFetch.objects.select_related("source")[:limit]


def flagged_requests() -> QuerySet[FeedbackRequest]:
    """Return requests with swapped coordinates or outside the city, newest first."""
    return (
        FeedbackRequest.objects.filter(Q(swapped_coordinates=True) | Q(outside_city=True))
        .select_related("source", "service", "postal_area")
        .order_by("-requested_at", "pk")
    )


def _in_period(queryset, since, until):
    if since is not None:
        queryset = queryset.filter(requested_at__gte=_start_of(since))
    if until is not None:
        queryset = queryset.filter(requested_at__lt=_start_of(until + datetime.timedelta(days=1)))
    return queryset


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_starts(months: int, today: datetime.date | None) -> list[datetime.date]:
    """Return the first days of the last `months` months, oldest first, this month last."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _step in range(max(months, 1)):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _as_date(value) -> datetime.date:
    # TruncMonth returns an aware datetime in the active time zone on a DateTimeField.
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
