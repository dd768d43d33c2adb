"""django-allauth adapters: the lockout message, city sign-in and the authenticator QR code.

docs/staff-access.md describes the policy these implement.
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext

# The provider_id of the city's OpenID Connect app in SOCIALACCOUNT_PROVIDERS (settings.py).
CITY_PROVIDER_ID = "city"


def service_name() -> str:
    """Return the service's name in the active language, as the page header shows it."""
    return gettext("Osallistu %(city_name)s") % {"city_name": settings.OSALLISTU_CITY_NAME}


class AccountAdapter(DefaultAccountAdapter):
    # django.contrib.sites is not installed, so allauth would name the site after the request's
    # host: emails would greet "Hello from 127.0.0.1:8766!" and subjects start "[127.0.0.1:8766]".
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's email with the service's name as the site name."""
        site = RequestSite(allauth_context.request)
        site.name = service_name()
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def format_email_subject(self, subject: str) -> str:
        """Prefix `subject` with the service's name, unless ACCOUNT_EMAIL_SUBJECT_PREFIX is set."""
        if account_settings.EMAIL_SUBJECT_PREFIX is not None:
            return super().format_email_subject(subject)
        return f"[{service_name()}] {force_str(subject)}"

    def validation_error(self, code, *args) -> ValidationError:
        """Return allauth's error for `code`, with the lockout time in the lockout message."""
        if code == "too_many_login_attempts":
            message = gettext(
                "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again."
            ) % {"minutes": settings.OSALLISTU_LOGIN_LOCKOUT_MINUTES}
            return ValidationError(message, code=code)
        return super().validation_error(code, *args)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Skip the password prompt before adding an authenticator right after signing in.

        allauth 65 asks for the password again before every two-factor change. Staff members
        are sent to the activation page straight after signing in, and a sign-in within
        ACCOUNT_REAUTHENTICATION_TIMEOUT seconds proves as much as a fresh password would.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = allauth_context.request
        records = get_authentication_records(request, request.user)
        if not records:
            return True
        age = time.time() - records[-1]["at"]
        return age >= account_settings.REAUTHENTICATION_TIMEOUT


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign in with the city's identity provider without granting anything by itself.

    An account created on the first city sign-in has no staff role: administrators assign roles
    (RoleAssignment) as for local accounts. SOCIALACCOUNT_EMAIL_AUTHENTICATION is off, so a city
    sign-in never takes over a local account that happens to have the same email address.
    """

    def list_apps(self, request, provider=None, client_id=None):
        """Return only the apps from SOCIALACCOUNT_PROVIDERS, never SocialApp database rows.

        The city's provider is configured from the environment alone, so that a user with
        admin access cannot add a sign-in route that the deployment does not configure.
        """
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return [app for app in apps if app.pk is None]

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The provider's claims never make anyone staff or a verified resident.
        user.is_staff = False
        user.is_superuser = False
        user.verified_at = None
        return user


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """Return the QR code as an <svg> element that the page can embed without a data: URL."""
        svg = super().build_totp_svg(url)
        # qrcode writes an XML declaration, which is not allowed inside an HTML document.
        return svg[svg.index("<svg") :]
