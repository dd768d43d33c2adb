"""SVG maps of a point over postal areas: context areas, text alternative and escaping."""

import re

from django.utils import translation

from osallistu.areas import maps
from osallistu.areas.models import PostalArea

from .test_maps import area

# Inside the 0.02° square that test_maps.area() draws from 27.68 E, 62.89 N.
INSIDE = (27.69, 62.90)


def render(longitude, latitude, areas, place="Torikatu 1", **options) -> maps.PointMap | None:
    with translation.override("en"):
        return maps.render_point_map(longitude, latitude, place, areas, **options)


def marker_position(svg: str) -> tuple[float, float]:
    circles = re.findall(r'<circle cx="([0-9.]+)" cy="([0-9.]+)"', svg)
    assert circles, "no marker drawn"
    return tuple(map(float, circles[-1]))


def view_size(svg: str) -> tuple[int, int]:
    return tuple(map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()))


def test_point_inside_area():
    result = render(*INSIDE, [area()])
    assert result.inside.code == "70100"
    assert result.title == "Map of the place: Torikatu 1"
    assert result.description == (
        "The place Torikatu 1 is marked with a red dot on a map of postal area "
        "70100 Kuopio Keskus. It lies in postal area 70100 Kuopio Keskus."
    )
    assert 'role="img" aria-labelledby="point-map-title point-map-desc"' in result.svg
    assert f'<desc id="point-map-desc">{result.description}</desc>' in result.svg


def test_marker_within_view():
    svg = render(*INSIDE, [area()]).svg
    x, y = marker_position(svg)
    width, height = view_size(svg)
    assert 0 < x < width
    assert 0 < y < height


def test_marker_moves_with_point():
    west = marker_position(render(27.682, 62.90, [area()]).svg)
    east = marker_position(render(27.698, 62.90, [area()]).svg)
    north = marker_position(render(27.69, 62.905, [area()]).svg)
    assert east[0] > west[0]
    # SVG's y axis points down, so a point further north is drawn higher.
    assert north[1] < west[1]


def test_label_clear_of_marker():
    target = area()
    label_point = maps.projected_geometry(target.geometry).representative_point()
    longitude, latitude = maps._to_tm35fin().transform(
        label_point.x, label_point.y, direction="INVERSE"
    )
    svg = render(longitude, latitude, [target]).svg
    marker_x, marker_y = marker_position(svg)
    label_x, label_y = map(float, re.search(r'<text x="([0-9.]+)" y="([0-9.]+)"', svg).groups())
    assert abs(label_x - marker_x) < 1
    assert abs(label_y - marker_y) >= maps.POINT_LABEL_CLEARANCE


def test_point_just_outside_area():
    result = render(27.705, 62.90, [area()])
    assert result is not None
    assert result.inside is None
    assert "It lies outside these postal areas." in result.description
    x, _y = marker_position(result.svg)
    assert x < view_size(result.svg)[0]


def test_far_point_has_no_map():
    assert render(24.94, 60.17, [area()]) is None


def test_areas_without_polygon_have_no_map():
    assert render(*INSIDE, [PostalArea(code="70100", name="Keskus")]) is None
    assert render(*INSIDE, []) is None


def test_far_area_left_out():
    far = area("70900", "Toivala", lon=27.90, lat=62.99)
    result = render(*INSIDE, [far, area()])
    assert [a.code for a in result.areas] == ["70100"]
    assert "Toivala" not in result.svg


def test_neighbour_drawn_and_named():
    neighbour = area("70150", "Neulamäki", lon=27.70)
    result = render(*INSIDE, [neighbour, area()])
    assert [a.code for a in result.areas] == ["70100", "70150"]
    assert result.svg.count("<path ") == 2
    assert "70100 Kuopio Keskus, 70150 Neulamäki" in result.description


def test_development_polygon_is_marked():
    result = render(*INSIDE, [area(geometry_is_development_data=True)])
    assert result.description.endswith(
        "Development data: the boundaries are simplified and not for production use."
    )


def test_place_text_is_escaped():
    result = render(*INSIDE, [area()], place='<script>alert("x")</script>')
    assert "<script>" not in result.svg
    assert "&lt;script&gt;" in result.svg


def test_id_prefix_sets_ids():
    svg = render(*INSIDE, [area()], id_prefix="idea-7").svg
    assert '<title id="idea-7-title">' in svg
