"""Only coordinators and administrators (MANAGE_PROGRAMME) reach the communication pages."""

import pytest
from django.urls import reverse

from osallistu.accounts.models import RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(suburb, event):
    return [
        reverse("communications:index"),
        reverse("communications:poster", args=["suburb", suburb.slug]),
        reverse("communications:poster", args=["event", event.slug]),
        reverse("communications:print_html", args=["suburb", suburb.slug, "poster"]),
        reverse("communications:print_pdf", args=["event", event.slug, "flyer"]),
        reverse("communications:channel_log", args=[suburb.slug]),
        reverse("communications:newsletter_list", args=[suburb.slug]),
        reverse("communications:newsletter_create", args=[suburb.slug]),
    ]


def test_anonymous_redirected(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [None, RoleAssignment.Role.MODERATOR])
def test_other_roles_forbidden(client, make_user, pages, role):
    user = make_user("muu@example.fi")
    if role:
        RoleAssignment.objects.create(user=user, role=role)
    client.force_login(user)

    for url in pages[:-1]:
        assert client.get(url).status_code == 403, url


def test_coordinator_allowed(coordinator_client, pages):
    for url in pages:
        if url.endswith(".pdf"):
            continue  # rendered in test_printing
        assert coordinator_client.get(url).status_code == 200, url


def test_administrator_allowed(client, make_user, pages):
    user = make_user("yllapitaja@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.ADMINISTRATOR)
    client.force_login(user)

    assert client.get(pages[0]).status_code == 200


def test_staff_home_lists_tool(coordinator_client):
    response = coordinator_client.get(reverse("staff_home"))

    assert reverse("communications:index") in response.content.decode()


def test_index_queries_constant(coordinator_client, django_assert_max_num_queries, suburb):
    from osallistu.areas.models import Suburb

    with django_assert_max_num_queries(12):
        coordinator_client.get(reverse("communications:index"))
    for number in range(10):
        Suburb.objects.create(name=f"Lähiö {number}", slug=f"lahio-{number}")
    with django_assert_max_num_queries(12):
        coordinator_client.get(reverse("communications:index"))
