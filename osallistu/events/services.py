"""Writes for events: one function per action, each checking its own permission.

Registration counts are decided under a row lock on the event, so that two residents registering
at once cannot both take the last place, and a cancellation promotes exactly one waiting person
per freed place.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.areas.models import Suburb
from osallistu.core.age_groups import UNKNOWN, configured_age_groups
from osallistu.notifications import services as notifications
from osallistu.organisations.models import Organisation
from osallistu.participation import services as participation
from osallistu.participation.models import Channel, Comment, Idea, Process

from .models import Event, EventOutcome, Registration
from .permissions import can_enter_on_behalf, can_manage_events

logger = logging.getLogger(__name__)

# Channels that staff may give a contribution they type in on someone's behalf.
OFFLINE_CHANNELS = (Channel.PAPER, Channel.WORKSHOP, Channel.OUTREACH, Channel.PHONE)
# Path segments of events/urls.py that an event's slug must not take.
RESERVED_SLUGS = frozenset({"new", "statistics", "calendar"})
_ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


def _check_manager(user, process: Process | None) -> None:
    if not can_manage_events(user, process):
        raise PermissionDenied(_("Only the process's coordinators and administrators may do this."))


def _unique_slug(title: str) -> str:
    base = slugify(title)[:90] or "event"
    slug, suffix = base, 2
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _validate_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at < starts_at:
        raise ValidationError(
            {"ends_at": _("The event cannot end before it starts.")}, code="ends_before_start"
        )


def event_create(
    *,
    user,
    process: Process | None,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    description: str = "",
    address: str = "",
    accessibility: str = "",
    registration_required: bool = False,
    capacity: int | None = None,
    suburb: Suburb | None = None,
    co_hosts: Iterable[Organisation] = (),
) -> Event:
    """Create an event of `process` (or a city-wide one if None) as `user`.

    Raise PermissionDenied unless the user coordinates or administers the process, and
    ValidationError if the event ends before it starts.
    """
    _check_manager(user, process)
    _validate_times(starts_at, ends_at)
    with transaction.atomic():
        event = Event.objects.create(
            process=process,
            suburb=suburb,
            kind=kind,
            title=title,
            slug=_unique_slug(title),
            description=description,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            address=address,
            accessibility=accessibility,
            registration_required=registration_required,
            capacity=capacity,
            created_by=user,
        )
        event.co_hosts.set(co_hosts)
    logger.info("event created event=%s process=%s", event.pk, getattr(process, "pk", None))
    return event


def event_update(
    *,
    user,
    event: Event,
    process: Process | None,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    description: str = "",
    address: str = "",
    accessibility: str = "",
    registration_required: bool = False,
    capacity: int | None = None,
    suburb: Suburb | None = None,
    co_hosts: Iterable[Organisation] = (),
) -> Event:
    """Change an event, its co-hosts included, and keep its identifier (slug).

    Raise PermissionDenied unless `user` manages the events of both the old and the new process.
    Raise ValidationError if the capacity would drop below the confirmed registrations, because
    confirmed people are never moved back to the waiting list. A larger capacity confirms waiting
    people in the order they registered.
    """
    _check_manager(user, event.process)
    if process != event.process:
        _check_manager(user, process)
    _validate_times(starts_at, ends_at)
    promoted: list[Registration] = []
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if capacity is not None and capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(count)d person has a confirmed place, so the capacity cannot be "
                        "smaller than that.",
                        "%(count)d people have a confirmed place, so the capacity cannot be "
                        "smaller than that.",
                        confirmed,
                    )
                    % {"count": confirmed}
                },
                code="capacity_below_confirmed",
            )
        for name, value in {
            "process": process,
            "suburb": suburb,
            "kind": kind,
            "title": title,
            "description": description,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "address": address,
            "accessibility": accessibility,
            "registration_required": registration_required,
            "capacity": capacity,
        }.items():
            setattr(event, name, value)
        event.save()
        event.co_hosts.set(co_hosts)
        promoted = _promote_waiting(event, confirmed)
    logger.info("event updated event=%s promoted=%d", event.pk, len(promoted))
    return event


def _promote_waiting(event: Event, confirmed: int) -> list[Registration]:
    """Confirm waiting registrations, oldest first, while places are free.

    The caller holds the event's row lock. Each promoted person is notified after commit.
    """
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - confirmed
        if free <= 0:
            return []
    waiting = (
        event.registrations.filter(status=Registration.Status.WAITING)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        transaction.on_commit(lambda r=registration: _notify_promoted(r))
    return promoted


def _notify_promoted(registration: Registration) -> None:
    user = registration.user
    event = registration.event
    with translation.override(user.language):
        message = _(
            "A place has become free for you at %(event)s. Your registration is now confirmed."
        ) % {"event": event.title}
        notifications.notify_user(user, message=message, url=event.get_absolute_url())


def registration_is_open(event: Event, now: datetime.datetime | None = None) -> bool:
    """Return True while residents may register for the event or cancel: until it starts."""
    now = now or timezone.now()
    return event.registration_required and now < event.starts_at


def registration_create(*, user, event: Event) -> Registration:
    """Register `user` for `event`: confirmed while places remain, else on the waiting list.

    A cancelled registration is renewed at the end of the waiting order. Raise PermissionDenied
    for an anonymous user and ValidationError if the event takes no registrations, has already
    started, or the user is already registered.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to register for the event."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.registration_required:
            raise ValidationError(
                _("This event needs no registration. Welcome!"), code="no_registration"
            )
        if not registration_is_open(event):
            raise ValidationError(
                _("Registration has closed because the event has already started."),
                code="closed",
            )
        existing = Registration.objects.filter(event=event, user=user).first()
        if existing is not None and existing.status in _ACTIVE:
            raise ValidationError(
                _("You have already registered for this event."), code="already_registered"
            )
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        has_place = event.capacity is None or confirmed < event.capacity
        status = Registration.Status.CONFIRMED if has_place else Registration.Status.WAITING
        if existing is None:
            registration = Registration.objects.create(event=event, user=user, status=status)
        else:
            # A renewed registration queues behind everyone who registered before it.
            existing.status = status
            existing.created_at = timezone.now()
            existing.save(update_fields=["status", "created_at"])
            registration = existing
    logger.info("registration event=%s status=%s", event.pk, registration.status)
    return registration


