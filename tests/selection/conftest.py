"""Fixtures of the selection round tests: staff users, Kuopio's data and a saved configuration."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.accounts.services import service_areas_ensure
from osallistu.areas.services import kuopio_reference_data_load
from osallistu.selection import need_index
from osallistu.selection.models import NeedIndexConfiguration

PASSWORD = "Salasana-123"


def _user(django_user_model, email: str, role: str | None = None, **scope):
    user = django_user_model.objects.create_user(email=email, password=PASSWORD)
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def coordinator(django_user_model):
    return _user(django_user_model, "koordinaattori@example.fi", RoleAssignment.Role.COORDINATOR)


@pytest.fixture
def evaluator(django_user_model):
    return _user(
        django_user_model,
        "arvioija@example.fi",
        RoleAssignment.Role.EVALUATOR,
        service_area=service_areas_ensure()[0],
    )


@pytest.fixture
def kuopio(db):
    """Load the shipped Kuopio Paavo 2024 data, polygons and suburbs."""
    kuopio_reference_data_load()


@pytest.fixture
def configuration(db, coordinator):
    return NeedIndexConfiguration.objects.create(
        name="Oletus",
        configuration=need_index.default_configuration().to_dict(),
        is_default=True,
        created_by=coordinator,
    )
