"""Vote-counting rules as plain Python, with no Django import, so they can be read and tested alone.

Amounts are exact (int, Fraction or Decimal); no rule compares floating-point numbers. The public
API is `count()` with `Election` in and `Outcome` out; docs/counting.md describes it.
"""

from .api import (
    COMPLETIONS,
    REASONS,
    RULES,
    TIE_BREAKS,
    Comparison,
    Election,
    Outcome,
    ProjectResult,
    count,
    money,
)

__all__ = [
    "COMPLETIONS",
    "REASONS",
    "RULES",
    "TIE_BREAKS",
    "Comparison",
    "Election",
    "Outcome",
    "ProjectResult",
    "count",
    "money",
]
