"""A local test identity provider for development and tests: a page to pick a test person."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..claims import IdentityClaims, Method
from .base import IdentificationError, IdentityAdapter

SESSION_KEY = "identity_pending_local_test"


class LocalTestAdapter(IdentityAdapter):
    """Hand the voter to the local test page, whose form responds as a provider would."""

    method = Method.LOCAL_TEST
    label = _("Test identification (development only)")

    def is_configured(self) -> bool:
        return bool(settings.OSALLISTU_IDENTITY_LOCAL_TEST)

    def begin(self, request, pending):
        request.session[SESSION_KEY] = pending
        return redirect(reverse("identity:local_test"))

    def pending(self, request) -> dict:
        pending = request.session.get(SESSION_KEY)
        if not pending:
            raise IdentificationError("No identification is in progress in this session.")
        return pending

    def complete(self, request) -> tuple[IdentityClaims, dict]:
        """Read the test person that the local test form chose; the form is in request.POST."""
        from ..forms import LocalTestPersonForm

        pending = self.pending(request)
        form = LocalTestPersonForm(request.POST)
        if not form.is_valid():
            raise IdentificationError("The test person form is invalid.")
        del request.session[SESSION_KEY]
        data = form.cleaned_data
        claims = IdentityClaims(
            method=self.method,
            national_id=data["national_id"],
            given_names=data["given_names"],
            municipality_code="" if data["security_denial"] else data["municipality_code"],
            postal_code="" if data["security_denial"] else data["postal_code"],
            security_denial=data["security_denial"],
        )
        return claims, pending
