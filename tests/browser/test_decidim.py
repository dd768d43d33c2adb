"""WCAG 2.0/2.1 A and AA checks of the Decidim import page, with row errors too."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.participation.models import Idea, Phase

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(signed_in_page, resident, make_process):
    """Return the signed-in page of `resident`, a coordinator, and a process to import into."""
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    make_process(current=Phase.Kind.IDEATION, slug="tuonti")
    return signed_in_page


def test_import_page_empty_and_with_errors(staff_page):
    page = staff_page
    page.goto("/decidim/processes/tuonti/import/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)

    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_import_row_errors_accessible(staff_page, tmp_path):
    page = staff_page
    path = tmp_path / "bad.csv"
    path.write_text("id;title/fi\n;Ilman tunnistetta\n", encoding="utf-8")
    page.goto("/decidim/processes/tuonti/import/")
    page.check("input[name=kind][value=proposals]")
    page.uncheck("input[name=dry_run]")
    page.set_input_files("input[name=file]", str(path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary li").count() == 1
    assert not Idea.objects.exists()
    assert_accessible(page)
