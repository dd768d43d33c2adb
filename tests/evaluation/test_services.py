"""Rules of the evaluation services: permissions, verdicts, notes, answers and the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.budgeting.models import Project
from osallistu.evaluation import services
from osallistu.evaluation.models import AuditEntry, Consolidation, Criterion, Verdict
from osallistu.notifications.models import Notification
from osallistu.participation.models import Idea, Phase

pytestmark = pytest.mark.django_db


def _actions(process) -> list[str]:
    return list(
        AuditEntry.objects.filter(process=process).order_by("pk").values_list("action", flat=True)
    )


# --- Criteria -----------------------------------------------------------------------------------


@pytest.fixture
def upcoming_process(make_process, make_staff, today):
    """Return a process whose ideation starts in the future, with its coordinator."""
    process = make_process(current="information", slug="tuleva")
    process.phases.update(
        starts_on=today + datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=20)
    )
    coordinator = make_staff("tuleva@example.fi", RoleAssignment.Role.COORDINATOR, process)
    return process, coordinator


def test_criteria_publish_before_ideation(upcoming_process):
    process, coordinator = upcoming_process
    services.criterion_add(coordinator, process, text="Kohde on kaupungin maalla")

    count = services.criteria_publish(coordinator, process)

    assert count == 1
    assert Criterion.objects.get(process=process).published_at is not None
    assert _actions(process) == [
        AuditEntry.Action.CRITERION_ADD,
        AuditEntry.Action.CRITERIA_PUBLISH,
    ]


def test_criteria_fixed_after_ideation(coordinator, evaluation_process, criteria):
    with pytest.raises(ValidationError) as raised:
        services.criterion_add(coordinator, evaluation_process, text="Uusi kriteeri")
    assert raised.value.code == "ideation_started"

    with pytest.raises(ValidationError):
        services.criterion_remove(coordinator, criteria[0])
    assert Criterion.objects.filter(process=evaluation_process).count() == 2


def test_criteria_edit_needs_coordinator(upcoming_process, evaluator):
    process, _coordinator = upcoming_process
    with pytest.raises(PermissionDenied):
        services.criterion_add(evaluator, process, text="Kriteeri")


# --- Assignments ---------------------------------------------------------------------------------


def test_assign_to_several_groups(coordinator, evaluation_process, resident_idea, urban, welfare):
    deadline = datetime.date.today() + datetime.timedelta(days=7)
    assignments = services.ideas_assign(
        coordinator,
        evaluation_process,
        ideas=[resident_idea],
        service_areas=[urban, welfare],
        deadline=deadline,
    )

    assert {a.service_area for a in assignments} == {urban, welfare}
    assert _actions(evaluation_process) == [AuditEntry.Action.ASSIGN] * 2


def test_assign_needs_coordinator(evaluator, evaluation_process, resident_idea, urban, deadline):
    with pytest.raises(PermissionDenied):
        services.ideas_assign(
            evaluator,
            evaluation_process,
            ideas=[resident_idea],
            service_areas=[urban],
            deadline=deadline,
        )


def test_assign_rejects_past_deadline(coordinator, evaluation_process, resident_idea, urban):
    with pytest.raises(ValidationError) as raised:
        services.ideas_assign(
            coordinator,
            evaluation_process,
            ideas=[resident_idea],
            service_areas=[urban],
            deadline=datetime.date(2020, 1, 1),
        )
    assert "deadline" in raised.value.error_dict


def test_assignment_with_verdict_stays(coordinator, evaluator, assignment, feasible_verdict):
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    with pytest.raises(ValidationError):
        services.assignment_remove(coordinator, assignment)


# --- Verdicts ------------------------------------------------------------------------------------


def test_verdict_by_own_group(evaluator, assignment, feasible_verdict, criteria):
    verdict = services.verdict_submit(evaluator, assignment, **feasible_verdict())

    assert verdict.feasible is True
    assert verdict.cost_estimate == Decimal("12000.00")
    assert [row.amount for row in verdict.cost_rows.all()] == [Decimal("9000"), Decimal("3000")]
    assert verdict.answers.count() == len(criteria)
    assert verdict.submitted_at is not None
    assert AuditEntry.Action.VERDICT in _actions(assignment.idea.process)


def test_verdict_for_other_group_denied(welfare_evaluator, assignment, feasible_verdict):
    with pytest.raises(PermissionDenied):
        services.verdict_submit(welfare_evaluator, assignment, **feasible_verdict())
    assert not Verdict.objects.exists()


def test_verdict_by_coordinator_for_any_group(coordinator, assignment, feasible_verdict):
    assert services.verdict_submit(coordinator, assignment, **feasible_verdict()).pk


def test_verdict_resubmission_replaces(evaluator, assignment, feasible_verdict):
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    services.verdict_submit(
        evaluator,
        assignment,
        **feasible_verdict(
            cost_estimate=Decimal("5000"),
            cost_rows=[services.CostRowInput("Penkit", Decimal("5000"))],
        ),
    )

    verdict = Verdict.objects.get()
    assert verdict.cost_estimate == Decimal("5000")
    assert verdict.cost_rows.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cost_estimate": None, "cost_rows": []}, "cost_estimate"),
        ({"owning_service_area": None}, "owning_service_area"),
        ({"cost_estimate": Decimal("100")}, "cost_rows"),
        ({"public_reason": "  "}, "public_reason"),
    ],
)
def test_verdict_invalid_input(evaluator, assignment, feasible_verdict, overrides, field):
    with pytest.raises(ValidationError) as raised:
        services.verdict_submit(evaluator, assignment, **feasible_verdict(**overrides))
    assert field in raised.value.error_dict


def test_cost_sum_message_formats_amounts(evaluator, assignment, feasible_verdict):
    rows = [
        services.CostRowInput("Penkit", Decimal("1200.00")),
        services.CostRowInput("Asennus", Decimal("500.00")),
    ]
    verdict = feasible_verdict(cost_estimate=Decimal("3000"), cost_rows=rows)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.verdict_submit(evaluator, assignment, **verdict)

    error = raised.value.error_dict["cost_rows"][0]
    assert error.code == "sum"
    message = error.message % error.params
    assert message == (
        "The rows add up to 1,700\N{NO-BREAK SPACE}€, "
        "but the cost estimate is 3,000\N{NO-BREAK SPACE}€."
    )


def test_verdict_needs_every_criterion(evaluator, assignment, feasible_verdict, criteria):
    answers = {criteria[0].pk: "met"}
    with pytest.raises(ValidationError) as raised:
        services.verdict_submit(evaluator, assignment, **feasible_verdict(answers=answers))
    assert raised.value.code == "answers"


def test_infeasible_verdict_needs_no_cost(evaluator, assignment, feasible_verdict):
    verdict = services.verdict_submit(
        evaluator,
        assignment,
        **feasible_verdict(
            feasible=False, cost_estimate=None, cost_rows=[], owning_service_area=None
        ),
    )
    assert verdict.feasible is False


# --- Internal notes ------------------------------------------------------------------------------


def test_note_notifies_mentioned_staff(evaluator, welfare_evaluator, resident_idea, resident):
    note = services.note_add(
        evaluator, resident_idea, text="Tarkista kaavatilanne.", mentions=[welfare_evaluator]
    )

    assert note.disclosable_on_request is True
    assert Notification.objects.filter(user=welfare_evaluator).count() == 1
    assert not Notification.objects.filter(user=resident).exists()
    assert AuditEntry.Action.NOTE in _actions(resident_idea.process)


def test_note_mentions_only_staff(evaluator, resident_idea, other_resident):
    with pytest.raises(ValidationError) as raised:
        services.note_add(evaluator, resident_idea, text="Huom.", mentions=[other_resident])
    assert "mentions" in raised.value.error_dict


def test_note_needs_evaluator(resident, resident_idea):
    with pytest.raises(PermissionDenied):
        services.note_add(resident, resident_idea, text="Huom.")


def test_notes_export_rows(coordinator, evaluator, resident_idea, welfare_evaluator):
    services.note_add(
        evaluator,
        resident_idea,
        text="Salassa pidettävä?",
        mentions=[welfare_evaluator],
        disclosable_on_request=False,
    )

    rows = services.notes_export_rows(coordinator, resident_idea.process)

    assert len(rows) == 1
    assert rows[0]["text"] == "Salassa pidettävä?"
    assert rows[0]["disclosable_on_request"] is False
    assert rows[0]["mentions"] == welfare_evaluator.email
    assert _actions(resident_idea.process)[-1] == AuditEntry.Action.NOTES_EXPORT


def test_notes_export_needs_coordinator(evaluator, evaluation_process):
    with pytest.raises(PermissionDenied):
        services.notes_export_rows(evaluator, evaluation_process)


# --- Consolidation -------------------------------------------------------------------------------


def _budget_area(process):
    return process.budget_areas.get()


def test_proposal_needs_accepting_owner(coordinator, evaluator, assignment, urban, welfare):
    idea = assignment.idea
    with pytest.raises(ValidationError) as raised:
        services.consolidate(
            coordinator,
            idea,
            decision=Consolidation.Decision.PROPOSAL,
            public_reason="Toteutetaan.",
            final_cost=Decimal("12000"),
            owning_service_area=urban,
            budget_area=_budget_area(idea.process),
        )
    assert "owning_service_area" in raised.value.error_dict
    assert not Project.objects.exists()
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.PUBLISHED


def test_proposal_refused_when_owner_did_not_accept(
    coordinator, evaluator, welfare_evaluator, assignment, feasible_verdict, welfare, deadline
):
    """Urban found it feasible but named welfare the owner, and welfare has not accepted."""
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict(owning_service_area=welfare))
    with pytest.raises(ValidationError) as raised:
        services.consolidate(
            coordinator,
            idea,
            decision=Consolidation.Decision.PROPOSAL,
            public_reason="Toteutetaan.",
            final_cost=Decimal("12000"),
            owning_service_area=welfare,
            budget_area=_budget_area(idea.process),
        )
    assert "owning_service_area" in raised.value.error_dict


def test_proposal_creates_project(coordinator, evaluator, assignment, feasible_verdict, urban):
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict())

    consolidation = services.consolidate(
        coordinator,
        idea,
        decision=Consolidation.Decision.PROPOSAL,
        public_reason="Penkit sopivat rantaan.",
        final_cost=Decimal("12500"),
        owning_service_area=urban,
        budget_area=_budget_area(idea.process),
    )

    project = consolidation.project
    assert project.cost == Decimal("12500")
    assert project.idea == idea
    assert project.title == idea.title
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.ACCEPTED
    assert Notification.objects.filter(user=idea.author).count() == 1
    assert _actions(idea.process)[-1] == AuditEntry.Action.CONSOLIDATE


def test_merged_proposal_keeps_all_authors(
    coordinator, evaluator, assignment, feasible_verdict, urban, second_idea, resident
):
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict())

    consolidation = services.consolidate(
        coordinator,
        idea,
        decision=Consolidation.Decision.PROPOSAL,
        merged_ideas=[second_idea],
        public_reason="Kaksi samanlaista ideaa yhdistettiin.",
        final_cost=Decimal("12000"),
        owning_service_area=urban,
        budget_area=_budget_area(idea.process),
    )

    ideas = consolidation.ideas.all()
    assert {i.author for i in ideas} == {resident, second_idea.author}
    assert consolidation.idea_links.get(is_primary=True).idea == idea
    assert Idea.objects.get(pk=second_idea.pk).status == Idea.Status.ACCEPTED
    assert Notification.objects.filter(user=second_idea.author).count() == 1
    assert Notification.objects.filter(user=resident).count() == 1


def test_decline_with_reason(coordinator, resident_idea):
    services.consolidate(
        coordinator,
        resident_idea,
        decision=Consolidation.Decision.DECLINED,
        public_reason="Ranta on yksityistä maata.",
    )

    assert Idea.objects.get(pk=resident_idea.pk).status == Idea.Status.DECLINED
    assert Notification.objects.filter(user=resident_idea.author).count() == 1


def test_decline_needs_reason(coordinator, resident_idea):
    with pytest.raises(ValidationError) as raised:
        services.consolidate(
            coordinator, resident_idea, decision=Consolidation.Decision.DECLINED, public_reason=""
        )
    assert "public_reason" in raised.value.error_dict


def test_idea_answered_once(coordinator, resident_idea, second_idea):
    services.consolidate(
        coordinator, resident_idea, decision=Consolidation.Decision.DECLINED, public_reason="Ei."
    )
    with pytest.raises(ValidationError):
        services.consolidate(
            coordinator,
            second_idea,
            decision=Consolidation.Decision.DECLINED,
            merged_ideas=[resident_idea],
            public_reason="Ei.",
        )
    assert Consolidation.objects.count() == 1


def test_consolidate_needs_coordinator(evaluator, resident_idea):
    with pytest.raises(PermissionDenied):
        services.consolidate(
            evaluator, resident_idea, decision=Consolidation.Decision.DECLINED, public_reason="Ei."
        )


def test_verdict_after_answer_rejected(coordinator, evaluator, assignment, feasible_verdict):
    services.consolidate(
        coordinator, assignment.idea, decision=Consolidation.Decision.DECLINED, public_reason="Ei."
    )
    with pytest.raises(ValidationError) as raised:
        services.verdict_submit(evaluator, assignment, **feasible_verdict())
    assert raised.value.code == "answered"


def test_merge_other_process_rejected(coordinator, resident_idea, make_process, resident):
    other = make_process(current=Phase.Kind.EVALUATION, slug="muu")
    foreign = Idea.objects.create(process=other, author=resident, title="X", description="Y")
    with pytest.raises(ValidationError):
        services.consolidate(
            coordinator,
            resident_idea,
            decision=Consolidation.Decision.DECLINED,
            merged_ideas=[foreign],
            public_reason="Ei.",
        )
