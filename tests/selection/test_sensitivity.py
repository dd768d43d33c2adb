"""Tests of the sensitivity analysis of the need index (no database)."""

import json

import numpy as np
import pytest

from osallistu.selection import need_index, sensitivity
from osallistu.selection.need_index import (
    DomainSpec,
    IndexConfiguration,
    IndexInput,
    IndicatorWeight,
)
from osallistu.selection.selection_rule import SelectionRule

# Suburb a has an outlier in i0: robust z-scores put it first, percentiles put b first.
OUTLIER_VALUES = {
    "a": [100.0, 1.0],
    "b": [3.0, 3.0],
    "c": [2.0, 2.5],
    "d": [1.0, 2.0],
    "e": [2.5, 1.5],
}


def suburbs(values: dict, kinds=None) -> IndexInput:
    identifiers = list(values)
    width = len(values[identifiers[0]])
    return IndexInput(
        kinds=kinds or ["suburb"] * len(identifiers),
        identifiers=identifiers,
        names=identifiers,
        population=[1000] * len(identifiers),
        indicator_codes=[f"i{column}" for column in range(width)],
        values=[values[identifier] for identifier in identifiers],
    )


def config(domains: dict, normalisation="percentile") -> IndexConfiguration:
    return IndexConfiguration(
        domains=tuple(
            DomainSpec(code, tuple(IndicatorWeight(indicator) for indicator in indicators))
            for code, indicators in domains.items()
        ),
        normalisation=normalisation,
    )


def random_input(seed: int, areas: int = 40) -> IndexInput:
    generator = np.random.default_rng(seed)
    values = {f"s{i:02d}": list(generator.normal(size=5)) for i in range(areas)}
    return suburbs(values)


FIVE_INDICATORS = {"d1": ["i0", "i1"], "d2": ["i2"], "d3": ["i3", "i4"]}


def rows(analysis, kind="suburb"):
    return {row["code"]: row for row in analysis.rows(kind)}


def test_same_seed_same_analysis():
    index_input = random_input(1)
    configuration = config(FIVE_INDICATORS)

    first = sensitivity.analyse(index_input, configuration, SelectionRule(), seed=7, draws=300)
    second = sensitivity.analyse(index_input, configuration, SelectionRule(), seed=7, draws=300)

    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_other_seed_other_draws():
    index_input = random_input(1)
    configuration = config(FIVE_INDICATORS)

    first = sensitivity.analyse(index_input, configuration, SelectionRule(), seed=7, draws=300)
    second = sensitivity.analyse(index_input, configuration, SelectionRule(), seed=8, draws=300)

    first_frequencies = [row["selection_frequency"] for row in first.rows("suburb")]
    second_frequencies = [row["selection_frequency"] for row in second.rows("suburb")]
    assert first_frequencies != second_frequencies
    assert first.to_dict()["seed"] == 7
    assert second.sensitivity.seed == 8


def test_scenario_counts():
    analysis = sensitivity.analyse(
        random_input(2), config(FIVE_INDICATORS), SelectionRule(), seed=1, draws=250
    )

    # Two changes (-25 %, +25 %) for each of 5 indicator weights and 3 domain weights.
    assert analysis.sensitivity.scenario_counts == {
        "weights": 16,
        "dirichlet": 250,
        "leave_one_out": 5,
        "normalisation": 2,
    }


def test_rank_interval_contains_rank():
    analysis = sensitivity.analyse(
        random_input(3), config(FIVE_INDICATORS), SelectionRule(), seed=1, draws=200
    )

    for row in analysis.rows("suburb"):
        assert row["rank_low"] <= row["rank"] <= row["rank_high"]
    assert any(row["rank_low"] < row["rank_high"] for row in analysis.rows("suburb"))


