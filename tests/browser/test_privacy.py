"""WCAG 2.1 A and AA checks on the privacy notices and the resident's own data pages."""

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def test_notice(page, db):
    page.goto("/privacy/voting/")

    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_notice_list(page, db):
    page.goto("/privacy/")

    assert_accessible(page)


def test_my_data(signed_in_page):
    signed_in_page.goto("/privacy/my-data/")

    assert signed_in_page.get_by_role("button").count() >= 1
    assert_accessible(signed_in_page)


def test_erase_with_error(signed_in_page):
    signed_in_page.goto("/privacy/delete-account/")
    signed_in_page.fill("input[name=password]", "väärä salasana")
    signed_in_page.click("main form[method=post] button[type=submit]")

    assert signed_in_page.locator(".error-summary").count() == 1
    assert_accessible(signed_in_page)
