"""Require an authenticator app of staff members who signed in with a password."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .adapters import CITY_PROVIDER_ID

# Pages a staff member without an authenticator may still open: setting one up (with the
# reauthentication it may ask for), signing out, and the language switch and theme.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "theme_css",
        "media",
    }
)


def needs_authenticator(request) -> bool:
    """Return True if the signed-in user is staff, signed in with a password and has no TOTP.

    The rule reads allauth's record of how this session authenticated. A session from the city's
    identity provider is exempt, because that provider asks for the second factor itself. A
    session with no record, such as one from `Client.force_login` in tests, is also exempt.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records:
        return False
    for record in records:
        if record.get("method") == "mfa":
            return False
        if record.get("method") == "socialaccount" and record.get("provider") == CITY_PROVIDER_ID:
            return False
    from osallistu.core.staff import is_staff_member

    if not (user.is_staff or is_staff_member(user)):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """Send staff who signed in with a password and have no authenticator app to set one up.

    Every page except those in ALLOWED_URL_NAMES redirects to the activation page, so neither the
    staff pages nor the Django admin work until the staff member has a second factor. Residents
    are never redirected: they may add an authenticator but need not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_authenticator(request) and not self._is_allowed(request.path_info):
            messages.info(
                request,
                _(
                    "Staff accounts need two-factor authentication. Set up an authenticator "
                    "app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_allowed(path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return True
        return match.url_name in ALLOWED_URL_NAMES
