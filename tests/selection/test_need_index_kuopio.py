"""Check the need index on Kuopio's Paavo 2024 data against an independent computation.

The expected values are computed here with the csv and statistics modules and plain loops,
straight from the shipped CSV file, without the product's Paavo parser, aggregation or engine.

Stated configuration: four domains with equal weights, and equal indicator weights within each
domain:

- employment: unemployment = pt_tyott / (pt_tyoll + pt_tyott);
- education: basic_education_only = ko_perus / ko_ika18y, and tertiary_education =
  (ko_al_kork + ko_yl_kork) / ko_ika18y, where a lower value means more need;
- income: lowest_income_class = hr_pi_tul / hr_tuy, and median_income = hr_mtu, where a lower
  value means more need;
- housing: rental_housing = te_vuok_as / te_taly, and single_person_households = te_yks / te_taly.

Every suburb of the shipped mapping lies in one postal area, so a suburb's values are its postal
area's values. Suburbs and postal areas are ranked separately.
"""

import csv
import math
import statistics
from pathlib import Path

import pytest

from osallistu.areas.services import kuopio_reference_data_load
from osallistu.selection import inputs, need_index

pytestmark = pytest.mark.django_db

CSV_FILE = (
    Path(__file__).resolve().parents[2] / "osallistu" / "areas" / "data" / "kuopio_paavo_2024.csv"
)

# Suburb slug -> postal code, as the shipped suburb mapping places them.
SUBURB_POSTAL_CODES = {
    "neulamaki": "70150",
    "puijonlaakso": "70200",
    "julkula": "70260",
    "lansi-puijo": "70280",
    "linnanpelto": "70300",
    "inkilanmaki": "70340",
    "kettulanlahti": "70400",
    "paivaranta": "70420",
    "saarijarvi": "70460",
    "mannisto": "70500",
    "niirala": "70600",
    "huuhanmaki": "70600",
    "haapaniemi": "70620",
    "sarkiniemi": "70700",
    "jynkka": "70780",
    "pitkalahti": "70800",
    "pieni-neulamaki": "70800",
    "petonen": "70820",
    "litmanen": "70820",
    "hiltulanlahti": "70870",
    "jannevirta": "70940",
}

DOMAINS = {
    "employment": ["unemployment"],
    "education": ["basic_education_only", "tertiary_education"],
    "income": ["lowest_income_class", "median_income"],
    "housing": ["rental_housing", "single_person_households"],
}
LOWER_IS_MORE_NEED = {"tertiary_education", "median_income"}
TE_FIELDS_EXCEPT_TOTAL = [
    "te_takk",
    "te_as_valj",
    "te_yks",
    "te_nuor",
    "te_eil_np",
    "te_laps",
    "te_plap",
    "te_aklap",
    "te_klap",
    "te_teini",
    "te_yhlap",
    "te_aik",
    "te_elak",
    "te_omis_as",
    "te_vuok_as",
    "te_muu_as",
]


def read_areas() -> dict[str, dict]:
    """Return postal code -> {"population", "indicators": code -> value or None}."""
    areas = {}
    with CSV_FILE.open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            number = {
                key: float(value)
                for key, value in row.items()
                if key.startswith(("he_", "ko_", "hr_", "te_", "pt_"))
            }
            population = number["he_vakiy"]
            # Paavo writes protected values as 0: an inhabited area whose TE fields are all 0
            # has its household figures protected, so the housing rates are missing.
            te_protected = population > 0 and all(
                number[key] == 0 for key in TE_FIELDS_EXCEPT_TOTAL
            )
            values = {
                "unemployment": ratio(number["pt_tyott"], number["pt_tyoll"] + number["pt_tyott"]),
                "basic_education_only": ratio(number["ko_perus"], number["ko_ika18y"]),
                "tertiary_education": ratio(
                    number["ko_al_kork"] + number["ko_yl_kork"], number["ko_ika18y"]
                ),
                "lowest_income_class": ratio(number["hr_pi_tul"], number["hr_tuy"]),
                # A median income of 0 means a withheld value.
                "median_income": number["hr_mtu"] or None,
                "rental_housing": None
                if te_protected
                else ratio(number["te_vuok_as"], number["te_taly"]),
                "single_person_households": None
                if te_protected
                else ratio(number["te_yks"], number["te_taly"]),
            }
            areas[row["postinumeroalue"]] = {"population": population, "indicators": values}
    return areas


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def expected_index(areas: dict[str, dict], min_population: int, normalisation: str) -> dict:
    """Return identifier -> (value, rank, set of flags) computed by hand for one pool."""
    eligible = [code for code, area in areas.items() if area["population"] >= min_population]
    normalised = {code: {} for code in eligible}
    for indicators in DOMAINS.values():
        for indicator in indicators:
            present = [
                code for code in eligible if areas[code]["indicators"][indicator] is not None
            ]
            oriented = {}
            for code in present:
                value = areas[code]["indicators"][indicator]
                oriented[code] = -value if indicator in LOWER_IS_MORE_NEED else value
            for code in present:
                if normalisation == "robust_z":
                    normalised[code][indicator] = robust_z(oriented[code], list(oriented.values()))
                else:
                    normalised[code][indicator] = percentile(
                        oriented[code], list(oriented.values())
                    )

    domain_scores = {code: {} for code in eligible}
    flags = {code: set() for code in areas}
    for domain, indicators in DOMAINS.items():
        for code in eligible:
            available = [normalised[code][i] for i in indicators if i in normalised[code]]
            missing = len(indicators) - len(available)
            if missing * 3 > len(indicators):
                flags[code].add(f"domain_left_out:{domain}")
                continue
            domain_scores[code][domain] = statistics.fmean(available)
        if normalisation == "exponential":
            members = [code for code in eligible if domain in domain_scores[code]]
            raw = [domain_scores[code][domain] for code in members]
            for code in members:
                r = average_rank(domain_scores[code][domain], raw) / len(raw)
                domain_scores[code][domain] = -23 * math.log(1 - r * (1 - math.exp(-100 / 23)))

    values = {}
    for code in areas:
        if code not in domain_scores:
            flags[code].add("small_population")
        elif domain_scores[code]:
            values[code] = statistics.fmean(domain_scores[code].values())
        else:
            flags[code].add("no_domain_data")
    expected = {}
    for code in areas:
        if code not in values:
            expected[code] = (None, None, flags[code])
            continue
        rounded = round(values[code], 10)
        rank = 1 + sum(1 for other in values.values() if round(other, 10) > rounded)
        expected[code] = (values[code], rank, flags[code])
    return expected


