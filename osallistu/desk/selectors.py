"""Reads of the service desk."""

import random

from django.db.models import Count, QuerySet

from osallistu.budgeting.models import BudgetArea, Project
from osallistu.participation.models import Process

from .models import PaperBallot


def open_paper_ballots(process: Process) -> QuerySet[PaperBallot]:
    """Return the process's paper ballots waiting for entry or resolution, with entry counts."""
    return (
        PaperBallot.objects.filter(
            process=process,
            status__in=[PaperBallot.Status.ENTERING, PaperBallot.Status.HELD],
        )
        .select_related("area")
        .annotate(entry_count=Count("entries"))
        .order_by("status", "pk")
    )


def paper_ballot_get(process: Process, paper_id: int) -> PaperBallot | None:
    """Return the process's paper ballot `paper_id` with its area, or None."""
    return PaperBallot.objects.filter(process=process, pk=paper_id).select_related("area").first()


def desk_projects(area: BudgetArea, seed: int | None = None) -> list[Project]:
    """Return the area's projects: in the paper ballot's order, or shuffled by `seed`.

    Staff entering a paper ballot see the projects in a fixed order, as on the paper; a voter
    on the staff device sees them in a random order, as online.
    """
    projects = list(
        Project.objects.filter(area=area).select_related("area").order_by("external_id", "pk")
    )
    if seed is not None:
        random.Random(seed).shuffle(projects)  # noqa: S311 - an order for fairness, not a secret
    return projects
