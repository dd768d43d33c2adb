"""WCAG A and AA checks with axe-core on the service desk's public and staff pages."""

import datetime

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.desk import services
from osallistu.desk.models import PaperBallot
from tests.identity.helpers import make_hetu

from .axe import assert_accessible
from .session import sign_in_with_session

pytestmark = pytest.mark.browser

HETU = make_hetu(datetime.date(1980, 5, 17))


def sign_in(page, user) -> None:
    sign_in_with_session(page, user)


@pytest.fixture
def process(voting_process):
    area = voting_process.budget_areas.get()
    area.postal_codes = ["70100"]
    area.save()
    return voting_process


@pytest.fixture
def make_staff(django_user_model, process):
    def factory(email: str):
        user = django_user_model.objects.create_user(email=email, password="Salasana-123")
        RoleAssignment.objects.create(
            user=user, role=RoleAssignment.Role.COORDINATOR, process=process
        )
        return user

    return factory


def test_public_page(page, process):
    page.goto("/desk/")
    assert page.get_by_role("link", name=process.title).count() == 1
    assert_accessible(page)


def test_check_with_errors_then_assisted_ballot_and_receipt(page, process, make_staff):
    sign_in(page, make_staff("a@example.fi"))
    page.goto(f"/desk/{process.pk}/")
    assert_accessible(page)

    page.fill("#id_national_id", HETU)
    page.fill("#id_municipality_code", "091")
    page.fill("#id_postal_code", "70100")
    page.locator("main form[id^=desk] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert page.input_value("#id_postal_code") == "70100"
    assert_accessible(page)

    page.fill("#id_municipality_code", "297")
    page.locator("main form[id^=desk] button[type=submit]").first.click()
    page.wait_for_url(f"**/desk/{process.pk}/assisted/")
    assert_accessible(page)

    page.get_by_label("Hanke 1", exact=False).check()
    page.locator("main form[id^=desk] button[type=submit]").first.click()
    page.wait_for_load_state()
    # The review step: nothing is stored until the voter casts the reviewed choice.
    assert page.locator(".review-form").count() == 1
    assert_accessible(page)
    page.locator(".review-form button[value=cast]").click()
    page.wait_for_load_state()
    assert page.locator(".receipt-code").count() == 1
    assert_accessible(page)


def test_paper_entry_and_resolution_pages(page, process, make_staff):
    first, second, coordinator = (make_staff(f"{name}@example.fi") for name in "abc")
    area = process.budget_areas.get()
    projects = list(area.projects.order_by("external_id"))
    record = services.desk_check(first, process, HETU, "297", "70100")
    paper = services.paper_ballot_open(first, record, area)
    services.paper_entry_add(first, paper, [projects[0].pk])

    sign_in(page, second)
    page.goto(f"/desk/{process.pk}/paper/{paper.pk}/")
    assert_accessible(page)
    page.get_by_label("Hanke 2", exact=False).check()
    page.locator("main form[id^=desk] button[type=submit]").first.click()
    page.wait_for_url(f"**/desk/{process.pk}/")
    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.HELD
    # The desk page lists the held ballot, with the success message.
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, coordinator)
    page.goto(f"/desk/{process.pk}/paper/{paper.pk}/resolve/")
    assert_accessible(page)
