"""WCAG A and AA checks with axe-core on the results, turnout and results publish pages."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.budgeting.models import BudgetingSettings
from tests.budgeting.results_helpers import GREEDY_VOTES, add_ballots, closed_process

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def process(make_process, neulamaki):
    process = closed_process(make_process, slug="tulokset")
    area = process.budget_areas.get()
    area.postal_codes = ["70150"]
    area.save()
    add_ballots(area, GREEDY_VOTES)
    BudgetingSettings.objects.create(process=process, min_group_size=2)
    return process


@pytest.fixture
def published(process):
    process.results_published = True
    process.save()
    return process


def test_results_before_publication(page, process):
    page.goto("/processes/tulokset/results/")

    assert page.locator("table").count() == 0
    assert_accessible(page)


def test_published_results(page, published):
    page.goto("/processes/tulokset/results/")

    assert page.locator("table tbody tr").count() == 4
    assert_accessible(page)


def test_mes_results_of_one_area(page, published):
    BudgetingSettings.objects.filter(process=published).update(rule="mes-cost")
    page.goto("/processes/tulokset/results/testilahio/")

    assert page.locator("table tbody tr").count() == 4
    assert_accessible(page)


def test_turnout(page, published):
    page.goto("/processes/tulokset/turnout/")

    # The area total and the five age groups; groups with no voters are shown.
    assert page.locator("table tbody tr").count() == 6
    assert_accessible(page)


def test_publish_page(signed_in_page, resident, process):
    RoleAssignment.objects.create(
        user=resident, role=RoleAssignment.Role.COORDINATOR, process=process
    )
    page = signed_in_page
    page.goto(f"/processes/staff/{process.pk}/results/")
    assert_accessible(page)

    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    # The confirmation step lists what becomes public and needs the box ticked.
    assert page.locator("#publish-confirm-box").count() == 1
    assert_accessible(page)
    page.check("#publish-confirm-box")
    page.locator(".confirmation button[type=submit]").click()
    page.wait_for_url("/processes/tulokset/results/")

    assert page.locator("table tbody tr").count() == 4
    assert_accessible(page)
