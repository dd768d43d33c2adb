"""System checks that keep test identification and weak settings out of production."""

from django.conf import settings
from django.core.checks import Error, register

KNOWN_METHODS = ("suomifi", "oidc", "school", "local_test")


@register()
def identity_settings(app_configs, **kwargs):
    """Report identification settings that would be unsafe or broken."""
    errors = []
    if not settings.DEBUG and not settings.OSALLISTU_IDENTITY_HMAC_KEY:
        errors.append(
            Error(
                "OSALLISTU_IDENTITY_HMAC_KEY is not set.",
                hint="Set it to a long random string and keep it for the whole vote.",
                id="identity.E001",
            )
        )
    if not settings.DEBUG and settings.OSALLISTU_IDENTITY_LOCAL_TEST:
        errors.append(
            Error(
                "The local test identity provider is on while DEBUG is off.",
                hint="Set OSALLISTU_IDENTITY_LOCAL_TEST=0 in production.",
                id="identity.E002",
            )
        )
    if not settings.DEBUG and settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED:
        errors.append(
            Error(
                "Unsigned Suomi.fi assertions are accepted while DEBUG is off.",
                hint="Set OSALLISTU_SUOMIFI_ALLOW_UNSIGNED=0 in production.",
                id="identity.E003",
            )
        )
    unknown = [m for m in settings.OSALLISTU_IDENTITY_METHODS if m not in KNOWN_METHODS]
    if unknown:
        errors.append(
            Error(
                "Unknown identification methods in OSALLISTU_IDENTITY_METHODS: "
                + ", ".join(unknown),
                hint="Choose from: " + ", ".join(KNOWN_METHODS),
                id="identity.E004",
            )
        )
    return errors
