"""Collect the yearly evaluation report from the apps that hold its parts.

Every figure is read from another app's selectors, so the report and the pages it summarises
cannot disagree. The report shows only what those pages show the public: vote counts and
turnout of processes whose results are published, published and unsuppressed survey results,
and public implementation items.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.models import PaavoRecord, Suburb
from osallistu.budgeting.exports import AreaTurnout, turnout
from osallistu.budgeting.services import budgeting_settings_get
from osallistu.communications.selectors import channel_use_summary
from osallistu.core.age_groups import (
    UNKNOWN,
    age_group_label,
    configured_age_groups,
    population_by_age_group,
)
from osallistu.events.selectors import process_statistics
from osallistu.feedback.selectors import ServiceCount, counts_by_service
from osallistu.implementation.models import FINAL_STATUSES, ImplementationItem, Status
from osallistu.participation.models import Channel, Idea, Process, Visibility
from osallistu.programmes.models import Programme
from osallistu.programmes.selectors import GoalProgress, goal_progress
from osallistu.surveys.selectors import TimePointResult, inclusion_results


@dataclass
class ChannelCounts:
    """One kind of contribution counted by participation channel, summed over processes."""

    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class AgeGroupCounts:
    """Event participants of one age group beside the suburb's population, with shares in %."""

    key: str
    label: str
    participants: int
    participant_share: Decimal | None
    population: int | None
    population_share: Decimal | None


@dataclass
class ImplementationSummary:
    """The public implementation items of a suburb: counts by status, progress and money."""

    items: list[ImplementationItem]
    by_status: list[tuple[str, int]]
    mean_progress: Decimal | None
    budget: Decimal
    actual_cost: Decimal
    done: int
    open: int


@dataclass
class SuburbReport:
    """The figures of one suburb's yearly report."""

    suburb: Suburb
    year: int
    programme: Programme | None
    processes: list[Process]
    population: int | None
    channels: list[tuple[str, str]]
    channel_rows: list[ChannelCounts]
    age_rows: list[AgeGroupCounts]
    ideas: int
    published_processes: list[Process]
    turnout: list[AreaTurnout]
    inclusion: list[TimePointResult]
    inclusion_change: Decimal | None
    goals: list[GoalProgress]
    implementation: ImplementationSummary
    feedback: list[ServiceCount]
    channels_used: list[dict]
    notes: list[str] = field(default_factory=list)

    @property
    def participants_total(self) -> int:
        return sum(row.total for row in self.channel_rows)

    @property
    def ballots(self) -> int:
        return sum(area.total.voters for area in self.turnout)

    @property
    def goals_measured(self) -> int:
        return sum(1 for goal in self.goals if goal.has_measure)

    @property
    def goals_on_track(self) -> int:
        return sum(1 for goal in self.goals if goal.moved_towards_target)

    @property
    def feedback_total(self) -> int:
        return sum(row.count for row in self.feedback)


