"""WCAG 2.0/2.1 A and AA checks of the public decisions page, and the CSP in a real browser."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.services import kuopio_reference_data_load
from osallistu.selection import need_index
from osallistu.selection.models import NeedIndexConfiguration, SelectionRound
from tests.selection.support import decided_round

from .axe import assert_accessible
from .conftest import ACTION_TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def decided(db, django_user_model) -> SelectionRound:
    """Return a decided round on Kuopio's data that chose the two suburbs of highest need."""
    kuopio_reference_data_load()
    coordinator = django_user_model.objects.create_user(email="koordinaattori@example.fi")
    RoleAssignment.objects.create(user=coordinator, role=RoleAssignment.Role.COORDINATOR)
    configuration = NeedIndexConfiguration.objects.create(
        name="Oletus", configuration=need_index.default_configuration().to_dict()
    )
    return decided_round(coordinator, configuration)


def test_decision_list(page, decided):
    page.goto("/selection/decisions/")

    assert page.locator("table tbody tr").count() == 1
    assert page.locator("table a[href*='/areas/suburbs/']").count() == decided.chosen.count()
    assert_accessible(page)


def test_decision_list_empty(page, db):
    page.goto("/en/selection/decisions/")

    assert page.get_by_text("No selection round has been decided yet.").count() == 1
    assert_accessible(page)


def test_public_proposal(page, decided):
    page.goto(f"/selection/decisions/{decided.pk}/")

    assert page.locator("svg[role=img]").count() >= 1
    assert_accessible(page)


def test_pages_break_no_csp_rule(chromium, live_server, decided, voting_process):
    suburb = decided.chosen.first().suburb
    # Unlike the `page` fixture, this context enforces the policy, and Chromium reports every
    # blocked script, style or image on the console.
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    messages = []
    try:
        page = context.new_page()
        page.on("console", lambda message: messages.append(message.text))
        page.on("pageerror", lambda error: messages.append(str(error)))
        for url in [
            "/",
            f"/processes/{voting_process.slug}/",
            f"/areas/suburbs/{suburb.slug}/",
            "/selection/decisions/",
            f"/selection/decisions/{decided.pk}/",
            f"/open-data/embed/processes/{voting_process.slug}/",
            "/accounts/login/",
        ]:
            page.goto(url)
            # The stylesheet applies: the policy allows the site's own CSS.
            assert page.evaluate("document.styleSheets.length") >= 1, url
    finally:
        context.close()

    violations = [text for text in messages if "Content Security Policy" in text]
    assert violations == []
