"""The public page of the board's decisions on suburb selection, and their proposals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import Suburb
from osallistu.selection.models import ChosenSuburb, SelectionRound
from tests.selection.support import computed_round, decided_round

pytestmark = pytest.mark.django_db


def _decided(year: int, suburbs: list[Suburb]) -> SelectionRound:
    """Create a decided round directly, without computing it, for list tests."""
    selection_round = SelectionRound.objects.create(
        year=year,
        rule=SelectionRound.Rule.TOP_N,
        status=SelectionRound.Status.DECIDED,
        decision_date=datetime.date(year, 3, 10),
        minutes_reference=f"Pöytäkirja 10.3.{year} § 42",
    )
    for position, suburb in enumerate(suburbs, start=1):
        ChosenSuburb.objects.create(
            selection_round=selection_round, suburb=suburb, position=position
        )
    return selection_round


@pytest.fixture
def suburbs(db):
    return [
        Suburb.objects.create(name="Neulamäki", slug="neulamaki"),
        Suburb.objects.create(name="Jynkkä", slug="jynkka"),
    ]


def test_list_shows_decided_rounds(client, suburbs):
    decided = _decided(2026, suburbs)
    draft = SelectionRound.objects.create(year=2027, rule=SelectionRound.Rule.TOP_N)

    response = client.get(reverse("selection:decision_list"))
    content = response.content.decode()

    assert response.status_code == 200
    assert list(response.context["rounds"]) == [decided]
    assert "Pöytäkirja 10.3.2026 § 42" in content
    assert reverse("areas:suburb_picture", args=["neulamaki"]) in content
    assert reverse("areas:suburb_picture", args=["jynkka"]) in content
    assert reverse("selection:decision_proposal", args=[decided.pk]) in content
    assert reverse("selection:decision_pdf", args=[decided.pk]) in content
    assert reverse("selection:decision_proposal", args=[draft.pk]) not in content


def test_list_without_decisions(client):
    with translation.override("en"):
        content = client.get(reverse("selection:decision_list")).content.decode()

    assert "No selection round has been decided yet." in content


def test_list_newest_decision_first(client, suburbs):
    older = _decided(2025, suburbs[:1])
    newer = _decided(2026, suburbs[1:])

    response = client.get(reverse("selection:decision_list"))

    assert list(response.context["rounds"]) == [newer, older]


def test_list_query_count(client, suburbs, django_assert_max_num_queries):
    _decided(2020, suburbs)
    with django_assert_max_num_queries(6) as one_row:
        client.get(reverse("selection:decision_list"))
    for year in range(2021, 2026):
        _decided(year, suburbs)

    with django_assert_max_num_queries(len(one_row)):
        response = client.get(reverse("selection:decision_list"))

    assert len(response.context["rounds"]) == 6


def test_picture_list_links_to_decisions(client):
    content = client.get(reverse("areas:suburb_list")).content.decode()

    assert reverse("selection:decision_list") in content


def test_decided_proposal_is_public(client, kuopio, configuration, coordinator):
    decided = decided_round(coordinator, configuration)

    with translation.override("en"):
        response = client.get(reverse("selection:decision_proposal", args=[decided.pk]))
    content = response.content.decode()

    assert response.status_code == 200
    assert "Ranking" in content
    assert "Pöytäkirja 10.3.2026 § 42" in content
    assert reverse("selection:decision_pdf", args=[decided.pk]) in content
    # Residents get no link to the staff pages of the round.
    assert reverse("selection:round_detail", args=[decided.pk]) not in content


def test_decided_proposal_pdf_is_public(client, kuopio, configuration, coordinator):
    decided = decided_round(coordinator, configuration)

    response = client.get(reverse("selection:decision_pdf", args=[decided.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_undecided_proposal_is_not_public(client, kuopio, configuration, coordinator):
    draft = computed_round(coordinator, configuration)

    assert client.get(reverse("selection:decision_proposal", args=[draft.pk])).status_code == 404
    assert client.get(reverse("selection:decision_pdf", args=[draft.pk])).status_code == 404
    # The staff page of the same proposal still needs the manager's sign-in.
    assert client.get(reverse("selection:proposal", args=[draft.pk])).status_code == 302
