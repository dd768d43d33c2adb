"""CSV files, calendar and news feeds, and the embeddable process summary."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_ideas_csv_has_no_personal_data(client, open_data):
    response = client.get("/open-data/processes/lahiobudjetti/ideas.csv")
    rows = _rows(response)

    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert [row["title"] for row in rows] == ["Penkki puistoon"]
    assert "author" not in rows[0]
    assert open_data["resident"].email not in response.content.decode()
    assert "Ainomaija" not in response.content.decode()


def test_indicator_values_csv(client, open_data):
    rows = _rows(client.get("/open-data/indicators/unemployment.csv"))
    by_area = {row["area"]: row for row in rows}

    assert by_area["70150"]["numerator"] == "487.0"
    # A suppressed value is an empty cell, never 0.
    assert by_area["297"]["value"] == ""
    assert by_area["297"]["status"] == "suppressed"


def test_indicators_and_processes_csv(client, open_data):
    indicators = _rows(client.get("/open-data/indicators.csv"))
    processes = _rows(client.get("/open-data/processes.csv"))

    assert indicators[0]["licence"] == "CC BY 4.0"
    assert processes[0]["slug"] == "lahiobudjetti"
    assert processes[0]["suburbs"] == "neulamaki"


def test_index_names_licence(client, open_data):
    with translation.override("en"):
        page = client.get("/en/open-data/").content.decode()

    assert "CC BY 4.0" in page
    assert "/open-data/processes/lahiobudjetti/ideas.csv" in page
    assert "/api/v1/openapi.json" in page


def test_events_calendar(client, open_data):
    response = client.get("/open-data/events.ics")
    text = response.content.decode()

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.count("BEGIN:VEVENT") == 1
    assert "Asukasilta" in text


def test_suburb_calendar(client, open_data):
    text = client.get("/open-data/suburbs/neulamaki/events.ics").content.decode()

    assert "Asukasilta" in text
    assert client.get("/open-data/suburbs/ei-ole/events.ics").status_code == 404


def test_suburb_news_feed(client, open_data):
    response = client.get("/open-data/suburbs/neulamaki/news.atom")
    root = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]

    assert response["Content-Type"].startswith("application/atom+xml")
    assert sorted(titles) == ["Asukasilta", "Testiprosessi"]


def test_embed_without_scripts(client, open_data):
    response = client.get("/open-data/embed/processes/lahiobudjetti/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "<script" not in page
    assert "Testiprosessi" in page


def test_other_pages_refuse_framing(client, open_data):
    assert client.get("/processes/").headers["X-Frame-Options"] == "DENY"
