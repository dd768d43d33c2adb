"""Situational picture pages: pooled numbers, missing values, years, map and privacy."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.accounts.models import RoleAssignment
from osallistu.areas import picture
from osallistu.events.models import Event
from osallistu.participation.models import Process

from .picture_support import (
    add_area_value,
    add_municipality_value,
    add_theme,
    choose,
    make_indicator,
    make_suburb,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def suburb():
    return make_suburb()


@pytest.fixture
def chosen(suburb):
    choose(suburb)
    return suburb


@pytest.fixture
def unemployment(suburb):
    """Area rates 10 % and 30 %: their mean is 20 %, the pooled rate 100 / 400 = 25 %."""
    indicator = make_indicator()
    add_area_value(indicator, "70901", 2024, 10, 100)
    add_area_value(indicator, "70902", 2024, 90, 300)
    add_municipality_value(indicator, 2024, 1200, 10000)
    return indicator


def page_url(suburb, language="fi"):
    with translation.override(language):
        return reverse("areas:suburb_picture", args=[suburb.slug])


def list_url():
    return reverse("areas:suburb_list")


def test_suburb_rate_pooled_from_sums(client, chosen, unemployment):
    item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.suburb.value == pytest.approx(25.0)
    assert item.suburb.is_pooled
    assert item.suburb.numerator == 100
    assert item.suburb.denominator == 400
    assert item.municipality.value == pytest.approx(12.0)


def test_page_shows_pooled_not_mean(client, chosen, unemployment):
    with translation.override("en"):
        html = client.get(page_url(chosen, "en")).content.decode()

    assert "25.0 %" in html
    assert "20.0 %" not in html
    assert "12.0 %" in html
    assert "computed from the sums of its postal areas: 100 divided by 400." in html


def test_municipality_total_pooled_without_row(client, chosen):
    indicator = make_indicator()
    add_area_value(indicator, "70901", 2024, 10, 100)
    add_area_value(indicator, "70902", 2024, 90, 300)
    other = picture.PostalArea.objects.create(code="70903", name="Muu", municipality_code="297")
    picture.IndicatorValue.objects.create(
        indicator=indicator,
        postal_area=other,
        statistics_year=2024,
        value=50.0,
        numerator=300,
        denominator=600,
    )

    item = picture.suburb_picture(chosen.slug).indicators[0]

    # (10 + 90 + 300) / (100 + 300 + 600), not the mean of 10 %, 30 % and 50 %.
    assert item.municipality.value == pytest.approx(40.0)


def test_suppressed_area_makes_suburb_missing(client, chosen):
    indicator = make_indicator()
    add_area_value(indicator, "70901", 2024, 10, 100)
    add_area_value(indicator, "70902", 2024, None, None, status="suppressed")
    add_municipality_value(indicator, 2024, 1200, 10000)

    item = picture.suburb_picture(chosen.slug).indicators[0]
    with translation.override("en"):
        html = client.get(page_url(chosen, "en")).content.decode()

    assert item.suburb.value is None
    assert item.suburb.status == "suppressed"
    assert "0.0 %" not in html
    assert "missing" in html


def test_missing_area_row_is_missing(client, chosen):
    indicator = make_indicator()
    add_area_value(indicator, "70901", 2024, 10, 100)
    add_area_value(indicator, "70902", 2024, None, None, status="missing")

    item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.suburb.value is None
    assert item.suburb_values == [None]
    assert item.comparison.rows[0][1] == item.suburb_value_text


def test_absent_area_row_is_missing(client, chosen):
    indicator = make_indicator()
    add_area_value(indicator, "70901", 2024, 10, 100)

    item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.suburb.value is None
    assert "70902" in item.suburb.reason


def test_single_year_sentence(client, chosen, unemployment):
    with translation.override("en"):
        html = client.get(page_url(chosen, "en")).content.decode()

    assert "The numbers are from one statistics year, 2024." in html
    assert "by statistics year" not in html


def test_trend_when_several_years(client, chosen, unemployment):
    add_area_value(unemployment, "70901", 2023, 20, 100)
    add_area_value(unemployment, "70902", 2023, 60, 300)
    add_municipality_value(unemployment, 2023, 1300, 10000)

    item = picture.suburb_picture(chosen.slug).indicators[0]
    with translation.override("en"):
        html = client.get(page_url(chosen, "en")).content.decode()

    assert item.years == [2023, 2024]
    assert item.suburb_values == [pytest.approx(20.0), pytest.approx(25.0)]
    assert item.has_trend
    assert "by statistics year" in html
    assert "The numbers are from one statistics year" not in html


def test_sotkanet_years_make_trend(client, chosen, unemployment):
    add_municipality_value(unemployment, 2022, 1400, 10000)

    with translation.override("en"):
        item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.years == [2022, 2024]
    assert item.suburb_values == [None, pytest.approx(25.0)]
    assert item.municipality_values == [pytest.approx(14.0), pytest.approx(12.0)]
    assert item.trend is not None
    assert item.trend.rows[0] == ("2022", "missing", "14.0 %")


def test_charts_have_text_alternative_and_table(client, chosen, unemployment):
    html = client.get(page_url(chosen)).content.decode()

    assert html.count('role="img"') == 2
    assert '<desc id="indicator-unemployment-comparison-desc">' in html
    assert "<details>" in html
    assert 'pattern id="indicator-unemployment-comparison-hatch"' in html


def test_no_external_host_without_tiles(client, chosen, unemployment, settings):
    settings.OSALLISTU_MAP_TILE_URL = ""
    html = client.get(page_url(chosen)).content.decode()

    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    external = [url for url in references if re.match(r"(?:https?:)?//", url)]
    assert references
    assert external == []
    assert "<image" not in html


def test_tile_layer_opt_in(client, chosen, settings):
    settings.OSALLISTU_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.OSALLISTU_MAP_TILE_ATTRIBUTION = "© Tile contributors"

    html = client.get(page_url(chosen)).content.decode()

    assert re.search(r'<image href="https://tiles\.example\.org/\d+/\d+/\d+\.png"', html)
    assert "© Tile contributors" in html


def test_development_data_notice(client, chosen):
    html = client.get(page_url(chosen)).content.decode()

    assert 'class="development-data"' in html
    assert "kehitysaineisto" in html.lower()


def test_no_notice_for_production_geometry(client):
    suburb = make_suburb(development_data=False)
    choose(suburb)

    html = client.get(page_url(suburb)).content.decode()

    assert 'class="development-data"' not in html
    assert "kehitysaineisto" not in html.lower()
    assert 'role="img"' in html


def test_not_chosen_is_404(client, suburb):
    assert client.get(page_url(suburb)).status_code == 404


def test_not_chosen_loads_no_numbers(client, suburb, django_assert_max_num_queries):
    make_indicator()

    # The suburb and the chosen check only, plus one spare for the 404 page.
    with django_assert_max_num_queries(3):
        response = client.get(page_url(suburb))

    assert response.status_code == 404


def test_draft_round_is_not_public(client, suburb):
    selection_round = choose(suburb)
    selection_round.status = "draft"
    selection_round.save()

    assert client.get(page_url(suburb)).status_code == 404


def test_unknown_suburb_is_404(client, chosen):
    assert client.get(reverse("areas:suburb_picture", args=["ei-ole"])).status_code == 404


def test_staff_preview_not_chosen(client, suburb, django_user_model):
    coordinator = django_user_model.objects.create_user(email="k@example.org", password="x")
    RoleAssignment.objects.create(user=coordinator, role=RoleAssignment.Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.get(page_url(suburb))

    assert response.status_code == 200
    assert response.context["picture"].is_chosen is False
    assert b'name="robots" content="noindex"' in response.content


def test_themes_processes_events(client, chosen, today):
    add_theme(chosen, "Viheralueet", position=2)
    add_theme(chosen, "Liikenne", position=1)
    process = Process.objects.create(
        title="Testilän budjetointi", slug="testila-2026", kind="participatory_budgeting"
    )
    process.suburbs.add(chosen)
    now = timezone.now()
    Event.objects.create(
        kind="workshop",
        title="Työpaja Testilässä",
        slug="tyopaja",
        suburb=chosen,
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=2),
        place="Koulu",
    )
    Event.objects.create(
        kind="outreach",
        title="Mennyt tapahtuma",
        slug="mennyt",
        process=process,
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-2),
        place="Tori",
    )

    html = client.get(page_url(chosen)).content.decode()

    assert html.index("Liikenne") < html.index("Viheralueet")
    assert reverse("participation:process_detail", args=[process.slug]) in html
    assert "Työpaja Testilässä" in html
    assert "Mennyt tapahtuma" not in html


def test_list_shows_chosen_only(client, chosen):
    other = picture.Suburb.objects.create(name="Muualla", slug="muualla")

    html = client.get(list_url()).content.decode()

    assert page_url(chosen) in html
    assert page_url(other) not in html


def test_list_query_count(client, django_assert_max_num_queries):
    for index in range(5):
        suburb = picture.Suburb.objects.create(name=f"Lähiö {index}", slug=f"lahio-{index}")
        choose(suburb, year=2000 + index)

    # The chosen suburbs and their postal areas, and one spare for a site-wide context processor.
    with django_assert_max_num_queries(3):
        response = client.get(list_url())

    assert response.status_code == 200
    assert response.content.decode().count("/suburbs/lahio-") == 5


def test_picture_query_count(client, chosen, django_assert_max_num_queries):
    for code in ("a", "b", "c", "d"):
        indicator = make_indicator(code)
        for year in (2022, 2023, 2024):
            add_area_value(indicator, "70901", year, 10, 100)
            add_area_value(indicator, "70902", year, 90, 300)
            add_municipality_value(indicator, year, 1200, 10000)
    for position in range(5):
        add_theme(chosen, f"Teema {position}", position)

    # Ten queries for the page's data, the feedback counts included. A query for each indicator
    # or year would need far more.
    with django_assert_max_num_queries(10):
        response = client.get(page_url(chosen))

    assert response.status_code == 200
    assert len(response.context["picture"].indicators) == 4


def test_municipality_total_lists_left_out(client, chosen, unemployment):
    unemployment.values.filter(municipality_code="297").delete()
    other = picture.PostalArea.objects.create(code="70903", name="Pieni", municipality_code="297")
    picture.IndicatorValue.objects.create(
        indicator=unemployment,
        postal_area=other,
        statistics_year=2024,
        status="suppressed",
    )

    item = picture.suburb_picture(chosen.slug).indicators[0]

    # The municipality total skips the protected small area and names it.
    assert item.municipality.value == pytest.approx(25.0)
    assert "70903" in item.municipality.reason


def test_map_lists_postal_areas(client, chosen):
    response = client.get(page_url(chosen))
    area_map = response.context["picture"].area_map

    assert [area.code for area in area_map.areas] == ["70901", "70902"]
    assert "70901" in area_map.description
    assert area_map.svg in response.content.decode()


def test_population_summed_without_comparison(client, chosen):
    population = make_indicator("population")
    population.aggregation = "sum"
    population.unit = "asukasta"
    population.scale = 1.0
    population.save()
    for code, count in (("70901", 1200), ("70902", 800)):
        picture.IndicatorValue.objects.create(
            indicator=population,
            postal_area=picture.PostalArea.objects.get(code=code),
            statistics_year=2024,
            value=count,
        )

    item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.suburb.value == 2000
    assert item.municipality.value == 2000
    assert item.comparison is None
    assert item.explanations == []


def test_suburb_row_wins_over_areas(client, chosen, unemployment):
    picture.IndicatorValue.objects.create(
        indicator=unemployment,
        suburb=chosen,
        statistics_year=2024,
        value=31.0,
        numerator=31,
        denominator=100,
    )

    with translation.override("en"):
        item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.suburb.value == pytest.approx(31.0)
    assert item.suburb.is_pooled is False
    assert not any("sums of its postal areas" in sentence for sentence in item.explanations)


def test_municipality_only_indicator(client, chosen):
    sotkanet = make_indicator("sotkanet_5")
    add_municipality_value(sotkanet, 2022, 50, 1000)
    add_municipality_value(sotkanet, 2023, 60, 1000)

    with translation.override("en"):
        item = picture.suburb_picture(chosen.slug).indicators[0]

    assert item.suburb.value is None
    assert item.suburb.reason == "This number is only published for all of Kuopio."
    assert item.municipality_values == [pytest.approx(5.0), pytest.approx(6.0)]
    assert item.trend is not None


def test_one_year_note_beside_trend(client, chosen, unemployment):
    rental = make_indicator("rental_housing")
    for year in (2023, 2024):
        add_area_value(rental, "70901", year, 40, 100)
        add_area_value(rental, "70902", year, 60, 100)

    with translation.override("en"):
        html = client.get(page_url(chosen, "en")).content.decode()

    assert "Only one statistics year, 2024, is loaded for this number." in html
    assert "The numbers are from one statistics year" not in html


def test_indicator_name_in_language(client, chosen, unemployment):
    with translation.override("sv"):
        html = client.get(page_url(chosen, "sv")).content.decode()

    assert "Indikator unemployment" in html
    assert "Mittari unemployment" not in html


def test_large_values_without_decimals(client, chosen):
    income = make_indicator("mean_income", direction="lower")
    income.unit = "€/v"
    income.scale = 1.0
    income.save()
    for code, total, adults in (("70901", 3_040_210, 100), ("70902", 6_000_000, 200)):
        picture.IndicatorValue.objects.create(
            indicator=income,
            postal_area=picture.PostalArea.objects.get(code=code),
            statistics_year=2024,
            value=total / adults,
            numerator=total,
            denominator=adults,
        )

    with translation.override("en"):
        item = picture.suburb_picture(chosen.slug).indicators[0]

    # (3 040 210 + 6 000 000) / 300 = 30 134.03, not the mean 30 201.05 of the two areas.
    assert item.suburb_value_text == "30,134 €/v"


def test_format_number_rounds_half_up_not_down():
    from django.utils import translation

    from osallistu.areas.picture import format_number

    with translation.override("fi"):
        assert format_number(9.678019728270984, "%") == "9,7 %"
        assert format_number(18.96, "%") == "19,0 %"


def _sentences(indicator, municipality_figure):
    from django.utils import translation

    from osallistu.areas import picture

    with translation.override("en"):
        return picture._explanations(
            indicator,
            "Neulamäki",
            "Kuopio",
            picture.Figure(value=12.0),
            municipality_figure,
            lambda value: f"{value:.1f}",
        )


def test_population_domain_gets_no_need_sentence():
    from osallistu.areas.models import Indicator, IndicatorDomain
    from osallistu.areas.picture import Figure

    domain = IndicatorDomain(code="population", name_fi="Väestö", name_sv="x", name_en="x")
    indicator = Indicator(code="children_0_12", domain=domain, unit="%")

    sentences = _sentences(indicator, Figure(value=10.0))

    assert not any("needs support" in sentence for sentence in sentences)
    assert "In Neulamäki the number is higher than in all of Kuopio." in sentences


def test_partial_city_total_not_compared():
    from osallistu.areas.models import Indicator, IndicatorDomain
    from osallistu.areas.picture import Figure

    domain = IndicatorDomain(code="infrastructure", name_fi="x", name_sv="x", name_en="x")
    indicator = Indicator(code="building_age", domain=domain, unit="v")
    partial = Figure(value=12.0, reason="The total leaves out postal areas 70100, 70110.")

    sentences = _sentences(indicator, partial)

    assert not any("all of Kuopio" in sentence for sentence in sentences)
