"""WCAG 2.0/2.1 A and AA checks of the staff selection pages and the proposal document."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.services import kuopio_reference_data_load
from osallistu.selection import need_index
from osallistu.selection.models import NeedIndexConfiguration, SelectionRound
from tests.selection.support import computed_round, decided_round

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator_page(signed_in_page, resident):
    """Return the signed-in page of `resident`, who coordinates area selection."""
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    return signed_in_page


@pytest.fixture
def configuration(resident):
    kuopio_reference_data_load()
    return NeedIndexConfiguration.objects.create(
        name="Oletus",
        configuration=need_index.default_configuration().to_dict(),
        is_default=True,
    )


@pytest.fixture
def decided(coordinator_page, resident, configuration) -> SelectionRound:
    return decided_round(resident, configuration)


def test_round_list_and_detail(coordinator_page, decided):
    page = coordinator_page
    page.goto("/selection/")
    assert_accessible(page)

    page.goto(f"/selection/rounds/{decided.pk}/")
    assert page.locator("main table").count() >= 3
    assert_accessible(page)


def test_proposal_document(coordinator_page, decided):
    page = coordinator_page
    page.goto(f"/selection/rounds/{decided.pk}/proposal/")

    assert page.locator("main svg[role=img]").count() >= 1
    assert_accessible(page)


def test_configuration_editor_with_errors(coordinator_page, configuration):
    page = coordinator_page
    page.goto(f"/selection/configurations/{configuration.pk}/")
    assert_accessible(page)

    page.fill("#id_min_population", "-5")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_min_population[aria-invalid=true]").count() == 1
    assert_accessible(page)


def test_new_round_and_decision_forms_with_errors(coordinator_page, resident, configuration):
    page = coordinator_page
    page.goto("/selection/rounds/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)

    selection_round = computed_round(resident, configuration)
    selection_round.status = SelectionRound.Status.PROPOSAL
    selection_round.save()
    page.goto(f"/selection/rounds/{selection_round.pk}/decide/")
    page.fill("#id_minutes_reference", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
