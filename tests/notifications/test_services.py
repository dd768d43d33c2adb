"""Follows, in-site notifications and the opt-in email copy sent after commit."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from osallistu.areas.models import Suburb
from osallistu.notifications import services
from osallistu.notifications.models import Follow, Notification
from osallistu.notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db

# Messages that the catalogues translate already: fi "Kirjaudu sisään", sv "Logga in".
SIGN_IN = gettext_lazy("Sign in")


@pytest.fixture
def opted_in(make_user):
    return make_user("sahkoposti@example.fi", email_notifications=True)


# --- Follows ----------------------------------------------------------------------------------


def test_follow_twice_one_row(resident, idea):
    first = services.follow(resident, idea)
    second = services.follow(resident, idea)

    assert first == second
    assert Follow.objects.count() == 1
    assert Follow.objects.get().target == idea


def test_follow_every_kind(resident, process, idea, debate):
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")

    for target in (suburb, process, idea, debate):
        services.follow(resident, target)

    assert {follow.target for follow in Follow.objects.all()} == {suburb, process, idea, debate}


def test_follow_other_type_rejected(resident, other_resident):
    with pytest.raises(TypeError):
        services.follow(resident, other_resident)

    assert not Follow.objects.exists()


def test_unfollow_idempotent(resident, idea):
    services.follow(resident, idea)

    services.unfollow(resident, idea)
    services.unfollow(resident, idea)

    assert not Follow.objects.exists()


def test_unfollow_keeps_other_follows(resident, other_resident, idea, process):
    services.follow(resident, idea)
    services.follow(resident, process)
    services.follow(other_resident, idea)

    services.unfollow(resident, idea)

    assert Follow.objects.filter(user=resident).get().target == process
    assert Follow.objects.filter(user=other_resident).exists()


# --- Notifications ----------------------------------------------------------------------------


def test_notify_user_creates_notification(resident):
    notification = services.notify_user(resident, message="Idea hyväksyttiin.", url="/x/")

    assert notification.user == resident
    assert notification.message == "Idea hyväksyttiin."
    assert notification.url == "/x/"
    assert notification.read_at is None


def test_notify_user_fills_params(resident):
    services.notify_user(
        resident,
        message=gettext_lazy('Your idea "%(title)s" was approved and is now public.'),
        params={"title": "Penkki"},
    )

    assert "Penkki" in Notification.objects.get().message
    assert "%(title)s" not in Notification.objects.get().message


def test_notify_user_cuts_long_message(resident):
    services.notify_user(resident, message="x" * 800)

    assert len(Notification.objects.get().message) == 500


def test_notify_user_skips_inactive(resident):
    resident.is_active = False
    resident.save()

    assert services.notify_user(resident, message="Hei") is None
    assert not Notification.objects.exists()


def test_notify_followers_reaches_followers(resident, other_resident, make_user, idea):
    outsider = make_user("ulkopuolinen@example.fi")
    services.follow(resident, idea)
    services.follow(other_resident, idea)

    count = services.notify_followers(idea, message="Uusi kommentti", url="/idea/")

    assert count == 2
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        resident.email,
        other_resident.email,
    }
    assert not Notification.objects.filter(user=outsider).exists()


def test_notify_followers_excludes_user(resident, other_resident, idea):
    services.follow(resident, idea)
    services.follow(other_resident, idea)

    count = services.notify_followers(idea, message="Uusi kommentti", exclude_user=other_resident)

    assert count == 1
    assert Notification.objects.get().user == resident


def test_notify_followers_several_targets_once(resident, other_resident, idea, process):
    services.follow(resident, idea)
    services.follow(resident, process)
    services.follow(other_resident, process)

    count = services.notify_followers([idea, process], message="Tila muuttui")

    assert count == 2
    assert Notification.objects.filter(user=resident).count() == 1


def test_notify_followers_skips_inactive(resident, other_resident, idea):
    services.follow(resident, idea)
    services.follow(other_resident, idea)
    other_resident.is_active = False
    other_resident.save()

    services.notify_followers(idea, message="Uusi kommentti")

    assert Notification.objects.get().user == resident


def test_notify_followers_without_followers(idea):
    assert services.notify_followers(idea, message="Hei") == 0
    assert not Notification.objects.exists()


def test_notify_followers_per_language(make_user, idea):
    finn = make_user("fi@example.fi", language="fi")
    swede = make_user("sv@example.fi", language="sv")
    for user in (finn, swede):
        services.follow(user, idea)

    services.notify_followers(idea, message=SIGN_IN)

    assert Notification.objects.get(user=finn).message == "Kirjaudu sisään"
    assert Notification.objects.get(user=swede).message == "Logga in"


def test_notify_user_url_in_user_language(make_user, idea):
    swede = make_user("sv@example.fi", language="sv")
    with translation.override("fi"):
        url = reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])

        services.notify_user(swede, message="Hej", url=url)

    assert Notification.objects.get().url == f"/sv{url}"


# --- Email ------------------------------------------------------------------------------------


def test_email_sent_after_commit(opted_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_user(opted_in, message="Ideasi tila muuttui.", url="/x/")

        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [opted_in.email]
    assert "Ideasi tila muuttui." in mail.outbox[0].body
    assert "http://127.0.0.1:8000/x/" in mail.outbox[0].body


def test_email_uses_site_url_setting(opted_in, django_capture_on_commit_callbacks, settings):
    settings.OSALLISTU_SITE_URL = "https://osallistu.kuopio.fi"

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_user(opted_in, message="Hei", url="/x/")

    assert "https://osallistu.kuopio.fi/x/" in mail.outbox[0].body


def test_email_not_sent_on_rollback(opted_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify_user(opted_in, message="Ideasi tila muuttui.")
            raise RuntimeError("the change failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_email_needs_opt_in(resident, django_capture_on_commit_callbacks):
    assert not resident.email_notifications

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify_user(resident, message="Hei")

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.filter(user=resident).exists()


def test_email_skipped_after_opt_out(opted_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify_user(opted_in, message="Hei")
    opted_in.email_notifications = False
    opted_in.save()

    for callback in callbacks:
        callback()

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_email_task_missing_notification(db):
    send_notification_email.call(123456)

    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "expected", "settings_path"),
    [
        ("sv", "Logga in", "/sv/notifications/settings/"),
        ("fi", "Kirjaudu sisään", "/notifications/settings/"),
    ],
)
def test_email_in_user_language(
    make_user, django_capture_on_commit_callbacks, language, expected, settings_path
):
    user = make_user("kieli@example.fi", email_notifications=True, language=language)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.notify_user(user, message=SIGN_IN)

    email = mail.outbox[0]
    assert expected in email.body
    assert email.extra_headers["Content-Language"] == language
    assert f"http://127.0.0.1:8000{settings_path}" in email.body


def test_email_to_followers_one_each(make_user, idea, django_capture_on_commit_callbacks):
    first = make_user("eka@example.fi", email_notifications=True, first_name="Eeva")
    second = make_user("toka@example.fi", email_notifications=True, first_name="Toivo")
    actor = make_user("kirjoittaja@example.fi", email_notifications=True, first_name="Kalle")
    for user in (first, second, actor):
        services.follow(user, idea)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_followers(
            idea, message="Ideaan tuli uusi kommentti.", url="/idea/", exclude_user=actor
        )

    assert sorted(email.to[0] for email in mail.outbox) == [first.email, second.email]
    for email in mail.outbox:
        recipient = email.to[0]
        others = [user for user in (first, second, actor) if user.email != recipient]
        message = email.message().as_string()
        assert email.to == [recipient]
        assert email.cc == []
        assert email.bcc == []
        for other in others:
            assert other.email not in message
            assert other.first_name not in message
