"""The area data import form checks the file's type, content and size before any import runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import ImportJob
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.django_db

CITY_CSV = DATA_DIR / "areadata" / "infrastructure_values.csv"
REGIONS = DATA_DIR / "sotkanet" / "regions.json"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    client.force_login(user)
    return client


def _post(staff_client, kind: str, name: str, content: bytes, **fields):
    data = {
        "kind": kind,
        "file": SimpleUploadedFile(name, content),
        "dry_run": "on",
        "statistics_year": "2024",
        **fields,
    }
    return staff_client.post(reverse("areas:staff_import"), data)


def _rejected(response, field: str = "file") -> list:
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert response.context["form"]["statistics_year"].value() == "2024"
    return response.context["form"].errors.as_data()[field]


def test_spreadsheet_rejected(staff_client):
    errors = _rejected(_post(staff_client, "city_csv", "arvot.xlsx", b"PK\x03\x04"))

    assert errors[0].code == "invalid_extension"


def test_binary_renamed_to_csv_rejected(staff_client):
    errors = _rejected(_post(staff_client, "city_csv", "arvot.csv", b"PK\x03\x04\x00\x00"))

    assert errors[0].code == "invalid_content"


def test_json_for_csv_import_rejected(staff_client):
    errors = _rejected(_post(staff_client, "investments", "hankkeet.json", b"[]"))

    assert errors[0].code == "wrong_kind"


def test_too_large_file_rejected(staff_client, settings):
    settings.OSALLISTU_UPLOAD_LIMITS = {"csv": 100}

    errors = _rejected(_post(staff_client, "city_csv", "arvot.csv", CITY_CSV.read_bytes()))

    assert errors[0].code == "too_large"


def test_invalid_regions_file_rejected(staff_client):
    response = _post(
        staff_client,
        "sotkanet",
        "rivit.csv",
        (DATA_DIR / "sotkanet" / "sotkanet_5_rows.csv").read_bytes(),
        regions=SimpleUploadedFile("regions.json", b'[{"id": 1'),
    )

    assert _rejected(response, "regions")[0].code == "invalid_content"


def test_file_inputs_name_the_types(staff_client):
    content = staff_client.get(reverse("areas:staff_import")).content.decode()

    assert 'accept=".csv,.txt,.json,.geojson"' in content
    assert 'accept=".json,.geojson"' in content


def test_good_file_accepted(staff_client):
    response = _post(staff_client, "city_csv", CITY_CSV.name, CITY_CSV.read_bytes())

    assert response.status_code == 302
    assert ImportJob.objects.get().original_name == CITY_CSV.name
