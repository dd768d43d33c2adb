"""Selection rounds through their services: steps, freezing, versions and the rule's records."""

import copy
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from osallistu.areas.models import IndicatorValue, Suburb
from osallistu.core.demo import DEMO_SUBURBS
from osallistu.selection import selectors, services
from osallistu.selection.models import ChosenSuburb, SelectionRound
from tests.selection.support import (
    DECISION_DATE,
    NEULAMAKI_WITHOUT_NEED,
    computed_round,
    decided_round,
    reimport_changed_paavo,
)

pytestmark = pytest.mark.django_db


def _page(client, pk: int) -> str:
    """Return a round page without its per-request CSRF tokens."""
    page = client.get(f"/selection/rounds/{pk}/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _row(result: dict, code: str) -> dict:
    return next(row for row in result["levels"]["suburb"] if row["code"] == code)


def test_compute_snapshots_every_input_with_numerators_and_statuses(
    kuopio, configuration, coordinator
):
    selection_round = computed_round(coordinator, configuration)

    assert selection_round.status == SelectionRound.Status.DRAFT
    assert selection_round.seed is not None
    assert selection_round.result["seed"] == selection_round.seed
    assert selection_round.result["statistics_year"] == 2024
    snapshot = selection_round.inputs["index_input"]
    neulamaki = next(area for area in snapshot["areas"] if area["identifier"] == "neulamaki")
    cell = neulamaki["details"]["cells"]["unemployment"]
    assert cell["status"] == IndicatorValue.Status.OK
    assert cell["numerator"] is not None and cell["denominator"] is not None
    # Rank, interval and selection frequency of every ranked suburb are stored.
    row = _row(selection_round.result, "neulamaki")
    assert row["rank"] >= 1
    assert row["rank_low"] <= row["rank"] <= row["rank_high"]
    assert 0 <= row["selection_frequency"] <= 1
    assert len(selection_round.result["selected"]) == 2
    assert selection_round.result["levels"]["postal_area"]


def test_rule_is_recorded_with_the_round(kuopio, configuration, coordinator):
    selection_round = computed_round(
        coordinator,
        configuration,
        rule=SelectionRound.Rule.THRESHOLD,
        threshold=80.0,
        investment_handling=SelectionRound.InvestmentHandling.BONUS,
        investment_bonus=5.0,
    )

    assert selection_round.result["rule"] == {
        "method": "threshold",
        "count": 2,
        "threshold": 80.0,
        "investments": "bonus",
        "bonus": 5.0,
    }
    assert all(
        _row(selection_round.result, code)["index"] >= 80.0 - 5.0
        for code in selection_round.result["selected"]
    )


def test_threshold_rule_needs_a_threshold(configuration, coordinator):
    with pytest.raises(ValidationError):
        services.round_create(
            user=coordinator,
            year=2026,
            configuration=configuration,
            rule=SelectionRound.Rule.THRESHOLD,
        )


def test_decided_round_frozen_after_reimport(kuopio, configuration, coordinator, client):
    decided = decided_round(coordinator, configuration)
    stored = (
        copy.deepcopy(decided.inputs),
        copy.deepcopy(decided.result),
        copy.deepcopy(decided.configuration),
        decided.seed,
    )
    before = _row(decided.result, "neulamaki")
    client.force_login(coordinator)
    page_before = _page(client, decided.pk)

    reimport_changed_paavo("70150", NEULAMAKI_WITHOUT_NEED)
    configuration.configuration = {**configuration.configuration, "normalisation": "robust_z"}
    configuration.save()

    decided.refresh_from_db()
    assert (decided.inputs, decided.result, decided.configuration, decided.seed) == stored
    page_after = _page(client, decided.pk)
    assert page_after == page_before
    with pytest.raises(ValidationError) as error:
        services.round_compute(user=coordinator, selection_round=decided)
    assert error.value.code == "decided"

    version_two = services.round_recompute(user=coordinator, selection_round=decided)

    assert (version_two.year, version_two.version) == (decided.year, 2)
    assert version_two.previous_version == decided
    assert version_two.status == SelectionRound.Status.DRAFT
    assert version_two.seed == decided.seed
    after = _row(version_two.result, "neulamaki")
    assert after["index"] < before["index"]
    assert after["rank"] > before["rank"]
    decided.refresh_from_db()
    assert (decided.inputs, decided.result, decided.configuration, decided.seed) == stored
    assert decided.status == SelectionRound.Status.DECIDED


def test_decision_records_the_board_and_feeds_chosen_suburbs(kuopio, configuration, coordinator):
    decided = decided_round(coordinator, configuration)

    assert decided.status == SelectionRound.Status.DECIDED
    assert decided.decision_date == DECISION_DATE
    assert decided.deciding_body == "kaupunkirakennelautakunta"
    assert decided.decided_by == coordinator
    chosen = set(selectors.chosen_suburbs(2026).values_list("slug", flat=True))
    assert chosen == set(decided.result["selected"])
    assert not selectors.chosen_suburbs(2025).exists()
    assert set(selectors.chosen_suburbs().values_list("slug", flat=True)) == chosen


def test_draft_and_proposal_suburbs_are_not_chosen(kuopio, configuration, coordinator):
    selection_round = computed_round(coordinator, configuration)
    services.round_propose(user=coordinator, selection_round=selection_round, proposal_text="x")

    assert not selectors.chosen_suburbs(2026).exists()


@pytest.mark.parametrize("count", [0, 3])
def test_board_chooses_one_or_two_suburbs(kuopio, configuration, coordinator, count):
    selection_round = computed_round(coordinator, configuration)
    services.round_propose(user=coordinator, selection_round=selection_round, proposal_text="x")
    ranked = [row["code"] for row in selection_round.result["levels"]["suburb"] if row["rank"]]
    suburbs = list(Suburb.objects.filter(slug__in=ranked[:count]))

    with pytest.raises(ValidationError) as error:
        services.round_decision_record(
            user=coordinator,
            selection_round=selection_round,
            decision_date=DECISION_DATE,
            minutes_reference="§ 1",
            suburbs=suburbs,
        )
    assert error.value.code == "suburb_count"
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.PROPOSAL


def test_board_cannot_choose_an_unranked_suburb(kuopio, configuration, coordinator):
    selection_round = computed_round(coordinator, configuration)
    services.round_propose(user=coordinator, selection_round=selection_round, proposal_text="x")
    unranked = Suburb.objects.create(name="Uusi lähiö", slug="uusi-lahio")

    with pytest.raises(ValidationError) as error:
        services.round_decision_record(
            user=coordinator,
            selection_round=selection_round,
            decision_date=DECISION_DATE,
            minutes_reference="§ 1",
            suburbs=[unranked],
        )
    assert error.value.code == "not_ranked"


def test_only_a_proposal_can_be_decided(kuopio, configuration, coordinator):
    selection_round = computed_round(coordinator, configuration)
    suburbs = list(Suburb.objects.filter(slug__in=selection_round.result["selected"]))

    with pytest.raises(ValidationError) as error:
        services.round_decision_record(
            user=coordinator,
            selection_round=selection_round,
            decision_date=DECISION_DATE,
            minutes_reference="§ 1",
            suburbs=suburbs,
        )
    assert error.value.code == "not_proposal"


def test_propose_rejects_uncomputed_round(configuration, coordinator):
    selection_round = services.round_create(
        user=coordinator, year=2026, configuration=configuration, rule="top_n"
    )
    with pytest.raises(ValidationError) as error:
        services.round_propose(user=coordinator, selection_round=selection_round, proposal_text="")
    assert error.value.code == "not_computed"


def test_database_caps_the_chosen_suburbs_at_two(kuopio, configuration, coordinator):
    decided = decided_round(coordinator, configuration)
    third = Suburb.objects.exclude(slug__in=decided.result["selected"]).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        ChosenSuburb.objects.create(selection_round=decided, suburb=third, position=3)


def test_database_requires_the_minutes_of_a_decided_round(configuration, coordinator):
    selection_round = services.round_create(
        user=coordinator, year=2026, configuration=configuration, rule="top_n"
    )
    selection_round.status = SelectionRound.Status.DECIDED
    with pytest.raises(IntegrityError), transaction.atomic():
        selection_round.save()


def test_versions_of_a_year_are_numbered(configuration, coordinator):
    first = services.round_create(
        user=coordinator, year=2026, configuration=configuration, rule="top_n"
    )
    second = services.round_create(
        user=coordinator, year=2026, configuration=configuration, rule="top_n"
    )
    other_year = services.round_create(
        user=coordinator, year=2027, configuration=configuration, rule="top_n"
    )

    assert (first.version, second.version, other_year.version) == (1, 2, 1)


def test_configuration_keeps_one_default(configuration, coordinator):
    other = services.configuration_save(
        user=coordinator,
        name="Toinen",
        configuration=configuration.configuration,
        is_default=True,
    )

    configuration.refresh_from_db()
    assert other.is_default and not configuration.is_default


def test_configuration_rejects_an_engine_error(coordinator):
    with pytest.raises(ValidationError):
        services.configuration_save(
            user=coordinator,
            name="Rikki",
            configuration={"domains": [], "normalisation": "percentile"},
        )


def test_saved_configuration_gives_the_engine_configuration(configuration):
    engine_configuration = configuration.as_index_configuration()

    assert engine_configuration.to_dict() == configuration.configuration


@pytest.mark.parametrize("user_fixture", ["resident", "evaluator"])
def test_only_selection_managers_run_services(request, configuration, coordinator, user_fixture):
    user = request.getfixturevalue(user_fixture)
    selection_round = services.round_create(
        user=coordinator, year=2026, configuration=configuration, rule="top_n"
    )

    with pytest.raises(PermissionDenied):
        services.round_create(user=user, year=2026, configuration=configuration, rule="top_n")
    with pytest.raises(PermissionDenied):
        services.round_compute(user=user, selection_round=selection_round)
    with pytest.raises(PermissionDenied):
        services.round_recompute(user=user, selection_round=selection_round)
    with pytest.raises(PermissionDenied):
        services.configuration_save(user=user, name="x", configuration={})


def test_demo_round_chooses_the_demo_suburbs_once(db):
    call_command("load_demo")
    call_command("load_demo")

    decided = SelectionRound.objects.get(status=SelectionRound.Status.DECIDED)
    assert decided.is_computed and decided.seed is not None
    assert set(selectors.chosen_suburbs(decided.year).values_list("slug", flat=True)) == set(
        DEMO_SUBURBS
    )
    assert SelectionRound.objects.count() == 1


def test_rank_areas_prints_the_round_figures(kuopio, configuration, coordinator):
    selection_round = computed_round(coordinator, configuration)
    output = io.StringIO()

    call_command(
        "rank_areas",
        "--configuration",
        configuration.name,
        "--seed",
        str(selection_round.seed),
        stdout=output,
    )

    printed = {
        (row["kind"], row["identifier"]): row for row in json.loads(output.getvalue())["rows"]
    }
    figures = ["index", "rank", "rank_low", "rank_high", "selection_frequency", "flags"]
    for level, rows in selection_round.result["levels"].items():
        for row in rows:
            line = printed[(level, row["code"])]
            assert [line[key] for key in figures] == [row[key] for key in figures], row["code"]


def test_threshold_candidates_above_two_board_picks_two(kuopio, configuration, coordinator):
    selection_round = computed_round(
        coordinator, configuration, rule=SelectionRound.Rule.THRESHOLD, threshold=0.0
    )
    assert len(selection_round.result["selected"]) > 2
    services.round_propose(user=coordinator, selection_round=selection_round, proposal_text="x")
    candidates = list(Suburb.objects.filter(slug__in=selection_round.result["selected"]))

    with pytest.raises(ValidationError):
        services.round_decision_record(
            user=coordinator,
            selection_round=selection_round,
            decision_date=DECISION_DATE,
            minutes_reference="§ 1",
            suburbs=candidates[:3],
        )
    decided = services.round_decision_record(
        user=coordinator,
        selection_round=selection_round,
        decision_date=DECISION_DATE,
        minutes_reference="§ 1",
        suburbs=candidates[:2],
    )

    assert decided.chosen.count() == 2
