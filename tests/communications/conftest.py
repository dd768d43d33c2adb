import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import Suburb
from tests.moderation import fixtures as moderation_fixtures

from .support import workshop

make_user = moderation_fixtures.make_user


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run background tasks at once, whatever TASKS_IMMEDIATE is, so emails reach the outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
    return workshop(suburb)
