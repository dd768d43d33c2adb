"""Unit tests of the need index engine on small hand-made inputs (no database)."""

import json
import math

import numpy as np
import pytest
from django.utils import translation

from osallistu.selection import need_index
from osallistu.selection.need_index import (
    ConfigurationError,
    DomainSpec,
    IndexConfiguration,
    IndexInput,
    IndicatorWeight,
)

NAN = float("nan")


def config(domains: dict, normalisation="percentile", min_population=500, weights=None):
    """Build a configuration: {domain: [indicator, ...]} with equal weights unless given."""
    weights = weights or {}
    return IndexConfiguration(
        domains=tuple(
            DomainSpec(
                code=domain,
                weight=weights.get(domain, 1.0),
                indicators=tuple(IndicatorWeight(code, weights.get(code, 1.0)) for code in codes),
            )
            for domain, codes in domains.items()
        ),
        normalisation=normalisation,
        min_population=min_population,
    )


def area_input(values: dict, population=None, kinds=None, directions=None) -> IndexInput:
    """Build an input of postal areas: {identifier: [value of each indicator]}."""
    identifiers = list(values)
    count = len(identifiers)
    width = len(next(iter(values.values())))
    return IndexInput(
        kinds=kinds or ["postal_area"] * count,
        identifiers=identifiers,
        names=[identifier.upper() for identifier in identifiers],
        population=population or [1000] * count,
        indicator_codes=[f"i{column}" for column in range(width)],
        values=[values[identifier] for identifier in identifiers],
        directions=directions or {},
    )


def by_identifier(result):
    return {area.identifier: area for area in result.areas}


def test_percentile_average_rank_for_ties():
    scores = need_index.percentile_scores(np.array([10.0, 20.0, 20.0, 40.0]))

    assert scores.tolist() == [12.5, 50.0, 50.0, 87.5]


def test_robust_z_uses_median_and_mad():
    scores = need_index.robust_z_scores(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))

    # Median 3, absolute deviations 2, 1, 0, 1, 97, so the MAD is 1.
    assert scores.tolist() == pytest.approx([-2 / 1.4826, -1 / 1.4826, 0, 1 / 1.4826, 97 / 1.4826])


def test_robust_z_falls_back_to_mean_deviation():
    scores = need_index.robust_z_scores(np.array([5.0, 5.0, 5.0, 5.0, 9.0]))

    # The MAD is 0; the mean absolute deviation is 4 / 5.
    assert scores.tolist() == pytest.approx([0, 0, 0, 0, 4 / (1.253314 * 0.8)])


def test_robust_z_of_equal_values_is_zero():
    scores = need_index.robust_z_scores(np.array([7.0, 7.0, 7.0]))

    assert scores.tolist() == [0.0, 0.0, 0.0]


def test_exponential_transform_formula():
    result = need_index.compute_index(
        area_input({"a": [1.0], "b": [2.0], "c": [3.0], "d": [4.0]}),
        config({"d1": ["i0"]}, normalisation="exponential"),
    )

    areas = by_identifier(result)
    for identifier, rank in (("a", 1), ("b", 2), ("c", 3), ("d", 4)):
        share = rank / 4
        expected = -23 * math.log(1 - share * (1 - math.exp(-100 / 23)))
        assert areas[identifier].value == pytest.approx(expected)
    assert areas["d"].value == pytest.approx(100.0)
    assert areas["d"].rank == 1
    assert areas["a"].rank == 4


def test_exponential_combines_domain_scores():
    result = need_index.compute_index(
        area_input({"a": [1.0, 4.0], "b": [2.0, 1.0], "c": [3.0, 2.0]}),
        config({"d1": ["i0"], "d2": ["i1"]}, normalisation="exponential"),
    )

    def transform(rank, count=3):
        return -23 * math.log(1 - rank / count * (1 - math.exp(-100 / 23)))

    areas = by_identifier(result)
    assert areas["a"].value == pytest.approx((transform(1) + transform(3)) / 2)
    assert areas["a"].domain_scores["d2"] == pytest.approx(100.0)


def test_direction_lower_reverses_order():
    values = {"a": [1.0], "b": [2.0], "c": [3.0]}

    higher = by_identifier(need_index.compute_index(area_input(values), config({"d": ["i0"]})))
    lower = by_identifier(
        need_index.compute_index(
            area_input(values, directions={"i0": "lower"}), config({"d": ["i0"]})
        )
    )

    assert [higher[code].rank for code in "abc"] == [3, 2, 1]
    assert [lower[code].rank for code in "abc"] == [1, 2, 3]


def test_equal_values_share_lowest_rank():
    result = need_index.compute_index(
        area_input({"a": [4.0], "b": [2.0], "c": [2.0], "d": [1.0]}), config({"d": ["i0"]})
    )

    areas = by_identifier(result)
    assert [areas[code].rank for code in "abcd"] == [1, 2, 2, 4]


