"""Reads for the Decidim export: only public, impersonal data."""

from django.db.models import Count, Q, QuerySet

from osallistu.opendata.selectors import published_ideas
from osallistu.participation.models import Idea, Process, Visibility


def proposals_for_export(process: Process) -> QuerySet[Idea]:
    """Return the process's published ideas with their visible comment count, without authors."""
    return (
        published_ideas(process)
        .select_related("suburb", "theme")
        .only(
            "pk",
            "title",
            "description",
            "status",
            "created_at",
            "suburb__slug",
            "suburb__name",
            "theme__id",
            "theme__title",
        )
        .annotate(
            visible_comments=Count("comments", filter=Q(comments__visibility=Visibility.VISIBLE))
        )
    )
