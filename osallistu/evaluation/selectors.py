"""Reads for expert evaluation: staff worklists and dashboard, and the public answer of an idea."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Min, Prefetch, Q
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
    "accepting_service_areas",
    "answered_idea_count",
    "assignment_for_verdict",
    "audit_entries",
    "dashboard",
    "idea_evaluation",
    "idea_notes",
    "ideas_for_assignment",
    "open_ideas",
    "ownership_needs_merge",
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
                queryset=ConsolidatedIdea.objects.select_related(
                    "idea__author", "idea__organisation"
                ).order_by("-is_primary", "idea__title"),
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


def answered_idea_count(process: Process) -> int:
    """Return how many ideas of `process` have a public answer."""
    return ConsolidatedIdea.objects.filter(idea__process=process).count()


def _accepting_verdicts(ideas: Iterable[Idea]):
    """Return the feasible verdicts on `ideas` in which the service area named itself the owner."""
    return Verdict.objects.filter(
        assignment__idea__in=list(ideas),
        feasible=True,
        owning_service_area=F("assignment__service_area"),
    )


def accepting_service_areas(ideas: Iterable[Idea]):
    """Return the service areas that found one of `ideas` feasible and would own it themselves.

    Only these areas may own a budget proposal that answers `ideas`. The consolidation form
    builds its owner choices and its validation from this, and services.consolidate checks it
    again under the row locks.
    """
    return ServiceArea.objects.filter(
        pk__in=_accepting_verdicts(ideas).values("owning_service_area")
    ).order_by("name")


def ownership_needs_merge(idea: Idea, candidates: Iterable[Idea]) -> dict[int, list[Idea]]:
    """Map each service area that accepted only merge candidates of `idea` to those candidates.

    An area in the map may own the proposal only when one of its candidates is merged into the
    answer. Areas that accepted `idea` itself are not in the map.
    """
    candidates = [candidate for candidate in candidates if candidate.pk != idea.pk]
    by_pk = {candidate.pk: candidate for candidate in candidates}
    own = set(_accepting_verdicts([idea]).values_list("owning_service_area", flat=True))
    needs: dict[int, list[Idea]] = {}
    rows = (
        _accepting_verdicts(candidates)
        .exclude(owning_service_area__in=own)
        .order_by("assignment__idea__title", "assignment__idea_id")
        .values_list("owning_service_area", "assignment__idea")
    )
    for area_id, idea_id in rows:
        needs.setdefault(area_id, []).append(by_pk[idea_id])
    return needs


def audit_entries(process: Process, limit: int = 50) -> list[AuditEntry]:
    """Return the latest audit entries of `process`, with the names their details refer to.

    Each entry gets `service_area`, the ServiceArea named in its details or None, and
    `answered_ideas`, the ideas a public answer covered, the primary one first (empty for
    other actions). The page makes a fixed number of queries.
    """
    entries = list(
        AuditEntry.objects.filter(process=process).select_related("actor", "idea")[:limit]
    )
    area_ids = {entry.details.get("service_area") for entry in entries} - {None}
    areas = ServiceArea.objects.in_bulk(area_ids)
    answers = [entry for entry in entries if entry.action == AuditEntry.Action.CONSOLIDATE]
    ideas = Idea.objects.in_bulk({pk for entry in answers for pk in entry.details.get("ideas", [])})
    for entry in entries:
        entry.service_area = areas.get(entry.details.get("service_area"))
        entry.answered_ideas = []
    for entry in answers:
        # A deleted idea leaves its id in the details but no row to name.
        answered = [ideas[pk] for pk in entry.details.get("ideas", []) if pk in ideas]
        answered.sort(key=lambda idea: idea.pk != entry.idea_id)
        entry.answered_ideas = answered
    return entries
