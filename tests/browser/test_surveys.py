"""WCAG A and AA checks with axe-core on the survey pages, public and staff, with form errors."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.surveys import services
from osallistu.surveys.models import ItemAnswer, Response
from tests.surveys.fixtures import *  # noqa: F403 - pytest finds the fixtures by name

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(signed_in_page, resident):
    """Return a page signed in as `resident`, who then gets a coordinator role.

    The role is given after signing in, because staff roles need a second factor at sign-in.
    """
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    return signed_in_page


def _answers(survey_round, count: int, level: int, age_group: str = "") -> None:
    items = list(survey_round.questionnaire.items.order_by("position"))
    for _number in range(count):
        response = Response.objects.create(
            round=survey_round,
            submitted_on=survey_round.opens_on,
            age_group=age_group,
            channel=Response.Channel.PAPER,
        )
        ItemAnswer.objects.bulk_create(
            ItemAnswer(response=response, item=item, value=level if item.kind == "scale" else None)
            for item in items
        )


def test_survey_form_with_errors(signed_in_page, make_round):
    page = signed_in_page
    survey_round = make_round(ask_age_group=True)
    page.goto(f"/surveys/{survey_round.pk}/")
    assert_accessible(page)

    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)

    page.locator("input[type=radio][value='4']").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/surveys/{survey_round.pk}/thanks/")
    assert_accessible(page)


def test_language_without_text(signed_in_page, make_round):
    page = signed_in_page
    survey_round = make_round()
    page.goto(f"/sv/surveys/{survey_round.pk}/")
    assert page.locator("a[hreflang=fi]").count() == 1
    assert_accessible(page)


def test_public_results_pages(page, make_round, suburb, feedback_round, settings):
    settings.OSALLISTU_SURVEY_MIN_GROUP = 5
    closed = make_round(days_closed=2, ask_age_group=True)
    _answers(closed, 8, 4, "30-64")
    _answers(closed, 2, 2, "65+")
    _answers(feedback_round, 6, 4)
    feedback_round.closes_on = feedback_round.opens_on
    feedback_round.save()
    make_round(label="Avoin kysely")

    for url in (
        "/surveys/",
        f"/surveys/results/{suburb.slug}/",
        "/surveys/results/",
        f"/surveys/{feedback_round.pk}/results/",
    ):
        page.goto(url)
        assert page.locator("main h1").count() == 1, url
        assert_accessible(page)


def test_staff_pages_with_errors(staff_page, make_round):
    page = staff_page
    survey_round = make_round(days_closed=1, ask_age_group=True)
    _answers(survey_round, 12, 4, "30-64")

    page.goto("/surveys/staff/")
    assert_accessible(page)
    page.fill("#id_label", "Ilman lähiötä")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)

    page.goto(f"/surveys/staff/{survey_round.pk}/")
    assert_accessible(page)
    page.fill("#id_count", "3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ol.paper-codes li").count() == 3
    assert_accessible(page)


def test_staff_paper_entry_with_errors(staff_page, resident, make_round):
    page = staff_page
    survey_round = make_round()
    [code] = services.paper_codes_generate(user=resident, survey_round=survey_round, count=1)

    page.goto(f"/surveys/staff/{survey_round.pk}/paper/")
    assert_accessible(page)
    page.fill("#id_code", "VÄÄRÄ")
    page.locator("input[type=radio][value='3']").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)

    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 0
    assert_accessible(page)
