"""Tests of `manage.py rank_areas` on Kuopio's Paavo 2024 data."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.areas.models import PostalArea, Suburb
from osallistu.areas.services import kuopio_reference_data_load
from osallistu.selection import inputs, need_index, sensitivity
from osallistu.selection.management.commands.rank_areas import Command as RankAreasCommand
from osallistu.selection.models import NeedIndexConfiguration
from osallistu.selection.selection_rule import SelectionRule

pytestmark = pytest.mark.django_db

# Few draws keep the tests quick; the figures are compared with the same settings.
DRAWS = "50"


@pytest.fixture
def kuopio_data(db):
    kuopio_reference_data_load()


def rank_areas(*args) -> str:
    stdout = io.StringIO()
    call_command("rank_areas", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def test_json_has_row_per_suburb_and_postal_area(kuopio_data):
    document = json.loads(rank_areas("--format", "json", "--draws", DRAWS))

    rows = document["rows"]
    suburbs = [row for row in rows if row["kind"] == "suburb"]
    postal_areas = [row for row in rows if row["kind"] == "postal_area"]
    assert {row["identifier"] for row in suburbs} == set(
        Suburb.objects.values_list("slug", flat=True)
    )
    assert {row["identifier"] for row in postal_areas} == set(
        PostalArea.objects.values_list("code", flat=True)
    )
    assert len(rows) == 21 + 65
    assert document["statistics_year"] == 2024
    assert document["configuration_name"] == "default"
    assert document["seed"] == sensitivity.DEFAULT_SEED
    assert document["draws"] == 50


def test_json_figures_match_engine(kuopio_data):
    document = json.loads(rank_areas("--draws", DRAWS, "--seed", "11"))

    configuration = need_index.default_configuration()
    analysis = sensitivity.analyse(
        inputs.index_input(2024, configuration=configuration),
        configuration,
        SelectionRule(),
        seed=11,
        draws=50,
    )
    expected = {
        (kind, row["code"]): row for kind in need_index.KINDS for row in analysis.rows(kind)
    }
    for row in document["rows"]:
        engine_row = expected[(row["kind"], row["identifier"])]
        for key in ("index", "rank", "rank_low", "rank_high", "selection_frequency", "flags"):
            assert row[key] == engine_row[key], (row["identifier"], key)
    assert document["selected"] == analysis.selection.identifiers


def test_json_rows_carry_flags_and_intervals(kuopio_data):
    document = json.loads(rank_areas("--draws", DRAWS))
    rows = {(row["kind"], row["identifier"]): row for row in document["rows"]}

    small = rows[("postal_area", "71610")]
    assert small["flags"] == ["small_population"]
    assert small["rank"] is None
    assert small["rank_low"] is None
    top = rows[("suburb", "neulamaki")]
    assert top["rank"] == 1
    assert top["rank_low"] <= top["rank"] <= top["rank_high"]
    assert 0 <= top["selection_frequency"] <= 1
    # Postal areas outside every suburb are context only, never candidates.
    outside = rows[("postal_area", "73300")]
    assert outside["selected"] is None
    assert outside["selection_frequency"] is None
    assert outside["rank"] is not None
    assert len(document["selected"]) == 2
    assert all(rows[("suburb", slug)]["selected"] for slug in document["selected"])


def test_csv_output(kuopio_data):
    output = rank_areas("--format", "csv", "--draws", DRAWS)

    reader = csv.DictReader(io.StringIO(output))
    rows = list(reader)
    assert reader.fieldnames == [
        "kind",
        "identifier",
        "name",
        "population",
        "index",
        "rank",
        "rank_low",
        "rank_high",
        "selected",
        "selection_frequency",
        "flags",
    ]
    assert len(rows) == 21 + 65
    by_key = {(row["kind"], row["identifier"]): row for row in rows}
    assert by_key[("suburb", "neulamaki")]["rank"] == "1"
    assert by_key[("postal_area", "70150")]["rank"] == "1"
    assert by_key[("postal_area", "71610")]["flags"] == "small_population"
    assert by_key[("postal_area", "71610")]["index"] == ""
    assert by_key[("postal_area", "70100")]["selected"] == ""


def test_csv_and_json_agree(kuopio_data):
    document = json.loads(rank_areas("--draws", DRAWS))
    rows = list(csv.DictReader(io.StringIO(rank_areas("--format", "csv", "--draws", DRAWS))))

    for json_row, csv_row in zip(document["rows"], rows, strict=True):
        assert csv_row["identifier"] == json_row["identifier"]
        assert csv_row["rank_low"] == (
            "" if json_row["rank_low"] is None else str(json_row["rank_low"])
        )
        if json_row["index"] is not None:
            assert float(csv_row["index"]) == pytest.approx(json_row["index"], abs=1e-6)


def test_saved_configuration_by_name_and_id(kuopio_data):
    weighted = need_index.IndexConfiguration(
        domains=(
            need_index.DomainSpec(
                "employment", (need_index.IndicatorWeight("unemployment"),), weight=1.0
            ),
            need_index.DomainSpec(
                "housing", (need_index.IndicatorWeight("rental_housing"),), weight=3.0
            ),
        ),
        normalisation="robust_z",
    )
    saved = NeedIndexConfiguration.objects.create(
        name="Asuminen painotettuna", configuration=weighted.to_dict()
    )

    by_name = json.loads(rank_areas("--configuration", "Asuminen painotettuna", "--draws", DRAWS))
    by_id = json.loads(rank_areas("--configuration", str(saved.pk), "--draws", DRAWS))
    default = json.loads(rank_areas("--draws", DRAWS))

    assert by_name["rows"] == by_id["rows"]
    assert by_name["configuration_name"] == "Asuminen painotettuna"
    assert by_name["normalisation"] == "robust_z"
    assert by_name["configuration"] == weighted.to_dict()
    assert [row["rank"] for row in by_name["rows"]] != [row["rank"] for row in default["rows"]]


def test_unknown_configuration_fails(kuopio_data):
    with pytest.raises(CommandError) as caught:
        rank_areas("--configuration", "Ei ole", "--language", "en")

    assert str(caught.value) == "Need index configuration Ei ole was not found."


def test_unknown_configuration_fails_in_default_language(kuopio_data):
    with pytest.raises(CommandError) as caught:
        rank_areas("--configuration", "Ei ole")

    with translation.override("fi"):
        expected = translation.gettext("Need index configuration %(configuration)s was not found.")
    assert str(caught.value) == expected % {"configuration": "Ei ole"}


def test_invalid_saved_configuration_fails(kuopio_data):
    NeedIndexConfiguration.objects.create(name="Rikki", configuration={"domains": []})

    with pytest.raises(CommandError) as caught:
        rank_areas("--configuration", "Rikki", "--language", "en")

    assert "Rikki" in str(caught.value)
    assert "no domains" in str(caught.value)


def test_year_without_data_fails(kuopio_data):
    with pytest.raises(CommandError) as caught:
        rank_areas("--year", "1999", "--language", "en")

    assert str(caught.value) == "There are no indicator values for statistics year 1999."


def test_empty_database_fails(db):
    with pytest.raises(CommandError) as caught:
        rank_areas("--language", "en")

    assert str(caught.value) == "There are no indicator values to rank."


def test_negative_draws_fail(kuopio_data):
    with pytest.raises(CommandError):
        rank_areas("--draws", "-1")


def test_unknown_format_rejected(kuopio_data):
    with pytest.raises(CommandError):
        rank_areas("--format", "xml")


def test_error_goes_to_stderr_with_exit_status(kuopio_data, monkeypatch):
    # run_from_argv closes every database connection when it finishes, which the test database
    # must survive.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    stdout, stderr = io.StringIO(), io.StringIO()
    command = RankAreasCommand(stdout=stdout, stderr=stderr)

    with pytest.raises(SystemExit) as caught:
        command.run_from_argv(["manage.py", "rank_areas", "--year", "1999", "--language", "en"])

    assert caught.value.code == 1
    assert "There are no indicator values for statistics year 1999." in stderr.getvalue()
    assert stdout.getvalue() == ""
