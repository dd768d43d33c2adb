"""WCAG 2.0/2.1 A and AA checks of voters' identification pages, and the flow by keyboard."""

import pytest

from osallistu.budgeting.models import BudgetingSettings
from osallistu.identity.models import EligibilityRecord

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def voting_process(make_process, settings):
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = True
    settings.OSALLISTU_IDENTITY_METHODS = []
    settings.OSALLISTU_ASSISTED_VOTING_URL = "/processes/"
    process = make_process()
    BudgetingSettings.objects.create(process=process, require_residence=True)
    process.budget_areas.update(postal_codes=["70100", "70110"])
    return process


def _start(page, process):
    page.goto(f"/identity/{process.slug}/start/?next=/processes/{process.slug}/")
    assert page.locator("h1").count() == 1
    assert page.locator("button[name=method][value=local_test]").count() == 1


def test_method_choice_page(page, voting_process):
    _start(page, voting_process)
    assert "70100, 70110" in page.content()
    assert_accessible(page)


def test_local_test_provider_page_with_errors_and_success(page, voting_process):
    _start(page, voting_process)
    page.locator("button[name=method][value=local_test]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/identity/test-provider/")
    assert_accessible(page)

    page.fill("input[name=national_id]", "131052-308T")
    page.fill("input[name=municipality_code]", "29")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert page.locator(".errorlist li").count() == 2
    assert page.input_value("input[name=postal_code]") == "70100"
    assert_accessible(page)

    page.fill("input[name=national_id]", "210281-9988")
    page.fill("input[name=municipality_code]", "297")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/processes/{voting_process.slug}/")
    assert EligibilityRecord.objects.filter(process=voting_process).count() == 1


def test_refusal_page(page, voting_process):
    _start(page, voting_process)
    page.locator("button[name=method][value=local_test]").click()
    page.wait_for_url("**/identity/test-provider/")
    page.check("input[name=security_denial]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert page.locator("main a[href='/processes/']").count() == 1
    assert_accessible(page)
