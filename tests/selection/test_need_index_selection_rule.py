"""Tests of the positive-discrimination rule that selects suburbs (no database)."""

import json

import pytest

from osallistu.selection import need_index
from osallistu.selection.need_index import (
    DomainSpec,
    IndexConfiguration,
    IndexInput,
    IndicatorWeight,
)
from osallistu.selection.selection_rule import SelectionRule

CONFIGURATION = IndexConfiguration(domains=(DomainSpec("d", (IndicatorWeight("i0"),)),))


def result_for(values: dict, kinds=None, population=None):
    """Compute the index of areas with one indicator each: {identifier: value}."""
    identifiers = list(values)
    index_input = IndexInput(
        kinds=kinds or ["suburb"] * len(identifiers),
        identifiers=identifiers,
        names=[identifier.title() for identifier in identifiers],
        population=population or [1000] * len(identifiers),
        indicator_codes=["i0"],
        values=[[values[identifier]] for identifier in identifiers],
    )
    return need_index.compute_index(index_input, CONFIGURATION)


def test_top_n_selects_highest():
    selection = SelectionRule(count=2).select(result_for({"a": 1, "b": 4, "c": 3, "d": 2}), {})

    assert selection.identifiers == ["b", "c"]
    assert [suburb.position for suburb in selection.selected] == [1, 2]
    assert selection.selected[0].reasons == ["top_n"]


def test_threshold_selects_at_or_above():
    # Percentiles of four values: 12.5, 37.5, 62.5, 87.5.
    rule = SelectionRule(method="threshold", threshold=62.5)

    selection = rule.select(result_for({"a": 1, "b": 4, "c": 3, "d": 2}), {})

    assert selection.identifiers == ["b", "c"]
    assert selection.selected[1].reasons == ["threshold"]


def test_threshold_may_select_none():
    rule = SelectionRule(method="threshold", threshold=99.0)

    assert rule.select(result_for({"a": 1, "b": 2}), {}).identifiers == []


def test_bonus_lifts_prioritised_suburb():
    # Percentiles: a 12.5, b 37.5, c 62.5, d 87.5; a bonus of 30 lifts b to 67.5.
    result = result_for({"a": 1, "b": 2, "c": 3, "d": 4})
    rule = SelectionRule(count=2, investments="bonus", bonus=30.0)

    selection = rule.select(result, {"b": 1})

    assert selection.identifiers == ["d", "b"]
    lifted = selection.selected[1]
    assert lifted.value == 37.5
    assert lifted.adjusted_value == 67.5
    assert lifted.reasons == ["top_n", "investment_bonus"]


def test_bonus_ignored_without_bonus_handling():
    result = result_for({"a": 1, "b": 2, "c": 3, "d": 4})

    selection = SelectionRule(count=2, bonus=30.0).select(result, {"b": 1})

    assert selection.identifiers == ["d", "c"]


def test_tie_break_prefers_prioritised_investment():
    result = result_for({"a": 5, "b": 3, "c": 3, "d": 1})
    rule = SelectionRule(count=2, investments="tie_break")

    selection = rule.select(result, {"c": 1})

    assert selection.identifiers == ["a", "c"]
    assert selection.selected[1].reasons == ["top_n", "tie_broken_by_investment"]


def test_tie_break_prefers_better_priority():
    result = result_for({"a": 5, "b": 3, "c": 3, "d": 1})
    rule = SelectionRule(count=2, investments="tie_break")

    selection = rule.select(result, {"b": 1, "c": 2})

    assert selection.identifiers == ["a", "b"]


def test_tie_without_investments_broken_by_identifier():
    result = result_for({"a": 5, "c": 3, "b": 3, "d": 1})

    selection = SelectionRule(count=2).select(result, {"c": 1})

    assert selection.identifiers == ["a", "b"]
    assert selection.selected[1].reasons == ["top_n", "tie_broken_by_identifier"]
    assert selection.selected[0].reasons == ["top_n"]


def test_postal_areas_never_selected():
    result = result_for(
        {"p1": 9, "p2": 8, "s1": 1, "s2": 2},
        kinds=["postal_area", "postal_area", "suburb", "suburb"],
    )

    selection = SelectionRule(count=2).select(result, {})

    assert selection.identifiers == ["s2", "s1"]


def test_unranked_suburb_never_selected():
    result = result_for({"a": 1, "small": 9}, population=[1000, 10])

    selection = SelectionRule(count=2).select(result, {})

    assert selection.identifiers == ["a"]


def test_rule_round_trip_through_json():
    rule = SelectionRule(method="threshold", threshold=55.5, investments="bonus", bonus=2.0)

    assert SelectionRule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule


@pytest.mark.parametrize(
    "data",
    [
        {"method": "lottery"},
        {"method": "top_n", "count": 0},
        {"method": "threshold"},
        {"method": "threshold", "threshold": float("nan")},
        {"investments": "always"},
        {"investments": "bonus", "bonus": -1},
        {"count": "two"},
    ],
)
def test_invalid_rule_rejected(data):
    with pytest.raises(need_index.ConfigurationError):
        SelectionRule.from_dict(data)
