"""Reads for open data: only what is public, and nothing from which a person could be identified.

Ideas are published without their author, organisation, images, map point or comments, because
any of these may identify a resident. Indicator values that Statistics Finland or the city
suppressed stay null.
"""

from django.db.models import Prefetch, QuerySet

from osallistu.areas.models import Indicator, IndicatorValue, PostalArea, Suburb
from osallistu.participation.models import Idea, Phase, Process, Visibility


def suburbs() -> QuerySet[Suburb]:
    return Suburb.objects.prefetch_related(
        Prefetch("postal_areas", queryset=PostalArea.objects.only("code").order_by("code"))
    ).order_by("slug")


def postal_areas() -> QuerySet[PostalArea]:
    return PostalArea.objects.order_by("code")


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("domain").order_by("code")


def indicator_values(indicator: Indicator, *, year: int | None = None) -> QuerySet[IndicatorValue]:
    values = IndicatorValue.objects.filter(indicator=indicator).select_related(
        "postal_area", "suburb"
    )
    if year is not None:
        values = values.filter(statistics_year=year)
    return values.order_by(
        "statistics_year", "municipality_code", "postal_area__code", "suburb__slug"
    )


def processes() -> QuerySet[Process]:
    return Process.objects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
        Prefetch("suburbs", queryset=Suburb.objects.only("slug").order_by("slug")),
    ).order_by("-created_at", "slug")


def published_ideas(process: Process) -> QuerySet[Idea]:
    """Return the process's ideas that residents can see, with only public, impersonal fields."""
    return (
        Idea.objects.filter(process=process, visibility=Visibility.VISIBLE)
        .exclude(status=Idea.Status.WITHDRAWN)
        .select_related("suburb", "theme")
        .only("pk", "title", "description", "status", "created_at", "suburb__slug", "theme__title")
        .order_by("pk")
    )
