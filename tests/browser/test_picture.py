"""WCAG 2.0/2.1 A and AA checks of the situational picture pages."""

import pytest

from tests.areas.picture_support import (
    add_area_value,
    add_municipality_value,
    add_theme,
    choose,
    make_indicator,
    make_suburb,
)

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def chosen_suburb(db):
    """Return a chosen suburb with a trend, a suppressed value, themes and a map."""
    suburb = make_suburb()
    choose(suburb)
    unemployment = make_indicator()
    for year, first, second in ((2023, 20, 60), (2024, 10, 90)):
        add_area_value(unemployment, "70901", year, first, 100)
        add_area_value(unemployment, "70902", year, second, 300)
        add_municipality_value(unemployment, year, 1200, 10000)
    rental = make_indicator("rental_housing")
    add_area_value(rental, "70901", 2024, 40, 100)
    add_area_value(rental, "70902", 2024, None, None, status="suppressed")
    add_theme(suburb, "Viheralueet ja leikkipaikat")
    return suburb


def test_picture_page(page, chosen_suburb):
    page.goto(f"/areas/suburbs/{chosen_suburb.slug}/")

    assert page.locator("svg[role=img]").count() == 4
    page.locator("details summary").first.click()
    assert_accessible(page)


def test_picture_list(page, chosen_suburb):
    page.goto("/areas/suburbs/")

    assert page.locator(f"a[href$='/areas/suburbs/{chosen_suburb.slug}/']").count() == 1
    assert_accessible(page)


def test_picture_without_javascript(chromium, live_server, chosen_suburb):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/areas/suburbs/{chosen_suburb.slug}/")
        page.locator("details summary").first.click()

        assert page.locator("svg[role=img]").count() == 4
        assert page.locator("details[open] table").count() == 1
    finally:
        context.close()
