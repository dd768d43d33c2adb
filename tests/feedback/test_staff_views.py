"""Staff pages: permissions, source settings, fetch now, CSV preview and import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from osallistu.core.staff import CITY_TOOLS
from osallistu.feedback.models import FeedbackFetch, FeedbackRequest, FeedbackSourceConfig

from .test_csv import VALID

pytestmark = pytest.mark.django_db


def upload(text: str, name: str = "palaute.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_tool_registered():
    assert "feedback:staff_sources" in {tool.url_name for tool in CITY_TOOLS}


@pytest.mark.parametrize(
    "url_name", ["feedback:staff_sources", "feedback:staff_flagged", "feedback:staff_source_create"]
)
def test_resident_forbidden(client, resident, url_name):
    client.force_login(resident)

    assert client.get(reverse(url_name)).status_code == 403


def test_anonymous_redirected(client):
    assert client.get(reverse("feedback:staff_sources")).status_code == 302


def test_source_list(staff_client, open311_source, csv_source):
    response = staff_client.get(reverse("feedback:staff_sources"))

    assert response.status_code == 200
    assert reverse("feedback:staff_source_fetch", args=[open311_source.pk]).encode() in (
        response.content
    )
    assert reverse("feedback:staff_source_import", args=[csv_source.pk]).encode() in (
        response.content
    )


def test_create_open311_source(staff_client, settings):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["palaute.example.fi"]
    data = {
        "name": "Kuopion palaute",
        "slug": "kuopio",
        "kind": "open311",
        "endpoint_url": "https://palaute.example.fi/open311/v1",
        "response_format": "json",
        "max_count": 500,
        "api_key": "salainen",
    }

    response = staff_client.post(reverse("feedback:staff_source_create"), data)

    assert response.status_code == 302
    source = FeedbackSourceConfig.objects.get(slug="kuopio")
    assert source.max_count == 500
    assert source.api_key == "salainen"


def test_api_key_kept_when_empty(staff_client, open311_source, open311_server):
    open311_source.api_key = "vanha"
    open311_source.save()
    data = {
        "name": open311_source.name,
        "slug": open311_source.slug,
        "kind": "open311",
        "endpoint_url": open311_server.url(),
        "response_format": "json",
        "max_count": 200,
        "api_key": "",
    }

    staff_client.post(reverse("feedback:staff_source_edit", args=[open311_source.pk]), data)

    open311_source.refresh_from_db()
    assert open311_source.api_key == "vanha"
    page = staff_client.get(reverse("feedback:staff_source_edit", args=[open311_source.pk]))
    assert b"vanha" not in page.content


def test_source_host_not_allowed(staff_client, settings):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = []
    data = {
        "name": "Ulkopuolinen",
        "slug": "ulko",
        "kind": "open311",
        "endpoint_url": "http://10.0.0.1/v1",
        "response_format": "json",
        "max_count": 200,
    }

    with translation.override("en"):
        response = staff_client.post(reverse("feedback:staff_source_create"), data)

    assert response.status_code == 200
    assert "endpoint_url" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Ulkopuolinen"
    assert not FeedbackSourceConfig.objects.filter(slug="ulko").exists()


def test_fetch_now(staff_client, open311_source, test_suburb):
    url = reverse("feedback:staff_source_fetch", args=[open311_source.pk])
    response = staff_client.post(url, {"since": "2013-04-01", "until": "2013-05-31"})

    assert response.status_code == 200
    assert response.context["fetch"].created_count == 2
    assert FeedbackRequest.objects.count() == 2


def test_fetch_window_reversed(staff_client, open311_source):
    url = reverse("feedback:staff_source_fetch", args=[open311_source.pk])
    response = staff_client.post(url, {"since": "2013-05-31", "until": "2013-04-01"})

    assert response.status_code == 200
    assert "until" in response.context["form"].errors
    assert response.context["fetch"] is None


def test_fetch_page_only_for_open311(staff_client, csv_source):
    url = reverse("feedback:staff_source_fetch", args=[csv_source.pk])

    assert staff_client.get(url).status_code == 404


def test_csv_preview_then_import(staff_client, csv_source, test_suburb):
    url = reverse("feedback:staff_source_import", args=[csv_source.pk])

    preview = staff_client.post(url, {"file": upload(VALID), "preview": "1"})
    assert preview.context["result"].row_count == 3
    assert FeedbackRequest.objects.count() == 0

    imported = staff_client.post(url, {"file": upload(VALID), "import": "1"})
    assert imported.context["result"].stored.created == 3
    assert FeedbackRequest.objects.count() == 3


def test_csv_errors_listed(staff_client, csv_source):
    with translation.override("en"):
        url = reverse("feedback:staff_source_import", args=[csv_source.pk])
    text = "id,date,palvelu\nd1,huomenna,Roskaaminen\n"

    response = staff_client.post(url, {"file": upload(text), "import": "1"})

    assert response.context["errors"][0].startswith("Row 2: the date “huomenna” is not valid.")
    assert "Row 2: the date" in response.content.decode()
    assert FeedbackRequest.objects.count() == 0


def test_source_list_query_count(staff_client, csv_source, django_assert_max_num_queries):
    url = reverse("feedback:staff_sources")
    with django_assert_max_num_queries(8) as one_source:
        staff_client.get(url)
    for number in range(10):
        source = FeedbackSourceConfig.objects.create(
            name=f"Lähde {number}", slug=f"lahde-{number}", kind=FeedbackSourceConfig.Kind.CSV
        )
        FeedbackFetch.objects.create(source=source, status=FeedbackFetch.Status.DONE)

    with django_assert_max_num_queries(len(one_source.captured_queries)):
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(response.context["fetches"]) == 10


def test_csv_upload_rejects_binary(staff_client, csv_source):
    url = reverse("feedback:staff_source_import", args=[csv_source.pk])
    png = SimpleUploadedFile("palaute.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/csv")

    response = staff_client.post(url, {"file": png, "import": "1"})

    assert response.context["form"].errors["file"]
    assert FeedbackRequest.objects.count() == 0


def test_csv_upload_rejects_wrong_extension(staff_client, csv_source):
    url = reverse("feedback:staff_source_import", args=[csv_source.pk])

    response = staff_client.post(url, {"file": upload(VALID, name="palaute.xlsx"), "import": "1"})

    assert response.context["form"].errors["file"]
    assert FeedbackRequest.objects.count() == 0


def test_import_page_lists_columns(staff_client, csv_source):
    url = reverse("feedback:staff_source_import", args=[csv_source.pk])

    with translation.override("en"):
        response = staff_client.get(f"/en{url}")
        content = response.content.decode()

    assert response.status_code == 200
    assert "Columns of the file" in content
    assert "described in the guide" not in content
    for name in ("service_request_id", "requested_datetime", "tunniste", "postinumero"):
        assert name in content
    assert "from -90 to 90" in content
    assert "at most 200 characters" in content
