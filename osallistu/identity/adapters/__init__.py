"""Identification adapters: each turns one kind of provider's answer into IdentityClaims.

An adapter has a `method` (see claims.Method), a `label` shown to voters, `is_configured()`,
`begin(request, pending)` which answers the voter's choice with a redirect to the provider, and
`complete(request)` which reads the provider's answer at the callback and returns
`(claims, pending)`. `pending` is the dictionary of the vote being identified for
({"process": id, "next": url}); the adapter keeps it until the callback in the session, or in the
cache where the provider posts back from another site and the browser sends no session cookie.
"""

from django.conf import settings

from ..claims import Method
from .base import IdentificationError, IdentityAdapter


def _adapters() -> dict[str, IdentityAdapter]:
    from .local_test import LocalTestAdapter
    from .oidc import OIDCAdapter, SchoolAdapter
    from .suomifi import SuomiFiAdapter

    return {
        Method.SUOMIFI: SuomiFiAdapter(),
        Method.OIDC: OIDCAdapter(),
        Method.SCHOOL: SchoolAdapter(),
        Method.LOCAL_TEST: LocalTestAdapter(),
    }


def get_adapter(method: str) -> IdentityAdapter | None:
    """Return the adapter of `method` if it is offered on this installation, else None."""
    return {adapter.method: adapter for adapter in enabled_adapters()}.get(method)


def enabled_adapters() -> list[IdentityAdapter]:
    """Return the offered adapters in the order of OSALLISTU_IDENTITY_METHODS.

    The local test provider is offered only while OSALLISTU_IDENTITY_LOCAL_TEST is on, whether or
    not the list names it; an adapter whose configuration is incomplete is left out.
    """
    adapters = _adapters()
    methods = [m for m in settings.OSALLISTU_IDENTITY_METHODS if m != Method.LOCAL_TEST]
    if settings.OSALLISTU_IDENTITY_LOCAL_TEST:
        methods.append(Method.LOCAL_TEST)
    return [
        adapters[m] for m in dict.fromkeys(methods) if m in adapters and adapters[m].is_configured()
    ]


__all__ = ["IdentificationError", "IdentityAdapter", "enabled_adapters", "get_adapter"]
