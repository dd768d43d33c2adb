"""iCalendar (RFC 5545) files of events, for residents' own calendar applications."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event

PRODUCT_ID = "-//Osallistu//Events//FI"


def event_description(event: Event, url: str) -> str:
    """Return the event's description followed by its accessibility information and its page."""
    parts = [event.description.strip()] if event.description.strip() else []
    if event.accessibility.strip():
        parts.append(
            _("Accessibility: %(accessibility)s") % {"accessibility": event.accessibility.strip()}
        )
    parts.append(url)
    return "\n\n".join(parts)


def event_location(event: Event) -> str:
    """Return the place and, where known, the street address, as calendar applications show it."""
    return f"{event.place}, {event.address}" if event.address else event.place


def calendar_file(events: Iterable[Event], *, host: str, absolute_url, name: str = "") -> bytes:
    """Return an iCalendar file with one VEVENT per event, in the site's time zone.

    `absolute_url` turns an event's path into a full URL. UIDs are stable for one site host, so
    a calendar application that imports the file again updates the events instead of repeating
    them. The file carries the VTIMEZONE of the site's time zone (Europe/Helsinki), so that
    start and end times stay right across daylight saving changes.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    first: datetime.date | None = None
    last: datetime.date | None = None
    for event in events:
        url = absolute_url(event.get_absolute_url())
        starts_at = event.starts_at.astimezone(zone)
        ends_at = event.ends_at.astimezone(zone)
        component = icalendar.Event()
        component.add("uid", f"event-{event.pk}@{host}")
        component.add("dtstamp", stamp)
        component.add("created", event.created_at)
        component.add("dtstart", starts_at)
        component.add("dtend", ends_at)
        component.add("summary", event.title)
        component.add("location", event_location(event))
        component.add("description", event_description(event, url))
        component.add("url", url)
        calendar.add_component(component)
        first = min(first, starts_at.date()) if first else starts_at.date()
        last = max(last, ends_at.date()) if last else ends_at.date()
    if first and last:
        calendar.add_missing_timezones(
            first_date=first - datetime.timedelta(days=366),
            last_date=last + datetime.timedelta(days=366),
        )
    return calendar.to_ical()
