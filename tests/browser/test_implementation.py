"""WCAG 2.0/2.1 A and AA checks of the implementation pages, public and staff."""

import datetime
from decimal import Decimal

import pytest

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.areas.models import Suburb
from osallistu.implementation import services
from osallistu.implementation.models import ImplementationItem, Status
from osallistu.programmes.models import Programme, ProjectPackage

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def items(neulamaki, resident):
    """Return two public items in Neulamäki, one with a map point, milestones and updates."""
    suburb = Suburb.objects.get(slug="neulamaki")
    service_area = ServiceArea.objects.create(
        name="Kaupunkiympäristön palvelualue", short_name="KYP", slug="kyp"
    )
    programme = Programme.objects.create(
        suburb=suburb, title="Neulamäen lähiöohjelma", slug="neulamaki", starts_year=2026
    )
    made = []
    for number, title in enumerate(["Keskuspuiston leikkipaikka", "Kuntopolun valaistus"]):
        package = ProjectPackage.objects.create(
            programme=programme, title=title, slug=f"paketti-{number}", service_area=service_area
        )
        made.append(
            ImplementationItem.objects.create(
                package=package,
                title=title,
                suburb=suburb,
                status=Status.IN_PROGRESS,
                progress=40 + number,
                budget=Decimal(120000),
                planned_start=datetime.date(2026, 5, 1),
                planned_end=datetime.date(2026, 10, 31),
                service_area=service_area,
                is_example=True,
            )
        )
    first = made[0]
    first.longitude, first.latitude = Decimal("27.59"), Decimal("62.887")
    first.location_text = "Neulamäen keskuspuisto"
    first.save()
    staff = RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    services.add_milestone(resident, first, title="Suunnitelma hyväksytty")
    services.post_update(
        resident,
        first,
        text="Leikkivälineet on tilattu.",
        invitation=services.Invitation(
            starts_at=datetime.datetime(2026, 12, 20, 10, tzinfo=datetime.UTC),
            place="Keskuspuisto",
            how="Tule mukaan istuttamaan.",
        ),
    )
    staff.delete()
    return made


@pytest.fixture
def coordinator_page(signed_in_page, resident):
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    return signed_in_page


def test_public_list_and_item(page, items):
    page.goto("/implementation/")
    assert page.locator("main table tbody tr").count() == 2
    assert_accessible(page)

    page.goto(f"/implementation/{items[0].pk}/")
    assert page.locator("main svg[role=img]").count() == 1
    assert page.locator(".invitation").count() == 1
    assert_accessible(page)


def test_staff_list_and_edit_with_errors(coordinator_page, items):
    page = coordinator_page
    page.goto("/implementation/staff/")
    assert_accessible(page)

    page.goto(f"/implementation/staff/{items[0].pk}/")
    page.fill("#id_progress", "100")
    page.locator("main form:not(.inline-form) button[type=submit]").first.click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_progress[aria-invalid=true]").count() == 1
    assert_accessible(page)


def test_update_form_with_errors(coordinator_page, items):
    page = coordinator_page
    page.goto(f"/implementation/staff/{items[0].pk}/updates/")
    page.fill("#id_invitation_place", "Keskuspuisto")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_csv_import_with_errors(coordinator_page, items, tmp_path):
    page = coordinator_page
    path = tmp_path / "muutokset.csv"
    path.write_text(f"id,progress\n{items[0].pk},150\n99999,10\n", encoding="utf-8")
    page.goto("/implementation/staff/import/")
    assert_accessible(page)

    page.set_input_files("#id_file", str(path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary li").count() == 2
    assert_accessible(page)


def test_milestone_form_with_errors(coordinator_page, items):
    page = coordinator_page
    page.goto(f"/implementation/staff/{items[0].pk}/milestones/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
