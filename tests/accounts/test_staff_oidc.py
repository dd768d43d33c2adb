"""Staff sign-in through the city's OpenID Connect provider, against a provider on loopback."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from osallistu.accounts.models import RoleAssignment
from tests.identity.oidc_provider import MockProvider

pytestmark = pytest.mark.django_db

STAFF_CLAIMS = {
    "sub": "kuopio-staff-1",
    "email": "suunnittelija@kuopio.fi",
    "email_verified": True,
    "given_name": "Sanna",
    "family_name": "Suunnittelija",
}
CITY_LOGIN = "/accounts/oidc/city/login/"


class CodesWithoutNonce(dict):
    """Authorization requests stored by MockProvider, with an empty nonce where none was sent.

    allauth's OpenID Connect client (65.x) sends no nonce; it relies on PKCE and the state
    parameter. MockProvider copies the request's nonce into the ID token and needs the key.
    """

    def __setitem__(self, key, value):
        super().__setitem__(key, {"nonce": "", **value})


@pytest.fixture
def provider():
    mock = MockProvider(dict(STAFF_CLAIMS))
    mock.codes = CodesWithoutNonce()
    yield mock
    mock.stop()


@pytest.fixture
def city_oidc(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "city",
                    "name": "Kuopion kaupunki",
                    "client_id": "osallistu-staff",
                    "secret": "secret",
                    "settings": {
                        "server_url": provider.issuer,
                        "oauth_pkce_enabled": True,
                        "fetch_userinfo": False,
                    },
                }
            ],
        }
    }
    return settings


def sign_in_with_city(client):
    """Press the city sign-in button, follow the provider's redirect and return the response."""
    start = client.post(CITY_LOGIN)
    assert start.status_code == 302
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_button_hidden_when_unconfigured(client):
    content = client.get(reverse("account_login")).content.decode()

    assert CITY_LOGIN not in content


def test_button_shown_when_configured(client, city_oidc):
    content = client.get(reverse("account_login")).content.decode()

    assert f'action="{CITY_LOGIN}"' in content
    assert "Kuopion kaupunki" in content


def test_city_login_url_missing_when_unconfigured(client):
    assert client.post(CITY_LOGIN).status_code == 404


def test_first_sign_in_creates_account_without_roles(client, city_oidc, provider):
    response = sign_in_with_city(client)

    assert response.status_code == 302
    user = get_user_model().objects.get(email="suunnittelija@kuopio.fi")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not user.is_staff
    assert not user.is_superuser
    assert user.verified_at is None
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert SocialAccount.objects.get(user=user).provider == "city"


def test_request_uses_pkce_and_openid_scope(client, city_oidc, provider):
    sign_in_with_city(client)

    sent = provider.requests[0]
    assert sent["code_challenge_method"] == "S256"
    assert sent["client_id"] == "osallistu-staff"
    assert "openid" in parse_qs(f"scope={sent['scope']}")["scope"][0].split()


def test_same_email_local_account_not_taken_over(client, city_oidc, provider, django_user_model):
    local = django_user_model.objects.create_user(
        email="suunnittelija@kuopio.fi", password="Salasana-123"
    )

    response = sign_in_with_city(client)

    assert response["Location"] == reverse("socialaccount_signup")
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(user=local).exists()
    assert client.get(response["Location"]).status_code == 200


def test_connected_staff_need_no_totp(client, city_oidc, provider, django_user_model):
    staff = django_user_model.objects.create_user(email="suunnittelija@kuopio.fi")
    RoleAssignment.objects.create(user=staff, role=RoleAssignment.Role.COORDINATOR)
    SocialAccount.objects.create(user=staff, provider="city", uid="kuopio-staff-1")

    sign_in_with_city(client)

    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("staff_home")).status_code == 200


def test_wrong_state_refused(client, city_oidc, provider):
    start = client.post(CITY_LOGIN)
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    query = parse_qs(back.query)

    response = client.get(back.path, {"code": query["code"][0], "state": "forged"})

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.exists()


def test_database_app_ignored(client):
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="city",
        name="Lisätty ylläpidossa",
        client_id="x",
        settings={"server_url": "http://127.0.0.1:9"},
    )

    content = client.get(reverse("account_login")).content.decode()

    assert CITY_LOGIN not in content
    assert client.post(CITY_LOGIN).status_code == 404
