"""Reads for development themes; each function states what it loads."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ..models import Idea, Process, Theme, Visibility

__all__ = ["ThemeOverview", "accepted_themes", "theme_for_decision", "theme_overview"]


@dataclass
class ThemeOverview:
    """A process's themes by status, each ordered by title."""

    accepted: list[Theme]
    # Suggestions that wait for a staff decision.
    pending: list[Theme]
    # Suggestions and themes that staff merged or declined.
    closed: list[Theme]


def theme_overview(process: Process) -> ThemeOverview:
    """Return the process's themes in one query, each with `idea_count` and `merged_into`.

    `idea_count` counts the theme's ideas that residents see: visible and not withdrawn.
    """
    themes = (
        Theme.objects.filter(process=process)
        .select_related("merged_into")
        .annotate(
            idea_count=Count(
                "ideas",
                filter=Q(ideas__visibility=Visibility.VISIBLE)
                & ~Q(ideas__status=Idea.Status.WITHDRAWN),
            )
        )
        .order_by("title", "pk")
    )
    overview = ThemeOverview(accepted=[], pending=[], closed=[])
    for theme in themes:
        if theme.status == Theme.Status.ACCEPTED:
            overview.accepted.append(theme)
        elif theme.status == Theme.Status.SUGGESTED:
            overview.pending.append(theme)
        else:
            overview.closed.append(theme)
    return overview


def accepted_themes(process: Process) -> QuerySet[Theme]:
    """Return the process's accepted themes by title: the themes an idea or a merge may use."""
    return Theme.objects.filter(process=process, status=Theme.Status.ACCEPTED).order_by(
        "title", "pk"
    )


def theme_for_decision(process: Process, theme_id: int) -> Theme:
    """Return one theme of `process` with its merge target; raise Theme.DoesNotExist."""
    return Theme.objects.select_related("merged_into", "process").get(process=process, pk=theme_id)
