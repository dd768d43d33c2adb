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
    assert process.events.count() == 1
    assert len(selectors.goal_progress(programme)) == 3


def test_example_programme_loads_once(decided_round, suburb, themes, investments):
    service_areas_ensure()
    example_programmes_load(decided_round)
    example_programmes_load(decided_round)

    assert suburb.programme.goals.count() == 2
    assert ProjectPackage.objects.count() == 2
