"""Event list and detail pages, and the staff form that creates and edits events."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from osallistu.events.models import Event
from osallistu.organisations.models import Organisation

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def _local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form_data(process, **changes) -> dict:
    starts_at = timezone.now() + datetime.timedelta(days=10)
    data = {
        "process": process.pk if process else "",
        "kind": Event.Kind.OUTREACH,
        "title": "Pop-up kauppakeskuksessa",
        "description": "Tule kertomaan ideasi.",
        "starts_at": _local_input(starts_at),
        "ends_at": _local_input(starts_at + datetime.timedelta(hours=3)),
        "place": "Kauppakeskus Neulanen",
        "address": "Neulamäentie 1",
        "accessibility": "Esteetön sisäänkäynti.",
        "registration_required": "",
        "capacity": "",
    }
    data.update(changes)
    return data


def test_list_shows_upcoming_only(make_event, client):
    make_event(title="Tuleva työpaja")
    make_event(title="Mennyt työpaja", starts_in=-datetime.timedelta(days=10))

    content = client.get(reverse("events:list")).content.decode()

    assert "Tuleva työpaja" in content
    assert "Mennyt työpaja" not in content


def test_list_past_filter(make_event, client):
    make_event(title="Tuleva työpaja")
    make_event(title="Mennyt työpaja", starts_in=-datetime.timedelta(days=10))

    content = client.get(reverse("events:list"), {"when": "past"}).content.decode()

    assert "Mennyt työpaja" in content
    assert "Tuleva työpaja" not in content


def test_list_running_event_is_upcoming(make_event, client):
    make_event(title="Käynnissä", starts_in=-datetime.timedelta(hours=1))

    content = client.get(reverse("events:list")).content.decode()

    assert "Käynnissä" in content


def test_list_kind_filter(make_event, client):
    make_event(title="Työpaja koululla", kind=Event.Kind.WORKSHOP)
    make_event(title="Pop-up torilla", kind=Event.Kind.OUTREACH)

    content = client.get(reverse("events:list"), {"kind": "outreach"}).content.decode()

    assert "Pop-up torilla" in content
    assert "Työpaja koululla" not in content


def test_list_bad_filter_ignored(make_event, client):
    make_event(title="Työpaja koululla")

    response = client.get(reverse("events:list"), {"kind": "<b>", "when": "eilen"})

    assert response.status_code == 200
    assert "Työpaja koululla" in response.content.decode()


def test_list_pagination_keeps_filters(make_event, client):
    for _ in range(21):
        make_event(kind=Event.Kind.OUTREACH)

    content = client.get(reverse("events:list"), {"kind": "outreach"}).content.decode()

    assert "?when=upcoming&amp;kind=outreach&amp;page=2" in content


def test_list_queries_constant(make_event, client, process):
    organisation = Organisation.objects.create(name="Neulamäki-seura", slug="neulamaki-seura")

    def add_events(count):
        for _ in range(count):
            event = make_event(process=process, registration_required=True, capacity=5)
            event.co_hosts.add(organisation)

    add_events(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events:list"))
    add_events(18)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("events:list"))

    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count("Neulamäki-seura") == 20


def test_detail_shows_facts(make_event, client):
    event = make_event(
        address="Neulamäentie 5",
        accessibility="Hissi toiseen kerrokseen.",
        registration_required=True,
        capacity=12,
    )

    content = client.get(event.get_absolute_url()).content.decode()

    assert "Neulamäentie 5" in content
    assert "Hissi toiseen kerrokseen." in content
    assert "12 places left of 12." in content
    assert reverse("events:calendar", args=[event.slug]) in content


def test_detail_escapes_text(make_event, client):
    event = make_event(title=SCRIPT, description=SCRIPT, accessibility=SCRIPT, place=SCRIPT)

    content = client.get(event.get_absolute_url()).content.decode()

    assert SCRIPT not in content
    assert "&lt;script&gt;" in content


def test_detail_unknown_is_404(client, db):
    assert client.get(reverse("events:detail", args=["ei-ole"])).status_code == 404


def test_detail_hides_staff_links_from_resident(make_event, process, resident, client):
    event = make_event(process=process)
    client.force_login(resident)

    content = client.get(event.get_absolute_url()).content.decode()

    assert reverse("events:edit", args=[event.slug]) not in content
    assert reverse("events:outcome", args=[event.slug]) not in content


def test_detail_shows_staff_links_to_coordinator(make_event, process, coordinator, client):
    event = make_event(process=process)
    client.force_login(coordinator)

    content = client.get(event.get_absolute_url()).content.decode()

    assert reverse("events:edit", args=[event.slug]) in content
    assert reverse("events:idea_create", args=[event.slug]) in content


def test_create_by_coordinator(process, coordinator, client):
    client.force_login(coordinator)
    organisation = Organisation.objects.create(name="Neulamäki-seura", slug="neulamaki-seura")

    response = client.post(
        reverse("events:create"),
        _form_data(
            process,
            registration_required="on",
            capacity="30",
            co_hosts=[organisation.pk],
        ),
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.process == process
    assert event.kind == Event.Kind.OUTREACH
    assert event.capacity == 30
    assert event.slug == "pop-up-kauppakeskuksessa"
    assert event.created_by == coordinator
    assert list(event.co_hosts.all()) == [organisation]


def test_create_keeps_helsinki_time(process, coordinator, client):
    client.force_login(coordinator)

    client.post(
        reverse("events:create"),
        _form_data(process, starts_at="2031-07-01T17:30", ends_at="2031-07-01T19:00"),
    )

    event = Event.objects.get()
    assert event.starts_at == datetime.datetime(2031, 7, 1, 14, 30, tzinfo=datetime.UTC)


def test_create_same_title_gets_new_slug(process, coordinator, client):
    client.force_login(coordinator)

    client.post(reverse("events:create"), _form_data(process))
    client.post(reverse("events:create"), _form_data(process))

    assert sorted(Event.objects.values_list("slug", flat=True)) == [
        "pop-up-kauppakeskuksessa",
        "pop-up-kauppakeskuksessa-2",
    ]


def test_create_reserved_slug_avoided(process, coordinator, client):
    client.force_login(coordinator)

    client.post(reverse("events:create"), _form_data(process, title="New"))

    assert Event.objects.get().slug == "new-2"


def test_create_errors_keep_input(process, coordinator, client):
    client.force_login(coordinator)
    data = _form_data(
        process,
        title="",
        place=SCRIPT,
        starts_at="2031-07-01T17:30",
        ends_at="2031-07-01T16:00",
        capacity="0",
        registration_required="on",
    )

    response = client.post(reverse("events:create"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert not Event.objects.exists()
    assert "Enter the title of the event." in content
    assert "The event cannot end before it starts." in content
    assert "The capacity must be at least 1." in content
    assert 'value="2031-07-01T17:30"' in content
    assert "&lt;script&gt;" in content
    assert SCRIPT not in content


def test_create_capacity_needs_registration(process, coordinator, client):
    client.force_login(coordinator)

    response = client.post(reverse("events:create"), _form_data(process, capacity="10"))

    assert "Tick “Registration required”" in response.content.decode()
    assert not Event.objects.exists()


def test_create_invalid_time(process, coordinator, client):
    client.force_login(coordinator)

    response = client.post(reverse("events:create"), _form_data(process, starts_at="huomenna"))

    assert "Enter the start time as a date and a time." in response.content.decode()
    assert 'value="huomenna"' in response.content.decode()


def test_create_other_process_rejected(process, other_process, coordinator, client):
    client.force_login(coordinator)

    response = client.post(reverse("events:create"), _form_data(other_process))

    assert response.status_code == 200
    assert not Event.objects.exists()
    assert "Choose a process in which you may create events." in response.content.decode()


def test_create_without_process_needs_city_role(process, coordinator, client):
    client.force_login(coordinator)

    response = client.post(reverse("events:create"), _form_data(None))

    assert "Choose the process of the event." in response.content.decode()
    assert not Event.objects.exists()


def test_create_city_event_by_admin(city_admin, client, db):
    client.force_login(city_admin)

    response = client.post(reverse("events:create"), _form_data(None))

    assert response.status_code == 302
    assert Event.objects.get().process is None


def test_create_denied_to_resident(process, resident, client):
    client.force_login(resident)

    assert client.get(reverse("events:create")).status_code == 403
    assert client.post(reverse("events:create"), _form_data(process)).status_code == 403
    assert not Event.objects.exists()


def test_create_requires_sign_in(client, db):
    response = client.get(reverse("events:create"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_edit_changes_co_hosts(make_event, process, coordinator, client):
    event = make_event(process=process)
    first = Organisation.objects.create(name="Neulamäki-seura", slug="neulamaki-seura")
    second = Organisation.objects.create(name="Pirtin kyläyhdistys", slug="pirtti")
    event.co_hosts.add(first)
    client.force_login(coordinator)
    data = _form_data(process, title=event.title, co_hosts=[second.pk])

    response = client.post(reverse("events:edit", args=[event.slug]), data)

    event.refresh_from_db()
    assert response.status_code == 302
    assert list(event.co_hosts.all()) == [second]
    assert event.slug == "tyopaja-1"


def test_edit_form_shows_local_time(make_event, process, coordinator, client):
    starts_at = datetime.datetime(2031, 1, 15, 10, 0, tzinfo=datetime.UTC)
    event = make_event(process=process, starts_at=starts_at, ends_at=starts_at)
    client.force_login(coordinator)

    content = client.get(reverse("events:edit", args=[event.slug])).content.decode()

    assert 'value="2031-01-15T12:00"' in content


def test_edit_denied_to_other_coordinator(make_event, other_process, coordinator, client):
    event = make_event(process=other_process)
    client.force_login(coordinator)

    response = client.post(reverse("events:edit", args=[event.slug]), _form_data(other_process))

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "Työpaja 1"


def test_edit_capacity_below_confirmed_error(make_event, process, coordinator, make_user, client):
    from osallistu.events import services

    event = make_event(process=process, registration_required=True, capacity=3)
    for _ in range(3):
        services.registration_create(user=make_user(), event=event)
    client.force_login(coordinator)
    data = _form_data(process, registration_required="on", capacity="2")

    response = client.post(reverse("events:edit", args=[event.slug]), data)

    assert "3 people have a confirmed place" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3
