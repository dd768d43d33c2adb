"""WCAG 2.0/2.1 A and AA checks of the evaluation pages, forms with errors and public answers."""

from decimal import Decimal

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.evaluation import services
from osallistu.evaluation.models import Consolidation
from tests.evaluation.fixtures import *  # noqa: F403

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinating_page(signed_in_page, resident, evaluation_process):
    """Return the signed-in page of `resident`, who coordinates the evaluation process."""
    RoleAssignment.objects.create(
        user=resident, role=RoleAssignment.Role.COORDINATOR, process=evaluation_process
    )
    return signed_in_page


@pytest.fixture
def evaluated(coordinator, evaluator, second_idea, urban, welfare, deadline, feasible_verdict):
    """Assign `second_idea` to two service areas, give urban's verdict and write a note."""
    assignments = services.ideas_assign(
        coordinator,
        second_idea.process,
        ideas=[second_idea],
        service_areas=[urban, welfare],
        deadline=deadline,
    )
    services.verdict_submit(evaluator, assignments[0], **feasible_verdict())
    services.note_add(evaluator, second_idea, text="Tarkista kaavatilanne.")
    return assignments


@pytest.mark.parametrize("path", ["", "criteria/", "assign/", "worklist/", "audit/"])
def test_staff_pages(coordinating_page, evaluation_process, evaluated, path):
    page = coordinating_page
    page.goto(f"/evaluation/{evaluation_process.slug}/{path}")

    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_verdict_form_with_errors(coordinating_page, evaluated, criteria):
    page = coordinating_page
    welfare_assignment = evaluated[1]
    page.goto(
        f"/evaluation/{welfare_assignment.idea.process.slug}/assignments/{welfare_assignment.pk}/"
    )
    page.fill("#id_cost_rows", "Penkit ilman summaa")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_cost_rows").input_value() == "Penkit ilman summaa"
    assert_accessible(page)


def test_notes_page(coordinating_page, evaluated, second_idea):
    page = coordinating_page
    page.goto(f"/evaluation/{second_idea.process.slug}/ideas/{second_idea.pk}/")

    assert page.get_by_text("Tarkista kaavatilanne.").count() == 1
    assert_accessible(page)


def test_consolidation_form_with_errors(coordinating_page, evaluated, second_idea):
    page = coordinating_page
    page.goto(f"/evaluation/{second_idea.process.slug}/ideas/{second_idea.pk}/answer/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_public_answer_on_idea_page(page, evaluated, second_idea, coordinator, urban):
    services.consolidate(
        coordinator,
        second_idea,
        decision=Consolidation.Decision.PROPOSAL,
        public_reason="Istumapaikat toteutetaan rantapolulle.",
        final_cost=Decimal("12000"),
        owning_service_area=urban,
        budget_area=second_idea.process.budget_areas.get(),
    )
    page.goto(f"/processes/{second_idea.process.slug}/ideas/{second_idea.pk}/")

    assert page.get_by_text("Istumapaikat toteutetaan rantapolulle.").count() == 1
    assert page.get_by_text("Tarkista kaavatilanne.").count() == 0
    assert_accessible(page)


def test_public_criteria_on_process_page(page, evaluation_process, criteria):
    page.goto(f"/processes/{evaluation_process.slug}/")

    assert page.get_by_text(criteria[0].text).count() == 1
    assert_accessible(page)
