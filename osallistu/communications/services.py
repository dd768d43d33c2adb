"""Writes for posters, channel logs and newsletters.

Each write checks MANAGE_PROGRAMME and records an audit event in its own transaction. Newsletter
emails are queued one per recipient only after the sending transaction commits.
"""

import datetime
import functools
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.models import Suburb
from osallistu.audit.services import record
from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors
from .models import ChannelUse, CommunicationChannel, NewsletterIssue, PosterText
from .tasks import send_newsletter_email

__all__ = [
    "channel_use_log",
    "newsletter_save",
    "newsletter_send",
    "poster_generated",
    "poster_text_save",
    "upcoming_snapshot",
]

logger = logging.getLogger(__name__)


def _require_manager(user) -> None:
    if not rules.can(user, Action.MANAGE_PROGRAMME, None):
        raise PermissionDenied


@transaction.atomic
def poster_text_save(user, *, suburb=None, event=None, heading: str, text: str) -> PosterText:
    """Store the heading and text that staff wrote for the poster of a suburb or an event."""
    _require_manager(user)
    if (suburb is None) == (event is None):
        raise ValueError("pass exactly one of suburb and event")
    poster_text, _created = PosterText.objects.update_or_create(
        suburb=suburb,
        event=event,
        defaults={"heading": heading, "text": text, "updated_by": user},
    )
    record(
        user,
        "communications.edit_poster_text",
        suburb or event,
        summary="Poster text edited",
        suburb=suburb or event.suburb,
    )
    return poster_text


@transaction.atomic
def channel_use_log(
    user,
    *,
    suburb: Suburb,
    channel: CommunicationChannel,
    step,
    used_on: datetime.date,
    note: str = "",
    reach: int | None = None,
) -> ChannelUse:
    """Log that staff used `channel` on `used_on` to tell residents about `step` of `suburb`."""
    _require_manager(user)
    if used_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    use = ChannelUse.objects.create(
        channel=channel,
        suburb=suburb,
        used_on=used_on,
        step=step,
        step_label=str(step)[:300],
        note=note,
        reach=reach,
        recorded_by=user,
    )
    record(
        user,
        "communications.log_channel_use",
        use,
        summary=f"Channel {channel.code} logged",
        suburb=suburb,
        details={"channel": channel.code, "used_on": used_on.isoformat()},
    )
    return use


def _channel(kind: str) -> CommunicationChannel | None:
    return CommunicationChannel.objects.filter(kind=kind).order_by("-active", "position").first()


@transaction.atomic
def poster_generated(user, *, suburb: Suburb, step, document: str) -> ChannelUse | None:
    """Log, once a day per step, that a poster or flyer of `step` was generated.

    `document` is "poster" or "flyer". Return the new log entry, or None if today's entry exists
    or no poster channel is defined.
    """
    _require_manager(user)
    channel = _channel(CommunicationChannel.Kind.POSTER)
    if channel is None:
        logger.warning("poster not logged, no poster channel suburb=%s", suburb.pk)
        return None
    use, created = ChannelUse.objects.get_or_create(
        channel=channel,
        suburb=suburb,
        used_on=timezone.localdate(),
        step_type=selectors.content_type_of(step),
        step_id=step.pk,
        automatic=True,
        defaults={"step_label": str(step)[:300], "recorded_by": user},
    )
    if not created:
        return None
    record(
        user,
        "communications.generate_poster",
        step,
        summary=f"{document.capitalize()} generated",
        suburb=suburb,
        details={"document": document},
    )
    return use


NEWSLETTER_FIELDS = (
    "subject",
    "body",
    "subject_sv",
    "body_sv",
    "subject_en",
    "body_en",
    "include_upcoming",
)


@transaction.atomic
def newsletter_save(
    user, *, suburb: Suburb, issue: NewsletterIssue | None = None, **fields
) -> NewsletterIssue:
    """Create a draft newsletter of `suburb`, or change `issue` while it is still a draft.

    `fields` are those of NEWSLETTER_FIELDS. Raise ValidationError for a newsletter already sent.
    """
    _require_manager(user)
    unknown = set(fields) - set(NEWSLETTER_FIELDS)
    if unknown:
        raise TypeError(f"unknown newsletter fields: {sorted(unknown)}")
    if issue is None:
        issue = NewsletterIssue(suburb=suburb, created_by=user)
    else:
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk, suburb=suburb)
        if issue.status != NewsletterIssue.Status.DRAFT:
            raise ValidationError(_("This newsletter has been sent and can no longer be changed."))
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.save()
    record(
        user,
        "communications.save_newsletter",
        issue,
        summary="Newsletter draft saved",
        suburb=suburb,
    )
    return issue


def upcoming_snapshot(suburb: Suburb) -> list[dict]:
    """Return the upcoming events and open processes as stored with a sent newsletter."""
    items = [
        {
            "kind": "event",
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "place": event.place,
            "url": selectors.absolute_url(selectors.event_page_path(event)),
        }
        for event in selectors.upcoming_events(suburb)
    ]
    items += [
        {
            "kind": "process",
            "title": process.title,
            "url": selectors.absolute_url(selectors.process_page_path(process)),
        }
        for process in selectors.open_processes(suburb)
    ]
    return items


def newsletter_send(user, issue: NewsletterIssue) -> int:
    """Send the draft `issue` to the suburb's opted-in followers and return the recipient count.

    The newsletter becomes sent with its counts, a newsletter channel use and an audit event in
    one transaction; one email task per recipient is queued after it commits. Raise
    ValidationError if the newsletter was already sent.
    """
    _require_manager(user)
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != NewsletterIssue.Status.DRAFT:
            raise ValidationError(_("This newsletter has already been sent."))
        suburb = issue.suburb
        recipients = list(selectors.newsletter_recipients(suburb).values_list("pk", "language"))
        by_language: dict[str, int] = {}
        for _pk, language in recipients:
            by_language[language] = by_language.get(language, 0) + 1

        issue.status = NewsletterIssue.Status.SENT
        issue.sent_at = timezone.now()
        issue.sent_by = user
        issue.recipient_count = len(recipients)
        issue.recipients_by_language = by_language
        issue.upcoming = upcoming_snapshot(suburb) if issue.include_upcoming else []
        issue.save()

        channel = _channel(CommunicationChannel.Kind.NEWSLETTER)
        if channel is not None:
            ChannelUse.objects.create(
                channel=channel,
                suburb=suburb,
                used_on=timezone.localdate(),
                step=suburb,
                step_label=str(suburb),
                note=issue.subject[:500],
                reach=len(recipients),
                automatic=True,
                recorded_by=user,
            )
        record(
            user,
            "communications.send_newsletter",
            issue,
            summary=f"Newsletter sent to {len(recipients)} recipients",
            suburb=suburb,
            details={"recipients": len(recipients), "by_language": by_language},
        )
        for user_id, _language in recipients:
            transaction.on_commit(
                functools.partial(send_newsletter_email.enqueue, issue.pk, user_id)
            )
    logger.info("newsletter sent issue=%s recipients=%s", issue.pk, len(recipients))
    return len(recipients)
