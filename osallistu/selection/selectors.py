"""Reads for the selection pages and for other apps; each function states what it loads."""

from django.db.models import Prefetch, QuerySet

from osallistu.areas.models import Suburb

from .models import ChosenSuburb, SelectionRound


def chosen_suburbs(year: int | None = None) -> QuerySet[Suburb]:
    """Return the suburbs chosen in decided rounds, in name order.

    With `year`, only that year's decided rounds count; otherwise every year's. One query.
    """
    rounds = SelectionRound.objects.filter(status=SelectionRound.Status.DECIDED)
    if year is not None:
        rounds = rounds.filter(year=year)
    return Suburb.objects.filter(selection_rounds__in=rounds).distinct().order_by("name")


def round_list() -> QuerySet[SelectionRound]:
    """Return every round, newest year and version first, with its chosen suburbs. Two queries."""
    return SelectionRound.objects.select_related("created_by").prefetch_related(
        Prefetch(
            "chosen", queryset=ChosenSuburb.objects.select_related("suburb").order_by("position")
        )
    )
