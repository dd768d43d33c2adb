"""Reads for event pages and for the participation statistics of a process."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.models import PaavoRecord, PostalArea
from osallistu.budgeting.models import ParticipationRecord
from osallistu.core.age_groups import (
    UNKNOWN,
    age_group_label,
    configured_age_groups,
    population_by_age_group,
    regroup_counts,
)
from osallistu.participation.models import (
    Channel,
    Comment,
    Idea,
    OneOffParticipation,
    Process,
    Visibility,
)

from .models import Event, EventOutcome, Registration

UPCOMING = "upcoming"
PAST = "past"


def _confirmed_count() -> Count:
    return Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))


def event_list(
    *, when: str = UPCOMING, kind: str | None = None, now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Return upcoming events soonest first, or past events latest first.

    An event is upcoming until it ends. Each event has `confirmed_count` and `places_left` (None
    without a capacity), and its process, suburb and co-hosts load in two queries whatever the
    number of events.
    """
    now = now or timezone.now()
    events = (
        Event.objects.select_related("process", "suburb")
        .prefetch_related("co_hosts")
        .annotate(confirmed_count=_confirmed_count())
        .annotate(places_left=F("capacity") - F("confirmed_count"))
    )
    if kind:
        events = events.filter(kind=kind)
    if when == PAST:
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return events.filter(ends_at__gte=now).order_by("starts_at", "pk")


def event_detail(slug: str) -> Event:
    """Return one event with its process, suburb and co-hosts; raise Event.DoesNotExist."""
    return (
        Event.objects.select_related("process", "suburb")
        .prefetch_related("co_hosts")
        .annotate(
            confirmed_count=_confirmed_count(),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
            ),
        )
        .get(slug=slug)
    )


def event_outcome(event: Event) -> EventOutcome | None:
    """Return the recorded outcome of the event, or None."""
    return EventOutcome.objects.filter(event=event).first()


def registration_of(user, event: Event) -> Registration | None:
    """Return the user's confirmed or waiting registration for the event, or None."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def waiting_position(registration: Registration) -> int:
    """Return the 1-based place of a waiting registration in its event's queue."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITING
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def event_ideas(event: Event) -> QuerySet[Idea]:
    """Return the visible ideas collected at or linked to the event, newest first."""
    return (
        Idea.objects.filter(event=event, visibility=Visibility.VISIBLE)
        .exclude(status=Idea.Status.WITHDRAWN)
        .select_related("process")
        .order_by("-created_at", "pk")
    )


def entered_ideas(event: Event) -> QuerySet[Idea]:
    """Return the ideas that staff entered for the event, latest first."""
    return Idea.objects.filter(event=event, entered_by__isnull=False).order_by("-created_at", "-pk")


def entered_comments(event: Event) -> QuerySet[Comment]:
    """Return the comments that staff entered for the event, latest first, with their ideas."""
    return (
        Comment.objects.filter(event=event, entered_by__isnull=False)
        .select_related("idea")
        .order_by("-created_at", "-pk")
    )


def process_events(process: Process) -> QuerySet[Event]:
    """Return the events of a process in time order, for its calendar feed."""
    return Event.objects.filter(process=process).select_related("process").order_by("starts_at")


@dataclass
class ChannelRow:
    """One kind of contribution counted by channel, in the order of `channels`."""

    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class AgeGroupRow:
    """Event participants and population of one age group, with their shares in percent."""

    key: str
    label: str
    participants: int
    participant_share: float | None
    population: int | None
    population_share: float | None


@dataclass
class ProcessStatistics:
    """Participation of a process by channel, and event participants beside the population."""

    channels: list[tuple[str, str]]
    channel_rows: list[ChannelRow]
    channel_totals: list[int]
    age_rows: list[AgeGroupRow]
    # Head counts stored under an earlier age group setting that fit no current group.
    not_comparable: int
    outcome_count: int
    postal_area_count: int
    statistics_years: list[int] = field(default_factory=list)

    @property
    def grand_total(self) -> int:
        return sum(self.channel_totals)


def _counts_by_channel(queryset: QuerySet) -> dict[str, int]:
    # order_by() clears the model's default ordering, which would otherwise split the groups.
    rows = queryset.order_by().values("channel").annotate(count=Count("pk"))
    return {row["channel"]: row["count"] for row in rows}


def _share(count: int | None, total: int) -> float | None:
    if count is None or total == 0:
        return None
    return 100 * count / total


