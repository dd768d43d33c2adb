"""Fetch data from other services, only from hosts that the settings allow.

Importers and adapters that read a remote address (Open311, WFS, Sotkanet) go through
`fetch_url()`, so a mistyped or malicious address entered by staff cannot make the server read
internal services. `OSALLISTU_FETCH_ALLOWED_HOSTS` lists the allowed host names; a name matches
itself and, when given with a leading dot, every subdomain.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Remote answers larger than this are cut off with an error instead of filling memory.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class FetchError(Exception):
    """The remote address could not be read; the message is for the user."""


class FetchNotAllowed(FetchError):
    """The address is not on the allow-list, or not http(s)."""


@dataclass(frozen=True)
class FetchResponse:
    status: int
    headers: dict[str, str]
    content: bytes
    url: str


def is_allowed(url: str) -> bool:
    """Return True if `url` is http(s) and its host is on OSALLISTU_FETCH_ALLOWED_HOSTS."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    for allowed in getattr(settings, "OSALLISTU_FETCH_ALLOWED_HOSTS", []):
        allowed = allowed.lower()
        if host == allowed.lstrip(".") or (allowed.startswith(".") and host.endswith(allowed)):
            return True
    return False


def fetch_url(
    url: str,
    *,
    params: dict | None = None,
    timeout: float = 30.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FetchResponse:
    """GET `url` with `params` and return the response, whatever its status.

    Raise FetchNotAllowed for an address outside the allow-list, and FetchError when the
    connection fails, times out or the body exceeds `max_bytes`. Redirects are not followed,
    because a redirect could lead outside the allow-list.
    """
    if not is_allowed(url):
        raise FetchNotAllowed(
            _(
                "The address %(url)s is not on the list of allowed data sources. An administrator "
                "can add its host to OSALLISTU_FETCH_ALLOWED_HOSTS."
            )
            % {"url": url}
        )
    try:
        with requests.get(
            url, params=params, timeout=timeout, stream=True, allow_redirects=False
        ) as answer:
            chunks = []
            size = 0
            for chunk in answer.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        _("The answer from %(url)s is larger than %(limit)s bytes.")
                        % {"url": url, "limit": max_bytes}
                    )
                chunks.append(chunk)
            return FetchResponse(
                status=answer.status_code,
                headers=dict(answer.headers),
                content=b"".join(chunks),
                url=answer.url,
            )
    except requests.RequestException as error:
        # The error's text quotes the whole address with its query, which may carry an API key,
        # so the log gets only the error type and the address without its query.
        logger.warning("fetch failed url=%s error=%s", _without_query(url), type(error).__name__)
        raise FetchError(
            _("Reading %(url)s failed: %(error)s")
            % {"url": _without_query(url), "error": _error_reason(error)}
        ) from error


def _without_query(url: str) -> str:
    return urlsplit(url)._replace(query="", fragment="").geturl()


def _error_reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return _("no answer in time")
    if isinstance(error, requests.ConnectionError):
        return _("the connection failed")
    return type(error).__name__
