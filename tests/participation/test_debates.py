"""Debates: staff open and close them, residents comment until they close, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.notifications import services as notification_services
from osallistu.notifications.models import Notification
from osallistu.participation import services
from osallistu.participation.models import Comment, Debate

from .discussion_support import (
    bulk_comments,
    coordinator_fixture,  # noqa: F401
    debate_fixture,  # noqa: F401
    discussion_process_fixture,  # noqa: F401
    grant,
    make_comment,
)

pytestmark = pytest.mark.django_db


def debate_url(name: str, debate) -> str:
    return reverse(f"participation:{name}", args=[debate.process.slug, debate.pk])


# --- services -----------------------------------------------------------------------------------


def test_create_by_coordinator(discussion_process, coordinator):
    debate = services.debate_create(
        coordinator, process=discussion_process, title=" Puisto ", description="Mitä tehdään?"
    )

    assert debate.title == "Puisto"
    assert debate.created_by == coordinator
    assert debate.is_closed is False


@pytest.mark.parametrize("role", [None, RoleAssignment.Role.EVALUATOR])
def test_create_denied(discussion_process, resident, role):
    if role:
        grant(resident, role, discussion_process, service_area=None)

    with pytest.raises(PermissionDenied):
        services.debate_create(resident, process=discussion_process, title="T", description="D")
    assert not Debate.objects.exists()


def test_create_coordinator_of_other_process(make_process, discussion_process, resident):
    other = make_process(slug="toinen")
    grant(resident, RoleAssignment.Role.COORDINATOR, other)

    with pytest.raises(PermissionDenied):
        services.debate_create(resident, process=discussion_process, title="T", description="D")


@pytest.mark.parametrize(
    ("title", "description", "field", "code"),
    [
        ("", "Kuvaus", "title", "required"),
        ("x" * 151, "Kuvaus", "title", "max_length"),
        ("Otsikko", "<em>kuvaus</em>", "description", "html"),
    ],
)
def test_create_bad_text(discussion_process, coordinator, title, description, field, code):
    with pytest.raises(ValidationError) as raised:
        services.debate_create(
            coordinator, process=discussion_process, title=title, description=description
        )
    assert [error.code for error in raised.value.error_dict[field]] == [code]


def test_close_sets_conclusion(debate, coordinator):
    services.debate_close(coordinator, debate, conclusion="  Puistoon tulee penkkejä.  ")

    debate.refresh_from_db()
    assert debate.is_closed is True
    assert debate.conclusion == "Puistoon tulee penkkejä."
    assert debate.closed_at is not None


def test_close_notifies_followers(
    debate, coordinator, resident, django_capture_on_commit_callbacks
):
    notification_services.follow(resident, debate)
    notification_services.follow(coordinator, debate)

    with django_capture_on_commit_callbacks(execute=True):
        services.debate_close(coordinator, debate, conclusion="Valmis.")

    notification = Notification.objects.get()
    assert notification.user == resident
    assert notification.url == debate_url("debate_detail", debate)


@pytest.mark.parametrize("conclusion", ["", "   "])
def test_close_needs_conclusion(debate, coordinator, conclusion):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.debate_close(coordinator, debate, conclusion=conclusion)
    assert [error.code for error in raised.value.error_dict["conclusion"]] == ["required"]
    assert "Write the conclusion" in raised.value.messages[0]
    debate.refresh_from_db()
    assert debate.is_closed is False


def test_close_twice(debate, coordinator):
    services.debate_close(coordinator, debate, conclusion="Valmis.")

    with pytest.raises(ValidationError) as raised:
        services.debate_close(coordinator, debate, conclusion="Uusi.")
    assert raised.value.code == "closed"
    debate.refresh_from_db()
    assert debate.conclusion == "Valmis."


def test_close_denied_to_resident(debate, resident):
    with pytest.raises(PermissionDenied):
        services.debate_close(resident, debate, conclusion="Valmis.")
    debate.refresh_from_db()
    assert debate.is_closed is False


# --- pages --------------------------------------------------------------------------------------


def test_list_page(client, debate, coordinator):
    make_comment(debate=debate)
    response = client.get(reverse("participation:debate_list", args=[debate.process.slug]))

    content = response.content.decode()
    assert response.status_code == 200
    assert debate.title in content
    assert reverse("participation:debate_create", args=[debate.process.slug]) not in content


def test_list_shows_staff_link(client, debate, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("participation:debate_list", args=[debate.process.slug]))

    assert reverse("participation:debate_create", args=[debate.process.slug]) in (
        response.content.decode()
    )


def test_detail_shows_thread(client, debate, resident, other_resident):
    root = make_comment(debate=debate, author=other_resident, body="Ensimmäinen")
    make_comment(debate=debate, parent=root, body="Vastaus ensimmäiseen")
    client.force_login(resident)

    response = client.get(debate_url("debate_detail", debate))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ensimmäinen" in content
    assert "Vastaus ensimmäiseen" in content
    assert f'id="comment-{root.pk}"' in content
    assert 'name="body"' in content


def test_detail_follow_button(client, debate, resident):
    client.force_login(resident)

    response = client.get(debate_url("debate_detail", debate))

    assert reverse("notifications:follow", args=["debate", debate.pk]) in (
        response.content.decode()
    )


def test_detail_unknown_debate(client, discussion_process):
    response = client.get(reverse("participation:debate_detail", args=["keskustelu", 999]))

    assert response.status_code == 404


def test_detail_other_process(client, debate, make_process):
    other = make_process(slug="toinen")

    response = client.get(reverse("participation:debate_detail", args=[other.slug, debate.pk]))

    assert response.status_code == 404


def test_closed_detail_shows_conclusion(client, debate, coordinator, resident):
    services.debate_close(coordinator, debate, conclusion="Puistoon tulee penkkejä.")
    client.force_login(resident)

    with translation.override("en"):
        response = client.get(debate_url("debate_detail", debate))

    content = response.content.decode()
    assert "Puistoon tulee penkkejä." in content
    assert "This debate is closed and takes no new comments." in content
    assert 'name="body"' not in content


def test_comment_on_closed_debate_keeps_text(client, debate, coordinator, resident):
    client.force_login(resident)
    services.debate_close(coordinator, debate, conclusion="Valmis.")

    with translation.override("en"):
        response = client.post(
            debate_url("debate_comment_create", debate),
            {"body": "Myöhästynyt kommentti", "stance": "for"},
        )

    content = response.content.decode()
    assert response.status_code == 200
    assert "closed" in content
    assert not Comment.objects.exists()


def test_comment_on_debate(client, debate, resident):
    client.force_login(resident)

    response = client.post(
        debate_url("debate_comment_create", debate), {"body": "Hyvä aihe", "stance": "neutral"}
    )

    comment = Comment.objects.get()
    assert comment.debate == debate
    assert response["Location"] == f"{debate_url('debate_detail', debate)}#comment-{comment.pk}"


def test_create_page_denied_to_resident(client, discussion_process, resident):
    client.force_login(resident)

    response = client.get(reverse("participation:debate_create", args=["keskustelu"]))

    assert response.status_code == 403


def test_create_page_opens_debate(client, discussion_process, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("participation:debate_create", args=["keskustelu"]),
        {"title": "Liikenne", "description": "Miten liikennettä rauhoitetaan?"},
    )

    debate = Debate.objects.get()
    assert response["Location"] == debate_url("debate_detail", debate)


def test_create_page_keeps_text(client, discussion_process, coordinator):
    client.force_login(coordinator)

    with translation.override("en"):
        response = client.post(
            reverse("participation:debate_create", args=["keskustelu"]),
            {"title": "", "description": "Kuvaus <script>x</script>"},
        )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the debate a title." in content
    assert "The text contains HTML markup" in content
    assert "Kuvaus &lt;script&gt;x&lt;/script&gt;" in content
    assert not Debate.objects.exists()


def test_close_page_needs_conclusion(client, debate, coordinator):
    client.force_login(coordinator)

    with translation.override("en"):
        response = client.post(debate_url("debate_close", debate), {"conclusion": ""})

    assert response.status_code == 200
    assert "Write the conclusion of the debate before closing it." in response.content.decode()
    debate.refresh_from_db()
    assert debate.is_closed is False


def test_close_page_closes(client, debate, coordinator):
    client.force_login(coordinator)

    response = client.post(debate_url("debate_close", debate), {"conclusion": "Sovittu."})

    debate.refresh_from_db()
    assert response["Location"] == debate_url("debate_detail", debate)
    assert debate.is_closed is True


def test_close_page_denied_to_resident(client, debate, resident):
    client.force_login(resident)

    response = client.post(debate_url("debate_close", debate), {"conclusion": "Sovittu."})

    assert response.status_code == 403
    debate.refresh_from_db()
    assert debate.is_closed is False


def _page_queries(client, debate) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(debate_url("debate_detail", debate))
    assert response.status_code == 200
    return len(queries)


def test_detail_query_count_constant(client, discussion_process, resident, other_resident):
    small = Debate.objects.create(process=discussion_process, title="Pieni", description="x")
    large = Debate.objects.create(process=discussion_process, title="Suuri", description="x")
    bulk_comments(10, debate=small, author=other_resident)
    bulk_comments(1000, debate=large, author=other_resident)
    client.force_login(resident)
    _page_queries(client, small)  # The first request fills the session and the cache table.

    small_count = _page_queries(client, small)
    large_count = _page_queries(client, large)

    assert large_count == small_count


def test_list_query_count_constant(client, discussion_process, coordinator):
    for number in range(3):
        Debate.objects.create(process=discussion_process, title=f"D{number}", description="x")
    client.force_login(coordinator)
    url = reverse("participation:debate_list", args=["keskustelu"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    Debate.objects.bulk_create(
        Debate(process=discussion_process, title=f"E{number}", description="x")
        for number in range(40)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
