from urllib.parse import urlsplit

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse
from joserfc.jwk import RSAKey

from osallistu.identity.claims import Method
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.selectors import SESSION_KEY

from .oidc_provider import MockProvider

pytestmark = pytest.mark.django_db
BALLOT = "/processes/testi/vote/"
ADULT = {
    "sub": "person-1",
    "national_identification_number": "210281-9988",
    "municipality_code": "297",
    "postal_code": "70100",
}


@pytest.fixture
def provider():
    mock = MockProvider(dict(ADULT))
    cache.clear()
    yield mock
    mock.stop()


@pytest.fixture
def oidc(settings, provider):
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = False
    settings.OSALLISTU_IDENTITY_METHODS = ["oidc", "school"]
    settings.OSALLISTU_OIDC_ISSUER = provider.issuer
    settings.OSALLISTU_OIDC_CLIENT_ID = "osallistu"
    settings.OSALLISTU_OIDC_CLIENT_SECRET = "secret"
    settings.OSALLISTU_SCHOOL_OIDC_ISSUER = provider.issuer
    settings.OSALLISTU_SCHOOL_OIDC_CLIENT_ID = "osallistu-school"
    settings.OSALLISTU_SCHOOL_DEFAULT_MUNICIPALITY = "297"
    return settings


def identify(client, process, method, *, state=None):
    """Choose `method`, let the provider respond, and return the callback's response."""
    answer = client.post(
        reverse("identity:start", kwargs={"process_slug": process.slug}),
        {"method": method, "next": BALLOT},
    )
    assert answer.status_code == 302
    at_provider = requests.get(answer["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    query = back.query if state is None else back.query.split("&state=")[0] + f"&state={state}"
    return client.get(f"{back.path}?{query}")


def test_generic_provider_identifies_with_pkce(client, process, oidc, provider):
    answer = identify(client, process, "oidc")
    assert answer.status_code == 302
    assert answer["Location"] == BALLOT
    sent = provider.requests[0]
    assert sent["code_challenge_method"] == "S256"
    assert sent["response_type"] == "code"
    assert sent["nonce"]
    record = EligibilityRecord.objects.get()
    assert record.method == Method.OIDC
    assert record.postal_code == "70100"
    assert client.session[SESSION_KEY] == {str(process.pk): record.pk}


def test_turku_resident_is_refused(client, process, oidc, provider):
    provider.claims["municipality_code"] = "853"
    page = identify(client, process, "oidc")
    assert page.status_code == 403
    assert page.context["code"] == "wrong_municipality"


def test_wrong_state_is_refused(client, process, oidc):
    assert identify(client, process, "oidc", state="forged").status_code == 400
    assert not EligibilityRecord.objects.exists()


def test_replayed_nonce_is_refused(client, process, oidc, provider):
    provider.nonce_override = "old-nonce"
    assert identify(client, process, "oidc").status_code == 400
    assert not EligibilityRecord.objects.exists()


def test_token_signed_by_another_key_is_refused(client, process, oidc, provider):
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    assert identify(client, process, "oidc").status_code == 400
    assert not EligibilityRecord.objects.exists()


def test_provider_without_national_number_is_refused(client, process, oidc, provider):
    del provider.claims["national_identification_number"]
    assert identify(client, process, "oidc").status_code == 400


def test_pupil_identifies_with_a_school_account(client, process, oidc, provider):
    provider.claims = {"sub": "learner-1", "urn:mpass.id:classLevel": "7"}
    answer = identify(client, process, "school")
    assert answer.status_code == 302
    record = EligibilityRecord.objects.get()
    assert record.method == Method.SCHOOL
    assert record.municipality_code == "297"
    assert record.age_group == ""
    # The same pupil again is the same record.
    assert identify(client, process, "school").status_code == 302
    assert EligibilityRecord.objects.count() == 1


def test_young_pupil_is_refused_and_birth_date_wins(client, process, oidc, provider):
    provider.claims = {"sub": "learner-2", "urn:mpass.id:classLevel": "5"}
    page = identify(client, process, "school")
    assert page.status_code == 403
    assert page.context["code"] == "too_young"
    provider.claims = {
        "sub": "learner-3",
        "urn:mpass.id:classLevel": "5",
        "birthdate": "2013-01-01",
    }
    assert identify(client, process, "school").status_code == 302
    assert EligibilityRecord.objects.get().age_group == "13-17"


def test_unreachable_provider_fails_cleanly(client, process, oidc, provider, settings):
    settings.OSALLISTU_OIDC_ISSUER = "http://127.0.0.1:9"
    cache.clear()
    page = client.post(
        reverse("identity:start", kwargs={"process_slug": process.slug}), {"method": "oidc"}
    )
    assert page.status_code == 400
    assert not EligibilityRecord.objects.exists()
