import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse

from osallistu.accounts.models import RoleAssignment

PASSWORD = "Salasana-123"


@pytest.fixture(autouse=True)
def _fast_hasher_and_empty_cache(settings):
    """Start every test with no rate-limit history or used TOTP codes in the cache."""
    # A fast hasher: these tests sign in many times, and the hash is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password=PASSWORD
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


def sign_in(client, email: str, password: str = PASSWORD):
    """Post the sign-in form and return the response."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def current_code(secret: str) -> str:
    """Return the TOTP code an authenticator app with `secret` shows now."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def add_totp(user) -> str:
    """Give `user` an active authenticator app and return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
