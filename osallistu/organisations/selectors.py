"""Reads for organisation pages."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from osallistu.events.models import Event
from osallistu.participation.models import Comment, Idea, Visibility

from .models import Membership, Organisation

# Items of each list on an organisation's profile page.
PROFILE_ITEMS = 10


def organisation_list() -> QuerySet[Organisation]:
    """Return organisations by name, with their suburbs and `member_count` in two queries."""
    return (
        Organisation.objects.prefetch_related("suburbs")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )


def organisation_detail(slug: str) -> Organisation:
    """Return one organisation with its suburbs; raise Organisation.DoesNotExist."""
    return Organisation.objects.prefetch_related("suburbs").get(slug=slug)


def memberships_of(user) -> QuerySet[Membership]:
    """Return the user's memberships with their organisations, by organisation name.

    Forms that let a member post an idea or a comment for an organisation choose from these.
    An anonymous user has none.
    """
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    """Return the organisation's memberships with their users, administrators first."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__email")
    )


def organisation_events(organisation: Organisation) -> tuple[list[Event], list[Event]]:
    """Return the organisation's co-hosted upcoming events and its latest past events."""
    now = timezone.now()
    events = Event.objects.filter(co_hosts=organisation).select_related("suburb")
    upcoming = list(events.filter(ends_at__gte=now).order_by("starts_at", "pk")[:PROFILE_ITEMS])
    past = list(events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:PROFILE_ITEMS])
    return upcoming, past


def organisation_ideas(organisation: Organisation) -> QuerySet[Idea]:
    """Return the visible ideas posted for the organisation, newest first, with their process."""
    return (
        Idea.objects.filter(organisation=organisation, visibility=Visibility.VISIBLE)
        .exclude(status=Idea.Status.WITHDRAWN)
        .select_related("process")
        .order_by("-created_at", "-pk")
    )


def organisation_comments(organisation: Organisation) -> QuerySet[Comment]:
    """Return the visible comments posted for the organisation, newest first, with their topic."""
    return (
        Comment.objects.filter(organisation=organisation, visibility=Visibility.VISIBLE)
        .filter(Q(idea__isnull=True) | Q(idea__visibility=Visibility.VISIBLE))
        .select_related("idea__process", "debate__process")
        .order_by("-created_at", "-pk")
    )
