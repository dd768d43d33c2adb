"""SVG maps: projection, text alternative and escaping."""

import re

import pytest
from django.utils import translation

from osallistu.areas import maps
from osallistu.areas.models import PostalArea


def square(lon: float, lat: float, size: float = 0.02) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def area(code="70100", name="Kuopio Keskus", lon=27.68, lat=62.89, **fields) -> PostalArea:
    return PostalArea(code=code, name=name, geometry=square(lon, lat), pk=int(code), **fields)


def render(target: PostalArea, neighbours=(), **options) -> maps.AreaMap:
    with translation.override("en"):
        return maps.render_area_map(target, neighbours, **options)


def test_area_without_polygon_has_no_map():
    assert maps.render_area_map(PostalArea(code="70100", name="A")) is None


def test_svg_has_role_title_and_desc():
    svg = render(area()).svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    assert 'role="img" aria-labelledby="area-map-title area-map-desc"' in svg
    assert '<title id="area-map-title">Map of postal area 70100 Kuopio Keskus</title>' in svg
    assert '<desc id="area-map-desc">The postal area 70100 Kuopio Keskus is highlighted.' in svg


def test_id_prefix_sets_ids():
    svg = render(area(), id_prefix="kartta").svg
    assert 'aria-labelledby="kartta-title kartta-desc"' in svg
    assert '<title id="kartta-title">' in svg


def test_projection_keeps_shape():
    # A 0.02° square at 62.9° N is about half as wide as it is tall in metres.
    svg = render(area()).svg
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    assert height == maps.VIEW_SIZE
    assert 0.4 < width / height < 0.6


def test_neighbours_are_drawn_and_described():
    neighbour = area("70150", "Neulamäki", lon=27.70)
    result = render(area(), [neighbour])
    assert result.svg.count("<path ") == 2
    assert "Neighbouring postal areas: 70150 Neulamäki." in result.description
    assert result.neighbours == (neighbour,)


def test_neighbour_without_polygon_is_left_out():
    result = render(area(), [PostalArea(code="70150", name="Neulamäki")])
    assert result.neighbours == ()
    assert "Neulamäki" not in result.description


def test_development_polygon_is_marked():
    result = render(area(geometry_is_development_data=True))
    assert result.is_development_data
    assert result.notice.startswith("Development data:")
    assert result.notice in result.description
    assert result.notice in result.svg


def test_production_polygon_has_no_notice():
    result = render(area())
    assert result.notice == ""
    assert "Development data" not in result.svg


def test_text_is_escaped():
    result = render(area(name='<b>"Keskus" & co</b>'))
    assert "<b>" not in result.svg
    assert "&lt;b&gt;&quot;Keskus&quot; &amp; co&lt;/b&gt;" in result.svg


@pytest.mark.parametrize("color", ["red", "#00558c;x", "url(#a)", ""])
def test_invalid_color_falls_back(color):
    svg = render(area(), color=color).svg
    assert f'fill="{maps.DEFAULT_COLOR}"' in svg


def test_valid_color_is_used():
    assert 'fill="#aa0000"' in render(area(), color="#aa0000").svg


def test_neighbouring_areas_touch():
    target = area()
    touching = area("70150", lon=27.70)
    distant = area("70200", lon=27.80)
    assert maps.neighbouring_areas(target, [target, distant, touching]) == [touching]
