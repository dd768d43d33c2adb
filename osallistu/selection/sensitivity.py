"""Test how much the need index ranking and the selection depend on the choices behind it.

Every result of the index carries this analysis (see analyse()). Scenarios, each scored for every
pool of areas with need_index.score_pool():

- `weights`: each positive indicator weight and each positive domain weight in turn multiplied
  by 0.75 and by 1.25, the others kept (two scenarios a weight);
- `dirichlet`: `draws` random weightings from a numpy Generator seeded with `seed`. The domain
  weights are drawn from Dirichlet(k w), where w are the configured weights divided by their sum
  and k their number, so equal weights give draws spread evenly over all weightings. The
  indicator weights of each domain are drawn the same way;
- `leave_one_out`: each indicator with a positive weight left out in turn, with the rule on
  missing data applied to the remaining indicators;
- `normalisation`: the configured weights under each other normalisation. Because a threshold is
  in the unit of one normalisation, a threshold rule becomes "top k" here, with k the number of
  suburbs the rule selects under the configured normalisation.

The rank interval of an area is the lowest and highest rank over the configured result and every
scenario. The selection frequency of a suburb is the share of scenarios in which the rule selects
it. A suburb gets the flag `unstable_selection` when that share is above 10 % and below 90 %, and
`normalisation_changes_selection` when another normalisation changes whether it is selected.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .need_index import (
    FLAG_NORMALISATION_CHANGES_SELECTION,
    FLAG_SMALL_POPULATION,
    FLAG_UNSTABLE_SELECTION,
    KINDS,
    NORMALISATIONS,
    SUBURB,
    IndexConfiguration,
    IndexInput,
    IndexResult,
    Pool,
    base_weights,
    compute_index,
    prepare_pools,
    rank_values,
    score_pool,
)
from .selection_rule import THRESHOLD, Selection, SelectionRule

WEIGHTS = "weights"
DIRICHLET = "dirichlet"
LEAVE_ONE_OUT = "leave_one_out"
NORMALISATION = "normalisation"
FAMILIES = (WEIGHTS, DIRICHLET, LEAVE_ONE_OUT, NORMALISATION)

WEIGHT_CHANGE = 0.25
DEFAULT_DRAWS = 1000
# Seed used when none is given, so that the command and the staff pages print the same figures.
DEFAULT_SEED = 2024
UNSTABLE_LOW = 0.10
UNSTABLE_HIGH = 0.90


@dataclass
class AreaSensitivity:
    """One area's rank interval and, for a suburb, how often it is selected.

    `intervals` maps each scenario family to its (lowest, highest) rank. Ranks and the interval
    are None for an area that is ranked in no scenario.
    """

    rank_min: int | None
    rank_max: int | None
    intervals: dict[str, tuple[int, int] | None]
    selected: bool | None
    selection_frequency: float | None
    flags: list[str]


@dataclass
class SensitivityResult:
    """The analysis of every area, in input order, with its seed and scenario counts."""

    seed: int
    draws: int
    scenario_counts: dict[str, int]
    areas: list[AreaSensitivity]


@dataclass
class Analysis:
    """An index result with its selection and its sensitivity analysis."""

    index: IndexResult
    rule: SelectionRule
    selection: Selection
    sensitivity: SensitivityResult
    priorities: dict[str, int] = field(default_factory=dict)

    def rows(self, kind: str) -> list[dict[str, Any]]:
        """Return one row per area of `kind`, ranked areas by rank, then the rest by identifier.

        Each row has `code` (suburb slug or postal code), `name`, `population`, `index`, `rank`,
        `rank_low` and `rank_high` (the rank interval over every scenario), `rank_intervals` ([low,
        high] or None by scenario family), `selected` and `selection_frequency`
        (None for postal areas), `flags`, `small_area`, `domains` (score by domain code, None
        where the area is left out), `left_out` ({"domain", "missing", "total"} for each domain
        left out for missing data), `missing_indicators` and `prioritised_investments`.
        """
        position = {id(area): i for i, area in enumerate(self.index.areas)}
        domain_codes = [domain.code for domain in self.index.configuration.domains]
        rows = []
        for area in self.index.of_kind(kind):
            sensitivity = self.sensitivity.areas[position[id(area)]]
            rows.append(
                {
                    "code": area.identifier,
                    "name": area.name,
                    "population": area.population,
                    "index": area.value,
                    "rank": area.rank,
                    "rank_low": sensitivity.rank_min,
                    "rank_high": sensitivity.rank_max,
                    "rank_intervals": {
                        family: None if interval is None else list(interval)
                        for family, interval in sensitivity.intervals.items()
                    },
                    "selected": sensitivity.selected,
                    "selection_frequency": sensitivity.selection_frequency,
                    "flags": area.flags + sensitivity.flags,
                    "small_area": FLAG_SMALL_POPULATION in area.flags,
                    "domains": {code: area.domain_scores.get(code) for code in domain_codes},
                    "left_out": area.left_out,
                    "missing_indicators": area.missing_indicators,
                    "prioritised_investments": (
                        area.identifier in self.priorities if kind == SUBURB else False
                    ),
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as a JSON-serialisable dict.

        Keys: `statistics_year`, `seed`, `draws`, `normalisation`, `min_population`,
        `configuration` and `rule` (their to_dict()), `levels` (rows() of "suburb" and
        "postal_area"), `selected` (suburb codes in the rule's order), `selection` (each selected
        suburb with its value, adjusted value, position and reason codes), `dropped_indicators`
        by level and `sensitivity` (`seed`, `draws` and `scenario_counts` by family).
        """
        configuration = self.index.configuration
        return {
            "statistics_year": configuration.statistics_year,
            "seed": self.sensitivity.seed,
            "draws": self.sensitivity.draws,
            "normalisation": configuration.normalisation,
            "min_population": configuration.min_population,
            "configuration": configuration.to_dict(),
            "rule": self.rule.to_dict(),
            "levels": {kind: self.rows(kind) for kind in KINDS},
            "selected": self.selection.identifiers,
            "selection": [asdict(suburb) for suburb in self.selection.selected],
            "dropped_indicators": self.index.dropped_indicators,
            "sensitivity": {
                "seed": self.sensitivity.seed,
                "draws": self.sensitivity.draws,
                "scenario_counts": self.sensitivity.scenario_counts,
                "weight_change": WEIGHT_CHANGE,
            },
        }