def test_weighted_sum_of_domains():
    result = need_index.compute_index(
        area_input({"a": [1.0, 2.0], "b": [2.0, 1.0]}),
        config({"d1": ["i0"], "d2": ["i1"]}, weights={"d1": 3.0, "d2": 1.0}),
    )

    areas = by_identifier(result)
    # Percentiles: d1 a 25, b 75; d2 a 75, b 25. Weights 3 : 1.
    assert areas["a"].value == pytest.approx((3 * 25 + 75) / 4)
    assert areas["b"].value == pytest.approx((3 * 75 + 25) / 4)
    assert areas["b"].rank == 1


def test_small_population_left_out_of_normalisation():
    result = need_index.compute_index(
        area_input({"a": [1.0], "b": [2.0], "small": [99.0]}, population=[600, 500, 499]),
        config({"d": ["i0"]}),
    )

    areas = by_identifier(result)
    assert areas["small"].value is None
    assert areas["small"].rank is None
    assert areas["small"].flags == ["small_population"]
    # Two eligible areas: percentiles 25 and 75; the small area does not shift them.
    assert areas["a"].value == 25.0
    assert areas["b"].value == 75.0


def test_missing_population_counts_as_small():
    result = need_index.compute_index(
        area_input({"a": [1.0], "b": [2.0]}, population=[NAN, 800]), config({"d": ["i0"]})
    )

    assert by_identifier(result)["a"].flags == ["small_population"]


def test_min_population_configurable():
    result = need_index.compute_index(
        area_input({"a": [1.0], "b": [2.0]}, population=[100, 800]),
        config({"d": ["i0"]}, min_population=100),
    )

    assert by_identifier(result)["a"].rank == 2


def test_one_of_three_missing_keeps_domain():
    result = need_index.compute_index(
        area_input({"a": [1.0, NAN, 1.0], "b": [2.0, 2.0, 2.0], "c": [3.0, 3.0, 3.0]}),
        config({"d": ["i0", "i1", "i2"]}),
    )

    area = by_identifier(result)["a"]
    assert area.flags == []
    assert area.missing_indicators == ["i1"]
    # i0 and i2 of a are both the lowest of three: percentile 100 * 0.5 / 3.
    assert area.value == pytest.approx(100 * 0.5 / 3)


def test_two_of_three_missing_leaves_domain():
    result = need_index.compute_index(
        area_input(
            {"a": [1.0, NAN, NAN, 5.0], "b": [2.0, 2.0, 2.0, 1.0], "c": [3.0, 3.0, 3.0, 2.0]}
        ),
        config({"d": ["i0", "i1", "i2"], "e": ["i3"]}),
    )

    area = by_identifier(result)["a"]
    assert area.flags == ["domain_left_out:d"]
    assert area.left_out == [{"domain": "d", "missing": 2, "total": 3}]
    assert "d" not in area.domain_scores
    # The index is the remaining domain's score: a has the highest i3 of three.
    assert area.value == pytest.approx(100 * 2.5 / 3)
    assert area.rank == 1


def test_one_of_two_missing_leaves_domain():
    result = need_index.compute_index(
        area_input({"a": [1.0, NAN, 1.0], "b": [2.0, 2.0, 2.0]}),
        config({"d": ["i0", "i1"], "e": ["i2"]}),
    )

    assert by_identifier(result)["a"].flags == ["domain_left_out:d"]


def test_area_without_any_domain_not_ranked():
    result = need_index.compute_index(
        area_input({"a": [NAN], "b": [2.0], "c": [3.0]}), config({"d": ["i0"]})
    )

    area = by_identifier(result)["a"]
    assert area.rank is None
    assert area.flags == ["domain_left_out:d", "no_domain_data"]


def test_indicator_missing_everywhere_is_dropped():
    result = need_index.compute_index(
        area_input({"a": [1.0, NAN], "b": [2.0, NAN]}), config({"d": ["i0", "i1"]})
    )

    assert result.dropped_indicators == {"postal_area": ["i1"]}
    areas = by_identifier(result)
    assert areas["a"].flags == []
    assert areas["b"].rank == 1


def test_indicator_absent_from_input_is_dropped():
    result = need_index.compute_index(
        area_input({"a": [1.0], "b": [2.0]}), config({"d": ["i0", "unknown"]})
    )

    assert result.dropped_indicators == {"postal_area": ["unknown"]}


def test_kinds_ranked_separately():
    result = need_index.compute_index(
        area_input(
            {"s1": [1.0], "s2": [2.0], "p1": [3.0], "p2": [0.5]},
            kinds=["suburb", "suburb", "postal_area", "postal_area"],
        ),
        config({"d": ["i0"]}),
    )

    areas = by_identifier(result)
    assert areas["s2"].rank == 1
    assert areas["p1"].rank == 1
    assert [area.identifier for area in result.of_kind("suburb")] == ["s2", "s1"]


