import pytest
from django.urls import reverse

from osallistu.budgeting.models import BudgetingSettings
from osallistu.identity.adapters.suomifi import (
    acs_url,
    attribute_values,
    claims_from_attributes,
)
from osallistu.identity.claims import Method
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.selectors import SESSION_KEY

from . import saml_helpers as saml

pytestmark = pytest.mark.django_db
BALLOT = "/processes/testi/vote/"


@pytest.fixture
def sp_keys(tmp_path):
    return saml.make_key_pair(tmp_path, "sp")


@pytest.fixture
def idp_keys(tmp_path):
    return saml.make_key_pair(tmp_path, "idp")


@pytest.fixture
def suomifi(settings, sp_keys, idp_keys, tmp_path):
    """Production-like Suomi.fi settings against a local provider with its own key pair."""
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = False
    settings.OSALLISTU_IDENTITY_METHODS = ["suomifi"]
    settings.OSALLISTU_SUOMIFI_SP_ENTITY_ID = saml.SP_ENTITY_ID
    settings.OSALLISTU_SUOMIFI_SP_KEY_FILE = str(sp_keys[0])
    settings.OSALLISTU_SUOMIFI_SP_CERT_FILE = str(sp_keys[1])
    settings.OSALLISTU_SUOMIFI_IDP_METADATA_FILE = str(
        saml.write_idp_metadata(tmp_path, idp_keys[1])
    )
    settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED = False
    return settings


@pytest.fixture
def turku_process(process):
    """The process with Turku's rules, so that the stored Turku resident may vote in it."""
    BudgetingSettings.objects.filter(process=process).update(municipality_code="853")
    return process


def begin(client, process) -> str:
    """Choose Suomi.fi on the start page and return the ID of the signed request sent."""
    answer = client.post(
        reverse("identity:start", kwargs={"process_slug": process.slug}),
        {"method": "suomifi", "next": BALLOT},
    )
    assert answer.status_code == 302
    assert "?SAMLRequest=" in answer["Location"]
    assert "Signature=" in answer["Location"]
    return saml.request_id_from_redirect(answer["Location"])


def callback(client, xml):
    return client.post(reverse("identity:callback", args=["suomifi"]), saml.post_body(xml))


def signed_and_encrypted(request_id, idp_keys, sp_keys, tmp_path) -> str:
    xml = saml.fresh_response(request_id, acs_url())
    signed = saml.sign_assertion(xml, *idp_keys, tmp_path)
    return saml.encrypt_assertion(signed, sp_keys[1])


def test_stored_response_maps_suomifi_attributes():
    from saml2 import samlp

    response = samlp.response_from_string(saml.STORED_RESPONSE.read_text())
    claims = claims_from_attributes(attribute_values(response.assertion[0]))
    assert claims.method == Method.SUOMIFI
    assert claims.national_id == "210281-9988"
    assert claims.municipality_code == "853"
    assert claims.postal_code == "20006"
    assert claims.given_names == "Nordea"
    assert not claims.security_denial


def test_security_denial_attribute_hides_the_address():
    values = {
        "urn:oid:1.2.246.21": "210281-9988",
        "urn:oid:1.2.246.517.2002.2.18": "297",
        "urn:oid:1.2.246.517.2002.2.27": "1",
    }
    claims = claims_from_attributes(values)
    assert claims.security_denial
    assert claims.municipality_code == ""


def test_signed_and_encrypted_answer_makes_an_eligibility_record(
    client, suomifi, turku_process, idp_keys, sp_keys, tmp_path
):
    request_id = begin(client, turku_process)
    xml = signed_and_encrypted(request_id, idp_keys, sp_keys, tmp_path)
    assert "210281-9988" not in xml
    answer = callback(client, xml)
    assert answer.status_code == 302
    assert answer["Location"] == BALLOT
    record = EligibilityRecord.objects.get()
    assert record.method == Method.SUOMIFI
    assert (record.municipality_code, record.postal_code) == ("853", "20006")
    assert client.session[SESSION_KEY] == {str(turku_process.pk): record.pk}


