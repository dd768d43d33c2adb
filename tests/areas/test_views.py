"""Area list and area pages: figures, formulas, source, maps and query counts."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import PaavoRecord, PostalArea, Suburb
from osallistu.areas.services import kuopio_reference_data_load, paavo_import
from tests.areas.conftest import SAMPLE

pytestmark = pytest.mark.django_db

SOURCE_EN = "Source: Statistics Finland, Paavo – open data by postal code area (CC BY 4.0)"


@pytest.fixture
def kuopio(db):
    kuopio_reference_data_load()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def url(name: str, *args, language: str = "fi") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def english(name: str, *args) -> str:
    return url(name, *args, language="en")


def test_list_shows_population_and_rates(client, kuopio):
    html = page(client, url("areas:list"))
    assert "Kuopio Keskus" in html
    assert "12\xa0729" in html  # Finnish thousands separator
    # 70100: pt_tyott 688 / (pt_tyoll 5444 + 688) = 11.2 %, with a Finnish decimal comma.
    assert "11,2" in html
    # 70100: ko_perus 1706 / ko_ika18y 11736 = 14.5 %.
    assert "14,5" in html


def test_list_shows_caption_source_and_year(client, kuopio):
    html = page(client, english("areas:list"))
    assert "<caption>" in html
    assert "statistics year 2024" in html
    assert SOURCE_EN in html
    assert "Statistics year 2024, Paavo release 2026." in html
    assert "pt_tyott / (pt_tyoll + pt_tyott)" in html


def test_list_has_one_h1_and_scoped_headers(client, kuopio):
    html = page(client, url("areas:list"))
    assert html.count("<h1") == 1
    assert "<th>" not in html
    assert '<th scope="row">' in html


def test_list_links_areas(client, kuopio):
    html = page(client, url("areas:list"))
    assert f'href="{url("areas:detail", "70150")}"' in html


def test_list_shows_suburbs(client, kuopio):
    html = page(client, url("areas:list"))
    assert "Huuhanmäki, Niirala" in html


def test_list_marks_area_without_data(client, kuopio):
    PostalArea.objects.create(code="70999", name="Uusi alue")
    html = page(client, english("areas:list"))
    row = re.search(r"<tr>\s*<td>70999</td>.*?</tr>", html, re.S).group(0)
    assert row.count("no data") == 3


def test_list_marks_missing_rate(client, kuopio):
    html = page(client, english("areas:list"))
    row = re.search(r"<tr>\s*<td>71610</td>.*?</tr>", html, re.S).group(0)
    assert row.count("missing") == 2


def test_list_without_areas(client, db):
    html = page(client, english("areas:list"))
    assert "No postal areas have been imported yet." in html


def test_list_shows_mixed_years(client, db):
    paavo_import(SAMPLE, statistics_year=2024, release_year=2026)
    PaavoRecord.objects.filter(postal_area__code="70100").update(statistics_year=2023)
    html = page(client, english("areas:list"))
    assert '<th scope="col" class="number">Statistics year</th>' in html
    assert "Statistics year 2024, Paavo release 2026." not in html


def test_list_uses_latest_year(client, db):
    paavo_import(SAMPLE, statistics_year=2023, release_year=2025)
    paavo_import(SAMPLE, statistics_year=2024, release_year=2026)
    PaavoRecord.objects.filter(statistics_year=2024, postal_area__code="70100").update(
        values={"he_vakiy": 4321}
    )
    html = page(client, url("areas:list"))
    assert "4\xa0321" in html
    assert "12\xa0729" not in html


def test_list_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    paavo_import(SAMPLE, statistics_year=2024, release_year=2026)
    with django_assert_max_num_queries(8) as few:
        page(client, url("areas:list"))
    kuopio_reference_data_load()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(client, url("areas:list"))
    assert html.count('<th scope="row">') == 65


def test_detail_shows_population_rates_and_formulas(client, kuopio):
    html = page(client, english("areas:detail", "70100"))
    assert "<h1>70100 Kuopio Keskus</h1>" in html
    assert "12,729" in html
    assert "Unemployment rate" in html
    assert "11.2" in html
    assert "pt_tyott / (pt_tyoll + pt_tyott)" in html
    assert "ko_perus / ko_ika18y" in html
    assert "(ko_al_kork + ko_yl_kork) / ko_ika18y" in html
    # Numerator and denominator of the unemployment rate.
    assert "688" in html
    assert "6,132" in html


def test_detail_in_finnish_uses_decimal_comma(client, kuopio):
    html = page(client, url("areas:detail", "70100"))
    assert "11,2" in html
    assert "6\xa0132" in html


def test_detail_shows_source_year_and_release(client, kuopio):
    html = page(client, english("areas:detail", "70100"))
    assert SOURCE_EN in html
    assert "statistics year 2024 (Paavo release 2026)" in html
    assert "Statistics year 2024, Paavo release 2026." in html


def test_detail_explains_missing_rate(client, kuopio):
    html = page(client, english("areas:detail", "71610"))
    assert "he_kika is protected because the area has fewer than 30 inhabitants." in html
    assert (
        "pt_tyott, pt_tyoll are treated as protected because Statistics Finland gives their "
        "whole group as 0"
    ) in html


def test_detail_explains_zero_denominator(client, db):
    paavo_import(SAMPLE, statistics_year=2024, release_year=2026)
    html = page(client, english("areas:detail", "70300"))
    assert "The denominator (pt_tyoll + pt_tyott) is 0." in html


def test_detail_lists_suburbs(client, kuopio):
    html = page(client, url("areas:detail", "70600"))
    assert "<li>Huuhanmäki</li>" in html
    assert "<li>Niirala</li>" in html


def test_detail_map_has_title_and_desc(client, kuopio):
    html = page(client, english("areas:detail", "70100"))
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="area-map-title area-map-desc"' in svg
    assert '<title id="area-map-title">Map of postal area 70100 Kuopio Keskus</title>' in svg
    assert '<desc id="area-map-desc">The postal area 70100 Kuopio Keskus is highlighted' in svg
    assert "Neighbouring postal areas: 70110 Etu-Niirala, " in svg


def test_detail_map_has_visible_text_alternative(client, kuopio):
    html = page(client, english("areas:detail", "70600"))
    caption = re.search(r"<figcaption>.*?</figcaption>", html, re.S).group(0)
    assert "The postal area 70600 Niirala-Huuhanmäki is highlighted" in caption
    assert "70620 Haapaniemi" in caption
    assert f'href="{english("areas:detail", "70620")}"' in caption


def test_detail_map_marks_development_data(client, kuopio):
    html = page(client, english("areas:detail", "70100"))
    notice = "Development data: the boundaries are simplified and not for production use."
    assert notice in re.search(r"<desc .*?</desc>", html, re.S).group(0)
    assert notice in re.search(r"<figcaption>.*?</figcaption>", html, re.S).group(0)


def test_detail_map_has_no_external_resources(client, kuopio):
    html = page(client, url("areas:detail", "70100"))
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert "href" not in svg
    assert "<script" not in html


def test_detail_escapes_area_name(client, db):
    PostalArea.objects.create(
        code="70999",
        name='<script>alert("x")</script>',
        geometry={
            "type": "Polygon",
            "coordinates": [[[27.6, 62.8], [27.7, 62.8], [27.7, 62.9], [27.6, 62.8]]],
        },
    )
    html = page(client, url("areas:detail", "70999"))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_detail_without_data_or_map(client, db):
    PostalArea.objects.create(code="70999", name="Uusi alue")
    html = page(client, english("areas:detail", "70999"))
    assert "No Paavo statistics have been imported for this postal area." in html
    assert "No boundary has been loaded for this postal area." in html
    assert "<svg" not in html


def test_detail_of_unknown_area_is_404(client, db):
    assert client.get(url("areas:detail", "99999")).status_code == 404


def test_detail_rejects_post(client, kuopio):
    assert client.post(url("areas:detail", "70100")).status_code == 405


def test_suburb_admin_edits_mapping(admin_client, kuopio):
    suburb = Suburb.objects.get(name="Julkula")
    response = admin_client.get(url("admin:areas_suburb_change", suburb.pk))
    assert response.status_code == 200
    assert 'id="id_postal_areas"' in response.content.decode()


def test_paavo_record_admin_is_read_only(admin_client, kuopio):
    record = PaavoRecord.objects.get(postal_area__code="70100")
    response = admin_client.get(url("admin:areas_paavorecord_change", record.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "he_vakiy" in html
    assert 'name="values"' not in html
    assert admin_client.get(url("admin:areas_paavorecord_add")).status_code == 403
