"""Implementation status in the open data API and its CSV export."""

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings

from osallistu.implementation import services
from osallistu.implementation.models import ImplementationItem, Status
from osallistu.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_item, coordinator):
    done = make_item(
        title="Valmis puisto",
        status=Status.DONE,
        progress=100,
        actual_end=datetime.date(2026, 1, 5),
        actual_cost=Decimal("95000.50"),
    )
    make_item(title="Salainen", is_public=False)
    services.add_milestone(coordinator, done, title="Vastaanotto")
    services.post_update(coordinator, done, text="Puisto on valmis.")
    return done


def test_list_and_filters(client, published, make_item):
    make_item(title="Suunnitteilla", status=Status.DESIGN)

    body = client.get("/api/v1/implementation/").json()

    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {"Valmis puisto", "Suunnitteilla"}
    done = client.get("/api/v1/implementation/?status=done&suburb=neulamaki").json()
    assert [item["actual_cost"] for item in done["items"]] == ["95000.50"]
    assert client.get("/api/v1/implementation/?suburb=muu").json()["count"] == 0
    assert client.get("/api/v1/implementation/?status=valmis").status_code == 422


def test_detail_has_milestones_and_updates_without_authors(client, published):
    body = client.get(f"/api/v1/implementation/{published.pk}/").json()

    assert body["milestones"][0]["title"] == "Vastaanotto"
    assert body["updates"][0]["text"] == "Puisto on valmis."
    assert "author" not in body["updates"][0]


def test_hidden_item_is_not_in_the_api(client, make_item):
    hidden = make_item(is_public=False)

    assert client.get(f"/api/v1/implementation/{hidden.pk}/").status_code == 404


def test_list_query_count_constant(client, published, make_item):
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/implementation/")
    for _ in range(5):
        make_item()
    with CaptureQueriesContext(connection) as after:
        client.get("/api/v1/implementation/")

    assert len(after) == len(before)


def test_csv_export_under_licence(client, published):
    response = client.get("/open-data/implementation.csv")

    assert response.status_code == 200
    assert "creativecommons.org/licenses/by/4.0" in response["Link"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,title,kind,suburb,status,progress,budget,actual_cost")
    assert len(lines) == 2
    assert "Valmis puisto,package,neulamaki,done,100,100000.00,95000.50" in lines[1]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="/implementation/"
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=True)
def test_implementation_api_conforms_to_openapi(case, make_item):
    # Items exist in every case, so the detail operation answers 200 for their ids, not only 404.
    if not ImplementationItem.objects.exists():
        make_item(status=Status.DESIGN, actual_cost=Decimal("12.50"))
        make_item(longitude=Decimal("27.59"), latitude=Decimal("62.887"))
    case.call_and_validate()
