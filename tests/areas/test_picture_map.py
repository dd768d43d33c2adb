"""Suburb maps: text alternative, development data and the optional tile layer."""

import re

import pytest
from django.utils import translation

from osallistu.areas import maps

from .picture_support import make_suburb

pytestmark = pytest.mark.django_db

TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"


def suburb_areas(development_data=True):
    return list(make_suburb(development_data=development_data).postal_areas.order_by("code"))


def test_map_without_tiles_is_self_contained():
    area_map = maps.render_suburb_map("Testilä", suburb_areas())

    assert area_map.has_tiles is False
    assert "<image" not in area_map.svg
    assert "http" not in area_map.svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert area_map.svg.count("<path") == 2


def test_map_text_alternative_names_areas():
    with translation.override("en"):
        area_map = maps.render_suburb_map("Testilä", suburb_areas())

    assert area_map.description.startswith(
        "The map shows Testilä as postal areas 70901 Ensilä, 70902 Toisela."
    )
    assert area_map.notice in area_map.description
    assert '<desc id="suburb-map-desc">' in area_map.svg


def test_production_geometry_has_no_notice():
    area_map = maps.render_suburb_map("Testilä", suburb_areas(development_data=False))

    assert area_map.is_development_data is False
    assert area_map.notice == ""


def test_tiles_cover_whole_view():
    area_map = maps.render_suburb_map("Testilä", suburb_areas(), tile_url=TILE_URL)
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', area_map.svg).groups())
    tiles = [
        tuple(float(number) for number in match)
        for match in re.findall(
            r'<image href="[^"]+" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"',
            area_map.svg,
        )
    ]

    assert area_map.has_tiles
    assert tiles
    assert min(x for x, _y, _w, _h in tiles) <= 0
    assert min(y for _x, y, _w, _h in tiles) <= 0
    assert max(x + w for x, _y, w, _h in tiles) >= width
    assert max(y + h for _x, y, _w, h in tiles) >= height


def test_tile_urls_follow_template():
    area_map = maps.render_suburb_map("Testilä", suburb_areas(), tile_url=TILE_URL)

    hrefs = re.findall(r'<image href="([^"]+)"', area_map.svg)
    assert hrefs
    for href in hrefs:
        assert re.fullmatch(r"https://tiles\.example\.org/\d+/\d+/\d+\.png", href)


def test_area_without_polygon_gives_no_map():
    areas = suburb_areas()
    for area in areas:
        area.geometry = None

    assert maps.render_suburb_map("Testilä", areas) is None
