"""The read-only open data API and its OpenAPI description."""

import pytest
import schemathesis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings

from osallistu.participation.models import Idea
from osallistu.wsgi import application

pytestmark = pytest.mark.django_db


def test_ideas_without_personal_data(client, open_data):
    response = client.get("/api/v1/processes/lahiobudjetti/ideas/")
    body = response.json()

    assert response.status_code == 200
    assert [idea["title"] for idea in body["items"]] == ["Penkki puistoon"]
    assert "author" not in body["items"][0]
    assert open_data["resident"].email not in response.content.decode()
    assert "Ainomaija" not in response.content.decode()


def test_unknown_process_not_found(client, open_data):
    assert client.get("/api/v1/processes/ei-ole/ideas/").status_code == 404
    assert client.get("/api/v1/processes/ei-ole/").status_code == 404


def test_process_with_phases(client, open_data):
    body = client.get("/api/v1/processes/lahiobudjetti/").json()

    assert body["suburbs"] == ["neulamaki"]
    starts = [phase["starts_on"] for phase in body["phases"]]

    assert sorted(phase["kind"] for phase in body["phases"]) == ["evaluation", "ideation", "voting"]
    assert starts == sorted(starts)


def test_indicator_values(client, open_data):
    body = client.get("/api/v1/indicators/unemployment/values/?year=2024").json()
    by_area = {item["area"]: item for item in body["items"]}

    assert by_area["70150"]["area_kind"] == "postal_area"
    assert by_area["70150"]["numerator"] == 487
    assert by_area["297"]["value"] is None
    assert by_area["297"]["status"] == "suppressed"


def test_suburbs_and_postal_areas(client, open_data):
    suburbs = client.get("/api/v1/suburbs/").json()["items"]
    areas = client.get("/api/v1/postal-areas/").json()["items"]

    assert suburbs == [{"slug": "neulamaki", "name": "Neulamäki", "postal_codes": ["70150"]}]
    assert areas[0]["code"] == "70150"


def test_pagination_limit(client, open_data):
    body = client.get("/api/v1/indicators/?limit=1&offset=0").json()

    assert body["count"] == 1
    assert len(body["items"]) == 1


@pytest.mark.parametrize(
    "url",
    ["/api/v1/processes/", "/api/v1/processes/lahiobudjetti/ideas/", "/api/v1/suburbs/"],
)
def test_list_query_count_constant(client, open_data, make_process, url):
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(10):
        Idea.objects.create(process=open_data["process"], title=f"Idea {number}", description="x")
        make_process(slug=f"prosessi-{number}")

    with CaptureQueriesContext(connection) as after:
        client.get(url)

    assert len(after) == len(before)


def test_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/processes/{slug}/ideas/" in schema["paths"]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_data(open_data):
    return open_data


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=True)
def test_api_conforms_to_openapi(case, api_data):
    # The fixture's data is read, never written, by the read-only API, so sharing it between
    # generated cases is safe.
    case.call_and_validate()
