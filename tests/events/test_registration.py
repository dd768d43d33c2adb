"""Registration with capacity and a waiting list, through the services and the event page."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from osallistu.events import services
from osallistu.events.models import Registration

pytestmark = pytest.mark.django_db

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture
def small_event(make_event, process):
    return make_event(process=process, registration_required=True, capacity=2)


def _register(event, *users):
    return [services.registration_create(user=user, event=event) for user in users]


def test_register_confirms_below_capacity(small_event, resident):
    registration = services.registration_create(user=resident, event=small_event)

    assert registration.status == CONFIRMED


def test_register_full_event_waits(small_event, make_user):
    first, second, third = make_user(), make_user(), make_user()

    registrations = _register(small_event, first, second, third)

    assert [registration.status for registration in registrations] == [
        CONFIRMED,
        CONFIRMED,
        WAITING,
    ]


def test_register_without_capacity_confirms_all(make_event, make_user):
    event = make_event(registration_required=True, capacity=None)

    registrations = _register(event, *(make_user() for _ in range(5)))

    assert {registration.status for registration in registrations} == {CONFIRMED}


def test_register_twice_rejected(small_event, resident):
    services.registration_create(user=resident, event=small_event)

    with pytest.raises(ValidationError) as error:
        services.registration_create(user=resident, event=small_event)

    assert error.value.code == "already_registered"
    assert Registration.objects.filter(event=small_event).count() == 1


def test_register_waiting_twice_rejected(make_event, make_user):
    event = make_event(registration_required=True, capacity=1)
    first, second = make_user(), make_user()
    _register(event, first, second)

    with pytest.raises(ValidationError) as error:
        services.registration_create(user=second, event=event)

    assert error.value.code == "already_registered"


def test_register_started_event_closed(make_event, resident):
    event = make_event(
        registration_required=True, capacity=10, starts_in=-datetime.timedelta(minutes=5)
    )

    with pytest.raises(ValidationError) as error:
        services.registration_create(user=resident, event=event)

    assert error.value.code == "closed"
    assert not Registration.objects.exists()


def test_register_past_event_closed(make_event, resident):
    event = make_event(registration_required=True, starts_in=-datetime.timedelta(days=30))

    with pytest.raises(ValidationError) as error:
        services.registration_create(user=resident, event=event)

    assert error.value.code == "closed"


def test_register_open_event_rejected(make_event, resident):
    event = make_event(registration_required=False)

    with pytest.raises(ValidationError) as error:
        services.registration_create(user=resident, event=event)

    assert error.value.code == "no_registration"


def test_register_anonymous_denied(small_event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.registration_create(user=AnonymousUser(), event=small_event)


def test_cancel_promotes_first_waiting(
    small_event, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    notified = []
    monkeypatch.setattr(
        services.notifications,
        "notify_user",
        lambda user, *, message, url="": notified.append((user, message, url)),
    )
    first, second, third, fourth = (make_user() for _ in range(4))
    _register(small_event, first, second, third, fourth)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=first, event=small_event)

    statuses = dict(
        Registration.objects.filter(event=small_event).values_list("user__email", "status")
    )
    assert statuses == {
        first.email: CANCELLED,
        second.email: CONFIRMED,
        third.email: CONFIRMED,
        fourth.email: WAITING,
    }
    assert [user for user, _message, _url in notified] == [third]
    assert small_event.title in notified[0][1]
    # The link opens the event page in the recipient's language (Finnish has no URL prefix).
    assert notified[0][2] == f"/events/{small_event.slug}/"


def test_cancel_notification_waits_for_commit(small_event, make_user, monkeypatch):
    notified = []
    monkeypatch.setattr(
        services.notifications, "notify_user", lambda user, **kwargs: notified.append(user)
    )
    first, second, third = make_user(), make_user(), make_user()
    _register(small_event, first, second, third)

    services.registration_cancel(user=first, event=small_event)

    # The test's transaction never commits, so nobody may have been told yet.
    assert notified == []
    assert Registration.objects.get(user=third).status == CONFIRMED


def test_cancel_notification_in_users_language(
    small_event, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    languages = []
    monkeypatch.setattr(
        services.notifications,
        "notify_user",
        lambda user, **kwargs: languages.append(services.translation.get_language()),
    )
    first, second, third = make_user(), make_user(), make_user(language="sv")
    _register(small_event, first, second, third)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=first, event=small_event)

    assert languages == ["sv"]


def test_cancel_waiting_promotes_nobody(small_event, make_user):
    first, second, third, fourth = (make_user() for _ in range(4))
    _register(small_event, first, second, third, fourth)

    services.registration_cancel(user=third, event=small_event)

    assert Registration.objects.get(user=third).status == CANCELLED
    assert Registration.objects.get(user=fourth).status == WAITING


def test_cancel_without_registration_rejected(small_event, resident):
    with pytest.raises(ValidationError) as error:
        services.registration_cancel(user=resident, event=small_event)

    assert error.value.code == "not_registered"


def test_cancel_twice_rejected(small_event, resident):
    services.registration_create(user=resident, event=small_event)
    services.registration_cancel(user=resident, event=small_event)

    with pytest.raises(ValidationError) as error:
        services.registration_cancel(user=resident, event=small_event)

    assert error.value.code == "not_registered"


def test_cancel_started_event_rejected(make_event, resident):
    event = make_event(registration_required=True, capacity=5)
    services.registration_create(user=resident, event=event)
    event.starts_at -= datetime.timedelta(days=8)
    event.ends_at -= datetime.timedelta(days=8)
    event.save()

    with pytest.raises(ValidationError) as error:
        services.registration_cancel(user=resident, event=event)

    assert error.value.code == "closed"
    assert Registration.objects.get().status == CONFIRMED


def test_reregister_queues_at_end(make_event, make_user):
    event = make_event(registration_required=True, capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    _register(event, first, second)
    services.registration_cancel(user=second, event=event)
    services.registration_create(user=third, event=event)

    renewed = services.registration_create(user=second, event=event)
    services.registration_cancel(user=first, event=event)

    assert renewed.status == WAITING
    assert Registration.objects.get(user=third).status == CONFIRMED
    assert Registration.objects.get(user=second).status == WAITING


def test_capacity_increase_promotes_waiting(small_event, make_user, coordinator):
    users = [make_user() for _ in range(5)]
    _register(small_event, *users)

    services.event_update(
        user=coordinator,
        event=small_event,
        **_event_fields(small_event, capacity=4),
    )

    statuses = [Registration.objects.get(user=user).status for user in users]
    assert statuses == [CONFIRMED, CONFIRMED, CONFIRMED, CONFIRMED, WAITING]


def test_capacity_below_confirmed_rejected(small_event, make_user, coordinator):
    _register(small_event, make_user(), make_user())

    with pytest.raises(ValidationError) as error:
        services.event_update(
            user=coordinator, event=small_event, **_event_fields(small_event, capacity=1)
        )

    assert "capacity" in error.value.message_dict
    small_event.refresh_from_db()
    assert small_event.capacity == 2


def _event_fields(event, **changes) -> dict:
    fields = {
        name: getattr(event, name)
        for name in [
            "process",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "description",
            "address",
            "accessibility",
            "registration_required",
            "capacity",
            "suburb",
        ]
    }
    fields["co_hosts"] = list(event.co_hosts.all())
    fields.update(changes)
    return fields


def test_register_view_confirms(small_event, resident, client):
    client.force_login(resident)

    response = client.post(reverse("events:register", args=[small_event.slug]), follow=True)

    assert response.status_code == 200
    assert Registration.objects.get(user=resident).status == CONFIRMED
    assert "Your place is confirmed." in response.content.decode()


def test_register_view_waiting_position(make_event, make_user, client):
    event = make_event(registration_required=True, capacity=1)
    _register(event, make_user(), make_user())
    late = make_user()
    client.force_login(late)

    response = client.post(reverse("events:register", args=[event.slug]), follow=True)

    content = response.content.decode()
    assert "waiting list in place 2" in content
    assert Registration.objects.get(user=late).status == WAITING


def test_register_view_twice_shows_error(small_event, resident, client):
    client.force_login(resident)
    url = reverse("events:register", args=[small_event.slug])
    client.post(url)

    response = client.post(url, follow=True)

    assert "You have already registered for this event." in response.content.decode()
    assert Registration.objects.count() == 1


def test_register_view_anonymous_to_login(small_event, client):
    response = client.post(reverse("events:register", args=[small_event.slug]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_register_view_get_not_allowed(small_event, resident, client):
    client.force_login(resident)

    response = client.get(reverse("events:register", args=[small_event.slug]))

    assert response.status_code == 405
    assert not Registration.objects.exists()


def test_cancel_view_cancels(small_event, resident, client):
    client.force_login(resident)
    services.registration_create(user=resident, event=small_event)

    response = client.post(reverse("events:cancel", args=[small_event.slug]), follow=True)

    assert "Your registration has been cancelled." in response.content.decode()
    assert Registration.objects.get().status == CANCELLED


def test_detail_past_event_no_register_button(make_event, resident, client):
    event = make_event(registration_required=True, starts_in=-datetime.timedelta(days=2))
    client.force_login(resident)

    response = client.get(event.get_absolute_url())

    content = response.content.decode()
    assert reverse("events:register", args=[event.slug]) not in content
    assert "Registration has closed" in content


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_fill_capacity_once(make_event, make_user):
    event = make_event(registration_required=True, capacity=1)
    users = [make_user() for _ in range(6)]
    barrier = threading.Barrier(len(users))
    errors = []

    def register(user):
        try:
            barrier.wait()
            services.registration_create(user=user, event=event)
        except Exception as error:  # Reported by the assertion below.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(CONFIRMED) == 1
    assert statuses.count(WAITING) == 5
