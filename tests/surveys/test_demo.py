"""The demo's example surveys: published results with one suppressed age group, loaded once."""

import pytest

from osallistu.areas.models import Suburb
from osallistu.surveys import selectors
from osallistu.surveys.demo import example_surveys_load
from osallistu.surveys.models import Response, SurveyRound

pytestmark = pytest.mark.django_db


def test_demo_shows_results_and_suppression(esis, suburb):
    jynkka = Suburb.objects.create(name="Jynkkä", slug="jynkka")

    example_surveys_load([suburb, jynkka])
    example_surveys_load([suburb, jynkka])

    assert SurveyRound.objects.filter(is_example=True).count() == 5
    results = selectors.inclusion_results(suburb)
    published = [result for result in results if result.is_published]
    assert len(published) == 2
    assert all(not result.suppressed and result.n >= 60 for result in published)
    suppressed = [g.key for g in published[0].age_groups if g.suppressed and g.n]
    assert "13-17" in suppressed
    assert len(selectors.inclusion_score_by_year(suburb)) == 1
    assert len(selectors.open_rounds()) == 1
    assert Response.objects.filter(round__event__isnull=False).count() == 14


def test_demo_suppressed_groups_reach_minimum(esis, suburb, settings):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 10

    example_surveys_load([suburb])

    for result in selectors.inclusion_results(suburb):
        shown_n = sum(group.n for group in result.age_groups if not group.suppressed)
        hidden_n = result.n - shown_n
        assert hidden_n == 0 or hidden_n >= 10, result.round.label