def test_zero_weight_indicator_ignored():
    result = need_index.compute_index(
        area_input({"a": [1.0, 9.0], "b": [2.0, 1.0]}),
        config({"d": ["i0", "i1"]}, weights={"i1": 0.0}),
    )

    assert by_identifier(result)["b"].rank == 1


def test_default_configuration_equal_weights():
    configuration = need_index.default_configuration(2024)

    assert configuration.normalisation == "percentile"
    assert configuration.min_population == 500
    assert configuration.statistics_year == 2024
    assert {domain.weight for domain in configuration.domains} == {1.0}
    assert {i.weight for domain in configuration.domains for i in domain.indicators} == {1.0}
    assert [domain.code for domain in configuration.domains] == [
        "employment",
        "education",
        "income",
        "housing",
    ]


def test_configuration_round_trip_through_json():
    configuration = config(
        {"d1": ["a", "b"], "d2": ["c"]},
        normalisation="robust_z",
        min_population=300,
        weights={"a": 2.0, "d2": 0.5},
    )

    data = json.loads(json.dumps(configuration.to_dict()))

    assert IndexConfiguration.from_dict(data) == configuration


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"domains": [{"code": "d", "indicators": [{"code": "a"}]}], "normalisation": "x"},
            "normalisation",
        ),
        ({"domains": []}, "no domains"),
        ({"domains": [{"code": "d", "indicators": []}]}, "no indicators"),
        ({"domains": [{"code": "d", "indicators": [{"code": "a", "weight": -1}]}]}, "Weights"),
        ({"domains": [{"code": "d", "indicators": [{"code": "a", "weight": 0}]}]}, "positive"),
        (
            {"domains": [{"code": "d", "indicators": [{"code": "a"}, {"code": "a"}]}]},
            "more than once",
        ),
        ({"domains": [{"code": "d", "weight": 0, "indicators": [{"code": "a"}]}]}, "No domain"),
        ({"domains": [{"code": "d"}]}, "malformed"),
        ({"domains": [{"code": "d", "indicators": [{"code": "a", "weight": "x"}]}]}, "malformed"),
        (
            {"domains": [{"code": "d", "indicators": [{"code": "a"}]}], "min_population": -1},
            "minimum",
        ),
    ],
)
def test_invalid_configuration_rejected(data, message):
    with pytest.raises(ConfigurationError) as caught:
        IndexConfiguration.from_dict(data)

    assert message in caught.value.message % caught.value.params


def test_input_round_trip_keeps_missing_values():
    index_input = area_input({"a": [1.0, NAN], "b": [2.0, 3.0]}, population=[NAN, 700])
    index_input.details = [{"cells": {"i0": {"status": "ok"}}}, {}]

    copy = IndexInput.from_dict(json.loads(json.dumps(index_input.to_dict())))

    assert list(copy.identifiers) == ["a", "b"]
    assert np.isnan(copy.values[0, 1])
    assert np.isnan(copy.population[0])
    assert copy.values[1].tolist() == [2.0, 3.0]
    assert copy.details[0] == {"cells": {"i0": {"status": "ok"}}}


def test_input_rejects_unknown_kind():
    with pytest.raises(ValueError):
        area_input({"a": [1.0]}, kinds=["municipality"])


def test_flag_label_names_domain():
    with translation.override("en"):
        label = need_index.flag_label("domain_left_out:housing", {"housing": "Housing"})
        unstable = need_index.flag_label("unstable_selection")

    assert "Housing" in label
    assert "10 %" in unstable
    assert "%%" not in unstable
    assert need_index.flag_label("something_else") == "something_else"


def test_rank_columns_leaves_input_unchanged():
    matrix = np.array([[3.0], [NAN], [1.0]])

    ranks = need_index.rank_columns(matrix, ascending=True, ties="average")

    assert np.isnan(matrix[1, 0])
    assert ranks[[0, 2], 0].tolist() == [2.0, 1.0]
    assert np.isnan(ranks[1, 0])


def test_exponential_skips_area_left_out_of_domain():
    result = need_index.compute_index(
        area_input({"a": [1.0, 1.0], "b": [NAN, 2.0], "c": [3.0, 3.0]}),
        config({"d1": ["i0"], "d2": ["i1"]}, normalisation="exponential"),
    )

    areas = by_identifier(result)
    # d1 ranks a and c only: c gets R = 2 / 2 and X = 100.
    assert areas["c"].domain_scores["d1"] == pytest.approx(100.0)
    assert "d1" not in areas["b"].domain_scores


def test_pool_without_eligible_areas_drops_nothing():
    result = need_index.compute_index(
        area_input({"a": [1.0], "b": [2.0]}, population=[10, 20]), config({"d": ["i0"]})
    )

    assert result.dropped_indicators == {"postal_area": []}
    assert [area.flags for area in result.areas] == [["small_population"], ["small_population"]]
