"""Assigning staff roles in the admin, and the service areas that evaluator roles need."""

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.accounts.services import KUOPIO_SERVICE_AREAS, service_areas_ensure
from osallistu.areas.models import Suburb
from osallistu.participation import rules
from osallistu.participation.models import Process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so that reverse() gives /en/ pages whose text tests can match."""
    with translation.override("en"):
        yield


@pytest.fixture
def superuser_client(client, django_user_model):
    superuser = django_user_model.objects.create_superuser(email="paakayttaja@example.fi")
    client.force_login(superuser)
    return client


@pytest.fixture
def process(db):
    return Process.objects.create(
        title="Lähiöbudjetti", slug="lahiobudjetti", kind=Process.Kind.PARTICIPATORY_BUDGETING
    )


def test_service_areas_created():
    areas = service_areas_ensure()

    assert [area.slug for area in areas] == [slug for slug, _short, _name in KUOPIO_SERVICE_AREAS]
    assert ServiceArea.objects.get(short_name="KYP").name == "Kaupunkiympäristön palvelualue"
    assert ServiceArea.objects.get(short_name="HEP").name == "Hyvinvoinnin edistämisen palvelualue"


def test_service_areas_idempotent():
    first = service_areas_ensure()
    ServiceArea.objects.filter(pk=first[2].pk).update(short_name="KOP")

    second = service_areas_ensure()

    assert ServiceArea.objects.count() == len(KUOPIO_SERVICE_AREAS)
    assert [area.pk for area in second] == [area.pk for area in first]
    assert ServiceArea.objects.get(pk=first[2].pk).short_name == "KOP"


def test_service_areas_found_by_name():
    ServiceArea.objects.create(name="Kaupunkiympäristön palvelualue", slug="kyp")

    areas = service_areas_ensure()

    assert areas[0].slug == "kyp"
    assert ServiceArea.objects.count() == len(KUOPIO_SERVICE_AREAS)


def test_admin_assigns_scoped_role(superuser_client, resident, process):
    response = superuser_client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": resident.pk, "role": RoleAssignment.Role.COORDINATOR, "process": process.pk},
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get()
    assert assignment.process == process
    assert rules.can(resident, rules.Action.MANAGE_THEMES, process)


def test_admin_evaluator_needs_service_area(superuser_client, resident):
    response = superuser_client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": resident.pk, "role": RoleAssignment.Role.EVALUATOR},
    )

    assert response.status_code == 200
    assert "Choose the service area in which the evaluator works." in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_admin_rejects_two_scopes(superuser_client, resident, process):
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")

    response = superuser_client.post(
        reverse("admin:accounts_roleassignment_add"),
        {
            "user": resident.pk,
            "role": RoleAssignment.Role.MODERATOR,
            "suburb": suburb.pk,
            "process": process.pk,
        },
    )

    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_admin_user_page_lists_roles(superuser_client, resident):
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.MODERATOR)

    response = superuser_client.get(reverse("admin:accounts_user_change", args=[resident.pk]))

    assert response.status_code == 200
    assert 'name="role_assignments-0-role"' in response.content.decode()


def test_admin_lists_service_areas(superuser_client):
    service_areas_ensure()

    response = superuser_client.get(reverse("admin:accounts_servicearea_changelist"))

    assert response.status_code == 200
    assert "Hyvinvoinnin edistämisen palvelualue" in response.content.decode()
