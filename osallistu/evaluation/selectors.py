"""Reads for expert evaluation: staff worklists and dashboard, and the public answer of an idea."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone

from osallistu.accounts.models import ServiceArea
from osallistu.participation.models import Idea, Process, Visibility

from .models import (
    Assignment,
    AuditEntry,
    ConsolidatedIdea,
    Consolidation,
    CriterionAnswer,
    InternalNote,
    Verdict,
)

__all__ = [
    "AreaProgress",
    "assignment_for_verdict",
    "audit_entries",
    "dashboard",
    "idea_evaluation",
    "idea_notes",
    "ideas_for_assignment",
    "open_ideas",
    "public_answer",
    "public_criteria",
    "worklist",
]


def public_criteria(process: Process):
    """Return the published criteria of `process` in their order."""
    return process.evaluation_criteria.filter(published_at__isnull=False)


def _answers():
    return CriterionAnswer.objects.select_related("criterion").order_by(
        "criterion__position", "criterion_id"
    )


def _verdict_prefetch() -> Prefetch:
    return Prefetch("verdict__answers", queryset=_answers())


def _assignments():
    return Assignment.objects.select_related(
        "service_area", "verdict", "verdict__owning_service_area"
    ).prefetch_related(_verdict_prefetch(), "verdict__cost_rows")


@dataclass
class AreaProgress:
    """Evaluation progress of one service area in a process."""

    service_area: ServiceArea
    total: int
    submitted: int
    overdue: int
    next_deadline: datetime.date | None

    @property
    def open(self) -> int:
        return self.total - self.submitted

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


def dashboard(process: Process, today: datetime.date | None = None) -> dict:
    """Return the progress per service area and the overdue assignments of `process`.

    Overdue means past the deadline without a verdict. The page makes a fixed number of queries.
    """
    today = today or timezone.localdate()
    pending = Q(evaluation_assignments__verdict__isnull=True)
    in_process = Q(evaluation_assignments__idea__process=process)
    areas = (
        ServiceArea.objects.filter(in_process)
        .annotate(
            total=Count("evaluation_assignments", filter=in_process),
            submitted=Count(
                "evaluation_assignments",
                filter=in_process & Q(evaluation_assignments__verdict__isnull=False),
            ),
            overdue=Count(
                "evaluation_assignments",
                filter=in_process & pending & Q(evaluation_assignments__deadline__lt=today),
            ),
            next_deadline=Min(
                "evaluation_assignments__deadline",
                filter=in_process & pending & Q(evaluation_assignments__deadline__gte=today),
            ),
        )
        .distinct()
        .order_by("name")
    )
    overdue = (
        Assignment.objects.filter(idea__process=process, verdict__isnull=True, deadline__lt=today)
        .select_related("idea", "service_area")
        .order_by("deadline", "pk")
    )
    return {
        "areas": [
            AreaProgress(area, area.total, area.submitted, area.overdue, area.next_deadline)
            for area in areas
        ],
        "overdue": list(overdue),
        "answered": ConsolidatedIdea.objects.filter(idea__process=process).count(),
        "ideas": Idea.objects.filter(process=process, visibility=Visibility.VISIBLE).count(),
    }


def worklist(process: Process, service_area_ids=None, today: datetime.date | None = None):
    """Return the assignments of `process`, limited to `service_area_ids` unless it is None.

    Unanswered assignments come first, by deadline. Each has `is_overdue` set.
    """
    today = today or timezone.localdate()
    assignments = Assignment.objects.filter(idea__process=process).select_related(
        "idea", "service_area", "verdict"
    )
    if service_area_ids is not None:
        assignments = assignments.filter(service_area_id__in=service_area_ids)
    rows = list(assignments.order_by("deadline", "idea__title", "pk"))
    for assignment in rows:
        assignment.has_verdict = hasattr(assignment, "verdict")
        assignment.is_overdue = not assignment.has_verdict and assignment.deadline < today
    rows.sort(key=lambda assignment: assignment.has_verdict)
    return rows


def assignment_for_verdict(process: Process, assignment_id: int) -> Assignment:
    """Return the assignment with its idea, service area and verdict, or raise DoesNotExist."""
    return _assignments().select_related("idea").get(pk=assignment_id, idea__process=process)


def ideas_for_assignment(process: Process):
    """Return the visible, unanswered ideas of `process` with their assignments."""
    return (
        open_ideas(process)
        .prefetch_related(
            Prefetch(
                "evaluation_assignments",
                queryset=Assignment.objects.select_related("service_area", "verdict"),
            )
        )
        .order_by("title", "pk")
    )


def open_ideas(process: Process):
    """Return the visible ideas of `process` that have no public answer yet."""
    return Idea.objects.filter(
        process=process,
        visibility=Visibility.VISIBLE,
        status=Idea.Status.PUBLISHED,
        consolidation_link__isnull=True,
    )


def idea_evaluation(idea: Idea) -> list[Assignment]:
    """Return the assignments of `idea` with their verdicts, answers and cost rows."""
    return list(_assignments().filter(idea=idea).order_by("service_area__name"))


def idea_notes(idea: Idea):
    """Return the internal notes of `idea`, oldest first. Staff pages only."""
    return (
        InternalNote.objects.filter(idea=idea).select_related("author").prefetch_related("mentions")
    )


def public_answer(idea: Idea) -> dict:
    """Return what residents see of the evaluation of `idea`: the answer and the verdicts.

    Internal notes are never part of it.
    """
    consolidation = (
        Consolidation.objects.filter(idea_links__idea=idea)
        .select_related("owning_service_area", "project")
        .prefetch_related(
            Prefetch(
                "idea_links",
                queryset=ConsolidatedIdea.objects.select_related("idea__author").order_by(
                    "-is_primary", "idea__title"
                ),
            )
        )
        .first()
    )
    verdicts = list(
        Verdict.objects.filter(assignment__idea=idea)
        .select_related("assignment__service_area", "owning_service_area")
        .prefetch_related(Prefetch("answers", queryset=_answers()), "cost_rows")
        .order_by("assignment__service_area__name")
    )
    return {"consolidation": consolidation, "verdicts": verdicts}


def audit_entries(process: Process, limit: int = 50):
    """Return the latest audit entries of `process`."""
    return AuditEntry.objects.filter(process=process).select_related("actor", "idea")[:limit]
