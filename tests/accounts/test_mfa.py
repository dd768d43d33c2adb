"""Two-factor authentication: required of staff who sign in with a password, optional for others."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation

from .conftest import add_totp, current_code, sign_in

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def activate_through_page(client, user):
    """Open the activation page, enter the code for the secret it shows, and return the response."""
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    return client.post(ACTIVATE, {"code": current_code(secret)})


def test_staff_without_totp_redirected_from_staff_home(client, coordinator):
    sign_in(client, coordinator.email)

    response = client.get(reverse("staff_home"))

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_staff_without_totp_redirected_from_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="paakayttaja@example.fi")
    admin.set_password("Salasana-123")
    admin.save()
    sign_in(client, admin.email)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_redirect_keeps_language(client, coordinator):
    sign_in(client, coordinator.email)

    response = client.get("/sv/staff/")

    assert response["Location"] == "/sv" + ACTIVATE


def test_setup_page_and_sign_out_stay_open(client, coordinator):
    sign_in(client, coordinator.email)

    assert client.get(ACTIVATE).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("staff_home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_activates_totp_then_staff_home_works(client, coordinator):
    sign_in(client, coordinator.email)

    response = activate_through_page(client, coordinator)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("staff_home")).status_code == 200


def test_activation_wrong_code_shows_error(client, coordinator):
    sign_in(client, coordinator.email)
    client.get(ACTIVATE)

    with translation.override("en"):
        response = client.post("/en" + ACTIVATE, {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=coordinator).exists()


def test_staff_with_totp_asked_for_code(client, coordinator):
    secret = add_totp(coordinator)

    response = sign_in(client, coordinator.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    answer = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert answer.status_code == 302
    assert client.get(reverse("staff_home")).status_code == 200


def test_wrong_totp_code_refused(client, coordinator):
    add_totp(coordinator)
    sign_in(client, coordinator.email)

    with translation.override("en"):
        response = client.post("/en/accounts/2fa/authenticate/", {"code": "123456"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_recovery_code_signs_in(client, coordinator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    add_totp(coordinator)
    codes = RecoveryCodes.activate(coordinator).get_unused_codes()
    sign_in(client, coordinator.email)

    client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert client.get(reverse("staff_home")).status_code == 200


def test_force_login_staff_not_redirected(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("staff_home")).status_code == 200


def test_resident_not_redirected(client, resident):
    sign_in(client, resident.email)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200


def test_resident_adds_totp_from_account_page(client, resident):
    sign_in(client, resident.email)
    account = client.get(reverse("accounts:home")).content.decode()
    assert reverse("mfa_index") in account

    response = activate_through_page(client, resident)

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=resident, type=Authenticator.Type.TOTP).exists()
    with translation.override("en"):
        page = client.get("/en/accounts/profile/").content.decode()
    assert "Two-factor authentication is on" in page
    assert "You have 10 unused recovery codes." in page


def test_account_page_requires_sign_in(client):
    response = client.get(reverse("accounts:home"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_setup_page_shows_qr_code_inline(client, resident):
    sign_in(client, resident.email)

    content = client.get(ACTIVATE).content.decode()

    assert "<svg" in content
    assert "<?xml" not in content
    assert "data:image" not in content


def test_admin_opens_after_code(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="paakayttaja@example.fi")
    admin.set_password("Salasana-123")
    admin.save()
    secret = add_totp(admin)
    sign_in(client, admin.email)

    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert client.get("/admin/").status_code == 200
