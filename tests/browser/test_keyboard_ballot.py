"""Cast a ballot with the keyboard alone, through the review step, with focus always visible.

As in test_keyboard.py, the test presses only Tab, Shift+Tab, Enter and Space, so it fails when a
control of the ballot cannot be reached or used from the keyboard.
"""

import pytest

from osallistu.budgeting.models import Ballot
from tests.budgeting.voting import make_record

from .test_ballot import BALLOT_URL, identify_page
from .test_keyboard import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ballot_by_keyboard(page, live_server, voting_process):
    identify_page(page, live_server, make_record(voting_process))
    page.goto(BALLOT_URL)
    area = voting_process.budget_areas.get()
    wanted = {project.pk for project in area.projects.filter(title__in=["Hanke 2", "Hanke 3"])}

    for pk in sorted(wanted):
        tab_to(page, f"#ballot-form input[value='{pk}']")
        page.keyboard.press("Space")
    tab_to(page, "#ballot-form button[value=review]")
    # Shift+Tab goes back into the proposals and Tab returns, both with a visible focus ring.
    tab_to(page, "#ballot-form input[type=checkbox]", key="Shift+Tab")
    tab_to(page, "#ballot-form button[value=review]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert Ballot.objects.count() == 0
    tab_to(page, "main button[value=cast]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    ballot = Ballot.objects.get()
    assert set(ballot.choices.values_list("project_id", flat=True)) == wanted
    assert page.locator(".receipt-code").count() == 1
