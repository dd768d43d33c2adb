"""WCAG 2.0/2.1 A and AA checks of the yearly evaluation report pages."""

import datetime

import pytest

from osallistu.areas.models import PostalArea, Suburb
from osallistu.participation.models import Idea, Phase, Process

from .axe import assert_accessible

pytestmark = pytest.mark.browser

YEAR = 2026


@pytest.fixture
def suburb(db):
    area = PostalArea.objects.create(code="70150", name="Neulamäki", municipality_code="297")
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    suburb.postal_areas.add(area)
    process = Process.objects.create(
        title="Neulamäen lähiöbudjetti", slug="nob", kind=Process.Kind.AREA_DEVELOPMENT
    )
    process.suburbs.add(suburb)
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEATION,
        starts_on=datetime.date(YEAR, 3, 1),
        ends_on=datetime.date(YEAR, 4, 30),
    )
    Idea.objects.create(process=process, suburb=suburb, title="Valaistus", description="x")
    return suburb


def test_suburb_report_page(page, suburb):
    page.goto(f"/reports/{YEAR}/{suburb.slug}/")

    assert page.locator("table").count() >= 2
    assert_accessible(page)


def test_city_summary_page(page, suburb):
    page.goto(f"/reports/{YEAR}/")

    assert page.locator("tbody tr").count() == 1
    assert_accessible(page)
