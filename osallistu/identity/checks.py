"""System checks that keep test identification and weak settings out of production."""

from django.conf import settings
from django.core.checks import Error, register

KNOWN_METHODS = ("suomifi", "oidc", "school", "local_test")


@register()
def identity_settings(app_configs, **kwargs):
    """Report identification settings that would be unsafe or broken."""
    production = not settings.DEBUG
    unknown = [m for m in settings.OSALLISTU_IDENTITY_METHODS if m not in KNOWN_METHODS]
    problems = [
        (
            production and not settings.OSALLISTU_IDENTITY_HMAC_KEY,
            "OSALLISTU_IDENTITY_HMAC_KEY is not set.",
            "Set it to a long random string and keep it for the whole vote.",
            "identity.E001",
        ),
        (
            production and settings.OSALLISTU_IDENTITY_LOCAL_TEST,
            "The local test identity provider is on while DEBUG is off.",
            "Set OSALLISTU_IDENTITY_LOCAL_TEST=0 in production.",
            "identity.E002",
        ),
        (
            production and settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED,
            "Unsigned Suomi.fi assertions are accepted while DEBUG is off.",
            "Set OSALLISTU_SUOMIFI_ALLOW_UNSIGNED=0 in production.",
            "identity.E003",
        ),
        (
            bool(unknown),
            "Unknown identification methods in OSALLISTU_IDENTITY_METHODS: " + ", ".join(unknown),
            "Choose from: " + ", ".join(KNOWN_METHODS),
            "identity.E004",
        ),
    ]
    return [Error(message, hint=hint, id=id_) for found, message, hint, id_ in problems if found]
