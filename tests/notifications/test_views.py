"""Notification pages: follow buttons, the notification list, marking read and settings."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from osallistu.notifications import services
from osallistu.notifications.context_processors import notifications as notifications_context
from osallistu.notifications.models import Follow, Notification
from osallistu.participation.models import Visibility

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")
SETTINGS_URL = reverse("notifications:settings")


def _follow_url(name: str, target) -> str:
    return reverse(f"notifications:{name}", args=[target._meta.model_name, target.pk])


# --- Follow and unfollow ----------------------------------------------------------------------


def test_follow_post_follows(client, resident, idea):
    client.force_login(resident)
    back = f"/processes/{idea.process.slug}/ideas/{idea.pk}/"

    response = client.post(_follow_url("follow", idea), {"next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert Follow.objects.get(user=resident).target == idea


def test_follow_post_twice_one_row(client, resident, idea):
    client.force_login(resident)

    client.post(_follow_url("follow", idea))
    client.post(_follow_url("follow", idea))

    assert Follow.objects.count() == 1


def test_follow_foreign_next_ignored(client, resident, process):
    client.force_login(resident)

    response = client.post(_follow_url("follow", process), {"next": "https://example.com/"})

    assert response["Location"] == SETTINGS_URL


def test_follow_needs_sign_in(client, idea):
    response = client.post(_follow_url("follow", idea))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Follow.objects.exists()


def test_follow_get_not_allowed(client, resident, idea):
    client.force_login(resident)

    assert client.get(_follow_url("follow", idea)).status_code == 405


def test_follow_unknown_kind_404(client, resident, other_resident):
    client.force_login(resident)

    response = client.post(reverse("notifications:follow", args=["user", other_resident.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING])
def test_follow_non_public_idea_404(
    client, resident, make_idea, process, other_resident, visibility
):
    idea = make_idea(process, other_resident, visibility=visibility)
    client.force_login(resident)

    assert client.post(_follow_url("follow", idea)).status_code == 404
    assert not Follow.objects.exists()


def test_follow_own_pending_idea(client, resident, make_idea, process):
    idea = make_idea(process, resident, visibility=Visibility.PENDING)
    client.force_login(resident)

    client.post(_follow_url("follow", idea))

    assert Follow.objects.filter(user=resident).exists()


def test_unfollow_post_unfollows(client, resident, debate):
    services.follow(resident, debate)
    client.force_login(resident)

    response = client.post(_follow_url("unfollow", debate))

    assert response.status_code == 302
    assert not Follow.objects.exists()


def _render_button(user, target, rf) -> str:
    request = rf.get("/somewhere/?page=2")
    request.user = user
    template = Template('{% include "notifications/includes/follow_button.html" %}')
    return template.render(Context({"target": target, "user": user, "request": request}))


def test_follow_button_states(rf, resident, idea):
    before = _render_button(resident, idea, rf)
    services.follow(resident, idea)
    after = _render_button(resident, idea, rf)

    assert f'action="{_follow_url("follow", idea)}"' in before
    assert f'action="{_follow_url("unfollow", idea)}"' in after
    assert 'value="/somewhere/?page=2"' in before


def test_follow_button_anonymous(rf, idea):
    html = _render_button(AnonymousUser(), idea, rf)

    assert "<form" not in html
    assert reverse("account_login") in html


# --- The notification list --------------------------------------------------------------------


def test_list_shows_own_only(client, resident, other_resident):
    services.notify_user(resident, message="Oma ilmoitus", url="/oma/")
    services.notify_user(other_resident, message="Toisen ilmoitus")
    client.force_login(resident)

    content = client.get(LIST_URL).content.decode()

    assert "Oma ilmoitus" in content
    assert 'href="/oma/"' in content
    assert "Toisen ilmoitus" not in content


def test_list_escapes_message(client, resident):
    services.notify_user(resident, message="<script>alert(1)</script>")
    client.force_login(resident)

    content = client.get(LIST_URL).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_list_needs_sign_in(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_list_same_queries_few_and_many(client, resident, django_assert_num_queries):
    for index in range(2):
        services.notify_user(resident, message=f"Ilmoitus {index}")
    client.force_login(resident)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for index in range(30):
        services.notify_user(resident, message=f"Lisää {index}")

    with django_assert_num_queries(len(few)):
        response = client.get(LIST_URL)

    assert len(response.context["page"].object_list) == 20


def test_mark_one_read(client, resident):
    first = services.notify_user(resident, message="Eka")
    second = services.notify_user(resident, message="Toka")
    client.force_login(resident)

    response = client.post(reverse("notifications:read", args=[first.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_mark_all_read_own_only(client, resident, other_resident):
    services.notify_user(resident, message="Eka")
    services.notify_user(resident, message="Toka")
    others = services.notify_user(other_resident, message="Toisen")
    client.force_login(resident)

    client.post(reverse("notifications:read_all"))

    assert not Notification.objects.filter(user=resident, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_mark_other_users_notification(client, resident, other_resident):
    others = services.notify_user(other_resident, message="Toisen")
    client.force_login(resident)

    client.post(reverse("notifications:read", args=[others.pk]))

    others.refresh_from_db()
    assert others.read_at is None


def test_unread_count_context(rf, resident):
    services.notify_user(resident, message="Eka")
    read = services.notify_user(resident, message="Toka")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    request = rf.get("/")
    request.user = resident

    count = notifications_context(request)["unread_notification_count"]

    assert count() == 1


def test_unread_count_anonymous(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    assert notifications_context(request)["unread_notification_count"] == 0


# --- Settings ---------------------------------------------------------------------------------


def test_settings_saves_opt_in(client, resident):
    client.force_login(resident)

    response = client.post(SETTINGS_URL, {"email_notifications": "on", "language": "sv"})

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email_notifications
    assert resident.language == "sv"


def test_settings_saves_opt_out(client, make_user):
    user = make_user("pois@example.fi", email_notifications=True)
    client.force_login(user)

    client.post(SETTINGS_URL, {"language": "fi"})

    user.refresh_from_db()
    assert not user.email_notifications


def test_settings_invalid_language_kept(client, resident):
    client.force_login(resident)

    response = client.post(SETTINGS_URL, {"email_notifications": "on", "language": "xx"})

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    checkbox = re.search(r'<input[^>]*name="email_notifications"[^>]*>', response.content.decode())
    assert " checked" in checkbox.group(0)
    resident.refresh_from_db()
    assert not resident.email_notifications


def test_settings_lists_follows(client, resident, idea, process):
    services.follow(resident, idea)
    services.follow(resident, process)
    client.force_login(resident)

    content = client.get(SETTINGS_URL).content.decode()

    assert idea.title in content
    assert process.title in content
    assert _follow_url("unfollow", idea) in content
    assert _follow_url("unfollow", process) in content
