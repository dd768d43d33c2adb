"""The feedback section of a suburb's situational picture: counts by service and a trend chart."""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from osallistu.areas import charts
from osallistu.areas.models import Suburb

from . import selectors

# Months shown in the section's table and trend chart.
PICTURE_MONTHS = 12


@dataclass(frozen=True)
class ServiceRow:
    """One row of the counts table: the service's label and its count."""

    label: str
    count: int


@dataclass(frozen=True)
class FeedbackSection:
    """The feedback part of a suburb's situational picture."""

    rows: list[ServiceRow]
    total: int
    trend: charts.Chart | None
    has_examples: bool
    months: int
    since: datetime.date


def no_service_name() -> str:
    """Return the label of requests whose source sent no service name."""
    return _("(no service name)")


def feedback_section(suburb: Suburb, today: datetime.date | None = None) -> FeedbackSection:
    """Return the suburb's feedback section for the last 12 months. One query."""
    data = selectors.suburb_feedback(suburb, PICTURE_MONTHS, today)
    rows = [ServiceRow(item.name or no_service_name(), item.count) for item in data.services]
    trend = None
    if data.total:
        trend = charts.trend_chart(
            _("Feedback from %(suburb)s by month") % {"suburb": suburb.name},
            [f"{item.month.month}/{item.month.year}" for item in data.months],
            [charts.Series(suburb.name, tuple(float(item.count) for item in data.months))],
            _format_count,
            id_prefix="feedback-trend",
            category=_("Month"),
        )
    return FeedbackSection(
        rows=rows,
        total=data.total,
        trend=trend,
        has_examples=data.has_examples,
        months=PICTURE_MONTHS,
        since=data.months[0].month,
    )


def _format_count(value: float) -> str:
    return formats.number_format(round(value), use_l10n=True, force_grouping=True)
