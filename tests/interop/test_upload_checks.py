"""The Decidim import form checks the file's type, content and size before reading it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from osallistu.accounts.models import RoleAssignment
from osallistu.interop.models import DecidimRecord
from osallistu.participation.models import Phase

pytestmark = pytest.mark.django_db

GOOD = "id;title/fi;body/fi\n7;Penkki;<p>Lähelle</p>\n".encode()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    client.force_login(user)
    return client


@pytest.fixture
def process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="tuonti")


def _post(client, process, name: str, content: bytes):
    data = {"kind": "results", "file": SimpleUploadedFile(name, content), "dry_run": "on"}
    return client.post(f"/decidim/processes/{process.slug}/import/", data)


def _file_errors(response) -> list:
    assert response.status_code == 200
    assert not DecidimRecord.objects.exists()
    # The chosen kind stays selected.
    assert response.context["form"]["kind"].value() == "results"
    return response.context["form"].errors.as_data()["file"]


def test_wrong_extension_rejected(staff_client, process):
    response = _post(staff_client, process, "ehdotukset.xlsx", GOOD)

    assert _file_errors(response)[0].code == "invalid_extension"


def test_binary_renamed_to_csv_rejected(staff_client, process):
    response = _post(staff_client, process, "ehdotukset.csv", b"PK\x03\x04\x00\x00\x00")

    assert _file_errors(response)[0].code == "invalid_content"


def test_too_large_file_rejected(staff_client, process, settings):
    settings.OSALLISTU_UPLOAD_LIMITS = {"csv": 10}

    response = _post(staff_client, process, "ehdotukset.csv", GOOD)

    assert _file_errors(response)[0].code == "too_large"


def test_file_input_names_the_types(staff_client, process):
    content = staff_client.get(f"/decidim/processes/{process.slug}/import/").content.decode()

    assert 'accept=".csv,.txt"' in content


def test_good_file_accepted(staff_client, process):
    response = _post(staff_client, process, "ehdotukset.csv", GOOD)

    assert response.status_code == 302
