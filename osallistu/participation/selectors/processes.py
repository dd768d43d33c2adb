"""Reads for process pages; each function states what it prefetches."""

from django.db.models import Prefetch, QuerySet

from ..models import Phase, Process

__all__ = ["process_detail", "process_list"]


def process_list() -> QuerySet[Process]:
    """Return processes newest first, with their phases and suburbs prefetched."""
    return Process.objects.prefetch_related("phases", "suburbs").order_by("-created_at", "pk")


def process_detail(slug: str) -> Process:
    """Return one process with phases, suburbs and budget areas; raise Process.DoesNotExist.

    The suburbs are prefetched also because participation.rules reads them for staff roles
    scoped to a suburb.
    """
    return Process.objects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
        "suburbs",
        "budget_areas",
    ).get(slug=slug)
