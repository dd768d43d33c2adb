"""A running import's progress is visible to the status page before the import commits."""

import pytest
from django.db import transaction

from osallistu.accounts.models import RoleAssignment
from osallistu.areas import tasks
from osallistu.areas.importers import run_import
from osallistu.areas.models import ImportJob
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db

KUOPIO_CSV = REPO_ROOT / "osallistu" / "areas" / "data" / "kuopio_paavo_2024.csv"


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_status_page_reads_live_progress(client, coordinator):
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.PAAVO_CSV, status=ImportJob.Status.RUNNING, original_name="a.csv"
    )
    client.force_login(coordinator)

    with transaction.atomic():
        tasks.progress_write(job.pk, 30, 65)
        page = client.get(f"/en/areas/staff/imports/{job.pk}/").content.decode()

    assert 'max="65"' in page
    assert 'value="30"' in page


def test_finished_job_shows_stored_counts(client, coordinator):
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.PAAVO_CSV,
        status=ImportJob.Status.SUCCEEDED,
        original_name="a.csv",
        processed_rows=65,
        total_rows=65,
    )
    tasks.progress_write(job.pk, 1, 65)
    client.force_login(coordinator)

    page = client.get(f"/en/areas/staff/imports/{job.pk}/").content.decode()

    assert 'value="65"' in page


def test_paavo_import_reports_each_row():
    calls = []

    run_import(
        "paavo_csv",
        KUOPIO_CSV.read_bytes(),
        dry_run=True,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert len(calls) == 65
    assert calls[0] == (1, 65)
    assert calls[-1] == (65, 65)
