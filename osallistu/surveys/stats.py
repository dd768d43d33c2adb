"""Mean and 95 % confidence interval of survey scores, without a statistics library.

The interval is mean ± t * s / √n with Student's t at 0.975 and n - 1 degrees of freedom, where s
is the sample standard deviation. Scores lie between 0 and 100 and are not normal, but with the
minimum group size of results (OSALLISTU_SURVEY_MIN_GROUP, 10 by default) the t interval of a mean
is the usual choice. The interval describes sampling error only: respondents select themselves.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Student's t quantile at 0.975 for 1-30 degrees of freedom (standard tables, four decimals).
T_975 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
)  # fmt: skip
Z_975 = 1.959963984540054


def t_quantile_975(degrees_of_freedom: int) -> float:
    """Return Student's t quantile at 0.975 for `degrees_of_freedom` (at least 1).

    Above 30 degrees of freedom the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5) is used;
    its error there is below 0.0001.
    """
    if degrees_of_freedom < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if degrees_of_freedom <= len(T_975):
        return T_975[degrees_of_freedom - 1]
    z, v = Z_975, degrees_of_freedom
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


@dataclass(frozen=True)
class MeanInterval:
    """The mean of n values and its 95 % confidence interval, rounded to one decimal."""

    n: int
    mean: Decimal
    low: Decimal | None
    high: Decimal | None


def _round(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean_interval(values: Sequence[Decimal | float | int]) -> MeanInterval | None:
    """Return the mean and its t interval of `values`, or None for no values.

    With a single value the interval is undefined, and `low` and `high` are None.
    """
    n = len(values)
    if n == 0:
        return None
    numbers = [float(value) for value in values]
    mean = math.fsum(numbers) / n
    if n == 1:
        return MeanInterval(n, _round(mean), None, None)
    variance = math.fsum((number - mean) ** 2 for number in numbers) / (n - 1)
    margin = t_quantile_975(n - 1) * math.sqrt(variance / n)
    return MeanInterval(n, _round(mean), _round(mean - margin), _round(mean + margin))
