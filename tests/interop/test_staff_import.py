"""The staff page that imports a Decidim CSV file into a process."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from osallistu.accounts.models import RoleAssignment
from osallistu.interop.models import DecidimRecord
from osallistu.participation.models import Idea, Phase

pytestmark = pytest.mark.django_db

GOOD = "id;title/fi;body/fi\n7;Penkki;<p>Lähelle</p>\n".encode()


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="tuonti")


def _post(client, process, content: bytes, dry_run: bool = False):
    data = {"kind": "proposals", "file": SimpleUploadedFile("d.csv", content, "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(f"/en/decidim/processes/{process.slug}/import/", data)


def test_resident_is_forbidden(client, resident, process):
    client.force_login(resident)
    assert client.get(f"/decidim/processes/{process.slug}/import/").status_code == 403
    assert _post(client, process, GOOD).status_code == 403
    assert not Idea.objects.filter(process=process).exists()


def test_anonymous_is_sent_to_login(client, process):
    response = client.get(f"/decidim/processes/{process.slug}/import/")
    assert response.status_code == 302


def test_form_has_labels(client, coordinator, process):
    client.force_login(coordinator)
    body = client.get(f"/decidim/processes/{process.slug}/import/").content.decode()
    assert '<label for="id_file"' in body
    assert 'name="dry_run"' in body


def test_dry_run_then_import(client, coordinator, process):
    client.force_login(coordinator)

    response = _post(client, process, GOOD, dry_run=True)
    assert response.status_code == 302
    assert not Idea.objects.filter(process=process).exists()

    response = _post(client, process, GOOD)
    assert response.status_code == 302
    idea = Idea.objects.get(process=process)
    assert (idea.title, idea.description) == ("Penkki", "Lähelle")
    assert DecidimRecord.objects.get().decidim_id == "7"


def test_row_errors_shown_and_nothing_saved(client, coordinator, process):
    client.force_login(coordinator)
    response = _post(client, process, b"id;title/fi\n;Ilman tunnistetta\n")

    assert response.status_code == 200
    assert "Row 2: the id is missing." in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not Idea.objects.exists()


def test_non_utf8_file_rejected(client, coordinator, process):
    client.force_login(coordinator)
    response = _post(client, process, "id;title/fi\n1;Pöytä\n".encode("latin-1"))
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not Idea.objects.exists()
