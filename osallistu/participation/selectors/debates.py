"""Reads for debate pages."""

from django.db.models import Count, Q, QuerySet

from ..models import Debate, Process, Visibility

__all__ = ["debate_detail", "debate_list"]


def debate_list(process: Process) -> QuerySet[Debate]:
    """Return the debates of `process`, open ones first and then newest first.

    Each debate carries `comment_count`, its visible comments, from the same query.
    """
    return (
        Debate.objects.filter(process=process)
        .annotate(
            comment_count=Count("comments", filter=Q(comments__visibility=Visibility.VISIBLE))
        )
        .order_by("is_closed", "-created_at", "pk")
    )


def debate_detail(process: Process, debate_id: int) -> Debate:
    """Return one debate of `process`, with `process` set; raise Debate.DoesNotExist."""
    debate = Debate.objects.get(process=process, pk=debate_id)
    # Reuse the caller's process, whose phases are prefetched for the permission checks.
    debate.process = process
    return debate
