"""Read the audit log for the staff page and its CSV export."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def audit_event_list(
    *,
    text: str = "",
    action: str = "",
    actor_id: int | None = None,
    process_id: int | None = None,
    suburb_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return audit events, newest first, filtered, with actor, process and suburb loaded.

    `text` matches the action code, the summary and the target's name, ignoring case. `action`
    matches a whole code or, ending in a dot, every code that starts with it (`evaluation.`).
    Dates are days in the site's time zone, both ends included.
    """
    events = AuditEvent.objects.select_related("actor", "process", "suburb")
    if text:
        events = events.filter(
            Q(action__icontains=text) | Q(summary__icontains=text) | Q(target_label__icontains=text)
        )
    if action:
        if action.endswith("."):
            events = events.filter(action__startswith=action)
        else:
            events = events.filter(action=action)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if process_id:
        events = events.filter(process_id=process_id)
    if suburb_id:
        events = events.filter(suburb_id=suburb_id)
    if date_from:
        events = events.filter(occurred_at__gte=_start_of_day(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
    return events.order_by("-occurred_at", "-pk")


def action_prefixes() -> list[str]:
    """Return the apps that have recorded events (`evaluation.`, `web.`), for the filter."""
    codes = AuditEvent.objects.values_list("action", flat=True).distinct()
    return sorted({code.split(".", 1)[0] + "." for code in codes})


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
