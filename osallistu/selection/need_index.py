"""Compute the composite need index (tarveindeksi) of suburbs and postal areas.

Pure numpy with no database access, so that the method can be read, tested and benchmarked alone.
osallistu.selection.inputs builds an IndexInput from the database and docs/need-index.md explains
the method for staff.

The steps, for each kind of area (suburbs and postal areas form separate pools, so a suburb is
ranked among suburbs and a postal area among postal areas):

1. Areas with a population under `min_population` (or no population) get the flag
   `small_population` and take no further part: they do not shape the normalisation and get no
   value or rank.
2. Each indicator is oriented so that a higher value means more need: values of an indicator
   with direction `lower` (median income, tertiary education) are multiplied by -1.
3. An indicator missing in every eligible area of the pool is dropped for that pool
   (`IndexResult.dropped_indicators`) and does not count as missing for rule 4.
4. An area missing more than a third of a domain's indicators is left out of that domain and
   gets the flag `domain_left_out:<domain>`. Otherwise its domain score is the weighted mean of
   its available normalised indicators, with the weights of the missing ones removed.
5. The index is the weighted mean of the area's domain scores over the domains it takes part in.
   An area left out of every domain gets the flag `no_domain_data` and no rank.
6. Rank 1 is the most need. Equal values (to 10 decimals) share the lowest rank of their group,
   so the ranks of 0.9, 0.7, 0.7, 0.5 are 1, 2, 2, 4.

Normalisations of step 4, computed per indicator among the pool's eligible areas with a value:

- `percentile`: 100 * (r - 0.5) / n, where r is the indicator's ascending rank with ties given
  their average rank and n the number of values.
- `robust_z`: (x - median) / (1.4826 * MAD). Where the MAD is 0 the scale is 1.2533 times the
  mean absolute deviation from the median, and where that is 0 too every score is 0.
- `exponential`: the transform of the English Indices of Deprivation. Domain scores are first
  computed from percentile-normalised indicators, then ranked ascending among the areas in the
  domain with ties at their average rank r, scaled to R = r / n, and transformed to
  X = -23 ln(1 - R (1 - exp(-100 / 23))), so the area with most need scores 100.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PERCENTILE = "percentile"
ROBUST_Z = "robust_z"
EXPONENTIAL = "exponential"
NORMALISATIONS = (PERCENTILE, ROBUST_Z, EXPONENTIAL)

SUBURB = "suburb"
POSTAL_AREA = "postal_area"
KINDS = (SUBURB, POSTAL_AREA)

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

DEFAULT_MIN_POPULATION = 500

FLAG_SMALL_POPULATION = "small_population"
FLAG_NO_DOMAIN_DATA = "no_domain_data"
FLAG_DOMAIN_LEFT_OUT = "domain_left_out"
# Flags of the sensitivity analysis (osallistu.selection.sensitivity).
FLAG_UNSTABLE_SELECTION = "unstable_selection"
FLAG_NORMALISATION_CHANGES_SELECTION = "normalisation_changes_selection"


def gettext_noop(message: str) -> str:
    """Mark `message` for translation; callers translate it when they show the error."""
    return message


# Staff-facing explanations of the flag codes; flag_label() translates them.
FLAG_MESSAGES = {
    FLAG_SMALL_POPULATION: gettext_noop(
        "Left out: fewer inhabitants than the minimum population of the index."
    ),
    FLAG_NO_DOMAIN_DATA: gettext_noop("Left out: too many indicator values are missing."),
    FLAG_DOMAIN_LEFT_OUT: gettext_noop(
        "Left out of the domain %(domain)s: more than a third of its indicator values are missing."
    ),
    FLAG_UNSTABLE_SELECTION: gettext_noop(
        "Selection is uncertain: the suburb is selected in more than 10 %% and less than 90 %% "
        "of the sensitivity scenarios."
    ),
    FLAG_NORMALISATION_CHANGES_SELECTION: gettext_noop(
        "Selection depends on the method: another normalisation changes whether the suburb is "
        "selected."
    ),
}

# Consistency constant that makes the MAD estimate the standard deviation of normal data.
_MAD_SCALE = 1.4826
# sqrt(pi / 2): makes the mean absolute deviation estimate the standard deviation of normal data.
_MEAN_AD_SCALE = 1.253314
# Index values are rounded to this many decimals before ranking, so that sums that differ only
# in floating-point rounding count as ties.
RANK_DECIMALS = 10
_EXPONENTIAL_CONSTANT = 1 - math.exp(-100 / 23)


def flag_label(flag: str, domain_names: Mapping[str, str] | None = None) -> str:
    """Return the explanation of a flag code in the active language; unknown codes unchanged.

    `domain_names` maps domain codes to the names shown in place of the code. This is the one
    function of the module that imports Django.
    """
    from django.utils.translation import gettext

    code, _separator, domain = flag.partition(":")
    message = FLAG_MESSAGES.get(code)
    if message is None:
        return flag
    # Every message is formatted, so that "%%" becomes "%" in messages without placeholders.
    return gettext(message) % {"domain": (domain_names or {}).get(domain, domain)}


class ConfigurationError(ValueError):
    """An invalid index configuration.

    `message` is an English msgid with %-placeholders and `params` fills them, so that callers can
    translate the message before formatting it. str() gives the English text.
    """

    def __init__(self, message: str, **params):
        self.message = message
        self.params = params
        super().__init__(message % params)


@dataclass(frozen=True)
class IndicatorWeight:
    """An indicator of a domain and its weight within the domain."""

    code: str
    weight: float = 1.0


@dataclass(frozen=True)
class DomainSpec:
    """A domain of the index: its weight and its weighted indicators."""

    code: str
    indicators: tuple[IndicatorWeight, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class IndexConfiguration:
    """Domains, weights, normalisation and population limit of one need index.

    Weights need not sum to 1; each level is divided by its sum. A weight of 0 leaves the
    indicator or domain out.
    """

    domains: tuple[DomainSpec, ...]
    normalisation: str = PERCENTILE
    min_population: int = DEFAULT_MIN_POPULATION
    statistics_year: int | None = None

    def __post_init__(self):
        _validate(self)

    @property
    def indicator_codes(self) -> list[str]:
        """Return the codes of every indicator, in domain order."""
        return [indicator.code for domain in self.domains for indicator in domain.indicators]

    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as a JSON-serialisable dict that from_dict() reads back."""
        return {
            "domains": [
                {
                    "code": domain.code,
                    "weight": domain.weight,
                    "indicators": [
                        {"code": indicator.code, "weight": indicator.weight}
                        for indicator in domain.indicators
                    ],
                }
                for domain in self.domains
            ],
            "normalisation": self.normalisation,
            "min_population": self.min_population,
            "statistics_year": self.statistics_year,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "IndexConfiguration":
        """Build a configuration from to_dict() output; raise ConfigurationError if invalid."""
        try:
            domains = tuple(
                DomainSpec(
                    code=str(domain["code"]),
                    weight=float(domain.get("weight", 1.0)),
                    indicators=tuple(
                        IndicatorWeight(
                            code=str(indicator["code"]),
                            weight=float(indicator.get("weight", 1.0)),
                        )
                        for indicator in domain["indicators"]
                    ),
                )
                for domain in data["domains"]
            )
            min_population = int(data.get("min_population", DEFAULT_MIN_POPULATION))
            year = data.get("statistics_year")
            statistics_year = None if year is None else int(year)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ConfigurationError(
                gettext_noop("The index configuration is malformed: %(error)s"), error=str(error)
            ) from None
        return cls(
            domains=domains,
            normalisation=str(data.get("normalisation", PERCENTILE)),
            min_population=min_population,
            statistics_year=statistics_year,
        )


def _validate(configuration: IndexConfiguration) -> None:
    if configuration.normalisation not in NORMALISATIONS:
        raise ConfigurationError(
            gettext_noop("Unknown normalisation %(normalisation)s; use one of %(choices)s."),
            normalisation=configuration.normalisation,
            choices=", ".join(NORMALISATIONS),
        )
    if configuration.min_population < 0:
        raise ConfigurationError(gettext_noop("The minimum population must not be negative."))
    if not configuration.domains:
        raise ConfigurationError(gettext_noop("The index configuration has no domains."))
    seen: set[str] = set()
    for domain in configuration.domains:
        if not domain.indicators:
            raise ConfigurationError(
                gettext_noop("Domain %(domain)s has no indicators."), domain=domain.code
            )
        for weight in [domain.weight, *(indicator.weight for indicator in domain.indicators)]:
            if not math.isfinite(weight) or weight < 0:
                raise ConfigurationError(
                    gettext_noop("Weights must be finite numbers of 0 or more (%(domain)s)."),
                    domain=domain.code,
                )
        if not any(indicator.weight > 0 for indicator in domain.indicators):
            raise ConfigurationError(
                gettext_noop("Domain %(domain)s has no indicator with a positive weight."),
                domain=domain.code,
            )
        for indicator in domain.indicators:
            if indicator.code in seen:
                raise ConfigurationError(
                    gettext_noop("Indicator %(indicator)s appears more than once."),
                    indicator=indicator.code,
                )
            seen.add(indicator.code)
    if not any(domain.weight > 0 for domain in configuration.domains):
        raise ConfigurationError(gettext_noop("No domain has a positive weight."))


# Default domains and their indicators, by the codes of the indicator catalogue
# (osallistu/areas/catalogue.py), which also sets each indicator's direction.
DEFAULT_DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("employment", ("unemployment",)),
    ("education", ("basic_education_only", "tertiary_education")),
    ("income", ("lowest_income_class", "median_income")),
    ("housing", ("rental_housing", "single_person_households")),
)


