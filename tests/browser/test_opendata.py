"""WCAG 2.1 A and AA checks on the open data page and the embeddable process summary."""

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def test_open_data_page(page, voting_process):
    page.goto("/open-data/")

    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_embed(page, voting_process):
    page.goto(f"/open-data/embed/processes/{voting_process.slug}/")

    assert page.locator("script").count() == 0
    assert_accessible(page)
