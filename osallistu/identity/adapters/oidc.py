"""OpenID Connect identification with Authlib: authorization code flow with PKCE and a nonce.

`OIDCAdapter` serves a generic provider that gives a Finnish national identification number.
`SchoolAdapter` serves school identification configured like MPASSid, which gives pupils a
pseudonymous learner identifier, a school year and perhaps a municipality instead.
"""

import datetime

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.jwk import KeySet

from ..claims import IdentityClaims, Method
from .base import IdentificationError, IdentityAdapter

_TIMEOUT = 10
_DISCOVERY_SECONDS = 60 * 60


def _first(data: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = data.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value not in (None, ""):
            return str(value).strip()
    return ""


class OIDCAdapter(IdentityAdapter):
    """A generic OpenID Connect provider configured by the OSALLISTU_OIDC_* settings."""

    method = Method.OIDC
    label = _("Strong electronic identification")
    setting_prefix = "OSALLISTU_OIDC"
    scope = "openid profile"
    # Claim names tried in order; providers name the Finnish attributes differently.
    national_id_claims = ("national_identification_number", "hetu", "personal_identity_code")
    municipality_claims = ("municipality_code", "home_municipality_code")
    postal_code_claims = ("postal_code",)
    security_denial_claims = ("security_denial", "turvakielto")

    def _setting(self, name: str) -> str:
        return getattr(settings, f"{self.setting_prefix}_{name}")

    @property
    def session_key(self) -> str:
        return f"identity_pending_{self.method}"

    def is_configured(self) -> bool:
        return bool(self._setting("ISSUER") and self._setting("CLIENT_ID"))

    def redirect_uri(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("identity:callback", args=[self.method])
        return settings.OSALLISTU_SITE_URL.rstrip("/") + path

    def discovery(self) -> dict:
        """Return the provider's discovery document, cached for an hour."""
        issuer = self._setting("ISSUER").rstrip("/")
        key = f"identity:oidc-discovery:{issuer}"
        document = cache.get(key)
        if document is None:
            try:
                answer = requests.get(
                    f"{issuer}/.well-known/openid-configuration", timeout=_TIMEOUT
                )
                answer.raise_for_status()
                document = answer.json()
            except (requests.RequestException, ValueError) as error:
                raise IdentificationError(
                    "The provider's discovery document is unavailable: " + type(error).__name__
                ) from None
            cache.set(key, document, _DISCOVERY_SECONDS)
        return document

    def _client(self) -> OAuth2Session:
        return OAuth2Session(
            self._setting("CLIENT_ID"),
            self._setting("CLIENT_SECRET") or None,
            scope=self.scope,
            redirect_uri=self.redirect_uri(),
            code_challenge_method="S256",
        )

    def begin(self, request, pending):
        verifier, nonce = generate_token(64), generate_token(32)
        url, state = self._client().create_authorization_url(
            self.discovery()["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        request.session[self.session_key] = {
            "state": state,
            "verifier": verifier,
            "nonce": nonce,
            "pending": pending,
        }
        return redirect(url)

    def complete(self, request) -> tuple[IdentityClaims, dict]:
        stored = request.session.pop(self.session_key, None)
        if not stored or request.GET.get("state") != stored["state"]:
            raise IdentificationError("The response's state matches no request of this session.")
        if "error" in request.GET or not request.GET.get("code"):
            raise IdentificationError("The provider returned no authorization code.")
        document = self.discovery()
        client = self._client()
        try:
            token = client.fetch_token(
                document["token_endpoint"],
                code=request.GET["code"],
                code_verifier=stored["verifier"],
                timeout=_TIMEOUT,
            )
            keys = requests.get(document["jwks_uri"], timeout=_TIMEOUT)
            keys.raise_for_status()
            id_token = jwt.decode(
                token["id_token"], KeySet.import_key_set(keys.json()), algorithms=["RS256", "ES256"]
            )
            jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": document["issuer"]},
                aud={"essential": True, "value": self._setting("CLIENT_ID")},
                nonce={"essential": True, "value": stored["nonce"]},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(id_token.claims)
            data = dict(id_token.claims)
            if document.get("userinfo_endpoint"):
                userinfo = client.get(document["userinfo_endpoint"], timeout=_TIMEOUT)
                userinfo.raise_for_status()
                extra = userinfo.json()
                if extra.get("sub") == data["sub"]:
                    data = {**extra, **data}
        except IdentificationError:
            raise
        except Exception as error:
            # Messages may quote tokens; the class names the failure.
            raise IdentificationError(
                "The OpenID Connect response was rejected: " + type(error).__name__
            ) from None
        return self.claims(data, issuer=document["issuer"]), stored["pending"]

    def claims(self, data: dict, issuer: str) -> IdentityClaims:
        """Map the provider's claims (ID token and user info merged) to IdentityClaims."""
        address = data.get("address") if isinstance(data.get("address"), dict) else {}
        national_id = _first(data, self.national_id_claims)
        if not national_id:
            raise IdentificationError("The provider gave no national identification number.")
        denial = _first(data, self.security_denial_claims).lower() in ("1", "true")
        return IdentityClaims(
            method=self.method,
            national_id=national_id,
            given_names=_first(data, ("given_name",)),
            municipality_code="" if denial else _first(data, self.municipality_claims),
            postal_code=""
            if denial
            else (_first(data, self.postal_code_claims) or _first(address, ("postal_code",))),
            security_denial=denial,
        )


class SchoolAdapter(OIDCAdapter):
    """School identification, OpenID Connect as MPASSid offers it, for pupils without bank codes.

    The person is known by the learner identifier (or `sub`), not by a national number, so the
    same pupil identified with Suomi.fi too would be a second person: docs/identification.md
    describes this limit. The municipality is the school's, or else
    OSALLISTU_SCHOOL_DEFAULT_MUNICIPALITY.
    """

    method = Method.SCHOOL
    label = _("School account (MPASSid) for pupils")
    setting_prefix = "OSALLISTU_SCHOOL_OIDC"
    learner_id_claims = ("urn:oid:1.3.6.1.4.1.16161.1.1.27", "sub")
    class_level_claims = ("urn:mpass.id:classLevel", "class_level")
    municipality_claims = ("urn:mpass.id:municipalityCode", "municipality_code")

    def claims(self, data: dict, issuer: str) -> IdentityClaims:
        level = _first(data, self.class_level_claims)
        born = _first(data, ("birthdate",))
        try:
            birth_date = datetime.date.fromisoformat(born) if born else None
        except ValueError:
            birth_date = None
        return IdentityClaims(
            method=self.method,
            issuer=issuer,
            subject=_first(data, self.learner_id_claims),
            given_names=_first(data, ("given_name",)),
            birth_date=birth_date,
            class_level=int(level) if level.isdigit() else None,
            municipality_code=_first(data, self.municipality_claims)
            or settings.OSALLISTU_SCHOOL_DEFAULT_MUNICIPALITY,
            postal_code=_first(data, self.postal_code_claims),
        )
