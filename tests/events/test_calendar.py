"""iCalendar files of one event and of a process's events, read back with the icalendar package."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def _calendar(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


@pytest.fixture
def summer_event(make_event, process):
    # 17.30 in Helsinki summer time (UTC+3).
    starts_at = datetime.datetime(2031, 6, 10, 14, 30, tzinfo=datetime.UTC)
    return make_event(
        process=process,
        title="Työpaja; puisto, <b>leikkipaikka</b>",
        description="Suunnitellaan puistoa yhdessä.",
        place="Neulamäen koulu",
        address="Neulamäentie 5, Kuopio",
        accessibility="Esteetön sisäänkäynti pihan puolelta.",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )


def test_event_file_fields(summer_event, client):
    calendar = _calendar(client, reverse("events:calendar", args=[summer_event.slug]))

    [event] = calendar.events
    assert str(event["uid"]) == f"event-{summer_event.pk}@testserver"
    assert str(event["summary"]) == "Työpaja; puisto, <b>leikkipaikka</b>"
    assert str(event["location"]) == "Neulamäen koulu, Neulamäentie 5, Kuopio"
    assert event["dtstamp"].dt.tzinfo is not None
    assert str(event["url"]) == f"http://testserver{summer_event.get_absolute_url()}"


def test_event_file_helsinki_time(summer_event, client):
    calendar = _calendar(client, reverse("events:calendar", args=[summer_event.slug]))

    [event] = calendar.events
    assert event["dtstart"].params["TZID"] == "Europe/Helsinki"
    assert event["dtstart"].dt == datetime.datetime(2031, 6, 10, 17, 30, tzinfo=HELSINKI)
    assert event["dtstart"].dt.utcoffset() == datetime.timedelta(hours=3)
    assert event["dtend"].dt == datetime.datetime(2031, 6, 10, 19, 30, tzinfo=HELSINKI)
    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/Helsinki"]
    assert calendar.get_missing_tzids() == set()


def test_event_file_winter_offset(make_event, client):
    starts_at = datetime.datetime(2031, 1, 10, 15, 0, tzinfo=datetime.UTC)
    event = make_event(starts_at=starts_at, ends_at=starts_at)

    calendar = _calendar(client, reverse("events:calendar", args=[event.slug]))

    assert calendar.events[0]["dtstart"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert calendar.events[0]["dtstart"].dt.hour == 17


def test_event_file_description_has_accessibility(summer_event, client):
    calendar = _calendar(client, reverse("events:calendar", args=[summer_event.slug]))

    description = str(calendar.events[0]["description"])
    assert description.startswith("Suunnitellaan puistoa yhdessä.")
    assert "Esteetön sisäänkäynti pihan puolelta." in description
    assert description.endswith(f"http://testserver{summer_event.get_absolute_url()}")


def test_event_file_is_attachment(summer_event, client):
    response = client.get(reverse("events:calendar", args=[summer_event.slug]))

    assert response["Content-Disposition"] == f'attachment; filename="{summer_event.slug}.ics"'


def test_event_file_unknown_is_404(client, db):
    assert client.get(reverse("events:calendar", args=["ei-ole"])).status_code == 404


def test_process_feed_has_own_events(make_event, process, other_process, client):
    first = make_event(process=process, title="Ensimmäinen")
    second = make_event(process=process, title="Toinen", starts_in=datetime.timedelta(days=20))
    make_event(process=other_process, title="Muu prosessi")

    calendar = _calendar(client, reverse("events:process_calendar", args=[process.slug]))

    assert [str(event["summary"]) for event in calendar.events] == ["Ensimmäinen", "Toinen"]
    assert {str(event["uid"]) for event in calendar.events} == {
        f"event-{first.pk}@testserver",
        f"event-{second.pk}@testserver",
    }
    assert str(calendar["x-wr-calname"]) == process.title


def test_process_feed_empty(process, client):
    calendar = _calendar(client, reverse("events:process_calendar", args=[process.slug]))

    assert calendar.events == []


def test_uid_stable_between_downloads(summer_event, client):
    url = reverse("events:calendar", args=[summer_event.slug])

    first = _calendar(client, url).events[0]["uid"]
    second = _calendar(client, url).events[0]["uid"]

    assert first == second
