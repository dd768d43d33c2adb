"""A local Suomi.fi stand-in for tests: key pairs, provider metadata, signed, encrypted responses.

The stored Suomi.fi test response is unsigned. These helpers re-issue it as a fresh response to a
real authentication request, then sign its assertion with a locally generated identity provider
key (xmlsec1) and encrypt it for the service provider (pysaml2), as Suomi.fi does.
"""

import base64
import datetime
import shutil
import subprocess
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import samlp
from saml2.config import Config
from saml2.sigver import pre_encryption_part, security_context

DATA = Path(__file__).resolve().parent.parent / "data" / "suomifi"
STORED_RESPONSE = DATA / "suomifi_test_authn_response_decrypted_unsigned.xml"
TEST_IDP_METADATA = DATA / "suomifi_test_idp_metadata.xml"
IDP_ENTITY_ID = "https://testi.apro.tunnistus.fi/idp1"
SP_ENTITY_ID = "https://www.service.fi/auth/suomifi/metadata"
ASSERTION_ID = "_d97d08fe7e40aec4ae9e46cdd8fe5f1b"


def make_key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    """Write a fresh RSA key and a self-signed certificate; return their paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _pem_body(cert_path: Path) -> str:
    lines = cert_path.read_text().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))


def write_idp_metadata(directory: Path, cert_path: Path) -> Path:
    """Write metadata of a local identity provider with Suomi.fi's entity ID and `cert_path`."""
    path = directory / "idp-metadata.xml"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
  xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{IDP_ENTITY_ID}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true"
    protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{_pem_body(cert_path)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="https://idp.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""
    )
    return path


def request_id_from_redirect(location: str) -> str:
    """Return the ID of the authentication request in an HTTP-Redirect binding URL."""
    encoded = parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    xml = zlib.decompress(base64.b64decode(encoded), -15).decode()
    return samlp.authn_request_from_string(xml).id


def _instant(delta_minutes: int = 0) -> str:
    moment = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=delta_minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def fresh_response(request_id: str, acs_url: str, *, xml: str | None = None) -> str:
    """Return the stored response re-issued now, in response to `request_id`, for `acs_url`."""
    text = xml or STORED_RESPONSE.read_text()
    replacements = {
        "_ddbbb11f-6c0f-4c9b-8e82-1c7ae7902d64": request_id,
        "https://www.service.fi/auth/suomifi/callback": acs_url,
        "2019-08-10T13:03:46.695Z": _instant(),
        "2019-08-10T13:03:43.874Z": _instant(),
        "2019-08-10T13:08:46.703Z": _instant(5),
        "2019-08-10T13:08:46.695Z": _instant(5),
    }
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    return text


_SIGNATURE_TEMPLATE = f"""<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
<ds:SignedInfo>
<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
<ds:Reference URI="#{ASSERTION_ID}">
<ds:Transforms>
<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
</ds:Transforms>
<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
<ds:DigestValue/>
</ds:Reference>
</ds:SignedInfo>
<ds:SignatureValue/>
<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>
</ds:Signature>"""


def sign_assertion(xml: str, key_path: Path, cert_path: Path, directory: Path) -> str:
    """Sign the response's assertion with xmlsec1, enveloped, as Suomi.fi does."""
    issuer_end = "https://testi.apro.tunnistus.fi/idp1</saml2:Issuer>"
    assertion_start = xml.index("<saml2:Assertion")
    position = xml.index(issuer_end, assertion_start) + len(issuer_end)
    template = xml[:position] + _SIGNATURE_TEMPLATE + xml[position:]
    source, target = directory / "unsigned.xml", directory / "signed.xml"
    source.write_text(template)
    subprocess.run(
        [
            "xmlsec1",
            "--sign",
            "--privkey-pem",
            f"{key_path},{cert_path}",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--output",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return target.read_text()


def encrypt_assertion(xml: str, sp_cert_path: Path) -> str:
    """Encrypt the response's assertion for the service provider's certificate with pysaml2."""
    # Wrapped as text, not re-serialised, so that the assertion's signature stays valid.
    start, end = xml.index("<saml2:Assertion"), xml.index("</saml2:Assertion>") + 18
    wrapped = (
        xml[:start]
        + '<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">'
        + xml[start:end]
        + "</saml2:EncryptedAssertion>"
        + xml[end:]
    )
    config = Config()
    config.load({"entityid": IDP_ENTITY_ID, "xmlsec_binary": shutil.which("xmlsec1")})
    context = security_context(config)
    return context.encrypt_assertion(
        wrapped, str(sp_cert_path), pre_encryption_part(), node_xpath=None
    )


def post_body(xml: str) -> dict[str, str]:
    return {"SAMLResponse": base64.b64encode(xml.encode()).decode()}
