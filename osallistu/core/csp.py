"""Build the Content Security Policy from the deployment's settings.

settings.py calls these functions before Django is configured, so they read only their arguments
and files, never django.conf.settings.
"""

import logging
from urllib.parse import urlsplit

import defusedxml.ElementTree

logger = logging.getLogger(__name__)

SAML_METADATA_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:metadata"


def origin(url: str) -> str | None:
    """Return the scheme, host and port of `url` as a CSP source, or None if it has no host."""
    parts = urlsplit(url.replace("{", "").replace("}", ""))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def saml_sso_origins(metadata_file: str) -> list[str]:
    """Return the origins of the single sign-on services in a SAML IdP metadata file.

    A missing or unreadable file gives an empty list and a warning, because identity.E-checks
    already report an incomplete Suomi.fi configuration.
    """
    if not metadata_file:
        return []
    try:
        tree = defusedxml.ElementTree.parse(metadata_file)
    except (OSError, defusedxml.ElementTree.ParseError) as error:
        logger.warning("Cannot read the SAML IdP metadata %s: %s", metadata_file, error)
        return []
    services = tree.iter(f"{{{SAML_METADATA_NAMESPACE}}}SingleSignOnService")
    return [o for o in (origin(s.get("Location", "")) for s in services) if o]


def form_action_sources(
    *, oidc_issuers: list[str], saml_metadata_file: str, extra: list[str]
) -> list[str]:
    """Return the form-action sources: this site and the configured identity providers.

    Browsers apply form-action also to the redirect that follows a form's submission, and the
    identification page's form redirects to the identity provider.
    """
    sources = ["'self'"]
    for url in [*oidc_issuers, *extra]:
        source = origin(url)
        if source:
            sources.append(source)
    sources.extend(saml_sso_origins(saml_metadata_file))
    return list(dict.fromkeys(sources))


def img_sources(map_tile_url: str) -> list[str]:
    """Return the img-src sources: this site, data: URIs and the map tile server, if set."""
    sources = ["'self'", "data:"]
    tile_origin = origin(map_tile_url) if map_tile_url else None
    if tile_origin:
        sources.append(tile_origin)
    return sources