def test_turku_resident_of_the_stored_response_is_refused_in_kuopio(
    client, suomifi, process, idp_keys, sp_keys, tmp_path
):
    request_id = begin(client, process)
    page = callback(client, signed_and_encrypted(request_id, idp_keys, sp_keys, tmp_path))
    assert page.status_code == 403
    assert page.context["code"] == "wrong_municipality"
    assert not EligibilityRecord.objects.exists()


def test_answer_is_used_once(client, suomifi, turku_process, idp_keys, sp_keys, tmp_path):
    request_id = begin(client, turku_process)
    xml = signed_and_encrypted(request_id, idp_keys, sp_keys, tmp_path)
    assert callback(client, xml).status_code == 302
    assert callback(client, xml).status_code == 400


def test_unsigned_assertion_is_refused_by_production_settings(client, suomifi, turku_process):
    request_id = begin(client, turku_process)
    page = callback(client, saml.fresh_response(request_id, acs_url()))
    assert page.status_code == 400
    assert not EligibilityRecord.objects.exists()


def test_assertion_signed_by_another_key_is_refused(
    client, suomifi, turku_process, sp_keys, tmp_path
):
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_keys = saml.make_key_pair(other_dir, "other")
    request_id = begin(client, turku_process)
    xml = saml.fresh_response(request_id, acs_url())
    page = callback(client, saml.sign_assertion(xml, *other_keys, other_dir))
    assert page.status_code == 400
    assert not EligibilityRecord.objects.exists()


def test_tampered_signed_assertion_is_refused(client, suomifi, turku_process, idp_keys, tmp_path):
    request_id = begin(client, turku_process)
    signed = saml.sign_assertion(saml.fresh_response(request_id, acs_url()), *idp_keys, tmp_path)
    tampered = signed.replace("<saml2:AttributeValue>853<", "<saml2:AttributeValue>297<")
    assert tampered != signed
    assert callback(client, tampered).status_code == 400
    assert not EligibilityRecord.objects.exists()


def test_answer_to_no_request_is_refused(client, suomifi, turku_process, idp_keys, tmp_path):
    signed = saml.sign_assertion(saml.fresh_response("_unknown", acs_url()), *idp_keys, tmp_path)
    assert callback(client, signed).status_code == 400
    assert callback(client, "not xml").status_code == 400


def test_metadata_lists_the_consumer_service_and_the_certificate(client, suomifi, sp_keys):
    page = client.get(reverse("identity:suomifi_metadata"))
    assert page.status_code == 200
    assert acs_url().encode() in page.content
    assert saml._pem_body(sp_keys[1]).encode()[:60] in page.content
    assert b"urn:oid:1.2.246.21" in page.content


def test_security_denial_response_leads_to_assisted_voting(
    client, suomifi, process, idp_keys, sp_keys, tmp_path, settings
):
    settings.OSALLISTU_ASSISTED_VOTING_URL = "https://www.kuopio.fi/aanestyspaikat"
    stored = saml.STORED_RESPONSE.read_text()
    denial = (
        '<saml2:Attribute FriendlyName="TurvakieltoTieto" Name="urn:oid:1.2.246.517.2002.2.27" '
        'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
        "<saml2:AttributeValue>1</saml2:AttributeValue></saml2:Attribute>"
    )
    stored = stored.replace("<saml2:AttributeStatement>", "<saml2:AttributeStatement>" + denial)
    request_id = begin(client, process)
    xml = saml.fresh_response(request_id, acs_url(), xml=stored)
    signed = saml.sign_assertion(xml, *idp_keys, tmp_path)
    page = callback(client, saml.encrypt_assertion(signed, sp_keys[1]))
    assert page.status_code == 403
    assert page.context["code"] == "security_denial"
    assert b"https://www.kuopio.fi/aanestyspaikat" in page.content
    assert not EligibilityRecord.objects.exists()
