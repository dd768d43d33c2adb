import datetime

import pytest
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import Suburb
from osallistu.events.models import Event


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run background tasks at once, whatever TASKS_IMMEDIATE is, so emails reach the outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def make_user(django_user_model):
    def factory(email: str, **fields):
        return django_user_model.objects.create_user(email=email, password="Salasana-123", **fields)

    return factory


@pytest.fixture
def coordinator(make_user):
    user = make_user("koordinaattori@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def suburb(db):
    return Suburb.objects.create(name="Neulamäki", slug="neulamaki")


@pytest.fixture
def suburb_process(make_process, suburb):
    process = make_process(slug="neulamaki-budjetti")
    process.suburbs.add(suburb)
    return process


@pytest.fixture
def event(suburb):
    starts = timezone.now() + datetime.timedelta(days=7)
    return Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        title="Puistotyöpaja",
        slug="puistotyopaja",
        description="Suunnitellaan yhdessä Neulamäen puistoa.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Neulamäen koulu",
        address="Neulamäentie 1",
        suburb=suburb,
    )
