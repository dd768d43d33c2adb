"""Reads for idea pages."""

import secrets

from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from osallistu.areas import maps
from osallistu.areas.models import PostalArea, Suburb

from ..models import Comment, Idea, IdeaImage, Process, Theme, Visibility

__all__ = [
    "IDEA_ORDERS",
    "RANDOM_ORDER_PRIME",
    "idea_detail",
    "idea_list",
    "idea_location_map",
    "idea_random_seed",
    "idea_random_seed_is_valid",
]

# Random order sorts by a polynomial of degree 3 in the id, modulo this prime (2**31 - 1), with
# the seed as its coefficients. Random coefficients make the keys of any four ideas independent
# (a 4-wise independent hash), so no idea tends to follow another. An affine key (a * id + b)
# gives striped orders such as 26, 23, 20, 17, and many seeds share one order. Each product of two
# values below the prime is below 2**62, so the arithmetic fits a signed 64-bit integer on SQLite
# and PostgreSQL whatever the ids.
RANDOM_ORDER_PRIME = 2**31 - 1
_RANDOM_ORDER_DEGREE = 3
IDEA_ORDERS = ("random", "newest", "oldest", "comments")


def idea_random_seed() -> list[int]:
    """Return a new seed for idea_list(order="random"): the polynomial's coefficients."""
    return [secrets.randbelow(RANDOM_ORDER_PRIME) for _ in range(_RANDOM_ORDER_DEGREE + 1)]


def idea_random_seed_is_valid(seed) -> bool:
    """Return True if `seed` is a seed as idea_random_seed() makes them, as from a session."""
    return (
        isinstance(seed, list | tuple)
        and len(seed) == _RANDOM_ORDER_DEGREE + 1
        and all(isinstance(part, int) and not isinstance(part, bool) for part in seed)
        and all(0 <= part < RANDOM_ORDER_PRIME for part in seed)
    )


def _random_order_key(seed) -> ExpressionWrapper:
    """Return the SQL expression of the polynomial `seed` at the id, by Horner's rule."""
    if not idea_random_seed_is_valid(seed):
        raise ValueError(f"invalid random-order seed {seed!r}")
    prime = Value(RANDOM_ORDER_PRIME)
    point = F("pk") % prime
    highest, *lower = seed
    key = Value(highest)
    for coefficient in lower:
        key = (key * point + Value(coefficient)) % prime
    return ExpressionWrapper(key, output_field=BigIntegerField())


def _visible_comment_count() -> Coalesce:
    # A correlated subquery, not Count() over a join, so that the paginator's count query needs no
    # GROUP BY over the comments and the annotation is computed only where it is used.
    counts = (
        Comment.objects.filter(idea=OuterRef("pk"), visibility=Visibility.VISIBLE)
        .order_by()
        .values("idea")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def idea_list(
    process: Process,
    *,
    search: str = "",
    suburb: Suburb | None = None,
    theme: Theme | None = None,
    status: str | None = None,
    order: str = "newest",
    seed=None,
) -> QuerySet[Idea]:
    """Return the visible ideas of `process`, filtered and ordered, with `comment_count`.

    Pending, hidden and withdrawn ideas are left out. `search` matches title or description,
    ignoring case (on SQLite only for ASCII letters, as its LIKE does). `order` is one of
    IDEA_ORDERS; random order needs `seed` from idea_random_seed() and gives the same order for
    the same seed. Suburb, theme, organisation and author are loaded in the same query.
    """
    ideas = (
        Idea.objects.filter(process=process, visibility=Visibility.VISIBLE)
        .exclude(status=Idea.Status.WITHDRAWN)
        .select_related("suburb", "theme", "organisation", "author")
        .annotate(comment_count=_visible_comment_count())
    )
    search = search.strip()
    if search:
        ideas = ideas.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if suburb is not None:
        ideas = ideas.filter(suburb=suburb)
    if theme is not None:
        ideas = ideas.filter(theme=theme)
    if status:
        ideas = ideas.filter(status=status)
    if order == "random":
        return ideas.order_by(_random_order_key(seed), "pk")
    if order == "oldest":
        return ideas.order_by("created_at", "pk")
    if order == "comments":
        return ideas.order_by(F("comment_count").desc(), "-created_at", "-pk")
    if order == "newest":
        return ideas.order_by("-created_at", "-pk")
    raise ValueError(f"unknown idea order {order!r}; expected one of {IDEA_ORDERS}")


def idea_detail(process: Process, idea_id: int) -> Idea | None:
    """Return an idea of `process` that is not withdrawn, whatever its visibility, or None.

    The caller decides who may see a pending or hidden idea. Theme, suburb with its postal areas,
    organisation, author, event and images are loaded with it.
    """
    return (
        Idea.objects.filter(process=process, pk=idea_id)
        .exclude(status=Idea.Status.WITHDRAWN)
        .select_related("process", "suburb", "theme", "organisation", "author", "event")
        .prefetch_related(
            Prefetch("images", queryset=IdeaImage.objects.order_by("position", "pk")),
            "suburb__postal_areas",
        )
        .first()
    )


def idea_location_map(idea: Idea, *, id_prefix: str = "idea-map") -> maps.PointMap | None:
    """Return the SVG map of the idea's point, or None if it has no point or no area near it.

    The map shows the postal areas of the idea's suburb, or else those of the process's suburbs.
    """
    if idea.latitude is None or idea.longitude is None:
        return None
    if idea.suburb is not None:
        areas = list(idea.suburb.postal_areas.all())
    else:
        areas = list(PostalArea.objects.filter(suburbs__processes=idea.process_id).distinct())
    return maps.render_point_map(
        idea.longitude, idea.latitude, idea.location_text, areas, id_prefix=id_prefix
    )
