"""Reads for posters, newsletters and the communication channel log."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from osallistu.areas.models import Suburb
from osallistu.events.models import Event
from osallistu.notifications.models import Follow
from osallistu.participation.models import Phase, Process

from .models import ChannelUse, CommunicationChannel, NewsletterIssue

__all__ = [
    "Step",
    "absolute_url",
    "active_channels",
    "channel_use_summary",
    "channel_use_table",
    "content_type_of",
    "event_page_path",
    "event_suburbs",
    "follower_count",
    "newsletter_list",
    "newsletter_recipients",
    "open_processes",
    "process_page_path",
    "recent_channel_uses",
    "recipient_counts",
    "suburb_page_path",
    "suburb_steps",
    "upcoming_events",
]

# How many upcoming events a poster or newsletter lists.
UPCOMING_EVENT_LIMIT = 4


def absolute_url(path: str) -> str:
    """Return `path` on the public site address, for posters and emails that have no request."""
    return urljoin(settings.OSALLISTU_SITE_URL, path)


def suburb_page_path(suburb: Suburb) -> str:
    """Return the Finnish path of the suburb's programme page, or of its situational picture.

    The programme page is used where the suburb has a programme and the programmes app serves
    a page for it.
    """
    with translation.override("fi"):
        if _has_programme(suburb):
            try:
                return reverse("programmes:detail", kwargs={"slug": suburb.programme.slug})
            except NoReverseMatch:
                pass
        return reverse("areas:suburb_picture", kwargs={"slug": suburb.slug})


def _has_programme(suburb: Suburb) -> bool:
    try:
        return suburb.programme is not None
    except (ObjectDoesNotExist, AttributeError):
        return False


def event_page_path(event: Event) -> str:
    """Return the Finnish path of the event's public page."""
    with translation.override("fi"):
        return reverse("events:detail", kwargs={"slug": event.slug})


def event_suburbs(event: Event) -> list[Suburb]:
    """Return the suburbs whose channel log covers `event`, by name.

    That is the event's own suburb, or, for an event without one, every suburb of its process
    (a process may span several suburbs). An event with neither has no suburb.
    """
    if event.suburb_id is not None:
        return [event.suburb]
    if event.process_id is None:
        return []
    return list(Suburb.objects.filter(processes=event.process_id).order_by("name"))


def _suburb_events(suburb: Suburb) -> QuerySet[Event]:
    """Return the events in the log of `suburb`: its own and those of its processes' events
    that name no suburb (see event_suburbs).
    """
    return Event.objects.filter(
        Q(suburb=suburb) | Q(suburb__isnull=True, process__suburbs=suburb)
    ).distinct()


def process_page_path(process: Process) -> str:
    """Return the Finnish path of the process's public page."""
    with translation.override("fi"):
        return reverse("participation:process_detail", kwargs={"slug": process.slug})


# Phase kinds in which residents take part. Implementation also allows comments, but a process
# whose only running phase is implementation is no longer "open" on a poster or newsletter.
OPEN_PHASE_KINDS = tuple(kind for kind in Phase.Kind.values if kind != Phase.Kind.IMPLEMENTATION)


def open_processes(suburb: Suburb, today: datetime.date | None = None) -> list[Process]:
    """Return the suburb's processes open to residents today, by title.

    A process is open when a phase runs today whose kind lets residents take part: any kind but
    implementation. Processes between phases or only with phases to come are left out.
    """
    today = today or timezone.localdate()
    running = Phase.objects.filter(
        starts_on__lte=today, ends_on__gte=today, kind__in=OPEN_PHASE_KINDS
    )
    return list(
        Process.objects.filter(suburbs=suburb, pk__in=running.values("process_id"))
        .prefetch_related("phases")
        .order_by("title")
    )


def upcoming_events(suburb: Suburb, limit: int = UPCOMING_EVENT_LIMIT) -> list[Event]:
    """Return the next events in the suburb, soonest first."""
    return list(
        Event.objects.filter(suburb=suburb, ends_at__gte=timezone.now()).order_by("starts_at")[
            :limit
        ]
    )


def active_channels() -> QuerySet[CommunicationChannel]:
    """Return the channels staff may log uses of, in their display order."""
    return CommunicationChannel.objects.filter(active=True)


@dataclass
class Step:
    """A step of a suburb's participation that communication can be logged for."""

    key: str
    label: str
    target: object = field(repr=False)


def content_type_of(target) -> ContentType:
    """Return the content type of a step, from Django's cache after the first call."""
    return ContentType.objects.get_for_model(target)


def _step(target, label: str) -> Step:
    return Step(key=f"{content_type_of(target).pk}:{target.pk}", label=label, target=target)


def suburb_steps(suburb: Suburb) -> list[Step]:
    """Return the suburb's steps, in this order: the suburb, its programme, its project
    packages, the phases of its processes and its events.
    """
    steps = [_step(suburb, str(suburb))]
    if _has_programme(suburb):
        programme = suburb.programme
        steps.append(_step(programme, str(programme)))
        for package in programme.project_packages.all():
            steps.append(_step(package, str(package)))
    phases = (
        Phase.objects.filter(process__suburbs=suburb)
        .select_related("process")
        .order_by("process__title", "starts_on")
    )
    steps += [_step(phase, str(phase)) for phase in phases]
    events = _suburb_events(suburb).order_by("starts_at")
    steps += [
        _step(event, f"{event.title} ({timezone.localtime(event.starts_at):%d.%m.%Y})")
        for event in events
    ]
    return steps


