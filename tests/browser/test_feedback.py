"""WCAG 2.0/2.1 A and AA checks of the feedback staff pages and the picture's feedback section."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment
from osallistu.feedback.models import FeedbackSourceConfig
from osallistu.feedback.services import store_requests
from osallistu.feedback.sources import RequestRecord, ServiceRecord
from tests.areas.picture_support import choose
from tests.feedback.conftest import load_polygons

from .axe import assert_accessible

pytestmark = pytest.mark.browser

VALID_CSV = (
    "tunniste;päivämäärä;palvelu;tila;leveysaste;pituusaste;postinumero\n"
    "k1;1.3.2025;Katujen kunto;avoin;60,2126;25,0771;\n"
    "k2;2.3.2025;Roskaaminen;suljettu;22,266944;60,451667;\n"
)
INVALID_CSV = "tunniste;päivämäärä;palvelu\nk1;huomenna;Katujen kunto\n;1.3.2025;\n"


@pytest.fixture
def sources(db, settings):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    open311 = FeedbackSourceConfig.objects.create(
        name="Helsingin palaute", slug="helsinki", endpoint_url="http://127.0.0.1:9/v1"
    )
    csv = FeedbackSourceConfig.objects.create(
        name="Palautetiedosto", slug="tiedosto", kind=FeedbackSourceConfig.Kind.CSV
    )
    return open311, csv


@pytest.fixture
def suburb_with_feedback(db, sources):
    """Return a chosen suburb with requests this month and last, one of them flagged swapped."""
    from osallistu.areas.models import Suburb

    areas = load_polygons()
    suburb = Suburb.objects.create(name="Testilähiö", slug="testilahio")
    suburb.postal_areas.set(areas.values())
    choose(suburb)
    now = timezone.now()
    records = [
        RequestRecord("b1", "171", "", now, "open", lat=60.2126, lon=25.0771),
        RequestRecord("b2", "246", "", now - datetime.timedelta(days=40), lat=60.19, lon=24.96),
        RequestRecord("b3", "246", "", now, lat=22.266944, lon=60.451667),
        RequestRecord("b4", "584", "", now, lat=60.2126, lon=25.0771),
    ]
    services = [ServiceRecord("171", "Katujen kunto"), ServiceRecord("246", "Roskaaminen")]
    store_requests(sources[1], services, records, is_example=True)
    return suburb


@pytest.fixture
def staff_page(page, resident, live_server):
    """Return `page` with a coordinator's session, made by force_login as in the view tests."""
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    client = Client()
    client.force_login(resident)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


def open_page(page, path: str):
    page.goto(path)
    assert page.url.endswith(path), f"{path} redirected to {page.url}"


@pytest.mark.parametrize(
    "path",
    ["/feedback/staff/", "/feedback/staff/sources/new/", "/feedback/staff/flagged/"],
)
def test_staff_pages(staff_page, suburb_with_feedback, path):
    open_page(staff_page, path)

    assert staff_page.locator("h1").count() == 1
    assert_accessible(staff_page)


def test_source_edit_and_fetch_pages(staff_page, sources):
    open311, csv = sources
    for path in (
        f"/feedback/staff/sources/{open311.pk}/",
        f"/feedback/staff/sources/{open311.pk}/fetch/",
        f"/feedback/staff/sources/{csv.pk}/import/",
    ):
        open_page(staff_page, path)
        assert staff_page.locator("h1").count() == 1
        assert_accessible(staff_page)


def test_source_form_with_errors(staff_page, sources):
    page = staff_page
    open_page(page, "/feedback/staff/sources/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_failed_fetch_result(staff_page, sources):
    # Port 9 on loopback refuses the connection, so the page shows the failure message.
    page = staff_page
    open_page(page, f"/feedback/staff/sources/{sources[0].pk}/fetch/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".message-error").count() == 1
    assert_accessible(page)


def test_csv_errors_and_preview(staff_page, sources, tmp_path):
    page = staff_page
    invalid = tmp_path / "virheet.csv"
    invalid.write_text(INVALID_CSV, encoding="utf-8")
    open_page(page, f"/feedback/staff/sources/{sources[1].pk}/import/")
    page.set_input_files("input[name=file]", str(invalid))
    page.locator("button[name=import]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary li").count() == 3
    assert_accessible(page)

    valid = tmp_path / "palaute.csv"
    valid.write_text(VALID_CSV, encoding="utf-8")
    page.set_input_files("input[name=file]", str(valid))
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()

    # The first table is the preview; the last one lists the columns the import accepts.
    assert page.locator("main table").first.locator("tbody tr").count() == 2
    assert_accessible(page)


def test_picture_feedback_section(page, suburb_with_feedback):
    page.goto(f"/areas/suburbs/{suburb_with_feedback.slug}/")

    assert page.locator("#feedback").count() == 1
    assert page.locator("#feedback-trend-title").count() == 1
    page.locator("details summary").last.click()
    assert_accessible(page)