def percentile(value: float, values: list[float]) -> float:
    return 100 * (average_rank(value, values) - 0.5) / len(values)


def average_rank(value: float, values: list[float]) -> float:
    below = sum(1 for other in values if other < value)
    equal = sum(1 for other in values if other == value)
    return below + (equal + 1) / 2


def robust_z(value: float, values: list[float]) -> float:
    median = statistics.median(values)
    mad = statistics.median([abs(other - median) for other in values])
    return (value - median) / (1.4826 * mad)


def suburb_areas(areas: dict[str, dict]) -> dict[str, dict]:
    return {slug: areas[postal_code] for slug, postal_code in SUBURB_POSTAL_CODES.items()}


@pytest.fixture
def kuopio_data(db):
    kuopio_reference_data_load()


def configuration(min_population: int, normalisation: str) -> need_index.IndexConfiguration:
    return need_index.IndexConfiguration(
        domains=tuple(
            need_index.DomainSpec(
                code=domain,
                weight=1.0,
                indicators=tuple(need_index.IndicatorWeight(code, 1.0) for code in indicators),
            )
            for domain, indicators in DOMAINS.items()
        ),
        normalisation=normalisation,
        min_population=min_population,
        statistics_year=2024,
    )


def computed(min_population: int, normalisation: str) -> dict[tuple[str, str], tuple]:
    config = configuration(min_population, normalisation)
    result = need_index.compute_index(inputs.index_input(2024, configuration=config), config)
    return {
        (area.kind, area.identifier): (area.value, area.rank, set(area.flags))
        for area in result.areas
    }


def assert_matches(actual: dict, kind: str, expected: dict) -> None:
    for identifier, (value, rank, flags) in expected.items():
        got_value, got_rank, got_flags = actual[(kind, identifier)]
        assert got_rank == rank, identifier
        assert got_flags == flags, identifier
        if value is None:
            assert got_value is None, identifier
        else:
            assert got_value == pytest.approx(value, abs=1e-9), identifier


@pytest.mark.parametrize("normalisation", ["percentile", "robust_z", "exponential"])
def test_kuopio_ranking_matches_hand_computation(kuopio_data, normalisation):
    areas = read_areas()
    actual = computed(500, normalisation)

    assert_matches(actual, "postal_area", expected_index(areas, 500, normalisation))
    assert_matches(actual, "suburb", expected_index(suburb_areas(areas), 500, normalisation))


def test_kuopio_areas_under_500_left_out(kuopio_data):
    areas = read_areas()
    actual = computed(500, "percentile")

    small = {code for code, area in areas.items() if area["population"] < 500}
    assert len(small) == 29
    for code in small:
        assert actual[("postal_area", code)] == (None, None, {"small_population"})
    ranked = [key for key, (_value, rank, _flags) in actual.items() if rank is not None]
    assert len([key for key in ranked if key[0] == "postal_area"]) == 65 - 29
    assert len([key for key in ranked if key[0] == "suburb"]) == 21


def test_kuopio_missing_domain_left_out(kuopio_data):
    """With a limit of 40 inhabitants, two areas with protected household data are ranked."""
    areas = read_areas()
    actual = computed(40, "percentile")

    for code in ("70210", "71745"):
        _value, rank, flags = actual[("postal_area", code)]
        assert flags == {"domain_left_out:housing"}
        assert rank is not None
    assert_matches(actual, "postal_area", expected_index(areas, 40, "percentile"))
