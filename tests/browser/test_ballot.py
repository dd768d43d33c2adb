"""WCAG A and AA checks with axe-core on the ballot, its errors, the review, the receipt pages."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from osallistu.budgeting import services
from osallistu.budgeting.models import Ballot, BudgetingSettings, ParticipationRecord
from osallistu.identity.selectors import SESSION_KEY
from tests.budgeting.voting import make_record

from .axe import assert_accessible

pytestmark = pytest.mark.browser

BALLOT_URL = "/processes/lahiobudjetti/vote/testilahio/"
RECEIPT_URL = "/processes/lahiobudjetti/receipt/"


def identify_page(page, live_server, record) -> None:
    """Give the browser a session that contains `record`, as identification does."""
    session = SessionStore()
    session[SESSION_KEY] = {str(record.process_id): record.pk}
    session.create()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def identified_page(page, live_server, voting_process):
    record = make_record(voting_process)
    identify_page(page, live_server, record)
    return page


def test_ballot_page(identified_page, voting_process):
    page = identified_page
    page.goto(BALLOT_URL)
    page.locator("#ballot-form input[type=checkbox]").first.check()

    assert page.locator("#ballot-form input[type=checkbox]").count() == 4
    # ballot.js shows the running total in a live region once a proposal is chosen.
    assert page.locator("#budget-total").is_visible()
    assert_accessible(page)


def test_ballot_with_errors(identified_page, voting_process):
    BudgetingSettings.objects.create(process=voting_process, max_projects=2)
    page = identified_page
    page.goto(BALLOT_URL)
    over_budget = ["Hanke 1", "Hanke 2", "Hanke 4"]  # 65 000 € > 50 000 €, and 3 > 2 proposals
    for title in over_budget:
        page.get_by_label(title, exact=False).check()
    page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert alert.locator(".errorlist li").count() == 2
    message = re.sub(r"\s", " ", alert.inner_text())
    assert "65 000 €" in message
    for title in over_budget:
        assert page.get_by_label(title, exact=False).is_checked(), title
    assert not ParticipationRecord.objects.filter(process=voting_process).exists()
    assert_accessible(page)


def test_review_page(identified_page, voting_process):
    page = identified_page
    page.goto(BALLOT_URL)
    page.get_by_label("Hanke 1", exact=False).check()
    page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("table tbody tr").count() == 1
    assert page.locator("button[value=cast]").count() == 1
    assert Ballot.objects.count() == 0
    assert_accessible(page)


def test_receipt_page(identified_page, voting_process):
    page = identified_page
    page.goto(BALLOT_URL)
    page.get_by_label("Hanke 3", exact=False).check()
    page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("button[value=cast]").click()
    page.wait_for_load_state()

    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", page.locator(".receipt-code").inner_text())
    assert Ballot.objects.count() == 1
    assert_accessible(page)


def test_receipt_check_page(page, voting_process):
    receipt = services.cast_ballot(
        make_record(voting_process),
        voting_process.budget_areas.get(),
        [voting_process.budget_areas.get().projects.first().pk],
    )
    page.goto(RECEIPT_URL)
    assert_accessible(page)

    page.fill("input[name=code]", receipt.code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("#receipt-result").count() == 1
    assert_accessible(page)


def test_receipt_check_invalid(page, voting_process):
    page.goto(RECEIPT_URL)
    page.fill("input[name=code]", "ABC")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".errorlist").count() == 1
    assert_accessible(page)
