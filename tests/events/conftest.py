"""Fixtures for event tests: a process with staff, and a factory for events."""

import datetime

import pytest
from django.utils import timezone, translation

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.events.models import Event
from osallistu.participation.models import Phase


@pytest.fixture(autouse=True)
def _english():
    """Run each test in English, so that reverse() gives /en/ pages whose text tests can match.

    Finnish is the default language, and its catalogue will translate these messages.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="kehitys")


@pytest.fixture
def other_process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="toinen")


@pytest.fixture
def coordinator(django_user_model, process):
    """Return a coordinator of `process` only."""
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR, process=process)
    return user


@pytest.fixture
def city_admin(django_user_model):
    """Return a city-wide administrator."""
    user = django_user_model.objects.create_user(
        email="yllapitaja@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.ADMINISTRATOR)
    return user


@pytest.fixture
def evaluator(django_user_model, process):
    user = django_user_model.objects.create_user(
        email="arvioija@example.fi", password="Salasana-123"
    )
    area = ServiceArea.objects.create(name="Kaupunkiympäristön palvelualue", slug="kyp")
    RoleAssignment.objects.create(
        user=user, role=RoleAssignment.Role.EVALUATOR, service_area=area, process=process
    )
    return user


@pytest.fixture
def make_event(db):
    """Return a factory for an event that starts in `starts_in` (a timedelta; negative is past)."""
    counter = iter(range(1, 10_000))

    def factory(
        *,
        process=None,
        starts_in=datetime.timedelta(days=7),
        duration=datetime.timedelta(hours=2),
        **fields,
    ):
        number = next(counter)
        starts_at = timezone.now().replace(microsecond=0) + starts_in
        defaults = {
            "kind": Event.Kind.WORKSHOP,
            "title": f"Työpaja {number}",
            "slug": f"tyopaja-{number}",
            "place": "Neulamäen koulu",
            "starts_at": starts_at,
            "ends_at": starts_at + duration,
        }
        defaults.update(fields)
        return Event.objects.create(process=process, **defaults)

    return factory


@pytest.fixture
def make_user(django_user_model):
    counter = iter(range(1, 10_000))

    def factory(**fields):
        return django_user_model.objects.create_user(
            email=f"asukas{next(counter)}@example.fi", password="Salasana-123", **fields
        )

    return factory
