"""Sign-up and sign-in with email and password, through django-allauth's pages."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_up_creates_account_and_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "uusi@example.fi",
            "password1": "Pitka-salasana-42",
            "password2": "Pitka-salasana-42",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="uusi@example.fi")
    assert user.check_password("Pitka-salasana-42")
    assert client.get("/").context["user"] == user


def test_sign_up_email_names_the_service(client, settings, mailoutbox):
    settings.OSALLISTU_CITY_NAME = "Kuopio"
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    client.post(
        reverse("account_signup"),
        {
            "email": "uusi@example.fi",
            "password1": "Pitka-salasana-42",
            "password2": "Pitka-salasana-42",
        },
        HTTP_HOST="127.0.0.1:8766",
    )

    [email] = mailoutbox
    assert email.subject.startswith("[Osallistu Kuopio] ")
    assert "Osallistu Kuopio" in email.body
    assert "127.0.0.1:8766!" not in email.body


def test_sign_up_rejects_mismatched_passwords(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "uusi@example.fi", "password1": "Pitka-salasana-42", "password2": "toinen"},
    )
    assert response.status_code == 200
    assert get_user_model().objects.count() == 0
    assert 'value="uusi@example.fi"' in response.content.decode()


def test_sign_in_with_email(client, resident):
    response = client.post(
        reverse("account_login"), {"login": "asukas@example.fi", "password": "Salasana-123"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == resident


def test_sign_in_wrong_password_shows_finnish_error(client, resident):
    response = client.post(
        reverse("account_login"), {"login": "asukas@example.fi", "password": "väärä"}
    )
    assert response.status_code == 200
    assert "Annettu sähköposti tai salasana ei ole oikein." in response.content.decode()


def test_sign_in_page_uses_site_layout(client):
    content = client.get(reverse("account_login")).content.decode()
    assert '<html lang="fi">' in content
    assert 'id="main"' in content


def test_user_without_email_rejected():
    with pytest.raises(ValueError):
        get_user_model().objects.create_user(email="", password="x")