def default_configuration(statistics_year: int | None = None) -> IndexConfiguration:
    """Return the default configuration: equal weights for every domain and indicator."""
    return IndexConfiguration(
        domains=tuple(
            DomainSpec(code=code, indicators=tuple(IndicatorWeight(c) for c in codes))
            for code, codes in DEFAULT_DOMAINS
        ),
        statistics_year=statistics_year,
    )


@dataclass
class IndexInput:
    """The areas to rank and their indicator values.

    `values[i, j]` is indicator `indicator_codes[j]` of area i, NaN where missing. `population`
    is NaN where unknown. `directions` maps indicator codes to `higher` or `lower`; a code not in
    it is read as `higher`. `details` contains one JSON-serialisable dict per area that the engine
    carries along unread (the data layer's numerators, denominators and statuses).
    """

    kinds: Sequence[str]
    identifiers: Sequence[str]
    names: Sequence[str]
    population: np.ndarray
    indicator_codes: Sequence[str]
    values: np.ndarray
    directions: Mapping[str, str] = field(default_factory=dict)
    statistics_year: int | None = None
    details: Sequence[Mapping[str, Any]] | None = None

    def __post_init__(self):
        self.population = np.asarray(self.population, dtype=float)
        self.values = np.asarray(self.values, dtype=float).reshape(
            len(self.identifiers), len(self.indicator_codes)
        )
        if not len(self.kinds) == len(self.names) == len(self.population) == len(self.values):
            raise ValueError("kinds, identifiers, names, population and values differ in length")
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown area kinds: {sorted(unknown)}")

    def __len__(self) -> int:
        return len(self.identifiers)

    def to_dict(self) -> dict[str, Any]:
        """Return the input as a JSON-serialisable dict, None for NaN, that from_dict() reads."""
        return {
            "statistics_year": self.statistics_year,
            "indicator_codes": list(self.indicator_codes),
            "directions": dict(self.directions),
            "areas": [
                {
                    "kind": self.kinds[row],
                    "identifier": self.identifiers[row],
                    "name": self.names[row],
                    "population": _json_number(self.population[row]),
                    "values": [_json_number(value) for value in self.values[row]],
                    "details": dict(self.details[row]) if self.details else {},
                }
                for row in range(len(self))
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "IndexInput":
        """Build an input from to_dict() output."""
        areas = data["areas"]
        codes = list(data["indicator_codes"])
        return cls(
            kinds=[area["kind"] for area in areas],
            identifiers=[area["identifier"] for area in areas],
            names=[area["name"] for area in areas],
            population=np.array([_nan(area["population"]) for area in areas], dtype=float),
            indicator_codes=codes,
            values=np.array(
                [[_nan(value) for value in area["values"]] for area in areas], dtype=float
            ).reshape(len(areas), len(codes)),
            directions=dict(data.get("directions", {})),
            statistics_year=data.get("statistics_year"),
            details=[area.get("details", {}) for area in areas],
        )


def _json_number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


@dataclass
class AreaScore:
    """One area's place in the index.

    `value` and `rank` are None for an area that is not ranked, and `flags` then gives the reason.
    `rank` counts among areas of the same kind. `domain_scores` contains only the domains the area
    takes part in.
    """

    kind: str
    identifier: str
    name: str
    population: float | None
    value: float | None
    rank: int | None
    domain_scores: dict[str, float]
    missing_indicators: list[str]
    flags: list[str]
    # Domains the area is left out of for missing data: {"domain", "missing", "total"} each.
    left_out: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_ranked(self) -> bool:
        return self.rank is not None


@dataclass
class IndexResult:
    """Every area's score, in input order, with what the computation dropped."""

    configuration: IndexConfiguration
    areas: list[AreaScore]
    # Indicators missing in every eligible area, by kind of area.
    dropped_indicators: dict[str, list[str]]

    def of_kind(self, kind: str) -> list[AreaScore]:
        """Return the areas of `kind`, ranked ones first by rank, then the rest by identifier."""
        areas = [area for area in self.areas if area.kind == kind]
        return sorted(areas, key=_rank_order)


def _rank_order(area: AreaScore) -> tuple:
    return (area.rank is None, area.rank or 0, area.identifier)


# Engine: prepared arrays for one pool of areas, shared by compute_index() and the sensitivity
# analysis, which evaluates many weight vectors at once.


@dataclass
class Pool:
    """One kind of area, prepared for scoring.

    `oriented` has every indicator of the configuration as a column (NaN where missing or
    dropped) with `lower` indicators multiplied by -1. `eligible` marks areas at or above the
    population limit.
    """

    kind: str
    rows: np.ndarray
    eligible: np.ndarray
    oriented: np.ndarray
    indicator_codes: list[str]
    # Domain index of each indicator column.
    indicator_domain: np.ndarray
    domain_codes: list[str]
    dropped: np.ndarray
    _normalised: dict[str, np.ndarray] = field(default_factory=dict)

    def normalised(self, normalisation: str) -> np.ndarray:
        """Return the indicators normalised for `normalisation`, cached, NaN where missing."""
        base = PERCENTILE if normalisation == EXPONENTIAL else normalisation
        if base not in self._normalised:
            matrix = np.full(self.oriented.shape, np.nan)
            for column in range(self.oriented.shape[1]):
                values = self.oriented[:, column]
                present = self.eligible & ~np.isnan(values)
                if present.any():
                    if base == PERCENTILE:
                        matrix[present, column] = percentile_scores(values[present])
                    else:
                        matrix[present, column] = robust_z_scores(values[present])
            self._normalised[base] = matrix
        return self._normalised[base]

    def domain_membership(self, included: np.ndarray) -> np.ndarray:
        """Return which areas take part in each domain, as an areas x domains boolean array.

        `included` marks the indicator columns in use. An area takes part in a domain when at
        most a third of the domain's included indicators are missing, and it is eligible.
        """
        available = ~np.isnan(self.oriented)
        membership = np.zeros((len(self.rows), len(self.domain_codes)), dtype=bool)
        for domain in range(len(self.domain_codes)):
            columns = included & (self.indicator_domain == domain)
            total = int(columns.sum())
            if total == 0:
                continue
            missing = total - available[:, columns].sum(axis=1)
            membership[:, domain] = self.eligible & (3 * missing <= total)
        return membership


def prepare_pools(index_input: IndexInput, configuration: IndexConfiguration) -> list[Pool]:
    """Split `index_input` into one Pool per kind of area present, in KINDS order."""
    codes = configuration.indicator_codes
    position = {code: column for column, code in enumerate(index_input.indicator_codes)}
    columns = np.full((len(index_input), len(codes)), np.nan)
    for column, code in enumerate(codes):
        if code in position:
            columns[:, column] = index_input.values[:, position[code]]
        sign = -1.0 if index_input.directions.get(code, HIGHER) == LOWER else 1.0
        columns[:, column] *= sign
    indicator_domain = np.array(
        [d for d, domain in enumerate(configuration.domains) for _ in domain.indicators], dtype=int
    )
    population = index_input.population
    with np.errstate(invalid="ignore"):
        eligible = ~np.isnan(population) & (population >= configuration.min_population)
    kinds = np.asarray(index_input.kinds)
    pools = []
    for kind in KINDS:
        rows = np.flatnonzero(kinds == kind)
        if not len(rows):
            continue
        oriented = columns[rows]
        pool_eligible = eligible[rows]
        # A pool without eligible areas ranks nothing, so it drops no indicator either.
        dropped = np.isnan(oriented[pool_eligible]).all(axis=0) & pool_eligible.any()
        oriented = oriented.copy()
        oriented[:, dropped] = np.nan
        pools.append(
            Pool(
                kind=kind,
                rows=rows,
                eligible=pool_eligible,
                oriented=oriented,
                indicator_codes=list(codes),
                indicator_domain=indicator_domain,
                domain_codes=[domain.code for domain in configuration.domains],
                dropped=dropped,
            )
        )
    return pools


def score_pool(
    pool: Pool,
    normalisation: str,
    indicator_weights: np.ndarray,
    domain_weights: np.ndarray,
    included: np.ndarray | None = None,
    *,
    rows: np.ndarray | None = None,
    with_domain_scores: bool = True,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Score a pool under K weight vectors at once.

    `indicator_weights` is K x indicators and `domain_weights` K x domains. `included` marks the
    indicator columns in use (default: all with a positive weight in the first row that were not
    dropped). `rows` limits the scoring to those positions of the pool; the exponential transform
    then ranks among them only, so pass only rows that cover every eligible area. Return the
    index values (areas x K, NaN for unranked areas) and, unless `with_domain_scores` is False,
    the domain scores (domains x areas x K, NaN where the area is left out of the domain).
    """
    indicator_weights = np.atleast_2d(indicator_weights)
    domain_weights = np.atleast_2d(domain_weights)
    if included is None:
        included = indicator_weights[0] > 0
    included = included & ~pool.dropped
    normalised = pool.normalised(normalisation)
    membership = pool.domain_membership(included)
    if rows is not None:
        normalised = normalised[rows]
        membership = membership[rows]
    available = ~np.isnan(normalised)
    filled = np.where(available, normalised, 0.0)
    areas, draws = normalised.shape[0], indicator_weights.shape[0]
    domain_scores = None
    if with_domain_scores:
        domain_scores = np.full((len(pool.domain_codes), areas, draws), np.nan)
    total = np.zeros((areas, draws))
    taking_part = np.zeros(membership.shape)
    for domain in range(len(pool.domain_codes)):
        columns = included & (pool.indicator_domain == domain)
        if not columns.any():
            continue
        member = membership[:, domain]
        taking_part[:, domain] = member
        weights = indicator_weights[:, columns].T  # indicators x K
        # Masking the areas x indicators inputs, not the areas x K results, keeps this cheap:
        # a non-member gets numerator 0 and denominator 1, so its score is 0.
        numerator = (filled[:, columns] * member[:, None]) @ weights
        denominator = (available[:, columns] & member[:, None]).astype(float) @ weights
        denominator += ~member[:, None]
        score = np.divide(numerator, denominator, out=numerator, where=denominator > 0)
        if normalisation == EXPONENTIAL:
            transformed = exponential_transform(np.where(member[:, None], score, np.nan))
            score = np.where(member[:, None], transformed, 0.0)
        if domain_scores is not None:
            domain_scores[domain] = np.where(member[:, None], score, np.nan)
        score *= domain_weights[:, domain]
        total += score
    weight_sum = taking_part @ domain_weights.T
    values = np.divide(total, weight_sum, out=np.full_like(total, np.nan), where=weight_sum > 0)
    return values, domain_scores


def exponential_transform(scores: np.ndarray) -> np.ndarray:
    """Apply the exponential transform to each column of `scores` (areas x K), NaN kept.

    Each column is ranked ascending with ties at their average rank r; R = r / n over the n
    non-missing values, and X = -23 ln(1 - R (1 - exp(-100 / 23))).
    """
    ranks = rank_columns(scores, ascending=True, ties="average")
    counts = (~np.isnan(scores)).sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = ranks / counts
        return -23.0 * np.log(1.0 - scaled * _EXPONENTIAL_CONSTANT)


def percentile_scores(values: np.ndarray) -> np.ndarray:
    """Return 100 * (r - 0.5) / n for 1-D `values` without NaN, r the average ascending rank."""
    ranks = rank_columns(values[:, None], ascending=True, ties="average")[:, 0]
    return 100.0 * (ranks - 0.5) / len(values)


def robust_z_scores(values: np.ndarray) -> np.ndarray:
    """Return robust z-scores of 1-D `values` without NaN; see the module docstring."""
    median = np.median(values)
    deviations = np.abs(values - median)
    scale = _MAD_SCALE * np.median(deviations)
    if scale == 0:
        scale = _MEAN_AD_SCALE * deviations.mean()
    if scale == 0:
        return np.zeros(len(values))
    return (values - median) / scale


def rank_columns(matrix: np.ndarray, *, ascending: bool, ties: str) -> np.ndarray:
    """Rank each column of `matrix` (areas x K) from 1, NaN last and ranked NaN.

    `ties` is `min` (a group of equal values shares its lowest rank) or `average`.
    """
    matrix = np.asarray(matrix, dtype=float)
    # Work on K x areas in C order, because sorting along the last axis is contiguous and much
    # faster than along axis 0.
    missing = np.isnan(matrix).T.copy()
    keys = np.array(matrix.T if ascending else -matrix.T, order="C", copy=True)
    keys[missing] = np.inf
    order = np.argsort(keys, axis=1)
    ordered = np.take_along_axis(keys, order, axis=1)
    count = keys.shape[1]
    positions = np.arange(count)
    starts_group = np.ones(ordered.shape, dtype=bool)
    starts_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    group_start = np.maximum.accumulate(np.where(starts_group, positions, 0), axis=1)
    if ties == "average":
        ends_group = np.ones(ordered.shape, dtype=bool)
        ends_group[:, :-1] = starts_group[:, 1:]
        flipped = np.where(ends_group, positions, count)[:, ::-1]
        group_end = np.minimum.accumulate(flipped, axis=1)[:, ::-1]
        sorted_ranks = (group_start + group_end) / 2.0 + 1.0
    else:
        sorted_ranks = group_start + 1.0
    ranks = np.empty(keys.shape)
    np.put_along_axis(ranks, order, sorted_ranks, axis=1)
    ranks[missing] = np.nan
    return ranks.T


def rank_values(values: np.ndarray) -> np.ndarray:
    """Rank index values (areas x K): 1 is the most need, equal values share the lowest rank."""
    return rank_columns(np.round(values, RANK_DECIMALS), ascending=False, ties="min")


def base_weights(configuration: IndexConfiguration) -> tuple[np.ndarray, np.ndarray]:
    """Return the configured indicator weights and domain weights as 1-D arrays."""
    indicator_weights = np.array(
        [indicator.weight for domain in configuration.domains for indicator in domain.indicators]
    )
    domain_weights = np.array([domain.weight for domain in configuration.domains])
    return indicator_weights, domain_weights


def compute_index(index_input: IndexInput, configuration: IndexConfiguration) -> IndexResult:
    """Compute the need index of every area of `index_input` under `configuration`."""
    indicator_weights, domain_weights = base_weights(configuration)
    areas: list[AreaScore | None] = [None] * len(index_input)
    dropped_indicators: dict[str, list[str]] = {}
    for pool in prepare_pools(index_input, configuration):
        values, domain_scores = score_pool(
            pool, configuration.normalisation, indicator_weights, domain_weights
        )
        ranks = rank_values(values)[:, 0]
        dropped_indicators[pool.kind] = [
            code
            for code, dropped in zip(pool.indicator_codes, pool.dropped, strict=True)
            if dropped
        ]
        included = (indicator_weights > 0) & ~pool.dropped
        # Plain lists, because reading numpy scalars one by one is slow for 3 000 areas.
        facts = _PoolFacts(
            pool=pool,
            present=(~np.isnan(pool.oriented)).tolist(),
            membership=pool.domain_membership(included).tolist(),
            used_columns=[column for column in range(len(included)) if included[column]],
            domain_columns=[
                np.flatnonzero(included & (pool.indicator_domain == domain)).tolist()
                if configuration.domains[domain].weight > 0
                else []
                for domain in range(len(pool.domain_codes))
            ],
        )
        value_list = values[:, 0].tolist()
        rank_list = ranks.tolist()
        score_rows = domain_scores[:, :, 0].T.tolist()
        for position, row in enumerate(pool.rows.tolist()):
            areas[row] = _area_score(
                index_input,
                facts,
                row,
                position,
                value=value_list[position],
                rank=rank_list[position],
                domain_scores=score_rows[position],
            )
    return IndexResult(
        configuration=configuration, areas=list(areas), dropped_indicators=dropped_indicators
    )


@dataclass
class _PoolFacts:
    pool: Pool
    present: list[list[bool]]
    membership: list[list[bool]]
    used_columns: list[int]
    # Included columns of each domain with a positive weight; empty for other domains.
    domain_columns: list[list[int]]


def _area_score(
    index_input: IndexInput,
    facts: _PoolFacts,
    row: int,
    position: int,
    *,
    value: float,
    rank: float,
    domain_scores: list[float],
) -> AreaScore:
    pool = facts.pool
    present = facts.present[position]
    population = float(index_input.population[row])
    flags = []
    missing = [pool.indicator_codes[column] for column in facts.used_columns if not present[column]]
    left_out = []
    if not pool.eligible[position]:
        flags.append(FLAG_SMALL_POPULATION)
    else:
        for domain, code in enumerate(pool.domain_codes):
            columns = facts.domain_columns[domain]
            if columns and not facts.membership[position][domain]:
                flags.append(f"{FLAG_DOMAIN_LEFT_OUT}:{code}")
                missing_count = sum(1 for column in columns if not present[column])
                left_out.append({"domain": code, "missing": missing_count, "total": len(columns)})
        if math.isnan(value):
            flags.append(FLAG_NO_DOMAIN_DATA)
    ranked = not math.isnan(value)
    return AreaScore(
        kind=pool.kind,
        identifier=index_input.identifiers[row],
        name=index_input.names[row],
        population=None if math.isnan(population) else population,
        value=value if ranked else None,
        rank=int(rank) if ranked else None,
        domain_scores={
            code: score
            for code, score in zip(pool.domain_codes, domain_scores, strict=True)
            if not math.isnan(score)
        },
        missing_indicators=missing,
        flags=flags,
        left_out=left_out,
    )
