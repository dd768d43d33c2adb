"""The demo's example programmes."""

import pytest

from osallistu.accounts.services import service_areas_ensure
from osallistu.participation.models import Process
from osallistu.programmes import selectors
from osallistu.programmes.demo import example_programmes_load
from osallistu.programmes.models import Goal, ProjectPackage

pytestmark = pytest.mark.django_db


def test_example_programme(decided_round, suburb, themes, investments, indicator):
    indicator.code = "unemployment"
    indicator.save()
    service_areas_ensure()

    [programme] = example_programmes_load(decided_round)

    assert programme.is_example
    assert programme.selection_round == decided_round
    kinds = set(programme.goals.values_list("measure_kind", flat=True))
    assert kinds == {Goal.MeasureKind.COUNT, Goal.MeasureKind.SURVEY, Goal.MeasureKind.INDICATOR}
    from_investments = programme.key_actions.exclude(investment_project=None)
    assert from_investments.count() == 2
    packages = ProjectPackage.objects.filter(programme=programme)
    assert packages.count() == 2
    assert all(package.is_example for package in packages)
    process = packages.exclude(process=None).get().process
    assert process.kind == Process.Kind.AREA_DEVELOPMENT
    assert (
        process.debates.get().title
        == "Kommentoi suunnitelmia: Koulun piha ja lähiliikunta (esimerkki)"
    )
    assert process.events.count() == 1
    progress = {item.kind: item for item in selectors.goal_progress(programme)}
    assert len(progress) == 3
    assert progress[Goal.MeasureKind.COUNT].moved_towards_target is True
    assert progress[Goal.MeasureKind.INDICATOR].current is None
    assert progress[Goal.MeasureKind.INDICATOR].baseline is None


def test_example_baselines_from_data(decided_round, suburb, themes, indicator):
    from decimal import Decimal

    from .conftest import add_postal_values

    indicator.code = "unemployment"
    indicator.save()
    add_postal_values(indicator, suburb, 2024, [(50, 500), (30, 300)])

    [programme] = example_programmes_load(decided_round)

    goal = programme.goals.get(measure_kind=Goal.MeasureKind.INDICATOR)
    assert (goal.baseline, goal.baseline_year) == (Decimal("10.00"), 2024)
    assert goal.target == Decimal("7.00")
    assert goal.target_year == 2030


def test_example_survey_goal_baseline_from_first_score(decided_round, suburb):
    from osallistu.surveys.selectors import inclusion_results

    [programme] = example_programmes_load(decided_round)

    goal = programme.goals.get(measure_kind=Goal.MeasureKind.SURVEY)
    published = [result for result in inclusion_results(suburb) if result.is_published]
    first = published[0]
    assert first.round.time_point == "start"
    assert goal.baseline == round(first.mean, 2)
    assert goal.baseline_year == first.round.measured_on.year
    assert goal.target == goal.baseline + 5
    item = next(i for i in selectors.goal_progress(programme) if i.goal == goal)
    assert item.baseline is not None


def test_example_programme_loads_once(decided_round, suburb, themes, investments):
    service_areas_ensure()
    example_programmes_load(decided_round)
    example_programmes_load(decided_round)

    assert suburb.programme.goals.count() == 2
    assert ProjectPackage.objects.count() == 2
