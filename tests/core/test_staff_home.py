"""The staff home page lists the tools each staff role may use."""

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.core import staff

pytestmark = pytest.mark.django_db


def test_anonymous_redirected_to_sign_in(client):
    response = client.get(reverse("staff_home"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_resident_forbidden(client, resident):
    client.force_login(resident)

    assert client.get(reverse("staff_home")).status_code == 403


def test_coordinator_sees_moderation(client, django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    client.force_login(user)

    response = client.get(reverse("staff_home"))

    assert response.status_code == 200
    assert reverse("moderation:queue") in response.content.decode()


def test_base_template_links_staff_home(client, django_user_model):
    user = django_user_model.objects.create_user(email="moderaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.MODERATOR)
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert reverse("staff_home") in page


def test_resident_sees_no_staff_link(client, resident):
    client.force_login(resident)

    with translation.override("en"):
        page = client.get("/en/").content.decode()

    assert reverse("staff_home") not in page


@pytest.mark.parametrize("tool", staff.CITY_TOOLS, ids=lambda tool: tool.url_name)
def test_city_tool_resolves(tool):
    assert reverse(tool.url_name)


@pytest.mark.parametrize("tool", staff.PROCESS_TOOLS, ids=lambda tool: tool.url_name)
def test_process_tool_resolves(tool):
    assert reverse(tool.url_name, kwargs={"process_id": 1})


def test_budgeting_tools_only_for_budgeting(client, django_user_model):
    from osallistu.participation.models import Process

    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    budgeting = Process.objects.create(
        title="Lähiöbudjetti", slug="ob", kind=Process.Kind.PARTICIPATORY_BUDGETING
    )
    co_design = Process.objects.create(
        title="Yhteissuunnittelu", slug="ys", kind=Process.Kind.AREA_DEVELOPMENT
    )
    client.force_login(user)

    content = client.get(reverse("staff_home")).content.decode()

    assert reverse("desk:check", kwargs={"process_id": budgeting.pk}) in content
    assert reverse("desk:check", kwargs={"process_id": co_design.pk}) not in content
    assert reverse("budgeting:results_publish", kwargs={"process_id": co_design.pk}) not in content