def process_statistics(process: Process) -> ProcessStatistics:
    """Count the contributions of a process by channel and its event participants by age group.

    Hidden ideas and comments are left out, because moderators hide them as not being real
    participation. Event participants come from the recorded outcomes, under the channel of the
    event's kind. The population is the latest Paavo record of each postal area of the process's
    suburbs. Every count is an aggregate query, so the number of queries does not depend on the
    amount of data.
    """
    channels = list(Channel.choices)
    visible = ~Q(visibility=Visibility.HIDDEN)
    ideas = _counts_by_channel(Idea.objects.filter(visible, process=process))
    comments = _counts_by_channel(
        Comment.objects.filter(visible).filter(
            Q(idea__process=process) | Q(debate__process=process)
        )
    )
    ballots = _counts_by_channel(ParticipationRecord.objects.filter(process=process))

    one_off: dict[str, dict[str, int]] = defaultdict(dict)
    one_off_rows = (
        OneOffParticipation.objects.filter(process=process)
        .order_by()
        .values("kind", "channel")
        .annotate(count=Count("pk"))
    )
    for row in one_off_rows:
        one_off[row["kind"]][row["channel"]] = row["count"]

    event_participants: dict[str, int] = defaultdict(int)
    age_counts: dict[str, int] = defaultdict(int)
    outcomes = EventOutcome.objects.filter(event__process=process).values_list(
        "event__kind", "participants_by_age_group"
    )
    outcome_count = 0
    for kind, counts in outcomes:
        outcome_count += 1
        for key, count in counts.items():
            event_participants[kind] += count
            age_counts[key] += count

    by_kind = [
        (_("Ideas"), ideas),
        (_("Comments"), comments),
        (_("Poll answers"), one_off[OneOffParticipation.Kind.POLL_ANSWER]),
        (_("Support clicks"), one_off[OneOffParticipation.Kind.SUPPORT]),
        (_("Ballots"), ballots),
        (_("Event participants"), event_participants),
    ]
    channel_rows = [
        ChannelRow(label, [counts.get(value, 0) for value, _label in channels])
        for label, counts in by_kind
    ]
    channel_totals = [
        sum(row.counts[index] for row in channel_rows) for index in range(len(channels))
    ]

    groups = configured_age_groups()
    participants, not_comparable = regroup_counts(age_counts, groups)
    population, postal_area_count, years = _population(process, groups)
    known_participants = sum(count for key, count in participants.items() if key != UNKNOWN)
    known_population = (
        None if any(count is None for count in population.values()) else sum(population.values())
    )
    age_rows = [
        AgeGroupRow(
            key=group.key,
            label=age_group_label(group.key),
            participants=participants[group.key],
            participant_share=_share(participants[group.key], known_participants),
            population=population.get(group.key),
            population_share=_share(population.get(group.key), known_population or 0),
        )
        for group in groups
    ]
    age_rows.append(
        AgeGroupRow(
            key=UNKNOWN,
            label=age_group_label(UNKNOWN),
            participants=participants[UNKNOWN],
            participant_share=None,
            population=None,
            population_share=None,
        )
    )
    return ProcessStatistics(
        channels=channels,
        channel_rows=channel_rows,
        channel_totals=channel_totals,
        age_rows=age_rows,
        not_comparable=not_comparable,
        outcome_count=outcome_count,
        postal_area_count=postal_area_count,
        statistics_years=years,
    )


def _population(process: Process, groups) -> tuple[dict[str, int | None], int, list[int]]:
    """Return the population of each group in the process's postal areas, the area count and years.

    A postal area that serves several of the process's suburbs counts once. A group whose count
    is missing in any area is None. Without postal areas, every group is None.
    """
    records = (
        PaavoRecord.objects.filter(
            postal_area__in=PostalArea.objects.filter(suburbs__processes=process)
        )
        .order_by("postal_area_id", "-statistics_year")
        .values_list("postal_area_id", "statistics_year", "values")
    )
    latest: dict[int, tuple[int, dict]] = {}
    for postal_area_id, year, values in records:
        latest.setdefault(postal_area_id, (year, values))
    if not latest:
        return {group.key: None for group in groups}, 0, []

    totals: dict[str, int | None] = {group.key: 0 for group in groups}
    for _year, values in latest.values():
        for key, count in population_by_age_group(values, groups).items():
            totals[key] = None if count is None or totals[key] is None else totals[key] + count
    years = sorted({year for year, _values in latest.values()})
    return totals, len(latest), years
