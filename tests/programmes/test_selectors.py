"""goal_progress for each measure kind, with and without data, and the list order."""

import sys
import types
from decimal import Decimal

import pytest

from osallistu.areas.models import IndicatorValue
from osallistu.programmes import selectors
from osallistu.programmes.models import Goal, GoalMeasurement, Programme

from .conftest import add_postal_values

pytestmark = pytest.mark.django_db


def make_goal(programme, **fields) -> Goal:
    return Goal.objects.create(programme=programme, title=fields.pop("title", "Tavoite"), **fields)


def test_indicator_pools_postal_areas(programme, suburb, indicator):
    goal = make_goal(
        programme,
        measure_kind="indicator",
        indicator=indicator,
        baseline=Decimal("12.00"),
        baseline_year=2022,
        target=Decimal("9.00"),
        target_year=2030,
    )
    add_postal_values(indicator, suburb, 2022, [(60, 500), (40, 300)])
    add_postal_values(indicator, suburb, 2024, [(50, 500), (30, 300)])

    [item] = selectors.goal_progress(programme)

    assert item.goal == goal
    assert item.unit == "%"
    # (50 + 30) / (500 + 300) * 100, never the mean of the two rates.
    assert item.current == Decimal("10.00")
    assert item.current_year == 2024
    assert item.moved_towards_target is True
    assert [year for year, _value in item.series] == [2022, 2024]


def test_indicator_up_to_year(programme, suburb, indicator):
    make_goal(programme, measure_kind="indicator", indicator=indicator)
    add_postal_values(indicator, suburb, 2022, [(60, 500), (40, 300)])
    add_postal_values(indicator, suburb, 2024, [(50, 500), (30, 300)])

    [item] = selectors.goal_progress(programme, year=2023)

    assert item.current_year == 2022
    assert item.current == Decimal("12.50")
    assert item.moved_towards_target is None


def test_indicator_stored_suburb_value_wins(programme, suburb, indicator):
    make_goal(programme, measure_kind="indicator", indicator=indicator)
    add_postal_values(indicator, suburb, 2024, [(50, 500), (30, 300)])
    IndicatorValue.objects.create(
        indicator=indicator, suburb=suburb, statistics_year=2024, value=11.0
    )

    [item] = selectors.goal_progress(programme)

    assert item.current == Decimal("11.00")


def test_indicator_missing_part(programme, suburb, indicator):
    make_goal(programme, measure_kind="indicator", indicator=indicator)
    area = suburb.postal_areas.order_by("code").first()
    IndicatorValue.objects.create(
        indicator=indicator,
        postal_area=area,
        statistics_year=2024,
        value=10.0,
        numerator=50,
        denominator=500,
    )

    [item] = selectors.goal_progress(programme)

    assert item.current is None
    assert item.missing_reason


def test_count_readings(programme):
    goal = make_goal(
        programme,
        measure_kind="count",
        measure_label="Tavoitetut nuoret",
        baseline=Decimal(20),
        baseline_year=2025,
        target=Decimal(100),
        target_year=2029,
    )
    GoalMeasurement.objects.create(goal=goal, year=2026, value=Decimal(45))
    GoalMeasurement.objects.create(goal=goal, year=2027, value=Decimal(15))

    [item] = selectors.goal_progress(programme)

    assert item.label == "Tavoitetut nuoret"
    assert (item.current, item.current_year) == (Decimal(15), 2027)
    assert item.moved_towards_target is False
    [earlier] = selectors.goal_progress(programme, year=2026)
    assert earlier.moved_towards_target is True


def test_count_without_readings(programme):
    make_goal(programme, measure_kind="count", measure_label="Kävijät")

    [item] = selectors.goal_progress(programme)

    assert item.current is None
    assert item.moved_towards_target is None
    assert item.missing_reason


def test_survey_without_survey_function(programme, monkeypatch):
    make_goal(programme, measure_kind="survey")
    monkeypatch.setattr(selectors, "SURVEY_SCORES", ("osallistu.no_such_module", "x"))

    [item] = selectors.goal_progress(programme)

    assert item.current is None
    assert item.missing_reason


def test_survey_scores(programme, suburb, monkeypatch):
    make_goal(
        programme,
        measure_kind="survey",
        baseline=Decimal("3.10"),
        baseline_year=2026,
        target=Decimal("3.60"),
        target_year=2030,
    )
    module = types.ModuleType("fake_survey_selectors")
    calls = []

    def inclusion_score_by_year(given):
        calls.append(given)
        return {2026: Decimal("3.10"), 2027: Decimal("3.35")}

    module.inclusion_score_by_year = inclusion_score_by_year
    monkeypatch.setitem(sys.modules, "fake_survey_selectors", module)
    monkeypatch.setattr(
        selectors, "SURVEY_SCORES", ("fake_survey_selectors", "inclusion_score_by_year")
    )

    [item] = selectors.goal_progress(programme)

    assert calls == [suburb]
    assert (item.current, item.current_year) == (Decimal("3.35"), 2027)
    assert item.moved_towards_target is True


def test_goal_without_measure(programme):
    make_goal(programme)

    [item] = selectors.goal_progress(programme)

    assert not item.has_measure
    assert item.current is None
    assert item.missing_reason == ""


def test_goal_progress_queries(programme, suburb, indicator, django_assert_max_num_queries):
    for number in range(10):
        goal = make_goal(
            programme,
            title=f"T{number}",
            measure_kind="count" if number % 2 else "indicator",
            measure_label="Kävijät" if number % 2 else "",
            indicator=None if number % 2 else indicator,
        )
        GoalMeasurement.objects.create(goal=goal, year=2026, value=number)
    add_postal_values(indicator, suburb, 2024, [(50, 500), (30, 300)])
    loaded = selectors.programme_detail(programme.slug)

    with django_assert_max_num_queries(1):
        progress = selectors.goal_progress(loaded)

    assert len(progress) == 10
    assert all(item.current is not None for item in progress)


def test_programme_list_running_first(suburb, other_suburb, today):
    ended = Programme.objects.create(
        suburb=suburb, title="Päättynyt", slug="a", starts_year=2010, ends_year=2012
    )
    running = Programme.objects.create(
        suburb=other_suburb, title="Käynnissä", slug="b", starts_year=2005
    )

    assert list(selectors.programme_list()) == [running, ended]
    assert not ended.is_active
    assert running.is_active
