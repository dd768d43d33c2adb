"""Indicators derived from Paavo values: rates with their formulas, and key figures.

Plain Python apart from gettext_lazy for the names, so that the formulas can be read and tested
alone. A rate is a share between 0 and 1: the sum of its numerator fields divided by the sum of its
denominator fields. It is missing when any input is missing or the denominator is 0.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import paavo

Number = int | float


@dataclass(frozen=True)
class Rate:
    """A share computed from Paavo fields, such as the unemployment rate."""

    code: str
    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]

    @property
    def formula(self) -> str:
        """Return the formula in Paavo codes, such as `pt_tyott / (pt_tyoll + pt_tyott)`."""
        return f"{_sum_expression(self.numerator)} / {_sum_expression(self.denominator)}"

    @property
    def fields(self) -> tuple[str, ...]:
        """Return every input field once, numerator fields first."""
        return tuple(dict.fromkeys(self.numerator + self.denominator))


@dataclass(frozen=True)
class KeyFigure:
    """A Paavo value shown as it is, such as the population."""

    code: str
    name: str
    field: str
    unit: str


@dataclass(frozen=True)
class RateValue:
    """A rate computed for one postal area, with the figures it came from."""

    rate: Rate
    value: float | None
    numerator: Number | None
    denominator: Number | None
    # Inputs that are missing from the record, in formula order.
    missing_fields: tuple[str, ...]

    @property
    def is_missing(self) -> bool:
        return self.value is None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else self.value * 100


RATES: tuple[Rate, ...] = (
    Rate(
        code="unemployment",
        name=_("Unemployment rate"),
        numerator=("pt_tyott",),
        denominator=("pt_tyoll", "pt_tyott"),
    ),
    Rate(
        code="basic_education_only",
        name=_("Residents aged 18 or over with basic education only"),
        numerator=("ko_perus",),
        denominator=("ko_ika18y",),
    ),
    Rate(
        code="tertiary_education",
        name=_("Residents aged 18 or over with tertiary education"),
        numerator=("ko_al_kork", "ko_yl_kork"),
        denominator=("ko_ika18y",),
    ),
    Rate(
        code="lowest_income_class",
        name=_("Residents aged 18 or over in the lowest income class"),
        numerator=("hr_pi_tul",),
        denominator=("hr_tuy",),
    ),
    Rate(
        code="rental_housing",
        name=_("Households living in rented dwellings"),
        numerator=("te_vuok_as",),
        denominator=("te_taly",),
    ),
    Rate(
        code="single_person_households",
        name=_("Single-person households"),
        numerator=("te_yks",),
        denominator=("te_taly",),
    ),
    Rate(
        code="pensioners",
        name=_("Pensioners among residents"),
        numerator=("pt_elakel",),
        denominator=("pt_vakiy",),
    ),
    Rate(
        code="young_13_29",
        name=_("Residents aged 13–29"),
        numerator=("he_13_15", "he_16_17", "he_18_19", "he_20_24", "he_25_29"),
        denominator=("he_vakiy",),
    ),
    Rate(
        code="children_0_12",
        name=_("Children aged 0–12"),
        numerator=("he_0_2", "he_3_6", "he_7_12"),
        denominator=("he_vakiy",),
    ),
)
RATES_BY_CODE = {rate.code: rate for rate in RATES}

KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure(code="population", name=_("Population"), field="he_vakiy", unit=_("inhabitants")),
    KeyFigure(code="mean_age", name=_("Mean age"), field="he_kika", unit=_("years")),
    KeyFigure(
        code="median_income",
        name=_("Median income of residents aged 18 or over"),
        field="hr_mtu",
        unit=_("euros a year"),
    ),
)

# Explanations of missing inputs for the area pages, by the reasons of osallistu.areas.paavo.
# Each sentence names every input that is missing for that reason.
MISSING_INPUT_EXPLANATIONS = {
    paavo.SUPPRESSED: ngettext_lazy(
        "%(fields)s is missing or protected in the source data.",
        "%(fields)s are missing or protected in the source data.",
        "count",
    ),
    paavo.SMALL_AREA: ngettext_lazy(
        "%(fields)s is protected because the area has fewer than %(limit)d inhabitants.",
        "%(fields)s are protected because the area has fewer than %(limit)d inhabitants.",
        "count",
    ),
    paavo.ZERO_GROUP: ngettext_lazy(
        "%(fields)s is treated as protected because Statistics Finland gives its whole group as "
        "0 although the area has inhabitants.",
        "%(fields)s are treated as protected because Statistics Finland gives their whole group "
        "as 0 although the area has inhabitants.",
        "count",
    ),
    paavo.ZERO_AVERAGE: ngettext_lazy(
        "%(fields)s is treated as protected because an average or median of 0 means that "
        "Statistics Finland has withheld it.",
        "%(fields)s are treated as protected because an average or median of 0 means that "
        "Statistics Finland has withheld them.",
        "count",
    ),
}
ABSENT_INPUT_EXPLANATION = ngettext_lazy(
    "%(fields)s is not in the imported data.", "%(fields)s are not in the imported data.", "count"
)
ZERO_DENOMINATOR_EXPLANATION = _("The denominator %(denominator)s is 0.")


def rate_value(rate: Rate, values: Mapping[str, Number | None]) -> RateValue:
    """Compute `rate` from one record's values; the value is None where it is missing."""
    missing = tuple(code for code in rate.fields if values.get(code) is None)
    numerator = _sum(rate.numerator, values)
    denominator = _sum(rate.denominator, values)
    if missing or not denominator:
        value = None
    else:
        value = numerator / denominator
    return RateValue(
        rate=rate,
        value=value,
        numerator=numerator,
        denominator=denominator,
        missing_fields=missing,
    )


def rate_values(values: Mapping[str, Number | None]) -> list[RateValue]:
    """Compute every rate of RATES from one record's values."""
    return [rate_value(rate, values) for rate in RATES]


def missing_explanations(result: RateValue, missing_reasons: Mapping[str, str]) -> list[str]:
    """Return one sentence for each reason why `result` is missing, in the active language.

    `missing_reasons` is the record's map from Paavo code to a reason of osallistu.areas.paavo.
    A missing input that has no stored reason was not in the imported file.
    """
    sentences = missing_input_explanations(result.missing_fields, missing_reasons)
    if not result.missing_fields and result.denominator == 0:
        sentences.append(
            str(ZERO_DENOMINATOR_EXPLANATION)
            % {"denominator": _sum_expression(result.rate.denominator)}
        )
    return sentences


def missing_input_explanations(
    codes: Iterable[str], missing_reasons: Mapping[str, str]
) -> list[str]:
    """Return why the Paavo values `codes` are missing: one sentence a reason, in input order."""
    codes_by_reason: dict[str | None, list[str]] = {}
    for code in codes:
        codes_by_reason.setdefault(missing_reasons.get(code), []).append(code)
    sentences = []
    for reason, reason_codes in codes_by_reason.items():
        message = MISSING_INPUT_EXPLANATIONS.get(reason, ABSENT_INPUT_EXPLANATION)
        params = {
            "fields": ", ".join(reason_codes),
            "count": len(reason_codes),
            "limit": paavo.SMALL_AREA_LIMIT,
        }
        sentences.append(message % params)
    return sentences


def _sum(codes: tuple[str, ...], values: Mapping[str, Number | None]) -> Number | None:
    terms = [values.get(code) for code in codes]
    if any(term is None for term in terms):
        return None
    return sum(terms)


def _sum_expression(codes: tuple[str, ...]) -> str:
    expression = " + ".join(codes)
    return f"({expression})" if len(codes) > 1 else expression
