"""The open data API's results endpoint: counts only after publication."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.budgeting.results_helpers import GREEDY_VOTES, add_ballots, closed_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(make_process):
    process = closed_process(make_process)
    add_ballots(process.budget_areas.get(), GREEDY_VOTES)
    return process


def test_results_are_404_before_publication(client, process):
    response = client.get(f"/api/v1/processes/{process.slug}/results/")
    assert response.status_code == 404
    assert b"votes" not in response.content


@pytest.mark.parametrize("debug", [False, True])
def test_unpublished_detail_is_one_message(client, process, settings, debug):
    settings.DEBUG = debug

    response = client.get(f"/api/v1/processes/{process.slug}/results/")

    # The API has no language prefix, so it responds in the default language, Finnish.
    assert response.status_code == 404
    assert response.json() == {"detail": "Tuloksia ei ole julkaistu."}


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_process_detail_is_one_message(client, settings, debug):
    settings.DEBUG = debug

    response = client.get("/api/v1/processes/ei-ole/")

    assert response.status_code == 404
    with translation.override("fi"):
        expected = gettext("The requested resource was not found.")
    assert response.json() == {"detail": expected}


def test_unknown_process_is_404(client):
    assert client.get("/api/v1/processes/ei-ole/results/").status_code == 404


def test_published_results_list_winners_and_votes(client, process):
    process.results_published = True
    process.save()

    response = client.get(f"/api/v1/processes/{process.slug}/results/")

    assert response.status_code == 200
    [area] = response.json()
    assert area["slug"] == "testilahio"
    assert area["budget"] == "50000"
    assert area["rule"] == "greedy"
    assert area["ballots"] == 4
    assert area["winners"] == ["4", "2"]
    votes = {project["id"]: project["votes"] for project in area["projects"]}
    assert votes == {"4": 3, "2": 2, "1": 1, "3": 0}
    reasons = {project["id"]: project["reason"] for project in area["projects"]}
    assert reasons["1"] == "did_not_fit"


def test_results_endpoint_is_in_the_openapi_description(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/processes/{slug}/results/" in schema["paths"]
