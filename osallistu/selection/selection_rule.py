"""Apply the positive-discrimination rule that picks suburbs from the need index.

Pure numpy with no database access. The rule is recorded with each year's selection round as
SelectionRule.to_dict(). Only suburbs are candidates, so postal areas never enter the rule.

Order of candidates: the adjusted value (index value plus the bonus where the rule gives one)
from most need down, rounded like need_index.rank_values(). Equal adjusted values are ordered
by the investment tie-break where the rule uses it (a suburb with a prioritised investment first,
then the better priority, 1 being the highest), then by identifier, so the result is
deterministic.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .need_index import RANK_DECIMALS, SUBURB, ConfigurationError, IndexResult, gettext_noop

TOP_N = "top_n"
THRESHOLD = "threshold"
METHODS = (TOP_N, THRESHOLD)

INVESTMENTS_NONE = "none"
INVESTMENTS_BONUS = "bonus"
INVESTMENTS_TIE_BREAK = "tie_break"
INVESTMENT_HANDLING = (INVESTMENTS_NONE, INVESTMENTS_BONUS, INVESTMENTS_TIE_BREAK)

# Reasons recorded for a selected suburb.
REASON_TOP_N = "top_n"
REASON_THRESHOLD = "threshold"
REASON_INVESTMENT_BONUS = "investment_bonus"
REASON_TIE_BROKEN_BY_INVESTMENT = "tie_broken_by_investment"
REASON_TIE_BROKEN_BY_IDENTIFIER = "tie_broken_by_identifier"

# The experiment plan of the City of Kuopio selects at most two suburbs a year.
DEFAULT_COUNT = 2
# Sort key of a suburb without a prioritised investment in the tie-break: after every priority.
_NO_PRIORITY = np.inf


@dataclass(frozen=True)
class SelectionRule:
    """Top N or threshold selection of suburbs, with optional handling of investments.

    `threshold` is in the unit of the index value of the configuration's normalisation. `bonus`,
    in the same unit, is added to the value of a suburb with a prioritised investment when
    `investments` is `bonus`.
    """

    method: str = TOP_N
    count: int = DEFAULT_COUNT
    threshold: float | None = None
    investments: str = INVESTMENTS_NONE
    bonus: float = 0.0

    def __post_init__(self):
        if self.method not in METHODS:
            raise ConfigurationError(
                gettext_noop("Unknown selection method %(method)s; use one of %(choices)s."),
                method=self.method,
                choices=", ".join(METHODS),
            )
        if self.method == TOP_N and self.count < 1:
            raise ConfigurationError(gettext_noop("Select at least one suburb."))
        if self.method == THRESHOLD and (
            self.threshold is None or not math.isfinite(self.threshold)
        ):
            raise ConfigurationError(gettext_noop("A threshold rule needs a threshold value."))
        if self.investments not in INVESTMENT_HANDLING:
            raise ConfigurationError(
                gettext_noop("Unknown investment handling %(handling)s; use one of %(choices)s."),
                handling=self.investments,
                choices=", ".join(INVESTMENT_HANDLING),
            )
        if not math.isfinite(self.bonus) or self.bonus < 0:
            raise ConfigurationError(gettext_noop("The bonus must be a number of 0 or more."))

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as a JSON-serialisable dict that from_dict() reads back."""
        return {
            "method": self.method,
            "count": self.count,
            "threshold": self.threshold,
            "investments": self.investments,
            "bonus": self.bonus,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SelectionRule":
        """Build a rule from to_dict() output; raise ConfigurationError if invalid."""
        try:
            threshold = data.get("threshold")
            fields = {
                "method": str(data.get("method", TOP_N)),
                "count": int(data.get("count", DEFAULT_COUNT)),
                "threshold": None if threshold is None else float(threshold),
                "investments": str(data.get("investments", INVESTMENTS_NONE)),
                "bonus": float(data.get("bonus", 0.0)),
            }
        except (TypeError, ValueError, AttributeError) as error:
            raise ConfigurationError(
                gettext_noop("The selection rule is malformed: %(error)s"), error=str(error)
            ) from None
        return cls(**fields)

    def select_columns(
        self,
        values: np.ndarray,
        identifiers: Sequence[str],
        priorities: Mapping[str, int],
        *,
        count: int | None = None,
    ) -> np.ndarray:
        """Return which suburbs the rule selects in each column of `values` (suburbs x K).

        NaN values are never selected. `priorities` maps suburb identifiers to the best priority
        of their prioritised investments. `count` turns any rule into top `count`, which the
        sensitivity analysis uses where a threshold has no meaning in another normalisation.
        """
        values = np.atleast_2d(np.asarray(values, dtype=float))
        if count is None and self.method == THRESHOLD:
            adjusted = self._adjusted(values, identifiers, priorities)
            with np.errstate(invalid="ignore"):
                return ~np.isnan(adjusted) & (adjusted >= self.threshold)
        limit = self.count if count is None else count
        present = ~np.isnan(values)
        if limit >= len(values):
            return present
        # Partial sort per column: only suburbs tied at the cut-off need the full order.
        keys = np.where(present, self._adjusted(values, identifiers, priorities), -np.inf)
        keys = np.round(keys, RANK_DECIMALS)
        cutoff = -np.partition(-keys, limit - 1, axis=0)[limit - 1]
        selected = keys > cutoff
        at_cutoff = (keys == cutoff) & present
        places_left = limit - selected.sum(axis=0)
        fits = at_cutoff.sum(axis=0) <= places_left
        selected |= at_cutoff & fits
        for column in np.flatnonzero(~fits):
            order = self._order(values[:, [column]], identifiers, priorities)[:, 0]
            selected[order[:limit], column] = True
        return selected & present

    def _bonus_vector(self, identifiers: Sequence[str], priorities: Mapping[str, int]):
        if self.investments != INVESTMENTS_BONUS:
            return np.zeros(len(identifiers))
        return np.array([self.bonus if code in priorities else 0.0 for code in identifiers])

    def _adjusted(self, values, identifiers, priorities) -> np.ndarray:
        return values + self._bonus_vector(identifiers, priorities)[:, None]

    def _order(self, values, identifiers, priorities) -> np.ndarray:
        adjusted = np.round(self._adjusted(values, identifiers, priorities), RANK_DECIMALS)
        primary = np.where(np.isnan(adjusted), np.inf, -adjusted)
        if self.investments == INVESTMENTS_TIE_BREAK:
            tie_break = np.array([priorities.get(code, _NO_PRIORITY) for code in identifiers])
        else:
            tie_break = np.zeros(len(identifiers))
        by_identifier = np.argsort(np.argsort(np.asarray(identifiers, dtype=object)))
        shape = values.shape
        keys = (
            np.broadcast_to(by_identifier[:, None], shape),
            np.broadcast_to(tie_break[:, None], shape),
            primary,
        )
        return np.lexsort(keys, axis=0)

    def select(self, result: IndexResult, priorities: Mapping[str, int]) -> "Selection":
        """Select suburbs from `result` and record why each was selected."""
        suburbs = [area for area in result.areas if area.kind == SUBURB]
        identifiers = [area.identifier for area in suburbs]
        values = np.array(
            [np.nan if area.value is None else area.value for area in suburbs]
        ).reshape(-1, 1)
        if not suburbs:
            return Selection(rule=self, selected=[])
        selected = self.select_columns(values, identifiers, priorities)[:, 0]
        adjusted = self._adjusted(values, identifiers, priorities)[:, 0]
        order = self._order(values, identifiers, priorities)[:, 0]
        rounded = np.round(adjusted, RANK_DECIMALS)
        excluded_values = {rounded[i] for i in range(len(suburbs)) if not selected[i]}
        chosen = []
        for position, index in enumerate(order):
            if not selected[index]:
                continue
            area = suburbs[index]
            reasons = [REASON_TOP_N if self.method == TOP_N else REASON_THRESHOLD]
            has_investment = area.identifier in priorities
            if self.investments == INVESTMENTS_BONUS and has_investment and self.bonus > 0:
                reasons.append(REASON_INVESTMENT_BONUS)
            if self.method == TOP_N and rounded[index] in excluded_values:
                tied = [
                    i for i in range(len(suburbs)) if rounded[i] == rounded[index] and i != index
                ]
                by_investment = self.investments == INVESTMENTS_TIE_BREAK and any(
                    priorities.get(identifiers[i], _NO_PRIORITY)
                    != priorities.get(area.identifier, _NO_PRIORITY)
                    for i in tied
                )
                reasons.append(
                    REASON_TIE_BROKEN_BY_INVESTMENT
                    if by_investment
                    else REASON_TIE_BROKEN_BY_IDENTIFIER
                )
            chosen.append(
                SelectedSuburb(
                    identifier=area.identifier,
                    name=area.name,
                    value=float(values[index, 0]),
                    adjusted_value=float(adjusted[index]),
                    position=position + 1,
                    reasons=reasons,
                )
            )
        return Selection(rule=self, selected=chosen)


@dataclass
class SelectedSuburb:
    """A suburb the rule selected, with its place in the rule's order and the reasons."""

    identifier: str
    name: str
    value: float
    adjusted_value: float
    position: int
    reasons: list[str]


@dataclass
class Selection:
    """The suburbs a rule selected, in the rule's order."""

    rule: SelectionRule
    selected: list[SelectedSuburb] = field(default_factory=list)

    @property
    def identifiers(self) -> list[str]:
        return [suburb.identifier for suburb in self.selected]