def analyse(
    index_input: IndexInput,
    configuration: IndexConfiguration,
    rule: SelectionRule,
    *,
    prioritised: Mapping[str, int] | Iterable[str] | None = None,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> Analysis:
    """Compute the index, select suburbs by `rule` and run the sensitivity analysis.

    `prioritised` maps the identifiers of suburbs with a prioritised investment to the best
    priority of those investments (1 is the highest). A plain collection of identifiers gives
    each of them priority 1. The same input, configuration, rule, seed and draws give the same
    analysis.
    """
    priorities = _priorities(prioritised)
    result = compute_index(index_input, configuration)
    selection = rule.select(result, priorities)
    sensitivity = run_sensitivity(
        index_input, configuration, rule, priorities=priorities, seed=seed, draws=draws
    )
    return Analysis(
        index=result,
        rule=rule,
        selection=selection,
        sensitivity=sensitivity,
        priorities=priorities,
    )


def _priorities(prioritised: Mapping[str, int] | Iterable[str] | None) -> dict[str, int]:
    if prioritised is None:
        return {}
    if isinstance(prioritised, Mapping):
        return {str(code): int(priority) for code, priority in prioritised.items()}
    return {str(code): 1 for code in prioritised}


def run_sensitivity(
    index_input: IndexInput,
    configuration: IndexConfiguration,
    rule: SelectionRule,
    *,
    priorities: Mapping[str, int],
    seed: int,
    draws: int,
) -> SensitivityResult:
    """Run every scenario family over every pool; see the module docstring."""
    if draws < 0:
        raise ValueError("draws must be 0 or more")
    areas: list[AreaSensitivity | None] = [None] * len(index_input)
    counts: dict[str, int] = {}
    for pool in prepare_pools(index_input, configuration):
        # Only eligible areas can be ranked, so the scenarios score those rows alone.
        active = np.flatnonzero(pool.eligible)
        generator = np.random.default_rng(seed)
        scenarios = _scenario_values(pool, active, configuration, generator, draws)
        counts = {family: values.shape[1] for family, values in scenarios.items()}
        base_values, _domain_scores = score_pool(
            pool,
            configuration.normalisation,
            *base_weights(configuration),
            rows=active,
            with_domain_scores=False,
        )
        active_areas = _pool_sensitivity(
            pool, active, index_input, rule, priorities, base_values, scenarios
        )
        for row in pool.rows.tolist():
            areas[row] = _unranked(pool, scenarios)
        for position, area in zip(active.tolist(), active_areas, strict=True):
            areas[pool.rows[position]] = area
    return SensitivityResult(seed=seed, draws=draws, scenario_counts=counts, areas=list(areas))


def _unranked(pool: Pool, scenarios: dict[str, np.ndarray]) -> AreaSensitivity:
    is_suburb = pool.kind == SUBURB
    return AreaSensitivity(
        rank_min=None,
        rank_max=None,
        intervals=dict.fromkeys(scenarios),
        selected=False if is_suburb else None,
        selection_frequency=0.0 if is_suburb else None,
        flags=[],
    )


def _scenario_values(
    pool: Pool,
    active: np.ndarray,
    configuration: IndexConfiguration,
    generator: np.random.Generator,
    draws: int,
) -> dict[str, np.ndarray]:
    indicator_weights, domain_weights = base_weights(configuration)
    normalisation = configuration.normalisation
    included = (indicator_weights > 0) & ~pool.dropped
    scenarios = {}

    def score(normalisation, indicator_weights, domain_weights, included):
        return score_pool(
            pool,
            normalisation,
            indicator_weights,
            domain_weights,
            included,
            rows=active,
            with_domain_scores=False,
        )[0]

    changed_indicators, changed_domains = _weight_changes(
        indicator_weights, domain_weights, included
    )
    scenarios[WEIGHTS] = score(normalisation, changed_indicators, changed_domains, included)

    random_indicators, random_domains = _dirichlet_weights(
        pool, indicator_weights, domain_weights, included, generator, draws
    )
    scenarios[DIRICHLET] = score(normalisation, random_indicators, random_domains, included)

    left_out = []
    for column in np.flatnonzero(included):
        remaining = included.copy()
        remaining[column] = False
        left_out.append(score(normalisation, indicator_weights, domain_weights, remaining))
    scenarios[LEAVE_ONE_OUT] = _stack(left_out, len(active))

    swapped = [
        score(other, indicator_weights, domain_weights, included)
        for other in NORMALISATIONS
        if other != normalisation
    ]
    scenarios[NORMALISATION] = _stack(swapped, len(active))
    return scenarios


def _stack(columns: list[np.ndarray], rows: int) -> np.ndarray:
    return np.hstack(columns) if columns else np.empty((rows, 0))


def _weight_changes(
    indicator_weights: np.ndarray, domain_weights: np.ndarray, included: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    indicator_rows, domain_rows = [], []
    for factor in (1 - WEIGHT_CHANGE, 1 + WEIGHT_CHANGE):
        for column in np.flatnonzero(included):
            changed = indicator_weights.copy()
            changed[column] *= factor
            indicator_rows.append(changed)
            domain_rows.append(domain_weights)
        for domain in np.flatnonzero(domain_weights > 0):
            changed = domain_weights.copy()
            changed[domain] *= factor
            indicator_rows.append(indicator_weights)
            domain_rows.append(changed)
    return np.array(indicator_rows), np.array(domain_rows)


def _dirichlet_weights(
    pool: Pool,
    indicator_weights: np.ndarray,
    domain_weights: np.ndarray,
    included: np.ndarray,
    generator: np.random.Generator,
    draws: int,
) -> tuple[np.ndarray, np.ndarray]:
    random_domains = np.zeros((draws, len(domain_weights)))
    positive = np.flatnonzero(domain_weights > 0)
    random_domains[:, positive] = _dirichlet(domain_weights[positive], generator, draws)
    random_indicators = np.zeros((draws, len(indicator_weights)))
    for domain in range(len(domain_weights)):
        columns = np.flatnonzero(included & (pool.indicator_domain == domain))
        if len(columns):
            random_indicators[:, columns] = _dirichlet(indicator_weights[columns], generator, draws)
    return random_indicators, random_domains


def _dirichlet(weights: np.ndarray, generator: np.random.Generator, draws: int) -> np.ndarray:
    if len(weights) == 1:
        return np.ones((draws, 1))
    alpha = len(weights) * weights / weights.sum()
    return generator.dirichlet(alpha, size=draws)


def _pool_sensitivity(
    pool: Pool,
    active: np.ndarray,
    index_input: IndexInput,
    rule: SelectionRule,
    priorities: Mapping[str, int],
    base_values: np.ndarray,
    scenarios: dict[str, np.ndarray],
) -> list[AreaSensitivity]:
    """Return the analysis of the pool's eligible areas `active`, in that order."""
    base_ranks = rank_values(base_values)
    family_bounds = {}
    for family, values in scenarios.items():
        ranks = rank_values(values)
        family_bounds[family] = (
            np.fmin.reduce(ranks, axis=1, initial=np.nan),
            np.fmax.reduce(ranks, axis=1, initial=np.nan),
        )
    lowest = np.fmin.reduce([base_ranks[:, 0], *(low for low, _high in family_bounds.values())])
    highest = np.fmax.reduce([base_ranks[:, 0], *(high for _low, high in family_bounds.values())])
    rank_min, rank_max = _integers(lowest), _integers(highest)
    family_intervals = {
        family: (_integers(low), _integers(high)) for family, (low, high) in family_bounds.items()
    }

    selected = frequency = normalisation_flips = None
    if pool.kind == SUBURB:
        identifiers = [index_input.identifiers[pool.rows[position]] for position in active]
        base_selected = rule.select_columns(base_values, identifiers, priorities)
        chosen = [
            rule.select_columns(values, identifiers, priorities)
            for family, values in scenarios.items()
            if family != NORMALISATION
        ]
        count = int(base_selected.sum()) if rule.method == THRESHOLD else None
        swapped = rule.select_columns(
            scenarios[NORMALISATION], identifiers, priorities, count=count
        )
        total = sum(selection.shape[1] for selection in [*chosen, swapped])
        hits = sum(selection.sum(axis=1) for selection in [*chosen, swapped])
        frequency = hits / total if total else np.zeros(len(active))
        selected = base_selected[:, 0]
        normalisation_flips = (swapped != base_selected).any(axis=1)

    areas = []
    for position in range(len(active)):
        flags = []
        area_frequency = None
        area_selected = None
        if frequency is not None:
            area_frequency = float(frequency[position])
            area_selected = bool(selected[position])
            flags = selection_flags(area_frequency, bool(normalisation_flips[position]))
        areas.append(
            AreaSensitivity(
                rank_min=rank_min[position],
                rank_max=rank_max[position],
                intervals={
                    family: _pair(low[position], high[position])
                    for family, (low, high) in family_intervals.items()
                },
                selected=area_selected,
                selection_frequency=area_frequency,
                flags=flags,
            )
        )
    return areas


def selection_flags(frequency: float, normalisation_flips: bool) -> list[str]:
    """Return a suburb's flags for its selection frequency and the normalisation swap."""
    flags = []
    if UNSTABLE_LOW < frequency < UNSTABLE_HIGH:
        flags.append(FLAG_UNSTABLE_SELECTION)
    if normalisation_flips:
        flags.append(FLAG_NORMALISATION_CHANGES_SELECTION)
    return flags


def _integers(ranks: np.ndarray) -> list[int | None]:
    return [None if math.isnan(rank) else int(rank) for rank in ranks.tolist()]


def _pair(low: int | None, high: int | None) -> tuple[int, int] | None:
    return None if low is None else (low, high)
