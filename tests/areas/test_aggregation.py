"""Suburb and municipality values from postal areas, on the real Kuopio Paavo 2024 data."""

import pytest
from django.core.management import call_command

from osallistu.areas import aggregation
from osallistu.areas.aggregation import Cell
from osallistu.areas.models import (
    Indicator,
    IndicatorValue,
    InvestmentProject,
    PaavoRecord,
    PostalArea,
    Suburb,
)
from osallistu.areas.services import indicator_catalogue_ensure, kuopio_reference_data_load

pytestmark = pytest.mark.django_db

CODES = ["unemployment", "median_income", "lowest_income_class", "building_age", "population"]


@pytest.fixture
def kuopio():
    kuopio_reference_data_load()


def paavo(code: str) -> dict:
    return PaavoRecord.objects.get(postal_area__code=code, statistics_year=2024).values


def test_single_area_suburb_has_the_postal_area_rate(kuopio):
    matrix = aggregation.indicator_matrix(2024, CODES)

    values = paavo("70150")
    neulamaki = matrix.suburb("neulamaki")
    assert neulamaki.postal_codes == ("70150",)
    assert neulamaki.population == values["he_vakiy"]
    assert neulamaki.cell("unemployment").value == pytest.approx(
        100 * values["pt_tyott"] / (values["pt_tyoll"] + values["pt_tyott"])
    )
    assert neulamaki.cell("median_income").value == values["hr_mtu"]
    assert neulamaki.cell("building_age").status == "missing"
    assert neulamaki.values(["unemployment", "building_age"])[1] is None


def test_suburb_of_several_areas_sums_numerators_and_denominators(kuopio):
    suburb = Suburb.objects.get(slug="jynkka")
    suburb.postal_areas.add(PostalArea.objects.get(code="70150"))

    cell = aggregation.suburb_value(suburb, "unemployment", 2024)

    a, b = paavo("70780"), paavo("70150")
    unemployed = a["pt_tyott"] + b["pt_tyott"]
    labour_force = a["pt_tyoll"] + a["pt_tyott"] + b["pt_tyoll"] + b["pt_tyott"]
    assert (cell.numerator, cell.denominator) == (unemployed, labour_force)
    assert cell.value == pytest.approx(100 * unemployed / labour_force)
    mean_of_rates = 50 * (
        a["pt_tyott"] / (a["pt_tyoll"] + a["pt_tyott"])
        + b["pt_tyott"] / (b["pt_tyoll"] + b["pt_tyott"])
    )
    assert cell.value != pytest.approx(mean_of_rates)


def test_suppressed_part_makes_the_suburb_value_suppressed(kuopio):
    suburb = Suburb.objects.get(slug="jynkka")
    # 71610 Salonkulma has 3 inhabitants; its median income is protected.
    suburb.postal_areas.add(PostalArea.objects.get(code="71610"))

    cell = aggregation.suburb_value(suburb, "median_income", 2024)

    assert (cell.value, cell.status, cell.missing_parts) == (None, "suppressed", ("71610",))


def test_suburb_without_postal_areas_is_missing(kuopio):
    suburb = Suburb.objects.create(name="Rypysuo", slug="rypysuo")

    assert aggregation.suburb_value(suburb, "unemployment", 2024).status == "missing"


def test_municipality_total_sums_every_postal_area(kuopio):
    cell = aggregation.municipality_value("unemployment", 2024)

    records = PaavoRecord.objects.filter(statistics_year=2024, postal_area__municipality_code="297")
    usable = [r.values for r in records if r.values.get("pt_tyott") is not None]
    usable = [v for v in usable if v.get("pt_tyoll") is not None]
    assert cell.numerator == sum(v["pt_tyott"] for v in usable)
    assert cell.denominator == sum(v["pt_tyoll"] + v["pt_tyott"] for v in usable)
    assert aggregation.municipality_value("population", 2024).value == sum(
        r.values["he_vakiy"] for r in records
    )


def test_stored_municipality_row_wins(kuopio):
    indicator = Indicator.objects.get(code="unemployment")
    IndicatorValue.objects.create(
        indicator=indicator, municipality_code="297", statistics_year=2024, value=11.0
    )

    assert aggregation.municipality_value("unemployment", 2024).value == 11.0


def test_matrix_lists_candidates_and_context_areas(kuopio, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        matrix = aggregation.indicator_matrix(2024, CODES)

    assert len(matrix.suburbs) == 21
    assert all(row.is_candidate for row in matrix.suburbs)
    assert len(matrix.postal_areas) == 65
    assert not any(row.is_candidate for row in matrix.postal_areas)
    centre = matrix.postal_area("70100")
    assert not centre.in_suburb
    assert centre.cell("unemployment").value is not None
    assert matrix.postal_area("70150").in_suburb
    assert matrix.indicators["median_income"].direction == "lower"


def test_matrix_rejects_unknown_codes(kuopio):
    with pytest.raises(ValueError, match="no_such_code"):
        aggregation.indicator_matrix(2024, ["no_such_code"])


def test_postal_areas_outside_suburbs(kuopio):
    outside = set(aggregation.postal_areas_outside_suburbs().values_list("code", flat=True))

    assert {"70100", "70110", "70840", "71610", "73830"} <= outside
    assert not outside & {"70150", "70600", "70820"}
    mapped = set(PostalArea.objects.filter(suburbs__isnull=False).values_list("code", flat=True))
    assert len(outside) + len(mapped) == 65


def test_combine_sums_of_a_sum_indicator():
    indicator = Indicator(code="x", aggregation=Indicator.Aggregation.SUM)
    parts = [("1", Cell(value=2.0)), ("2", Cell(value=None, status="missing"))]

    assert aggregation.combine(indicator, parts, strict=False).value == 2.0
    assert aggregation.combine(indicator, parts, strict=True).value is None


def test_combine_ratio_without_numerators():
    indicator = Indicator(code="x", aggregation=Indicator.Aggregation.RATIO, scale=1)
    parts = [("1", Cell(value=40.0)), ("2", Cell(value=50.0))]

    assert aggregation.combine(indicator, parts, strict=True).status == "missing"
    assert aggregation.combine(indicator, parts[:1], strict=True).value == 40.0


def test_demo_loads_indicators_values_and_example_investments():
    call_command("load_demo")
    counts = (IndicatorValue.objects.count(), InvestmentProject.objects.count())
    call_command("load_demo")

    assert (IndicatorValue.objects.count(), InvestmentProject.objects.count()) == counts
    assert counts[0] > 0
    assert InvestmentProject.objects.filter(is_example=True).count() == 3
    assert set(indicator_catalogue_ensure()) >= {"building_age", "repair_backlog", "sotkanet_5"}
