"""Fixtures for organisation tests: an organisation with an administrator, and city staff."""

import pytest
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.organisations.models import Membership, Organisation


@pytest.fixture(autouse=True)
def _english():
    """Run each test in English, so that reverse() gives /en/ pages whose text tests can match."""
    with translation.override("en"):
        yield


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Neulamäki-seura",
        slug="neulamaki-seura",
        description="Asukasyhdistys Neulamäessä.",
        website="https://neulamaki.example.fi",
    )


@pytest.fixture
def org_admin(django_user_model, organisation):
    user = django_user_model.objects.create_user(email="pj@example.fi", password="Salasana-123")
    Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def member(django_user_model, organisation):
    user = django_user_model.objects.create_user(email="jasen@example.fi", password="Salasana-123")
    Membership.objects.create(organisation=organisation, user=user)
    return user


@pytest.fixture
def city_coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user
