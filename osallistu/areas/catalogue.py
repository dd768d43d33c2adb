"""The indicator catalogue: domains and indicators that the need index and the data pages use.

Plain data. `services.indicator_catalogue_ensure()` writes it to IndicatorDomain and Indicator,
so that every importer and the demo find the same codes. Paavo-derived indicators name the Paavo
fields they come from; the Paavo importer computes their values per postal area, keeping the
numerator and the denominator so that suburbs are recomputed from sums.
"""

from dataclasses import dataclass

PAAVO_SOURCE = "Tilastokeskus, Paavo – postinumeroalueittainen avoin tieto"
SOTKANET_SOURCE = "THL / Sotkanet"
CITY_SOURCE = "Kuopion kaupunki"
CC_BY_4 = "CC BY 4.0"

RATIO = "ratio"
SUM = "sum"
HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True)
class Domain:
    code: str
    name_fi: str
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the catalogue.

    For a Paavo-derived ratio, `numerator` and `denominator` list Paavo fields that are summed;
    `weight` makes the indicator a weighted mean of one Paavo field (`numerator` is then that
    field times the weight). A SUM indicator reads its value from the single `numerator` field.
    """

    code: str
    domain: str
    name_fi: str
    name_sv: str
    name_en: str
    unit: str
    direction: str
    source: str
    licence: str
    formula: str
    aggregation: str = RATIO
    scale: float = 1.0
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    weight: str = ""

    @property
    def is_paavo(self) -> bool:
        return self.source == PAAVO_SOURCE


DOMAINS: tuple[Domain, ...] = (
    Domain("population", "Väestö", "Befolkning", "Population"),
    Domain("income", "Tulot", "Inkomster", "Income"),
    Domain("employment", "Työllisyys", "Sysselsättning", "Employment"),
    Domain("education", "Koulutus", "Utbildning", "Education"),
    Domain("housing", "Asuminen", "Boende", "Housing"),
    Domain("families", "Perheet", "Familjer", "Families"),
    Domain("social_assistance", "Toimeentulo", "Utkomst", "Social assistance"),
    Domain(
        "infrastructure",
        "Infrastruktuurin kunto",
        "Infrastrukturens skick",
        "Infrastructure condition",
    ),
)


def _sum(codes) -> str:
    """Return a sum of Paavo codes, bracketed when it has several terms."""
    return codes[0] if len(codes) == 1 else f"({' + '.join(codes)})"


def _paavo(code, domain, names, unit, direction, numerator, denominator, scale=100.0, weight=""):
    name_fi, name_sv, name_en = names
    if weight:
        formula = f"{numerator[0]} weighted by {weight}"
    else:
        formula = f"{scale:g} × {_sum(numerator)} / {_sum(denominator)}"
    return IndicatorSpec(
        code=code,
        domain=domain,
        name_fi=name_fi,
        name_sv=name_sv,
        name_en=name_en,
        unit=unit,
        direction=direction,
        source=PAAVO_SOURCE,
        licence=CC_BY_4,
        formula=formula,
        scale=scale,
        numerator=numerator,
        denominator=denominator,
        weight=weight,
    )


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="population",
        domain="population",
        name_fi="Asukasluku",
        name_sv="Invånarantal",
        name_en="Population",
        unit="asukasta",
        direction=HIGHER,
        source=PAAVO_SOURCE,
        licence=CC_BY_4,
        formula="he_vakiy",
        aggregation=SUM,
        numerator=("he_vakiy",),
    ),
    _paavo(
        "children_0_12",
        "population",
        ("0–12-vuotiaat lapset", "Barn 0–12 år", "Children aged 0–12"),
        "%",
        HIGHER,
        ("he_0_2", "he_3_6", "he_7_12"),
        ("he_vakiy",),
    ),
    _paavo(
        "young_13_29",
        "population",
        ("13–29-vuotiaat", "Invånare 13–29 år", "Residents aged 13–29"),
        "%",
        HIGHER,
        ("he_13_15", "he_16_17", "he_18_19", "he_20_24", "he_25_29"),
        ("he_vakiy",),
    ),
    _paavo(
        "pensioners",
        "population",
        ("Eläkeläiset", "Pensionärer", "Pensioners among residents"),
        "%",
        HIGHER,
        ("pt_elakel",),
        ("pt_vakiy",),
    ),
    _paavo(
        "lowest_income_class",
        "income",
        (
            "Alimpaan tuloluokkaan kuuluvat 18 vuotta täyttäneet",
            "Personer över 18 år i den lägsta inkomstklassen",
            "Residents aged 18 or over in the lowest income class",
        ),
        "%",
        HIGHER,
        ("hr_pi_tul",),
        ("hr_tuy",),
    ),
    _paavo(
        "mean_income",
        "income",
        (
            "18 vuotta täyttäneiden keskitulot",
            "Medelinkomst för personer över 18 år",
            "Mean income of residents aged 18 or over",
        ),
        "€/v",
        LOWER,
        ("hr_ovy",),
        ("hr_tuy",),
        scale=1.0,
    ),
    _paavo(
        "median_income",
        "income",
        (
            "18 vuotta täyttäneiden mediaanitulot",
            "Medianinkomst för personer över 18 år",
            "Median income of residents aged 18 or over",
        ),
        "€/v",
        LOWER,
        ("hr_mtu",),
        ("hr_tuy",),
        scale=1.0,
        weight="hr_tuy",
    ),
    _paavo(
        "unemployment",
        "employment",
        ("Työttömyysaste", "Arbetslöshetsgrad", "Unemployment rate"),
        "%",
        HIGHER,
        ("pt_tyott",),
        ("pt_tyoll", "pt_tyott"),
    ),
    _paavo(
        "basic_education_only",
        "education",
        (
            "Vain perusasteen koulutus, 18 vuotta täyttäneet",
            "Endast grundläggande utbildning, personer över 18 år",
            "Residents aged 18 or over with basic education only",
        ),
        "%",
        HIGHER,
        ("ko_perus",),
        ("ko_ika18y",),
    ),
    _paavo(
        "tertiary_education",
        "education",
        (
            "Korkea-asteen koulutus, 18 vuotta täyttäneet",
            "Högre utbildning, personer över 18 år",
            "Residents aged 18 or over with tertiary education",
        ),
        "%",
        LOWER,
        ("ko_al_kork", "ko_yl_kork"),
        ("ko_ika18y",),
    ),
    _paavo(
        "rental_housing",
        "housing",
        (
            "Vuokra-asunnoissa asuvat taloudet",
            "Hushåll i hyresbostäder",
            "Households living in rented dwellings",
        ),
        "%",
        HIGHER,
        ("te_vuok_as",),
        ("te_taly",),
    ),
    _paavo(
        "single_person_households",
        "housing",
        ("Yksinasuvien taloudet", "Enpersonshushåll", "Single-person households"),
        "%",
        HIGHER,
        ("te_yks",),
        ("te_taly",),
    ),
    _paavo(
        "single_parent_families",
        "families",
        (
            "Yhden vanhemman lapsitaloudet",
            "Barnhushåll med en förälder",
            "Single-parent households among households with children",
        ),
        "%",
        HIGHER,
        ("te_yhlap",),
        ("te_laps",),
    ),
    IndicatorSpec(
        code="sotkanet_5",
        domain="social_assistance",
        name_fi="Toimeentulotukea saaneet 25–64-vuotiaat, % vastaavanikäisestä väestöstä",
        name_sv="Personer 25–64 år som fått utkomststöd, % av befolkningen i samma ålder",
        name_en="Recipients of social assistance aged 25–64, % of the population of that age",
        unit="%",
        direction=HIGHER,
        source=SOTKANET_SOURCE + " (5)",
        licence=CC_BY_4,
        formula="Sotkanet indicator 5",
    ),
    IndicatorSpec(
        code="building_age",
        domain="infrastructure",
        name_fi="Rakennusten keski-ikä",
        name_sv="Byggnadernas medelålder",
        name_en="Mean age of buildings",
        unit="v",
        direction=HIGHER,
        source=CITY_SOURCE,
        licence=CC_BY_4,
        formula="sum(building age × floor area) / sum(floor area)",
    ),
    IndicatorSpec(
        code="repair_backlog",
        domain="infrastructure",
        name_fi="Korjausvelka",
        name_sv="Reparationsskuld",
        name_en="Repair backlog",
        unit="€",
        direction=HIGHER,
        source=CITY_SOURCE,
        licence=CC_BY_4,
        formula="sum of the repair backlog of streets, parks and public buildings",
        aggregation=SUM,
    ),
)
INDICATORS_BY_CODE = {spec.code: spec for spec in INDICATORS}
PAAVO_INDICATORS = tuple(spec for spec in INDICATORS if spec.is_paavo)
# Sotkanet indicator ids and the catalogue codes that carry them.
SOTKANET_CODES = {5: "sotkanet_5"}
POPULATION_CODE = "population"
