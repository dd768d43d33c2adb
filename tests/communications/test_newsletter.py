"""Newsletters: drafts, sending to opted-in followers after commit, in each one's language."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from osallistu.audit.models import AuditEvent
from osallistu.communications import services
from osallistu.communications.models import ChannelUse, NewsletterIssue
from osallistu.notifications.services import follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def followers(make_user, suburb, suburb_process):
    """Return the users by role: who should and should not get the suburb's newsletter."""
    users = {
        "fi": make_user("fi@example.fi", email_notifications=True, language="fi"),
        "sv": make_user("sv@example.fi", email_notifications=True, language="sv"),
        "en": make_user("en@example.fi", email_notifications=True, language="en"),
        "process": make_user("prosessi@example.fi", email_notifications=True, language="fi"),
        "no_email": make_user("eisahkopostia@example.fi", email_notifications=False),
        "inactive": make_user("poistettu@example.fi", email_notifications=True, is_active=False),
        "stranger": make_user("muu@example.fi", email_notifications=True),
    }
    for key in ("fi", "sv", "en", "no_email", "inactive"):
        follow(users[key], suburb)
    follow(users["process"], suburb_process)
    follow(users["fi"], suburb_process)  # following twice still means one email
    return users


@pytest.fixture
def draft(coordinator, suburb):
    return services.newsletter_save(
        coordinator,
        suburb=suburb,
        subject="Neulamäen uutiskirje",
        body="Hei! Lähiöbudjetin ideointi alkaa.",
        subject_sv="Nyhetsbrev för Neulamäki",
        body_sv="Hej! Idéinsamlingen börjar.",
        include_upcoming=True,
    )


def test_send_after_commit_only(
    coordinator, draft, followers, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        count = services.newsletter_send(coordinator, draft)

    assert count == 4
    assert len(callbacks) == 4
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "en@example.fi",
        "fi@example.fi",
        "prosessi@example.fi",
        "sv@example.fi",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert all(not message.cc and not message.bcc for message in mail.outbox)


def test_each_in_own_language(
    coordinator, draft, followers, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(coordinator, draft)

    by_address = {message.to[0]: message for message in mail.outbox}
    swedish = by_address["sv@example.fi"]
    assert swedish.subject == "Nyhetsbrev för Neulamäki"
    assert "Hej! Idéinsamlingen börjar." in swedish.body
    assert "/sv/" in swedish.body  # the settings link is in Swedish
    assert swedish.extra_headers["Content-Language"] == "sv"

    english = by_address["en@example.fi"]
    assert english.subject == "Neulamäen uutiskirje"  # no English text given: Finnish
    assert "Lähiöbudjetin ideointi alkaa." in english.body
    assert "You get this newsletter because you follow Neulamäki" in english.body
    assert "/en/notifications/settings/" in english.body

    finnish = by_address["fi@example.fi"]
    assert "Puistotyöpaja" in finnish.body
    assert "http://testserver/events/puistotyopaja/" not in finnish.body
    assert "/events/puistotyopaja/" in finnish.body


def test_send_records_counts_log_and_audit(
    coordinator, draft, followers, suburb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(coordinator, draft)

    draft.refresh_from_db()
    assert draft.status == NewsletterIssue.Status.SENT
    assert draft.sent_at is not None
    assert draft.recipient_count == 4
    assert draft.recipients_by_language == {"fi": 2, "sv": 1, "en": 1}
    use = ChannelUse.objects.get(channel__kind="newsletter")
    assert use.automatic
    assert use.reach == 4
    assert use.step == suburb
    assert AuditEvent.objects.filter(action="communications.send_newsletter").count() == 1


def test_send_twice_rejected(coordinator, draft, followers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(coordinator, draft)
    sent = len(mail.outbox)

    with pytest.raises(ValidationError):
        services.newsletter_send(coordinator, draft)
    with pytest.raises(ValidationError):
        services.newsletter_save(coordinator, suburb=draft.suburb, issue=draft, subject="Uusi")
    assert len(mail.outbox) == sent


def test_opt_out_before_task_skips(
    coordinator, draft, followers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.newsletter_send(coordinator, draft)
    followers["sv"].email_notifications = False
    followers["sv"].save()

    for callback in callbacks:
        callback()

    assert "sv@example.fi" not in [message.to[0] for message in mail.outbox]
    assert len(mail.outbox) == 3


def test_resident_cannot_send(draft, followers, make_user):
    with pytest.raises(PermissionDenied):
        services.newsletter_send(make_user("asukas2@example.fi"), draft)


def test_compose_keeps_input_on_error(coordinator_client, suburb):
    response = coordinator_client.post(
        reverse("communications:newsletter_create", args=[suburb.slug]),
        {"subject": "Otsikko", "body": "", "subject_sv": "Rubrik", "body_sv": ""},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "body" in form.errors
    assert "body_sv" in form.errors
    assert 'value="Otsikko"' in response.content.decode()
    assert NewsletterIssue.objects.count() == 0


def test_compose_preview_and_send_views(
    coordinator_client, suburb, followers, django_capture_on_commit_callbacks
):
    response = coordinator_client.post(
        reverse("communications:newsletter_create", args=[suburb.slug]),
        {"subject": "Kevään uutiset", "body": "Tervetuloa!", "include_upcoming": "on"},
    )
    issue = NewsletterIssue.objects.get()
    detail = reverse("communications:newsletter_detail", args=[suburb.slug, issue.pk])
    assert response.status_code == 302
    assert response["Location"] == detail

    preview = coordinator_client.get(detail)
    content = preview.content.decode()
    assert preview.context["total"] == 4
    assert "Tervetuloa!" in content
    for address in ("fi@example.fi", "sv@example.fi", "prosessi@example.fi"):
        assert address not in content

    with django_capture_on_commit_callbacks(execute=True):
        sent = coordinator_client.post(detail)
    assert sent.status_code == 302
    assert len(mail.outbox) == 4

    with django_capture_on_commit_callbacks(execute=True):
        again = coordinator_client.post(detail)
    assert again.status_code == 400
    assert len(mail.outbox) == 4


def test_newsletter_list_counts(coordinator_client, suburb, followers, draft):
    response = coordinator_client.get(reverse("communications:newsletter_list", args=[suburb.slug]))

    assert response.status_code == 200
    assert response.context["counts"] == {"en": 1, "fi": 2, "sv": 1}
    assert "fi@example.fi" not in response.content.decode()


def test_compose_and_preview_show_followers_and_email_recipients(
    coordinator_client, suburb, followers, draft
):
    pages = [
        reverse("communications:newsletter_create", args=[suburb.slug]),
        reverse("communications:newsletter_detail", args=[suburb.slug, draft.pk]),
    ]
    for url in pages:
        with translation.override("en"):
            response = coordinator_client.get(f"/en{url}")
            content = response.content.decode()

        # Five active followers; the one without email notifications gets no newsletter.
        assert (response.context["followers"], response.context["total"]) == (5, 4)
        assert "5 residents follow the suburb or its processes." in content
        assert "Only followers who have turned on email notifications" in content
        assert "fi@example.fi" not in content


def test_sent_message_singular(coordinator_client, suburb, make_user, draft):
    follow(make_user("yksi@example.fi", email_notifications=True, language="fi"), suburb)
    detail = reverse("communications:newsletter_detail", args=[suburb.slug, draft.pk])

    with translation.override("en"):
        response = coordinator_client.post(f"/en{detail}", follow=True)
        text = [str(message) for message in response.context["messages"]]

    assert text == ["The newsletter is being sent to 1 recipient."]
