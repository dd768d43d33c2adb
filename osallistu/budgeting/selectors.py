"""Reads for participatory budgeting: ballots, vote counts and results."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from osallistu.participation.models import Process

from .counting import greedy
from .models import BudgetArea, ParticipationRecord, Project


def has_voted(voter, process: Process) -> bool:
    """Return True if the voter already has a participation record in the process."""
    return (
        voter.is_authenticated
        and ParticipationRecord.objects.filter(process=process, voter=voter).exists()
    )


def budgeting_process_get(identifier: str) -> Process | None:
    """Return the participatory budgeting process with this slug, or else this numeric id.

    The slug wins when a slug consists of digits. Return None if no such process exists.
    """
    processes = Process.objects.filter(kind=Process.Kind.PARTICIPATORY_BUDGETING)
    process = processes.filter(slug=identifier).first()
    if process is None and identifier.isascii() and identifier.isdigit():
        process = processes.filter(pk=int(identifier)).first()
    return process


def budget_areas(process: Process) -> QuerySet[BudgetArea]:
    """Return the process's budget areas with their suburbs."""
    return process.budget_areas.select_related("suburb").order_by("name")


def ballot_projects(area: BudgetArea) -> QuerySet[Project]:
    """Return the projects on the area's ballot, by title."""
    return Project.objects.filter(area=area).order_by("title", "pk")


def vote_counts(area: BudgetArea) -> dict[int, int]:
    """Return {project pk: number of ballots that chose it} for every project of the area."""
    rows = (
        Project.objects.filter(area=area)
        .annotate(votes=Count("choices"))
        .values_list("pk", "votes")
    )
    return dict(rows)


@dataclass(frozen=True)
class ResultRow:
    project: Project
    votes: int
    decision: greedy.Decision


@dataclass(frozen=True)
class AreaResult:
    area: BudgetArea
    rule: str
    rows: list[ResultRow]
    winners: list[Project]
    spent: Decimal
    ballot_count: int


def area_result(area: BudgetArea) -> AreaResult:
    """Count the area's ballots by the greedy rule and explain each project's outcome.

    Rows come in the order the rule considered the projects: most votes first.
    """
    projects = {
        project.external_id: project
        for project in Project.objects.filter(area=area).annotate(votes=Count("choices"))
    }
    candidates = [
        greedy.Candidate(id=project.external_id, cost=project.cost, votes=project.votes)
        for project in projects.values()
    ]
    outcome = greedy.greedy(candidates, area.budget)
    rows = [
        ResultRow(project=projects[decision.id], votes=decision.votes, decision=decision)
        for decision in outcome.decisions
    ]
    return AreaResult(
        area=area,
        rule=greedy.RULE_NAME,
        rows=rows,
        winners=[projects[project_id] for project_id in outcome.winners],
        spent=outcome.spent,
        ballot_count=area.ballots.count(),
    )
