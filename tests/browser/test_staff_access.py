"""WCAG 2.0/2.1 A and AA checks of the sign-in, two-factor and account pages, errors included."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from osallistu.accounts.models import RoleAssignment

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


def submit_sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def submit_code(page, code: str) -> None:
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()


def test_sign_in_page_with_error(page, resident):
    submit_sign_in(page, resident.email, "väärä-salasana")

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_totp_setup_page_with_error(page, coordinator):
    submit_sign_in(page, coordinator.email, "Salasana-123")
    page.wait_for_url("/accounts/2fa/totp/activate/")
    assert_accessible(page)

    submit_code(page, "000000")

    assert page.locator(".errorlist").count() == 1
    assert_accessible(page)


def test_totp_code_page_with_error(page, coordinator):
    TOTP.activate(coordinator, generate_totp_secret())
    submit_sign_in(page, coordinator.email, "Salasana-123")
    page.wait_for_url("/accounts/2fa/authenticate/")
    assert_accessible(page)

    submit_code(page, "000000")

    assert page.locator(".errorlist").count() == 1
    assert_accessible(page)


def test_account_page(signed_in_page):
    signed_in_page.goto("/accounts/profile/")

    assert signed_in_page.locator("h1").count() == 1
    assert_accessible(signed_in_page)
