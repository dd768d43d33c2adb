"""Derived rates: formulas, values and the reasons a rate is missing."""

import csv
from pathlib import Path

import pytest
from django.utils import translation

from osallistu.areas import indicators, paavo

KUOPIO_PAAVO_FILE = Path(paavo.__file__).parent / "data" / "kuopio_paavo_2024.csv"
UNEMPLOYMENT = indicators.RATES_BY_CODE["unemployment"]


def test_unemployment_formula():
    assert UNEMPLOYMENT.formula == "pt_tyott / (pt_tyoll + pt_tyott)"


def test_basic_education_formula():
    assert indicators.RATES_BY_CODE["basic_education_only"].formula == "ko_perus / ko_ika18y"


def test_tertiary_education_formula():
    rate = indicators.RATES_BY_CODE["tertiary_education"]
    assert rate.formula == "(ko_al_kork + ko_yl_kork) / ko_ika18y"


def test_required_rates_exist():
    assert set(indicators.RATES_BY_CODE) >= {
        "unemployment",
        "basic_education_only",
        "tertiary_education",
        "lowest_income_class",
        "rental_housing",
        "single_person_households",
        "pensioners",
        "young_13_29",
        "children_0_12",
    }


def test_rate_inputs_are_columns_of_kuopio_file():
    with KUOPIO_PAAVO_FILE.open(encoding="utf-8") as file:
        header = set(next(csv.reader(file)))
    inputs = {code for rate in indicators.RATES for code in rate.fields}
    inputs |= {figure.field for figure in indicators.KEY_FIGURES}
    assert inputs <= header


def test_rate_value_computes_share():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": 688, "pt_tyoll": 5444})
    assert result.value == pytest.approx(688 / 6132)
    assert result.numerator == 688
    assert result.denominator == 6132
    assert result.percent == pytest.approx(11.2198, abs=1e-4)


def test_rate_with_several_numerator_fields():
    rate = indicators.RATES_BY_CODE["children_0_12"]
    values = {"he_0_2": 10, "he_3_6": 20, "he_7_12": 30, "he_vakiy": 600}
    assert indicators.rate_value(rate, values).value == pytest.approx(0.1)


def test_rate_with_missing_input_is_missing():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": None, "pt_tyoll": 5444})
    assert result.is_missing
    assert result.value is None
    assert result.missing_fields == ("pt_tyott",)


def test_rate_with_absent_input_is_missing():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": 5})
    assert result.is_missing
    assert result.missing_fields == ("pt_tyoll",)


def test_rate_with_zero_denominator_is_missing():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": 0, "pt_tyoll": 0})
    assert result.is_missing
    assert result.missing_fields == ()


def test_rate_with_zero_numerator_is_zero():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": 0, "pt_tyoll": 50})
    assert result.value == 0
    assert not result.is_missing


@pytest.mark.parametrize(
    ("reason", "fragment"),
    [
        (paavo.SUPPRESSED, "missing or protected"),
        (paavo.SMALL_AREA, "fewer than 30 inhabitants"),
        (paavo.ZERO_GROUP, "whole group"),
        (paavo.ZERO_AVERAGE, "average or median of 0"),
        (None, "not in the imported data"),
    ],
)
def test_missing_explanation_by_reason(reason, fragment):
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": None, "pt_tyoll": 10})
    reasons = {"pt_tyott": reason} if reason else {}
    with translation.override("en"):
        sentences = indicators.missing_explanations(result, reasons)
    assert len(sentences) == 1
    assert sentences[0].startswith("pt_tyott is ")
    assert fragment in sentences[0]


def test_missing_explanation_groups_fields_by_reason():
    rate = indicators.RATES_BY_CODE["children_0_12"]
    result = indicators.rate_value(rate, {"he_vakiy": 20})
    reasons = {"he_0_2": paavo.SMALL_AREA, "he_3_6": paavo.SMALL_AREA}
    with translation.override("en"):
        sentences = indicators.missing_explanations(result, reasons)
    assert sentences == [
        "he_0_2, he_3_6 are protected because the area has fewer than 30 inhabitants.",
        "he_7_12 is not in the imported data.",
    ]


def test_missing_explanation_of_zero_denominator():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": 0, "pt_tyoll": 0})
    with translation.override("en"):
        sentences = indicators.missing_explanations(result, {})
    assert sentences == ["The denominator (pt_tyoll + pt_tyott) is 0."]


def test_present_rate_has_no_explanation():
    result = indicators.rate_value(UNEMPLOYMENT, {"pt_tyott": 1, "pt_tyoll": 9})
    assert indicators.missing_explanations(result, {}) == []
