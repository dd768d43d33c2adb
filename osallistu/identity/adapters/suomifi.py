"""Suomi.fi e-Identification: SAML 2.0 with pysaml2, mapping the population register's attributes.

Suomi.fi responds with an HTTP POST from its own site, so the browser sends no session cookie with
Django's default SameSite=Lax. The vote being identified is therefore kept in the cache under the
authentication request's random ID, which comes back as InResponseTo, and used once.
"""

import base64
import logging
import shutil

import defusedxml.ElementTree
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_TRANSIENT

from ..claims import IdentityClaims, Method
from .base import IdentificationError, IdentityAdapter

# pysaml2 logs whole assertions at DEBUG level and parts of them in errors. An assertion contains
# the national identification number, so only our own log lines, which name the failure, remain.
logging.getLogger("saml2").setLevel(logging.CRITICAL + 1)

NATIONAL_ID = "urn:oid:1.2.246.21"
GIVEN_NAME = "urn:oid:2.5.4.42"
FIRST_NAME = "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName"
MUNICIPALITY_CODE = "urn:oid:1.2.246.517.2002.2.18"  # KotikuntaKuntanumero
POSTAL_CODE = "urn:oid:1.2.246.517.2002.2.6"  # VakinainenKotimainenLahiosoitePostinumero
SECURITY_DENIAL = "urn:oid:1.2.246.517.2002.2.27"  # TurvakieltoTieto, "1" when set
REQUESTED_ATTRIBUTES = (NATIONAL_ID, GIVEN_NAME, MUNICIPALITY_CODE, POSTAL_CODE, SECURITY_DENIAL)

_CACHE_PREFIX = "identity:saml:"
# Minutes a voter has to finish at Suomi.fi before the request expires.
_PENDING_SECONDS = 15 * 60


def acs_url() -> str:
    """Return the assertion consumer service address, the same whatever the page language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("identity:callback", args=[Method.SUOMIFI])
    return settings.OSALLISTU_SITE_URL.rstrip("/") + path


def sp_config() -> SPConfig:
    """Build the service provider configuration from the OSALLISTU_SUOMIFI_* settings.

    Assertions must be signed by a key in the provider's metadata unless
    OSALLISTU_SUOMIFI_ALLOW_UNSIGNED is on, which check identity.E003 forbids outside DEBUG.
    """
    signed = not settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED
    key, cert = settings.OSALLISTU_SUOMIFI_SP_KEY_FILE, settings.OSALLISTU_SUOMIFI_SP_CERT_FILE
    config = {
        "entityid": settings.OSALLISTU_SUOMIFI_SP_ENTITY_ID,
        "xmlsec_binary": shutil.which("xmlsec1"),
        "metadata": {"local": [settings.OSALLISTU_SUOMIFI_IDP_METADATA_FILE]},
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "endpoints": {"assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)]},
                "authn_requests_signed": bool(key),
                "want_assertions_signed": signed,
                "want_assertions_or_response_signed": signed,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "name_id_format": NAMEID_FORMAT_TRANSIENT,
                "required_attributes": [NATIONAL_ID],
                "optional_attributes": [a for a in REQUESTED_ATTRIBUTES if a != NATIONAL_ID],
            }
        },
    }
    if key and cert:
        config.update(
            key_file=key,
            cert_file=cert,
            encryption_keypairs=[{"key_file": key, "cert_file": cert}],
        )
    sp = SPConfig()
    sp.load(config)
    return sp


def attribute_values(assertion) -> dict[str, str]:
    """Return the first value of each attribute of the assertion, by attribute name (URI)."""
    values = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute:
            texts = [value.text for value in attribute.attribute_value if value.text]
            if texts:
                values[attribute.name] = texts[0].strip()
    return values


def claims_from_attributes(values: dict[str, str]) -> IdentityClaims:
    """Map Suomi.fi attributes to claims; a security denial leaves the address out."""
    national_id = values.get(NATIONAL_ID, "")
    if not national_id:
        raise IdentificationError("The assertion has no national identification number.")
    denial = values.get(SECURITY_DENIAL, "").lower() in ("1", "true")
    return IdentityClaims(
        method=Method.SUOMIFI,
        national_id=national_id,
        given_names=values.get(GIVEN_NAME) or values.get(FIRST_NAME, ""),
        municipality_code="" if denial else values.get(MUNICIPALITY_CODE, ""),
        postal_code="" if denial else values.get(POSTAL_CODE, ""),
        security_denial=denial,
    )


class SuomiFiAdapter(IdentityAdapter):
    """Identify with Suomi.fi: a signed authentication request, a signed (encrypted) response."""

    method = Method.SUOMIFI
    label = _("Suomi.fi identification (online banking codes, mobile certificate)")

    def is_configured(self) -> bool:
        return bool(
            settings.OSALLISTU_SUOMIFI_SP_ENTITY_ID and settings.OSALLISTU_SUOMIFI_IDP_METADATA_FILE
        )

    def begin(self, request, pending):
        client = Saml2Client(sp_config())
        request_id, info = client.prepare_for_authenticate(
            binding=BINDING_HTTP_REDIRECT, response_binding=BINDING_HTTP_POST
        )
        cache.set(_CACHE_PREFIX + request_id, pending, _PENDING_SECONDS)
        return redirect(dict(info["headers"])["Location"])

    def complete(self, request) -> tuple[IdentityClaims, dict]:
        encoded = request.POST.get("SAMLResponse", "")
        try:
            root = defusedxml.ElementTree.fromstring(base64.b64decode(encoded, validate=True))
        except Exception as error:
            raise IdentificationError("The SAML response is not readable XML.") from error
        request_id = root.get("InResponseTo", "")
        pending = cache.get(_CACHE_PREFIX + request_id) if request_id else None
        if pending is None:
            raise IdentificationError("The SAML response matches no pending request.")
        cache.delete(_CACHE_PREFIX + request_id)
        client = Saml2Client(sp_config())
        try:
            response = client.parse_authn_request_response(
                encoded, BINDING_HTTP_POST, outstanding={request_id: pending["next"]}
            )
        except Exception as error:
            # The exception's text may quote the assertion; its class names the failure.
            raise IdentificationError(
                "The SAML response was rejected: " + type(error).__name__
            ) from None
        if response is None or response.assertion is None:
            raise IdentificationError("The SAML response has no assertion.")
        return claims_from_attributes(attribute_values(response.assertion)), pending

    def metadata_response(self, request) -> HttpResponse:
        """Return the service provider's metadata XML for registration at Suomi.fi."""
        xml = create_metadata_string(None, config=sp_config(), valid=24 * 365)
        return HttpResponse(xml, content_type="application/samlmetadata+xml")
