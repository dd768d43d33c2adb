from django.http import HttpRequest, HttpResponse

from ..claims import IdentityClaims


class IdentificationError(Exception):
    """The provider's response was rejected. The message is safe to show and to log."""


class IdentityAdapter:
    """The interface of identification adapters; see the package docstring."""

    method: str = ""
    label: str = ""

    def is_configured(self) -> bool:
        raise NotImplementedError

    def begin(self, request: HttpRequest, pending: dict) -> HttpResponse:
        raise NotImplementedError

    def complete(self, request: HttpRequest) -> tuple[IdentityClaims, dict]:
        raise NotImplementedError
