"""Staff pages for area data: permissions, the import flow, the suburb mapping, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import ImportJob, IndicatorValue, InvestmentProject, Suburb
from osallistu.areas.services import kuopio_reference_data_load
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.django_db

CITY_CSV = DATA_DIR / "areadata" / "infrastructure_values.csv"
INVESTMENTS = DATA_DIR / "areadata" / "investments.csv"
STAFF_URLS = [
    "areas:staff_overview",
    "areas:staff_import",
    "areas:staff_imports",
    "areas:staff_suburbs",
    "areas:staff_suburb_new",
    "areas:staff_investments",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def kuopio():
    kuopio_reference_data_load()


@pytest.mark.parametrize("name", STAFF_URLS)
def test_residents_may_not_see_staff_pages(client, resident, name):
    client.force_login(resident)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_URLS)
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", STAFF_URLS)
def test_coordinator_sees_staff_pages(staff_client, kuopio, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_overview_shows_the_infrastructure_domain_as_missing(staff_client, kuopio):
    response = staff_client.get(reverse("areas:staff_overview"))

    domains = {group.domain.code: group for group in response.context["domains"]}
    infrastructure = {item.indicator.code: item for item in domains["infrastructure"].indicators}
    assert not infrastructure["building_age"].has_values
    assert not infrastructure["repair_backlog"].has_values
    unemployment = next(
        item for item in domains["employment"].indicators if item.indicator.code == "unemployment"
    )
    assert unemployment.years == [2024]
    assert unemployment.ok_count + unemployment.missing_count == 65
    with translation.override("en"):
        response = staff_client.get(reverse("areas:staff_overview"))
    assert "Missing: no values loaded" in response.content.decode()


@pytest.fixture
def upload(staff_client, django_capture_on_commit_callbacks):
    """Return a function that posts a file to the import form and runs the enqueued task.

    The task is enqueued on commit; the test transaction never commits, so the callbacks are
    run when the request ends, as they would be after a real commit (TASKS_IMMEDIATE=1).
    """

    def post(kind: str, path, **fields):
        data = {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes()), **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return staff_client.post(reverse("areas:staff_import"), data)

    return post


def test_upload_runs_the_import_and_shows_the_status(staff_client, kuopio, upload):
    response = upload("city_csv", CITY_CSV)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("areas:staff_import_status", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.processed_rows, job.total_rows) == (6, 6)
    assert job.summary["created"] == 6
    assert IndicatorValue.objects.filter(indicator__code="repair_backlog").count() == 4
    page = staff_client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in page
    assert 'data-count="created">6<' in page


def test_dry_run_upload_saves_nothing(staff_client, kuopio, upload):
    upload("investments", INVESTMENTS, dry_run="on")

    job = ImportJob.objects.get()
    assert job.dry_run
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["created"] == 3
    assert not InvestmentProject.objects.exists()


def test_upload_with_errors_lists_them_by_row(staff_client, kuopio, upload, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,area_kind,area,year,value\n"
        "building_age,postal_area,70150,2024,40\n"
        "building_age,postal_area,99999,2024,40\n"
    )

    response = upload("city_csv", bad)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert [error["row"] for error in job.errors] == [3]
    assert not IndicatorValue.objects.filter(indicator__code="building_age").exists()
    page = staff_client.get(response["Location"]).content.decode()
    assert "99999" in page


def test_upload_form_keeps_input(staff_client):
    response = staff_client.post(
        reverse("areas:staff_import"), {"kind": "paavo_csv", "statistics_year": "2024"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "file" in form.errors
    assert form["statistics_year"].value() == "2024"
    assert 'value="paavo_csv" ' in response.content.decode().replace("checked", " ")
    assert not ImportJob.objects.exists()


def test_sotkanet_upload_with_regions_file(staff_client, upload):
    rows = DATA_DIR / "sotkanet" / "sotkanet_5_rows.csv"
    regions = DATA_DIR / "sotkanet" / "regions.json"
    upload(
        "sotkanet",
        rows,
        regions=SimpleUploadedFile("regions.json", regions.read_bytes()),
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert IndicatorValue.objects.filter(municipality_code="297").count() == 3


def test_suburb_mapping_can_be_edited(staff_client, kuopio):
    url = reverse("areas:staff_suburb_edit", args=["niirala"])
    areas = Suburb.objects.get(slug="neulamaki").postal_areas.all()

    response = staff_client.post(
        url, {"name": "Niirala", "postal_areas": [area.pk for area in areas] + [_pk("70600")]}
    )

    assert response.status_code == 302
    codes = sorted(Suburb.objects.get(slug="niirala").postal_areas.values_list("code", flat=True))
    assert codes == ["70150", "70600"]


def _pk(code):
    from osallistu.areas.models import PostalArea

    return PostalArea.objects.get(code=code).pk


def test_new_suburb_validation(staff_client, kuopio):
    url = reverse("areas:staff_suburb_new")

    response = staff_client.post(url, {"name": "Jynkkä"})

    form = response.context["form"]
    assert set(form.errors) == {"name", "postal_areas"}
    assert form["name"].value() == "Jynkkä"
    assert Suburb.objects.count() == 21
    response = staff_client.post(url, {"name": "Rypysuo", "postal_areas": [_pk("70340")]})
    assert response.status_code == 302
    assert Suburb.objects.get(slug="rypysuo").postal_areas.get().code == "70340"


def test_suburb_list_shows_areas_outside_suburbs(staff_client, kuopio):
    response = staff_client.get(reverse("areas:staff_suburbs"))

    outside = [area.code for area in response.context["outside"]]
    assert "70100" in outside
    assert "71610" in outside
    assert "70150" not in outside


def test_overview_query_count(staff_client, kuopio, upload, django_assert_max_num_queries):
    for _ in range(3):
        upload("city_csv", CITY_CSV, dry_run="on")
    with django_assert_max_num_queries(10):
        staff_client.get(reverse("areas:staff_overview"))


def test_list_page_query_counts(staff_client, kuopio, upload, django_assert_max_num_queries):
    upload("investments", INVESTMENTS)
    for name in ("areas:staff_investments", "areas:staff_suburbs", "areas:staff_imports"):
        with django_assert_max_num_queries(10):
            assert staff_client.get(reverse(name)).status_code == 200
