"""Reads of suburb programmes for the public pages, the staff pages and the yearly evaluation.

`goal_progress` is the contract that the yearly evaluation report reads: per goal its measure,
baseline, target, the newest value up to a year, and whether that value moved towards the target.
"""

import importlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas import aggregation
from osallistu.areas.models import DevelopmentTheme, IndicatorValue, InvestmentProject, Suburb
from osallistu.areas.picture import TOTAL_BREAKDOWNS, indicator_name
from osallistu.events.models import Event
from osallistu.participation.models import Debate

from .models import Goal, KeyAction, Programme, ProjectPackage

logger = logging.getLogger(__name__)

# Upcoming events listed on a project package's page at most.
PACKAGE_EVENT_LIMIT = 10
# Module and function of the inclusion survey that give a suburb's score per year.
SURVEY_SCORES = ("osallistu.surveys.selectors", "inclusion_score_by_year")


# --- Lists and pages --------------------------------------------------------------------------


def programme_list() -> QuerySet[Programme]:
    """Return every programme, running ones first, then newest first, with its counts.

    One query. A programme runs while its last year is empty or not over (Programme.is_active).
    """
    this_year = timezone.localdate().year
    return (
        Programme.objects.select_related("suburb")
        .annotate(
            running=Case(
                When(Q(ends_year__isnull=True) | Q(ends_year__gte=this_year), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            goal_count=Count("goals", distinct=True),
            package_count=Count("project_packages", distinct=True),
        )
        .order_by("running", "-starts_year", "suburb__name")
    )


def _packages_queryset() -> QuerySet[ProjectPackage]:
    return ProjectPackage.objects.select_related("service_area", "process").prefetch_related(
        "themes",
        Prefetch("key_actions", queryset=KeyAction.objects.order_by("position", "pk")),
    )


def programme_detail(slug: str) -> Programme:
    """Return the programme `slug` with everything its page shows; raise Programme.DoesNotExist.

    Ten queries whatever the number of goals, key actions and packages: the programme with its
    suburb and round, the suburb's postal areas and themes, goals with their theme and indicator,
    readings, key actions with their investment, their goals, packages with service area and
    process, and the packages' themes and key actions.
    """
    return (
        Programme.objects.select_related("suburb", "selection_round")
        .prefetch_related(
            "suburb__postal_areas",
            Prefetch(
                "suburb__development_themes",
                queryset=DevelopmentTheme.objects.order_by("position", "pk"),
            ),
            Prefetch(
                "goals",
                queryset=Goal.objects.select_related("theme", "indicator").order_by(
                    "position", "pk"
                ),
            ),
            "goals__measurements",
            Prefetch(
                "key_actions",
                queryset=KeyAction.objects.select_related("investment_project").order_by(
                    "position", "pk"
                ),
            ),
            Prefetch("key_actions__goals", queryset=Goal.objects.order_by("position", "pk")),
            Prefetch("project_packages", queryset=_packages_queryset()),
        )
        .get(slug=slug)
    )


@dataclass
class PackagePage:
    """A project package with what its public page shows besides the package itself."""

    package: ProjectPackage
    programme: Programme
    events: list[Event]
    # True while the co-design process has a phase that allows comments today.
    co_design_open: bool
    # The debate on the plans that opening co-design created: the process's first debate.
    debate: Debate | None = None


def package_detail(programme_slug: str, package_slug: str, *, now=None) -> PackagePage:
    """Return the package page; raise ProjectPackage.DoesNotExist. Eight queries."""
    package = (
        _packages_queryset()
        .select_related("programme__suburb")
        .prefetch_related(
            "process__phases",
            Prefetch("process__debates", queryset=Debate.objects.order_by("created_at", "pk")),
        )
        .get(programme__slug=programme_slug, slug=package_slug)
    )
    events: list[Event] = []
    co_design_open = False
    debate = None
    if package.process is not None:
        debate = next(iter(package.process.debates.all()), None)
        now = now or timezone.now()
        events = list(
            Event.objects.filter(process=package.process, ends_at__gte=now).order_by(
                "starts_at", "pk"
            )[:PACKAGE_EVENT_LIMIT]
        )
        today = timezone.localdate(now)
        co_design_open = any(phase.is_current(today) for phase in package.process.phases.all())
    return PackagePage(
        package=package,
        programme=package.programme,
        events=events,
        co_design_open=co_design_open,
        debate=debate,
    )


def programme_for_suburb(suburb: Suburb) -> Programme | None:
    """Return the suburb's programme or None. One query."""
    return Programme.objects.filter(suburb=suburb).first()


# --- Staff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChosenWithoutProgramme:
    """A suburb that a decided round chose and that has no programme yet."""

    selection_round_id: int
    year: int
    suburb: Suburb


def chosen_without_programme() -> list[ChosenWithoutProgramme]:
    """Return the chosen suburbs of decided rounds that have no programme, newest round first.

    One query. A suburb chosen in several rounds is listed once, with its newest round.
    """
    from osallistu.selection.models import ChosenSuburb, SelectionRound

    rows = (
        ChosenSuburb.objects.filter(selection_round__status=SelectionRound.Status.DECIDED)
        .filter(suburb__programme__isnull=True)
        .select_related("suburb", "selection_round")
        .order_by("-selection_round__year", "-selection_round__version", "position")
    )
    seen: set[int] = set()
    result = []
    for row in rows:
        if row.suburb_id in seen:
            continue
        seen.add(row.suburb_id)
        result.append(
            ChosenWithoutProgramme(row.selection_round_id, row.selection_round.year, row.suburb)
        )
    return result


def available_investments(programme: Programme) -> QuerySet[InvestmentProject]:
    """Return the suburb's investment projects that are no key action of the programme yet."""
    return InvestmentProject.objects.filter(suburb=programme.suburb).exclude(
        key_actions__programme=programme
    )


# --- Goal progress ----------------------------------------------------------------------------


@dataclass
class GoalProgress:
    """How one goal's measure stands up to a year.

    Values are in the measure's unit (`unit`). `current` is the newest value at or before the
    year asked, with its year in `current_year`; None where there is none, and `missing_reason`
    then says why in the active language. `moved_towards_target` is True where the current value
    lies on the target's side of the baseline, False where it does not, and None where the goal
    lacks a baseline, a target, a current value, or its target equals its baseline.
    """

    goal: Goal
    kind: str
    label: str
    unit: str
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    target_year: int | None
    current: Decimal | None = None
    current_year: int | None = None
    moved_towards_target: bool | None = None
    missing_reason: str = ""
    # Every (year, value) known for the measure, oldest first.
    series: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def has_measure(self) -> bool:
        return self.kind != Goal.MeasureKind.NONE


def _to_decimal(value: float) -> Decimal:
    # Indicator values are floats; two decimals is the precision of baselines and targets.
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def _moved(baseline: Decimal | None, target: Decimal | None, current: Decimal | None):
    if baseline is None or target is None or current is None or target == baseline:
        return None
    if target > baseline:
        return current > baseline
    return current < baseline


def _indicator_series(suburb: Suburb, goals: list[Goal]) -> dict[int, dict[int, Decimal]]:
    """Return {indicator id: {year: value}} of the suburb for the goals' indicators.

    A value stored for the suburb itself wins; otherwise the values of all of the suburb's
    postal areas combine as the need index combines them (aggregation.combine), and a year in
    which any postal area lacks a usable value has no value. One query, plus one for the postal
    areas unless `suburb.postal_areas` was prefetched.
    """
    indicators = {goal.indicator_id: goal.indicator for goal in goals if goal.indicator_id}
    if not indicators:
        return {}
    codes = [area.code for area in suburb.postal_areas.all()]
    rows = IndicatorValue.objects.filter(
        indicator_id__in=list(indicators), breakdown__in=TOTAL_BREAKDOWNS
    ).filter(Q(suburb=suburb) | Q(postal_area__code__in=codes))
    stored: dict[int, dict[int, float | None]] = defaultdict(dict)
    parts: dict[int, dict[int, dict[str, aggregation.Cell]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for indicator_id, year, postal_code, value, numerator, denominator, status in rows.values_list(
        "indicator_id",
        "statistics_year",
        "postal_area__code",
        "value",
        "numerator",
        "denominator",
        "status",
    ):
        usable = value if status == IndicatorValue.Status.OK else None
        if postal_code:
            parts[indicator_id][year][postal_code] = aggregation.Cell(
                value=usable, numerator=numerator, denominator=denominator, status=status
            )
        else:
            stored[indicator_id][year] = usable
    series: dict[int, dict[int, Decimal]] = {}
    for indicator_id, indicator in indicators.items():
        by_year: dict[int, Decimal] = {}
        for year in set(stored[indicator_id]) | set(parts[indicator_id]):
            if year in stored[indicator_id]:
                value = stored[indicator_id][year]
            else:
                cells = parts[indicator_id][year]
                combined = aggregation.combine(
                    indicator,
                    [(code, cells.get(code, aggregation.MISSING_CELL)) for code in codes],
                    strict=True,
                )
                value = combined.value
            if value is not None:
                by_year[year] = _to_decimal(value)
        series[indicator_id] = by_year
    return series


def _survey_scores(suburb: Suburb) -> dict[int, Decimal] | None:
    """Return the inclusion survey's score per year, or None where the survey app has none.

    The surveys app provides `inclusion_score_by_year(suburb)`; until it does, goals measured by
    the survey show that there is no survey data yet.
    """
    module_name, function_name = SURVEY_SCORES
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError):
        return None
    return {int(year): Decimal(score) for year, score in function(suburb).items()}


def goal_progress(programme: Programme, year: int | None = None) -> list[GoalProgress]:
    """Return the progress of each goal of `programme`, in the goals' order, up to `year`.

    Without `year` the newest value counts. Indicator measures read the suburb's indicator
    values, count measures the readings staff entered, and survey measures the inclusion
    survey's scores. Uses the prefetches of programme_detail where present; otherwise a few
    queries, not one per goal.
    """
    goals = list(
        programme.goals.select_related("theme", "indicator").prefetch_related("measurements")
        if "goals" not in getattr(programme, "_prefetched_objects_cache", {})
        else programme.goals.all()
    )
    suburb = programme.suburb
    indicator_series = _indicator_series(suburb, goals)
    survey_scores: dict[int, Decimal] | None = None
    if any(goal.measure_kind == Goal.MeasureKind.SURVEY for goal in goals):
        survey_scores = _survey_scores(suburb)

    progress = []
    for goal in goals:
        item = GoalProgress(
            goal=goal,
            kind=goal.measure_kind,
            label="",
            unit="",
            baseline=goal.baseline,
            baseline_year=goal.baseline_year,
            target=goal.target,
            target_year=goal.target_year,
        )
        values: dict[int, Decimal] = {}
        if goal.measure_kind == Goal.MeasureKind.INDICATOR:
            item.label = indicator_name(goal.indicator)
            item.unit = goal.indicator.unit
            values = indicator_series.get(goal.indicator_id, {})
            missing = _("No value of this indicator has been loaded for the suburb yet.")
        elif goal.measure_kind == Goal.MeasureKind.COUNT:
            item.label = goal.measure_label
            values = {reading.year: reading.value for reading in goal.measurements.all()}
            missing = _("No reading has been entered yet.")
        elif goal.measure_kind == Goal.MeasureKind.SURVEY:
            item.label = _("Inclusion survey score")
            values = survey_scores or {}
            missing = _("No survey data yet.")
        else:
            progress.append(item)
            continue
        item.series = sorted((y, v) for y, v in values.items() if year is None or y <= year)
        if item.series:
            item.current_year, item.current = item.series[-1]
            item.moved_towards_target = _moved(goal.baseline, goal.target, item.current)
        else:
            item.missing_reason = missing
        progress.append(item)
    return progress