def test_dominant_suburb_is_stable():
    values = {
        "top": [9.0, 9.0, 9.0],
        "b": [2.0, 1.0, 3.0],
        "c": [1.0, 3.0, 2.0],
        "d": [3.0, 2.0, 1.0],
    }

    analysis = sensitivity.analyse(
        suburbs(values), config({"d1": ["i0", "i1"], "d2": ["i2"]}), SelectionRule(count=1), seed=1
    )

    top = rows(analysis)["top"]
    assert (top["rank"], top["rank_low"], top["rank_high"]) == (1, 1, 1)
    assert top["selected"] is True
    assert top["selection_frequency"] == 1.0
    assert top["flags"] == []
    assert analysis.selection.identifiers == ["top"]


def test_weight_change_interval():
    # Percentiles: a (83.3, 16.7), b (16.7, 83.3), c (50, 50), so all three tie at 50. A 25 %
    # change of a domain weight puts a and b first and last and c second. Changing the weight of
    # a domain's only indicator changes nothing, so the three tie at rank 1 there.
    values = {"a": [3.0, 1.0], "b": [1.0, 3.0], "c": [2.0, 2.0]}

    analysis = sensitivity.analyse(
        suburbs(values), config({"d1": ["i0"], "d2": ["i1"]}), SelectionRule(count=1), draws=0
    )

    intervals = [area.intervals["weights"] for area in analysis.sensitivity.areas]
    assert intervals == [(1, 3), (1, 3), (1, 2)]
    assert rows(analysis)["c"]["rank_intervals"]["weights"] == [1, 2]
    assert rows(analysis)["c"]["rank_intervals"]["dirichlet"] is None
    assert [area.rank_min for area in analysis.sensitivity.areas] == [1, 1, 1]


def test_unstable_and_normalisation_flags():
    analysis = sensitivity.analyse(
        suburbs(OUTLIER_VALUES),
        config({"d": ["i0", "i1"]}),
        SelectionRule(count=1),
        seed=1,
        draws=200,
    )

    table = rows(analysis)
    assert table["b"]["selected"] is True
    assert 0.1 < table["b"]["selection_frequency"] < 0.9
    assert "unstable_selection" in table["b"]["flags"]
    assert "normalisation_changes_selection" in table["b"]["flags"]
    assert "normalisation_changes_selection" in table["a"]["flags"]
    assert table["d"]["flags"] == []
    assert table["d"]["selection_frequency"] == 0.0


def test_unstable_flag_uses_band_limits(monkeypatch):
    # With the upper limit at 0, no frequency lies inside the band.
    monkeypatch.setattr(sensitivity, "UNSTABLE_HIGH", 0.0)
    analysis = sensitivity.analyse(
        suburbs(OUTLIER_VALUES), config({"d": ["i0", "i1"]}), SelectionRule(count=1), draws=50
    )

    assert "unstable_selection" not in rows(analysis)["b"]["flags"]


def test_threshold_rule_uses_count_under_other_normalisation():
    rule = SelectionRule(method="threshold", threshold=70.0)

    analysis = sensitivity.analyse(
        suburbs(OUTLIER_VALUES), config({"d": ["i0", "i1"]}), rule, seed=1, draws=50
    )

    # Percentile values are b 80, a and c 50, so the threshold selects b alone. Robust z-scores
    # are far below 70, but top 1 under them selects a.
    table = rows(analysis)
    assert analysis.selection.identifiers == ["b"]
    assert "normalisation_changes_selection" in table["a"]["flags"]


def test_postal_areas_have_no_selection_frequency():
    values = {"s1": [1.0], "s2": [2.0], "p1": [3.0], "p2": [4.0]}
    index_input = suburbs(values, kinds=["suburb", "suburb", "postal_area", "postal_area"])

    analysis = sensitivity.analyse(index_input, config({"d": ["i0"]}), SelectionRule(count=1))

    for row in analysis.rows("postal_area"):
        assert row["selection_frequency"] is None
        assert row["selected"] is None
    assert analysis.selection.identifiers == ["s2"]


