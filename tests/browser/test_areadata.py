"""WCAG 2.0/2.1 A and AA checks of the staff pages for area data, forms with errors too."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.importers import run_import
from osallistu.areas.services import kuopio_reference_data_load
from tests.conftest import DATA_DIR

from .axe import assert_accessible

pytestmark = pytest.mark.browser

CITY_CSV = DATA_DIR / "areadata" / "infrastructure_values.csv"
INVESTMENTS = DATA_DIR / "areadata" / "investments.csv"


@pytest.fixture
def staff_page(signed_in_page, resident, settings, tmp_path):
    """Return the signed-in page of `resident`, a coordinator, with Kuopio's data loaded."""
    settings.MEDIA_ROOT = tmp_path
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    kuopio_reference_data_load()
    run_import("investments", INVESTMENTS.read_bytes())
    return signed_in_page


@pytest.mark.parametrize(
    "path",
    [
        "/areas/staff/",
        "/areas/staff/import/",
        "/areas/staff/imports/",
        "/areas/staff/suburbs/",
        "/areas/staff/suburbs/niirala/",
        "/areas/staff/investments/",
    ],
)
def test_staff_pages(staff_page, path):
    staff_page.goto(path)

    assert staff_page.locator("h1").count() == 1
    assert_accessible(staff_page)


def test_import_form_with_errors(staff_page):
    page = staff_page
    page.goto("/areas/staff/import/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_import_status_with_result_and_with_errors(staff_page, tmp_path):
    page = staff_page
    page.goto("/areas/staff/import/")
    page.check("input[name=kind][value=city_csv]")
    page.set_input_files("input[name=file]", str(CITY_CSV))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/areas/staff/imports/*/")

    assert page.locator("[data-status=succeeded]").count() == 1
    assert_accessible(page)

    bad = tmp_path / "virheellinen.csv"
    bad.write_text("indicator,area_kind,area,year,value\nbuilding_age,postal_area,99999,2024,1\n")
    page.goto("/areas/staff/import/")
    page.check("input[name=kind][value=city_csv]")
    page.set_input_files("input[name=file]", str(bad))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/areas/staff/imports/*/")

    assert page.locator("[data-status=failed]").count() == 1
    assert_accessible(page)


def test_suburb_form_with_errors(staff_page):
    page = staff_page
    page.goto("/areas/staff/suburbs/new/")
    page.fill("input[name=name]", "Jynkkä")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert page.locator("input[name=name]").input_value() == "Jynkkä"
    assert_accessible(page)
