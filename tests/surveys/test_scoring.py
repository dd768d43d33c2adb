"""The versioned ESIS scoring function and its registry."""

from decimal import Decimal

import pytest

from osallistu.surveys.scoring import SCORING_FUNCTIONS, esis_score_v1, score


def test_all_highest_scores_hundred():
    assert esis_score_v1([5] * 10) == Decimal("100.00")


def test_all_lowest_scores_zero():
    assert esis_score_v1([1] * 10) == Decimal("0.00")


def test_full_answers_match_sum_formula():
    answers = [4, 5, 3, 4, 4, 5, 2, 4, 3, 5]
    # (sum - 10) / 40 * 100 with sum 39.
    assert esis_score_v1(answers) == Decimal("72.50")


def test_missing_items_use_mean_of_answered():
    answers = [5, 5, 5, 5, 5, 5, 5, 1, None, None]
    # Mean of eight answers is 4.5, rescaled to 87.5.
    assert esis_score_v1(answers) == Decimal("87.50")


def test_too_few_answered_gives_none():
    assert esis_score_v1([5] * 7 + [None] * 3) is None


def test_wrong_item_count_raises():
    with pytest.raises(ValueError):
        esis_score_v1([5] * 9)


def test_out_of_range_value_raises():
    with pytest.raises(ValueError):
        esis_score_v1([6] + [5] * 9)


def test_registry_selects_version():
    assert SCORING_FUNCTIONS["esis-v1"] is esis_score_v1
    assert score("esis-v1", [3] * 10) == Decimal("50.00")
    with pytest.raises(KeyError):
        score("esis-v0", [3] * 10)
