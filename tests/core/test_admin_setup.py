"""Staff set up processes in the Django admin: processes with phases, areas and voting rules."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="admin@example.fi", password="x")
    client.force_login(user)
    return client


def test_process_add_page_has_inlines(admin_client):
    response = admin_client.get(reverse("admin:participation_process_add"))
    page = response.content.decode()

    assert response.status_code == 200
    assert 'name="phases-TOTAL_FORMS"' in page
    assert 'name="budget_areas-TOTAL_FORMS"' in page
    assert 'name="budgeting_settings-TOTAL_FORMS"' in page


def test_process_change_page(admin_client, make_process):
    process = make_process()

    response = admin_client.get(reverse("admin:participation_process_change", args=[process.pk]))

    assert response.status_code == 200


def test_budget_area_change_page(admin_client, make_process):
    area = make_process(projects=[1000]).budget_areas.get()

    response = admin_client.get(reverse("admin:budgeting_budgetarea_change", args=[area.pk]))

    assert response.status_code == 200
    assert 'name="projects-TOTAL_FORMS"' in response.content.decode()