def registration_cancel(*, user, event: Event) -> Registration:
    """Cancel `user`'s registration and give a freed place to the first person waiting.

    Raise ValidationError if the user has no active registration or the event has started.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to register for the event."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        registration = Registration.objects.filter(
            event=event, user=user, status__in=_ACTIVE
        ).first()
        if registration is None:
            raise ValidationError(
                _("You have no registration for this event to cancel."), code="not_registered"
            )
        if not registration_is_open(event):
            raise ValidationError(
                _("The event has already started, so the registration can no longer be cancelled."),
                code="closed",
            )
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status"])
        promoted: list[Registration] = []
        if was_confirmed:
            confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
            promoted = _promote_waiting(event, confirmed)
    logger.info("registration cancelled event=%s promoted=%d", event.pk, len(promoted))
    return registration


def _clean_counts(participants_by_age_group: Mapping[str, int]) -> dict[str, int]:
    keys = [group.key for group in configured_age_groups()] + [UNKNOWN]
    unknown_keys = sorted(set(participants_by_age_group) - set(keys))
    if unknown_keys:
        raise ValidationError(
            _("Unknown age groups: %(keys)s.") % {"keys": ", ".join(unknown_keys)},
            code="unknown_age_group",
        )
    counts: dict[str, int] = {}
    for key in keys:
        count = participants_by_age_group.get(key) or 0
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError(
                _("Each head count must be a whole number, zero or more."), code="invalid_count"
            )
        counts[key] = count
    return counts


def outcome_record(
    *, user, event: Event, summary: str, participants_by_age_group: Mapping[str, int]
) -> EventOutcome:
    """Create or replace the outcome of an event that has started.

    `participants_by_age_group` maps configured age group keys and UNKNOWN to head counts. A key
    left out counts as 0. Raise PermissionDenied unless `user` manages the event's process, and
    ValidationError for an event that has not started or for invalid counts.
    """
    _check_manager(user, event.process)
    if event.starts_at > timezone.now():
        raise ValidationError(
            _("The outcome can be recorded once the event has started."), code="not_started"
        )
    counts = _clean_counts(participants_by_age_group)
    with transaction.atomic():
        outcome, _created = EventOutcome.objects.update_or_create(
            event=event,
            defaults={
                "summary": summary,
                "participants_by_age_group": counts,
                "recorded_by": user,
            },
        )
    logger.info("event outcome recorded event=%s", event.pk)
    return outcome


def _check_offline_entry(user, event: Event, channel: str) -> Process:
    if event.process is None:
        raise ValidationError(
            _("Link the event to a process before entering its ideas and comments."),
            code="no_process",
        )
    if not can_enter_on_behalf(user, event.process):
        raise PermissionDenied(
            _("Only the process's coordinators and administrators may enter contributions.")
        )
    if channel not in OFFLINE_CHANNELS:
        raise ValidationError(
            {"channel": _("Choose how the contribution was collected.")}, code="invalid_channel"
        )
    return event.process


def event_idea_create(
    *,
    user,
    event: Event,
    title: str,
    description: str,
    channel: str = Channel.PAPER,
    suburb: Suburb | None = None,
) -> Idea:
    """Enter an idea collected at `event` on a participant's behalf, as staff member `user`.

    The idea has no author account. It records its channel, the event and `user` as the person
    who entered it, and it is published whatever the process's phase.
    """
    process = _check_offline_entry(user, event, channel)
    return participation.idea_create(
        user=None,
        process=process,
        title=title,
        description=description,
        suburb=suburb,
        channel=channel,
        entered_by=user,
        event=event,
    )


def event_comment_create(
    *,
    user,
    event: Event,
    idea: Idea,
    body: str,
    stance: str = Comment.Stance.NEUTRAL,
    channel: str = Channel.PAPER,
) -> Comment:
    """Enter a comment on `idea` collected at `event` on a participant's behalf.

    The comment has no author account. It records its channel, the event and `user` as the
    person who entered it. Raise ValidationError if the idea belongs to another process than
    the event.
    """
    process = _check_offline_entry(user, event, channel)
    if idea.process_id != process.pk:
        raise ValidationError(
            {"idea": _("Choose an idea of the event's process.")}, code="other_process"
        )
    return participation.comment_create(
        None,
        idea=idea,
        body=body,
        stance=stance,
        channel=channel,
        entered_by=user,
        event=event,
    )
