"""Sign-in lockout: allauth's rate limits on failed passwords, two-factor codes and resets."""

import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from .conftest import add_totp, current_code, sign_in

pytestmark = pytest.mark.django_db

LOCKOUT_MESSAGE = "Too many failed sign-in attempts. Wait 15 minutes and try again."


def fail_sign_in(client, email: str, times: int) -> None:
    for _ in range(times):
        response = sign_in(client, email, "väärä-salasana")
        assert response.status_code == 200


def test_right_password_refused_after_five_failures(client, resident):
    fail_sign_in(client, resident.email, 5)

    with translation.override("en"):
        response = client.post(
            "/en/accounts/login/", {"login": resident.email, "password": "Salasana-123"}
        )

    assert response.status_code == 200
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, resident):
    fail_sign_in(client, resident.email, 4)

    response = sign_in(client, resident.email)

    assert response.status_code == 302


def test_other_account_still_signs_in(client, resident, other_resident):
    fail_sign_in(client, resident.email, 5)

    response = sign_in(client, other_resident.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_resident.pk)


def test_sign_in_works_after_window(client, resident, monkeypatch):
    fail_sign_in(client, resident.email, 5)
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = sign_in(client, resident.email)

    assert response.status_code == 302


def test_address_locked_after_twenty_failures(client, resident, django_user_model):
    for number in range(4):
        email = f"kayttaja{number}@example.fi"
        django_user_model.objects.create_user(email=email, password="Salasana-123")
        fail_sign_in(client, email, 5)

    response = sign_in(client, resident.email)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_totp_codes_lock_code_step(client, coordinator):
    secret = add_totp(coordinator)
    sign_in(client, coordinator.email)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})

    with translation.override("en"):
        response = client.post("/en/accounts/2fa/authenticate/", {"code": current_code(secret)})

    assert response.status_code == 200
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_limited(client, resident):
    for _ in range(7):
        client.post(reverse("account_reset_password"), {"email": resident.email})

    assert len(mail.outbox) == 5


def test_admin_login_goes_to_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_admin_login_post_does_not_sign_in(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="paakayttaja@example.fi")
    admin.set_password("Salasana-123")
    admin.save()

    client.post("/admin/login/", {"username": admin.email, "password": "Salasana-123"})

    assert "_auth_user_id" not in client.session