def _share(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def report_years() -> list[int]:
    """Return the years up to this one that have a programme or a process phase, newest first.

    Phases planned for later years are left out: their report would show nothing yet.
    """
    years: set[int] = set()
    for programme in Programme.objects.only("starts_year", "ends_year"):
        last = programme.ends_year or timezone.localdate().year
        years.update(range(programme.starts_year, last + 1))
    for process in Process.objects.prefetch_related("phases"):
        for phase in process.phases.all():
            years.update(range(phase.starts_on.year, phase.ends_on.year + 1))
    this_year = timezone.localdate().year
    return sorted((year for year in years if year <= this_year), reverse=True)


def active_suburbs(year: int) -> list[Suburb]:
    """Return the suburbs with a programme running in `year` or a process active in it."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with_programme = Q(programme__starts_year__lte=year) & (
        Q(programme__ends_year__isnull=True) | Q(programme__ends_year__gte=year)
    )
    with_process = Q(processes__phases__starts_on__lte=last, processes__phases__ends_on__gte=first)
    return list(Suburb.objects.filter(with_programme | with_process).distinct().order_by("name"))


def _processes(suburb: Suburb, year: int) -> list[Process]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return list(
        Process.objects.filter(
            suburbs=suburb, phases__starts_on__lte=last, phases__ends_on__gte=first
        )
        .distinct()
        .prefetch_related("suburbs", "phases")
        .order_by("title")
    )


def _suburb_population(suburb: Suburb, groups) -> tuple[int | None, dict[str, int | None]]:
    """Return the suburb's total population and population by age group from the latest Paavo."""
    latest: dict[int, dict] = {}
    records = (
        PaavoRecord.objects.filter(postal_area__suburbs=suburb)
        .order_by("postal_area_id", "-statistics_year")
        .values_list("postal_area_id", "values")
    )
    for postal_area_id, values in records:
        latest.setdefault(postal_area_id, values)
    if not latest:
        return None, {group.key: None for group in groups}
    by_group: dict[str, int | None] = {group.key: 0 for group in groups}
    total: int | None = 0
    for values in latest.values():
        count = values.get("he_vakiy")
        total = None if count is None or total is None else total + int(count)
        for key, value in population_by_age_group(values, groups).items():
            by_group[key] = (
                None if value is None or by_group[key] is None else by_group[key] + value
            )
    return total, by_group


def _participation(processes: list[Process], groups, population_by_group):
    channels = list(Channel.choices)
    rows: dict[str, ChannelCounts] = {}
    participants: dict[str, int] = defaultdict(int)
    for process in processes:
        statistics = process_statistics(process)
        for row in statistics.channel_rows:
            summed = rows.setdefault(row.label, ChannelCounts(row.label, [0] * len(channels)))
            summed.counts = [a + b for a, b in zip(summed.counts, row.counts, strict=True)]
        for age_row in statistics.age_rows:
            participants[age_row.key] += age_row.participants
    known_participants = sum(count for key, count in participants.items() if key != UNKNOWN)
    known_population = (
        None
        if any(value is None for value in population_by_group.values())
        else sum(population_by_group.values())
    )
    age_rows = [
        AgeGroupCounts(
            key=group.key,
            label=age_group_label(group.key),
            participants=participants[group.key],
            participant_share=_share(participants[group.key], known_participants),
            population=population_by_group.get(group.key),
            population_share=_share(population_by_group.get(group.key), known_population),
        )
        for group in groups
    ]
    age_rows.append(
        AgeGroupCounts(UNKNOWN, age_group_label(UNKNOWN), participants[UNKNOWN], None, None, None)
    )
    return channels, list(rows.values()), age_rows


def _implementation(suburb: Suburb) -> ImplementationSummary:
    items = list(ImplementationItem.objects.filter(suburb=suburb, is_public=True).order_by("title"))
    counts = defaultdict(int)
    for item in items:
        counts[item.status] += 1
    by_status = [(label, counts[value]) for value, label in Status.choices if counts[value]]
    progressing = [item.progress for item in items if item.status != Status.CANCELLED]
    mean_progress = (
        (Decimal(sum(progressing)) / len(progressing)).quantize(Decimal("0.1"))
        if progressing
        else None
    )
    return ImplementationSummary(
        items=items,
        by_status=by_status,
        mean_progress=mean_progress,
        budget=sum((item.budget or Decimal(0) for item in items), Decimal(0)),
        actual_cost=sum((item.actual_cost or Decimal(0) for item in items), Decimal(0)),
        done=counts[Status.DONE],
        open=sum(1 for item in items if item.status not in FINAL_STATUSES),
    )


def _inclusion_change(results: list[TimePointResult]) -> Decimal | None:
    visible = [
        result
        for result in results
        if result.is_published and not result.suppressed and result.mean is not None
    ]
    if len(visible) < 2:
        return None
    return visible[-1].mean - visible[0].mean


def suburb_report(suburb: Suburb, year: int) -> SuburbReport:
    """Collect the report of `suburb` for `year` from the apps' public figures."""
    groups = configured_age_groups()
    processes = _processes(suburb, year)
    population, population_by_group = _suburb_population(suburb, groups)
    channels, channel_rows, age_rows = _participation(processes, groups, population_by_group)

    published = [process for process in processes if process.results_published]
    turnout_rows = [
        area_turnout
        for process in published
        for area_turnout in turnout(process, budgeting_settings_get(process).min_group_size)
        if area_turnout.area.suburb_id == suburb.pk
    ]
    ideas = (
        Idea.objects.filter(Q(suburb=suburb) | Q(suburb__isnull=True, process__in=processes))
        .filter(process__in=processes)
        .exclude(visibility=Visibility.HIDDEN)
        .count()
    )

    programme = Programme.objects.filter(suburb=suburb).first()
    inclusion = [result for result in inclusion_results(suburb, year=year) if result.is_published]

    notes = [
        _(
            "Participation counts are those of every process that includes the suburb; a process "
            "shared with other suburbs is counted in full for each of them."
        ),
        _("Respondents of the inclusion survey select themselves, so the results are indicative."),
    ]
    return SuburbReport(
        suburb=suburb,
        year=year,
        programme=programme,
        processes=processes,
        population=population,
        channels=channels,
        channel_rows=channel_rows,
        age_rows=age_rows,
        ideas=ideas,
        published_processes=published,
        turnout=turnout_rows,
        inclusion=inclusion,
        inclusion_change=_inclusion_change(inclusion),
        goals=goal_progress(programme, year) if programme else [],
        implementation=_implementation(suburb),
        feedback=counts_by_service(
            suburb, since=datetime.date(year, 1, 1), until=datetime.date(year, 12, 31)
        ),
        channels_used=channel_use_summary(suburb, year),
        notes=notes,
    )


def city_summary(year: int) -> list[SuburbReport]:
    """Return the report of every suburb active in `year`, by suburb name."""
    return [suburb_report(suburb, year) for suburb in active_suburbs(year)]
