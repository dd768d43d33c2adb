import datetime

import pytest

from osallistu.accounts.models import RoleAssignment
from tests.identity.helpers import make_hetu

ADULT_HETU = make_hetu(datetime.date(1980, 5, 17))
OTHER_HETU = make_hetu(datetime.date(1975, 1, 2), individual=904)


@pytest.fixture
def process(make_process):
    """A budgeting process in its voting phase with one area of three proposals."""
    process = make_process(projects=(20000, 15000, 30000))
    area = process.budget_areas.get()
    area.postal_codes = ["70100", "70110"]
    area.save()
    return process


@pytest.fixture
def make_coordinator(django_user_model):
    def factory(email: str, process=None):
        user = django_user_model.objects.create_user(email=email, password="Salasana-123")
        RoleAssignment.objects.create(
            user=user, role=RoleAssignment.Role.COORDINATOR, process=process
        )
        return user

    return factory


@pytest.fixture
def staff_a(make_coordinator, process):
    return make_coordinator("a@example.fi", process)


@pytest.fixture
def staff_b(make_coordinator, process):
    return make_coordinator("b@example.fi", process)


@pytest.fixture
def staff_c(make_coordinator, process):
    return make_coordinator("c@example.fi", process)


@pytest.fixture
def area(process):
    return process.budget_areas.get()


@pytest.fixture
def projects(area):
    return list(area.projects.order_by("external_id"))
