"""Reads for idea pages."""

from django.db.models import QuerySet

from ..models import Idea, Process

__all__ = ["idea_list"]


def idea_list(process: Process) -> QuerySet[Idea]:
    """Return the process's visible ideas with suburb and author loaded in the same query."""
    return (
        Idea.objects.filter(process=process)
        .exclude(status=Idea.Status.WITHDRAWN)
        .select_related("suburb", "author")
        .order_by("-created_at", "pk")
    )
