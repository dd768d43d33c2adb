"""The mean and its 95 % t interval, against hand-computed values."""

from decimal import Decimal

import pytest

from osallistu.surveys.stats import mean_interval, t_quantile_975


def test_interval_matches_hand_computation():
    # Mean 80, s = √250 = 15.8114, s/√5 = 7.0711, t(4) = 2.7764, margin = 19.6322.
    result = mean_interval([60, 70, 80, 90, 100])

    assert result.n == 5
    assert result.mean == Decimal("80.0")
    assert result.low == Decimal("60.4")
    assert result.high == Decimal("99.6")


def test_single_value_has_no_interval():
    result = mean_interval([Decimal("55.5")])

    assert result.mean == Decimal("55.5")
    assert result.low is None
    assert result.high is None


def test_no_values_gives_none():
    assert mean_interval([]) is None


@pytest.mark.parametrize(
    ("degrees", "expected"),
    [(1, 12.7062), (9, 2.2622), (30, 2.0423), (40, 2.0211), (60, 2.0003), (120, 1.9799)],
)
def test_t_quantile_matches_tables(degrees, expected):
    assert t_quantile_975(degrees) == pytest.approx(expected, abs=0.0001)


def test_t_quantile_rejects_zero_degrees():
    with pytest.raises(ValueError):
        t_quantile_975(0)
