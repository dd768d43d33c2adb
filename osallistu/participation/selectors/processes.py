"""Reads for process pages; each function states what it prefetches."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Phase, Process

__all__ = ["current_phase", "next_phase", "process_detail", "process_list"]


def process_list() -> QuerySet[Process]:
    """Return processes newest first, with their phases and suburbs prefetched."""
    return Process.objects.prefetch_related("phases", "suburbs").order_by("-created_at", "pk")


def process_detail(slug: str) -> Process:
    """Return one process with phases, suburbs and budget areas; raise Process.DoesNotExist."""
    return Process.objects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
        "suburbs",
        "budget_areas",
    ).get(slug=slug)


def current_phase(process: Process, today: datetime.date | None = None) -> Phase | None:
    """Return the phase running today, or None between and outside phases."""
    today = today or timezone.localdate()
    for phase in process.phases.all():
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    return None


def next_phase(process: Process, today: datetime.date | None = None) -> Phase | None:
    """Return the first phase that starts after today."""
    today = today or timezone.localdate()
    upcoming = [phase for phase in process.phases.all() if phase.starts_on > today]
    return min(upcoming, key=lambda phase: phase.starts_on, default=None)