def _uses(suburb: Suburb, year: int) -> QuerySet[ChannelUse]:
    return ChannelUse.objects.filter(suburb=suburb, used_on__year=year)


@dataclass
class ChannelUseRow:
    """One step's row of the log table: per channel, the number of uses (0 if none)."""

    label: str
    counts: list[int]


def channel_use_table(
    suburb: Suburb, year: int, steps: list[Step] | None = None
) -> tuple[list, list[ChannelUseRow]]:
    """Return (channels, rows) of the suburb's log for `year`: one row per step with a use.

    Steps come in the order of `steps` (by default suburb_steps), then any logged step that no
    longer exists, under its stored label. Channels are the active ones and any inactive channel
    used that year.
    """
    counts = (
        _uses(suburb, year)
        .values("step_type_id", "step_id", "step_label", "channel_id")
        .annotate(count=Count("pk"))
    )
    by_step: dict[str, dict[int, int]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for row in counts:
        key = f"{row['step_type_id']}:{row['step_id']}"
        by_step[key][row["channel_id"]] = by_step[key].get(row["channel_id"], 0) + row["count"]
        labels.setdefault(key, row["step_label"])
    used_channel_ids = {channel_id for step in by_step.values() for channel_id in step}
    channels = list(
        CommunicationChannel.objects.filter(Q(active=True) | Q(pk__in=used_channel_ids))
    )

    if steps is None:
        steps = suburb_steps(suburb)
    step_labels = {step.key: step.label for step in steps}
    ordered_keys = [key for key in step_labels if key in by_step]
    ordered_keys += sorted(set(by_step) - set(ordered_keys), key=lambda key: labels[key])
    rows = [
        ChannelUseRow(
            label=step_labels.get(key, labels[key]),
            counts=[by_step[key].get(channel.pk, 0) for channel in channels],
        )
        for key in ordered_keys
    ]
    return channels, rows


def channel_use_summary(suburb: Suburb, year: int) -> list[dict]:
    """Return, for the yearly report, each channel used in the suburb in `year`.

    Each item holds `channel`, `uses` (count), `steps` (how many different steps it served) and
    `reach` (the sum of the reach staff entered, or None if nobody entered one). Channels come
    in display order; unused channels are left out.
    """
    rows = (
        _uses(suburb, year)
        .values("channel_id")
        .annotate(uses=Count("pk"), reach=Sum("reach"))
        .order_by()
    )
    steps: dict[int, set] = defaultdict(set)
    for channel_id, step_type_id, step_id in _uses(suburb, year).values_list(
        "channel_id", "step_type_id", "step_id"
    ):
        steps[channel_id].add((step_type_id, step_id))
    by_channel = {row["channel_id"]: row for row in rows}
    channels = CommunicationChannel.objects.filter(pk__in=by_channel)
    return [
        {
            "channel": channel,
            "uses": by_channel[channel.pk]["uses"],
            "steps": len(steps[channel.pk]),
            "reach": by_channel[channel.pk]["reach"],
        }
        for channel in channels
    ]


def recent_channel_uses(suburb: Suburb, year: int) -> QuerySet[ChannelUse]:
    """Return the suburb's channel uses in `year`, newest first, with their channels."""
    return _uses(suburb, year).select_related("channel")


def newsletter_list(suburb: Suburb) -> QuerySet[NewsletterIssue]:
    """Return the suburb's newsletters, newest first."""
    return NewsletterIssue.objects.filter(suburb=suburb)


def _followers(suburb: Suburb) -> QuerySet:
    """Return the active users who follow `suburb` or one of its processes, each once."""
    follows = Q(content_type=ContentType.objects.get_for_model(Suburb), object_id=suburb.pk) | Q(
        content_type=ContentType.objects.get_for_model(Process),
        object_id__in=Process.objects.filter(suburbs=suburb).values("pk"),
    )
    return get_user_model().objects.filter(
        is_active=True, pk__in=Follow.objects.filter(follows).values("user_id")
    )


def follower_count(suburb: Suburb) -> int:
    """Return how many active users follow the suburb or one of its processes.

    Following alone sends no email: only those counted by newsletter_recipients get one.
    """
    return _followers(suburb).count()


def newsletter_recipients(suburb: Suburb) -> QuerySet:
    """Return the users who get a newsletter of `suburb` by email.

    They follow the suburb or one of its processes, are active, have an email address and have
    turned email notifications on. Each user appears once.
    """
    return _followers(suburb).filter(email_notifications=True).exclude(email="")


def recipient_counts(suburb: Suburb) -> dict[str, int]:
    """Return how many newsletter recipients the suburb has per language, without their names."""
    rows = newsletter_recipients(suburb).values("language").annotate(count=Count("pk"))
    return {row["language"]: row["count"] for row in rows.order_by("language")}