def test_small_suburb_never_selected():
    index_input = suburbs({"big": [1.0], "small": [9.0], "other": [0.5]})
    index_input.population[1] = 100

    analysis = sensitivity.analyse(index_input, config({"d": ["i0"]}), SelectionRule(count=1))

    small = rows(analysis)["small"]
    assert small["selection_frequency"] == 0.0
    assert small["rank_low"] is None
    assert small["small_area"] is True
    assert analysis.selection.identifiers == ["big"]


def test_leave_one_out_reapplies_missing_rule():
    # c misses i1; with i0 left out, d1 has only i1, so c leaves d1 in that scenario.
    values = {"a": [1.0, 1.0, 1.0], "b": [2.0, 2.0, 2.0], "c": [3.0, float("nan"), 0.0]}

    analysis = sensitivity.analyse(
        suburbs(values),
        config({"d1": ["i0", "i1", "i2"]}),
        SelectionRule(count=1),
        draws=0,
    )

    interval = analysis.sensitivity.areas[2].intervals["leave_one_out"]
    assert interval is not None
    assert rows(analysis)["c"]["rank"] is not None


def test_analysis_to_dict_is_json():
    analysis = sensitivity.analyse(
        random_input(4),
        config(FIVE_INDICATORS),
        SelectionRule(),
        prioritised={"s01": 2},
        seed=3,
        draws=20,
    )

    data = json.loads(json.dumps(analysis.to_dict()))

    assert data["seed"] == 3
    assert data["draws"] == 20
    assert data["normalisation"] == "percentile"
    assert len(data["levels"]["suburb"]) == 40
    assert data["levels"]["postal_area"] == []
    assert len(data["selected"]) == 2
    first = data["levels"]["suburb"][0]
    assert set(first) >= {
        "code",
        "name",
        "population",
        "index",
        "rank",
        "rank_low",
        "rank_high",
        "selection_frequency",
        "flags",
        "small_area",
        "domains",
        "left_out",
        "prioritised_investments",
    }
    assert IndexConfiguration.from_dict(data["configuration"]) == config(FIVE_INDICATORS)
    prioritised = [row for row in data["levels"]["suburb"] if row["prioritised_investments"]]
    assert [row["code"] for row in prioritised] == ["s01"]


def test_negative_draws_rejected():
    with pytest.raises(ValueError):
        sensitivity.analyse(random_input(1), config(FIVE_INDICATORS), SelectionRule(), draws=-1)


@pytest.mark.parametrize("normalisation", need_index.NORMALISATIONS)
def test_every_normalisation_runs(normalisation):
    analysis = sensitivity.analyse(
        random_input(5), config(FIVE_INDICATORS, normalisation), SelectionRule(), draws=30
    )

    assert analysis.sensitivity.scenario_counts["normalisation"] == 2
    assert all(row["rank"] is not None for row in analysis.rows("suburb"))


@pytest.mark.parametrize(
    ("frequency", "flipped", "flags"),
    [
        (0.0, False, []),
        (0.1, False, []),
        (0.1001, False, ["unstable_selection"]),
        (0.5, False, ["unstable_selection"]),
        (0.8999, False, ["unstable_selection"]),
        (0.9, False, []),
        (1.0, False, []),
        (1.0, True, ["normalisation_changes_selection"]),
        (0.5, True, ["unstable_selection", "normalisation_changes_selection"]),
    ],
)
def test_selection_flags_band(frequency, flipped, flags):
    assert sensitivity.selection_flags(frequency, flipped) == flags


def test_pool_without_eligible_suburbs():
    index_input = suburbs({"a": [1.0], "b": [2.0]})
    index_input.population[:] = 10

    analysis = sensitivity.analyse(index_input, config({"d": ["i0"]}), SelectionRule(), draws=20)

    assert analysis.selection.identifiers == []
    for row in analysis.rows("suburb"):
        assert row["rank"] is None
        assert row["rank_low"] is None
        assert row["selection_frequency"] == 0.0
        assert row["flags"] == ["small_population"]
