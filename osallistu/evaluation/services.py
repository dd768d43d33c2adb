"""Writes for expert evaluation: one function per staff action, each checking its permission.

Coordinators (rules.Action.CONSOLIDATE) edit and publish criteria, assign ideas to service areas,
export internal notes and publish the public answers. Evaluators (rules.Action.EVALUATE) give
verdicts for their own service areas and write internal notes. Every action writes an AuditEntry
in the same transaction, and notifications are written with it, so a rolled-back action leaves
neither behind.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.budgeting.models import BudgetArea, Project
from osallistu.core.money import format_money
from osallistu.notifications import services as notification_services
from osallistu.participation import rules
from osallistu.participation.comment_forms import clean_plain_text
from osallistu.participation.models import Idea, Phase, Process, Visibility

from . import selectors
from .models import (
    Assignment,
    AuditEntry,
    ConsolidatedIdea,
    Consolidation,
    CostRow,
    Criterion,
    CriterionAnswer,
    InternalNote,
    Verdict,
)

__all__ = [
    "CostRowInput",
    "assignment_remove",
    "check_may_consolidate",
    "check_may_evaluate",
    "consolidate",
    "criteria_editable",
    "criteria_publish",
    "criterion_add",
    "criterion_remove",
    "ideas_assign",
    "mentionable_staff",
    "note_add",
    "notes_export_rows",
    "verdict_submit",
]

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 3000
NOTE_MAX_LENGTH = 5000


@dataclass(frozen=True)
class CostRowInput:
    """One row of a cost breakdown as staff entered it."""

    label: str
    amount: Decimal


def _audit(user, process: Process, action: str, idea: Idea | None = None, **details) -> None:
    AuditEntry.objects.create(
        process=process, actor=user, action=action, idea=idea, details=details
    )


def _idea_url(idea: Idea) -> str:
    return reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])


# --- Permissions ------------------------------------------------------------------------------


def check_may_consolidate(user, process: Process) -> None:
    """Raise PermissionDenied unless `user` may take rules.Action.CONSOLIDATE in `process`."""
    if not rules.can(user, rules.Action.CONSOLIDATE, process):
        raise PermissionDenied(_("Only the participation coordinator may do this."))


def check_may_evaluate(user, process: Process, service_area_id: int | None = None) -> None:
    """Raise PermissionDenied unless `user` may evaluate in `process` for `service_area_id`.

    Evaluators act only for the service areas of their roles. Coordinators and administrators
    act for every service area.
    """
    if not rules.can(user, rules.Action.EVALUATE, process):
        raise PermissionDenied(_("You do not have the right to evaluate ideas of this process."))
    if service_area_id is None or rules.can(user, rules.Action.CONSOLIDATE, process):
        return
    if service_area_id not in rules.service_areas_of(user, process):
        raise PermissionDenied(_("You may give verdicts only for your own service area."))


# --- Criteria ---------------------------------------------------------------------------------


def criteria_editable(process: Process, today: datetime.date | None = None) -> bool:
    """Return True until the ideation phase of `process` starts; criteria are then fixed.

    A process without an ideation phase keeps its criteria editable.
    """
    today = today or timezone.localdate()
    ideation = next(
        (phase for phase in process.phases.all() if phase.kind == Phase.Kind.IDEATION), None
    )
    return ideation is None or today < ideation.starts_on


def _check_criteria_editable(process: Process) -> None:
    if not criteria_editable(process):
        raise ValidationError(
            _(
                "Ideation has started, so the evaluation criteria can no longer be changed. "
                "Residents submitted their ideas against the published criteria."
            ),
            code="ideation_started",
        )


@transaction.atomic
def criterion_add(user, process: Process, *, text: str, description: str = "") -> Criterion:
    """Add an unpublished criterion at the end of the list of `process`."""
    check_may_consolidate(user, process)
    _check_criteria_editable(process)
    text = clean_plain_text(
        text, field="text", max_length=300, required_message=_("Write the criterion.")
    )
    description = clean_plain_text(description, field="description", max_length=2000)
    last = process.evaluation_criteria.order_by("-position").first()
    criterion = Criterion.objects.create(
        process=process,
        text=text,
        description=description,
        position=(last.position + 1) if last else 1,
    )
    _audit(user, process, AuditEntry.Action.CRITERION_ADD, criterion=criterion.pk)
    return criterion


@transaction.atomic
def criterion_remove(user, criterion: Criterion) -> None:
    """Delete a criterion before ideation starts."""
    process = criterion.process
    check_may_consolidate(user, process)
    _check_criteria_editable(process)
    _audit(user, process, AuditEntry.Action.CRITERION_REMOVE, criterion=criterion.pk)
    criterion.delete()


@transaction.atomic
def criteria_publish(user, process: Process) -> int:
    """Publish every unpublished criterion of `process` and return how many were published."""
    check_may_consolidate(user, process)
    _check_criteria_editable(process)
    count = process.evaluation_criteria.filter(published_at__isnull=True).update(
        published_at=timezone.now()
    )
    if not count:
        raise ValidationError(_("There are no unpublished criteria to publish."), code="empty")
    _audit(user, process, AuditEntry.Action.CRITERIA_PUBLISH, count=count)
    logger.info("evaluation criteria published process=%s count=%s", process.pk, count)
    return count


# --- Assignments ------------------------------------------------------------------------------


def _check_open(idea: Idea) -> None:
    if ConsolidatedIdea.objects.filter(idea=idea).exists():
        raise ValidationError(
            _("The idea “%(title)s” already has a public answer."),
            code="answered",
            params={"title": idea.title},
        )


@transaction.atomic
def ideas_assign(
    user,
    process: Process,
    *,
    ideas: Iterable[Idea],
    service_areas: Iterable[ServiceArea],
    deadline: datetime.date,
) -> list[Assignment]:
    """Assign each idea to each service area with `deadline`, and return the assignments.

    An existing assignment keeps its verdict and gets the new deadline.
    """
    check_may_consolidate(user, process)
    ideas = list(ideas)
    service_areas = list(service_areas)
    if not ideas or not service_areas:
        raise ValidationError(_("Choose at least one idea and one service area."), code="empty")
    if deadline < timezone.localdate():
        raise ValidationError(
            {"deadline": ValidationError(_("The deadline is in the past."), code="past")}
        )
    assignments = []
    for idea in ideas:
        if idea.process_id != process.pk or idea.visibility != Visibility.VISIBLE:
            raise ValidationError(_("Choose ideas of this process only."), code="invalid")
        _check_open(idea)
        for area in service_areas:
            assignment, _created = Assignment.objects.update_or_create(
                idea=idea,
                service_area=area,
                defaults={"deadline": deadline},
                create_defaults={"deadline": deadline, "assigned_by": user},
            )
            assignments.append(assignment)
            _audit(
                user,
                process,
                AuditEntry.Action.ASSIGN,
                idea,
                service_area=area.pk,
                deadline=deadline.isoformat(),
            )
    return assignments


@transaction.atomic
def assignment_remove(user, assignment: Assignment) -> None:
    """Delete an assignment that has no verdict yet."""
    idea = assignment.idea
    check_may_consolidate(user, idea.process)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if Verdict.objects.filter(assignment=assignment).exists():
        raise ValidationError(
            _("The service area has already given its verdict, so the assignment stays."),
            code="has_verdict",
        )
    _audit(
        user,
        idea.process,
        AuditEntry.Action.UNASSIGN,
        idea,
        service_area=assignment.service_area_id,
    )
    assignment.delete()


# --- Verdicts ---------------------------------------------------------------------------------


def _clean_cost_rows(rows: Iterable[CostRowInput], cost_estimate: Decimal | None) -> list:
    rows = list(rows)
    for row in rows:
        if not row.label.strip() or row.amount < 0:
            raise ValidationError(
                {"cost_rows": ValidationError(_("Each cost row needs an item and an amount."))}
            )
    if rows and cost_estimate is None:
        raise ValidationError(
            {"cost_estimate": ValidationError(_("Give the total of the cost breakdown."))}
        )
    if rows and sum(row.amount for row in rows) != cost_estimate:
        raise ValidationError(
            {
                "cost_rows": ValidationError(
                    _("The rows add up to %(sum)s, but the cost estimate is %(total)s."),
                    code="sum",
                    params={
                        "sum": format_money(sum(row.amount for row in rows)),
                        "total": format_money(cost_estimate),
                    },
                )
            }
        )
    return rows


@transaction.atomic
def verdict_submit(
    user,
    assignment: Assignment,
    *,
    feasible: bool,
    public_reason: str,
    answers: Mapping[int, str],
    cost_estimate: Decimal | None = None,
    cost_rows: Iterable[CostRowInput] = (),
    annual_maintenance_cost: Decimal | None = None,
    schedule: str = "",
    owning_service_area: ServiceArea | None = None,
) -> Verdict:
    """Give or replace the verdict of the assignment's service area, until the idea is answered.

    `answers` maps the primary key of each published criterion of the process to a
    CriterionAnswer.Answer value. A feasible verdict needs a cost estimate. Cost rows, if given,
    must add up to the cost estimate.
    """
    # The lock serialises two evaluators of the same group submitting at once.
    assignment = (
        Assignment.objects.select_for_update().select_related("idea__process").get(pk=assignment.pk)
    )
    idea = assignment.idea
    process = idea.process
    check_may_evaluate(user, process, assignment.service_area_id)
    _check_open(idea)

    public_reason = clean_plain_text(
        public_reason,
        field="public_reason",
        max_length=REASON_MAX_LENGTH,
        required_message=_("Write the public reason for the verdict."),
    )
    if feasible and cost_estimate is None:
        raise ValidationError(
            {"cost_estimate": ValidationError(_("A feasible idea needs a cost estimate."))}
        )
    if feasible and owning_service_area is None:
        raise ValidationError(
            {
                "owning_service_area": ValidationError(
                    _("Name the service area that would own the result.")
                )
            }
        )
    rows = _clean_cost_rows(cost_rows, cost_estimate)
    criteria = list(process.evaluation_criteria.filter(published_at__isnull=False))
    missing = [criterion.text for criterion in criteria if answers.get(criterion.pk) is None]
    if missing:
        raise ValidationError(
            _("Answer every criterion. Missing: %(criteria)s."),
            code="answers",
            params={"criteria": "; ".join(missing)},
        )
    valid_answers = set(CriterionAnswer.Answer.values)
    if any(answers[criterion.pk] not in valid_answers for criterion in criteria):
        raise ValidationError(_("An answer to a criterion is invalid."), code="answers")

    verdict, created = Verdict.objects.update_or_create(
        assignment=assignment,
        defaults={
            "feasible": feasible,
            "cost_estimate": cost_estimate,
            "annual_maintenance_cost": annual_maintenance_cost,
            "schedule": schedule.strip(),
            "owning_service_area": owning_service_area,
            "public_reason": public_reason,
            "submitted_by": user,
            "submitted_at": timezone.now(),
        },
    )
    verdict.cost_rows.all().delete()
    CostRow.objects.bulk_create(
        CostRow(verdict=verdict, label=row.label.strip(), amount=row.amount, position=index)
        for index, row in enumerate(rows)
    )
    verdict.answers.all().delete()
    CriterionAnswer.objects.bulk_create(
        CriterionAnswer(verdict=verdict, criterion=criterion, answer=answers[criterion.pk])
        for criterion in criteria
    )
    _audit(
        user,
        process,
        AuditEntry.Action.VERDICT,
        idea,
        service_area=assignment.service_area_id,
        feasible=feasible,
        replaced=not created,
    )
    logger.info("verdict submitted assignment=%s feasible=%s", assignment.pk, feasible)
    return verdict


# --- Internal notes ---------------------------------------------------------------------------


def mentionable_staff(process: Process):
    """Return the users who may evaluate in `process`, the ones a note may mention."""
    scope = (
        Q(process=process)
        | Q(suburb__in=process.suburbs.all())
        | Q(process__isnull=True, suburb__isnull=True)
    )
    roles = (RoleAssignment.Role.EVALUATOR, RoleAssignment.Role.COORDINATOR)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(pk__in=RoleAssignment.objects.filter(scope, role__in=roles).values("user_id"))
            | Q(is_superuser=True)
        )
        .order_by("email")
    )


_MENTION_MESSAGE = gettext_lazy("You were mentioned in an internal note on the idea “%(title)s”.")


@transaction.atomic
def note_add(
    user, idea: Idea, *, text: str, mentions: Iterable = (), disclosable_on_request: bool = True
) -> InternalNote:
    """Add an internal note on `idea` and notify the mentioned staff.

    Notes are never shown on public pages. Each mentioned user must be staff who may evaluate in
    the process.
    """
    process = idea.process
    check_may_evaluate(user, process)
    text = clean_plain_text(
        text, field="text", max_length=NOTE_MAX_LENGTH, required_message=_("Write the note.")
    )
    mentions = list(mentions)
    allowed = set(mentionable_staff(process).values_list("pk", flat=True))
    if any(mentioned.pk not in allowed for mentioned in mentions):
        raise ValidationError(
            {"mentions": ValidationError(_("Mention only staff of this process."))}
        )
    note = InternalNote.objects.create(
        idea=idea, author=user, text=text, disclosable_on_request=disclosable_on_request
    )
    note.mentions.set(mentions)
    url = reverse("evaluation:idea_notes", args=[process.slug, idea.pk])
    for mentioned in mentions:
        if mentioned.pk != user.pk:
            notification_services.notify_user(
                mentioned, message=_MENTION_MESSAGE, url=url, params={"title": idea.title}
            )
    _audit(user, process, AuditEntry.Action.NOTE, idea, note=note.pk, mentions=len(mentions))
    return note


NOTE_EXPORT_FIELDS = (
    "note_id",
    "idea_id",
    "idea_title",
    "author",
    "created_at",
    "disclosable_on_request",
    "mentions",
    "text",
)


@transaction.atomic
def notes_export_rows(user, process: Process, idea_ids: Iterable[int] | None = None) -> list:
    """Return the internal notes of `process` as rows for a disclosure request, and audit it.

    Each row is a dict with the keys of NOTE_EXPORT_FIELDS. `idea_ids` limits the export to those
    ideas. Notes that are not disclosable are included, flagged, so that staff can decide.
    """
    check_may_consolidate(user, process)
    notes = (
        InternalNote.objects.filter(idea__process=process)
        .select_related("idea", "author")
        .prefetch_related("mentions")
        .order_by("idea_id", "created_at", "pk")
    )
    if idea_ids is not None:
        idea_ids = list(idea_ids)
        notes = notes.filter(idea_id__in=idea_ids)
    rows = [
        {
            "note_id": note.pk,
            "idea_id": note.idea_id,
            "idea_title": note.idea.title,
            "author": note.author.get_full_name() or note.author.email if note.author else "",
            "created_at": note.created_at.isoformat(),
            "disclosable_on_request": note.disclosable_on_request,
            "mentions": ", ".join(sorted(m.email for m in note.mentions.all())),
            "text": note.text,
        }
        for note in notes
    ]
    _audit(user, process, AuditEntry.Action.NOTES_EXPORT, count=len(rows), ideas=idea_ids)
    logger.info("internal notes exported process=%s count=%s", process.pk, len(rows))
    return rows


# --- Consolidation ----------------------------------------------------------------------------


_ANSWER_MESSAGES = {
    Consolidation.Decision.PROPOSAL: gettext_lazy(
        "Your idea “%(title)s” became a budget proposal. Read the answer on the idea page."
    ),
    Consolidation.Decision.DECLINED: gettext_lazy(
        "Your idea “%(title)s” was declined. Read the reason on the idea page."
    ),
}


@transaction.atomic
def consolidate(
    user,
    idea: Idea,
    *,
    decision: str,
    public_reason: str,
    merged_ideas: Iterable[Idea] = (),
    final_cost: Decimal | None = None,
    owning_service_area: ServiceArea | None = None,
    budget_area: BudgetArea | None = None,
    title: str = "",
    description: str = "",
) -> Consolidation:
    """Publish the one public answer to `idea` and the similar `merged_ideas`.

    A proposal creates a budgeting.Project in `budget_area` with `final_cost`, and is allowed only
    when `owning_service_area` has itself given a feasible verdict on one of the ideas naming
    itself the owner. A decline needs only the public reason. The ideas get the status accepted
    or declined, and their authors are notified. An idea gets one answer only.
    """
    process = idea.process
    check_may_consolidate(user, process)
    merged = [other for other in merged_ideas if other.pk != idea.pk]
    # Locks in primary-key order, so that two coordinators answering overlapping sets of ideas
    # wait for each other instead of deadlocking.
    ids = sorted({idea.pk, *(other.pk for other in merged)})
    locked = {
        row.pk: row for row in Idea.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    for other in locked.values():
        if other.process_id != process.pk or other.visibility != Visibility.VISIBLE:
            raise ValidationError(
                {"merged_ideas": ValidationError(_("Merge only visible ideas of this process."))}
            )
        if other.status == Idea.Status.WITHDRAWN:
            raise ValidationError(
                {
                    "merged_ideas": ValidationError(
                        _("The idea “%(title)s” has been withdrawn."),
                        params={"title": other.title},
                    )
                }
            )
        _check_open(other)

    public_reason = clean_plain_text(
        public_reason,
        field="public_reason",
        max_length=REASON_MAX_LENGTH,
        required_message=_("Write the public reason for the answer."),
    )
    project = None
    if decision == Consolidation.Decision.PROPOSAL:
        project = _create_project(
            process,
            locked.values(),
            idea,
            final_cost=final_cost,
            owning_service_area=owning_service_area,
            budget_area=budget_area,
            title=title,
            description=description,
        )
        status = Idea.Status.ACCEPTED
    elif decision == Consolidation.Decision.DECLINED:
        owning_service_area = None
        final_cost = None
        status = Idea.Status.DECLINED
    else:
        raise ValidationError({"decision": ValidationError(_("Choose a decision."))})

    consolidation = Consolidation.objects.create(
        process=process,
        decision=decision,
        final_cost=final_cost,
        owning_service_area=owning_service_area,
        public_reason=public_reason,
        project=project,
        decided_by=user,
    )
    try:
        # The unique idea column stops a second answer that raced past the check above.
        with transaction.atomic():
            ConsolidatedIdea.objects.bulk_create(
                ConsolidatedIdea(consolidation=consolidation, idea_id=pk, is_primary=pk == idea.pk)
                for pk in ids
            )
    except IntegrityError:
        raise ValidationError(
            _("One of the ideas already has a public answer."), code="answered"
        ) from None
    Idea.objects.filter(pk__in=ids).update(status=status, updated_at=timezone.now())

    authors = {row.author for row in locked.values() if row.author is not None}
    for author in authors:
        authored = next(row for row in locked.values() if row.author_id == author.pk)
        authored.process = process
        notification_services.notify_user(
            author,
            message=_ANSWER_MESSAGES[decision],
            url=_idea_url(authored),
            params={"title": authored.title},
        )
    _audit(
        user,
        process,
        AuditEntry.Action.CONSOLIDATE,
        idea,
        consolidation=consolidation.pk,
        decision=decision,
        ideas=ids,
        project=project.pk if project else None,
        final_cost=str(final_cost) if final_cost is not None else None,
    )
    logger.info(
        "public answer published consolidation=%s decision=%s ideas=%s",
        consolidation.pk,
        decision,
        len(ids),
    )
    return consolidation


def _create_project(
    process: Process,
    ideas,
    primary: Idea,
    *,
    final_cost,
    owning_service_area,
    budget_area,
    title: str,
    description: str,
) -> Project:
    """Create the budget proposal of a consolidation, or raise ValidationError naming the field."""
    errors = {}
    if final_cost is None or final_cost <= 0:
        errors["final_cost"] = _("Give the final cost of the proposal in euros.")
    if budget_area is None or budget_area.process_id != process.pk:
        errors["budget_area"] = _("Choose the budget area of the proposal.")
    accepting = selectors.accepting_service_areas(ideas)
    if owning_service_area is None or owning_service_area not in accepting:
        errors["owning_service_area"] = _(
            "A budget proposal needs an owning service area that has found the idea feasible "
            "in its own verdict and named itself the owner."
        )
    if errors:
        raise ValidationError(errors)
    title = clean_plain_text(
        title or primary.title,
        field="title",
        max_length=Project._meta.get_field("title").max_length,
    )
    return Project.objects.create(
        area=budget_area,
        external_id=f"idea-{primary.pk}",
        title=title,
        description=(description or primary.description).strip(),
        cost=final_cost,
        idea=primary,
    )
