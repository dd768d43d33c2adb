"""Server-rendered SVG maps of postal areas, with a text alternative.

Polygons are stored in WGS84 and drawn in ETRS-TM35FIN (EPSG:3067), Finland's metric projection,
so that areas keep their shape. No tiles, scripts or fonts are loaded: the map is one inline SVG
element with role="img", a <title> and a <desc>, and the page repeats the description as text.
"""

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shapely
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .models import PostalArea

# Length of the longer side of the viewBox, in SVG user units.
VIEW_SIZE = 600
# Margin around the area, as a share of its longer side.
VIEW_MARGIN = 0.08
# Areas closer than this, in metres, count as neighbours. Paavo polygons share their boundaries,
# so the tolerance only absorbs rounding.
NEIGHBOUR_DISTANCE_M = 10.0
DEFAULT_COLOR = "#00558c"
NEIGHBOUR_FILL = "#dde1e5"
NEIGHBOUR_STROKE = "#5f6b76"
BACKGROUND = "#f4f6f8"
TEXT_COLOR = "#1b1b1b"
_CSS_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}")


@dataclass(frozen=True)
class AreaMap:
    """A rendered map and the texts that describe it."""

    svg: SafeString
    title: str
    # The SVG's <desc>. Pages show `summary`, the neighbours and the notice as text instead.
    description: str
    summary: str
    is_development_data: bool
    # The development-data warning, or "" for production polygons.
    notice: str
    neighbours: tuple[PostalArea, ...]


@functools.cache
def _to_tm35fin() -> Transformer:
    return Transformer.from_crs("OGC:CRS84", "EPSG:3067", always_xy=True)


def projected_geometry(geometry: dict) -> BaseGeometry:
    """Return a WGS84 GeoJSON geometry as a shapely geometry in EPSG:3067 metres."""
    return shapely.transform(shape(geometry), _project_coordinates, interleaved=False)


def neighbouring_areas(area: PostalArea, candidates: Iterable[PostalArea]) -> list[PostalArea]:
    """Return the candidates whose polygon touches the area's polygon, in postal-code order."""
    if not area.geometry:
        return []
    target = projected_geometry(area.geometry)
    neighbours = [
        candidate
        for candidate in candidates
        if candidate.pk != area.pk
        and candidate.geometry
        and target.distance(projected_geometry(candidate.geometry)) <= NEIGHBOUR_DISTANCE_M
    ]
    return sorted(neighbours, key=lambda candidate: candidate.code)


def render_area_map(
    area: PostalArea,
    neighbours: Sequence[PostalArea] = (),
    *,
    color: str = DEFAULT_COLOR,
    id_prefix: str = "area-map",
) -> AreaMap | None:
    """Draw the area's polygon, and its neighbours in grey, as an inline SVG.

    Return None when the area has no polygon. Neighbours without a polygon are left out of the
    map and its description. `color` must be a CSS hex colour, otherwise DEFAULT_COLOR is used.
    """
    if not area.geometry:
        return None
    if not _CSS_COLOR.fullmatch(color):
        color = DEFAULT_COLOR
    neighbours = tuple(neighbour for neighbour in neighbours if neighbour.geometry)
    target = projected_geometry(area.geometry)
    min_x, min_y, max_x, max_y = target.bounds
    side = max(max_x - min_x, max_y - min_y) or 1.0
    margin = side * VIEW_MARGIN
    scale = VIEW_SIZE / (side + 2 * margin)
    width = round((max_x - min_x + 2 * margin) * scale)
    height = round((max_y - min_y + 2 * margin) * scale)

    def to_view(x: float, y: float) -> tuple[float, float]:
        # SVG's y axis points down, so northings are flipped.
        return (x - min_x + margin) * scale, (max_y - y + margin) * scale

    title = _("Map of postal area %(code)s %(name)s") % {"code": area.code, "name": area.name}
    description = map_description(area, neighbours)
    neighbour_shapes = [(n, projected_geometry(n.geometry)) for n in neighbours]
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" role="img" '
        'aria-labelledby="{prefix}-title {prefix}-desc">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        '<rect width="{width}" height="{height}" fill="{background}"/>'
        '<g fill="{neighbour_fill}" stroke="{neighbour_stroke}" stroke-width="1">{neighbours}</g>'
        '<path d="{target}" fill="{color}" fill-rule="evenodd" stroke="{text_color}" '
        'stroke-width="2"/>'
        '<g font-family="system-ui, sans-serif" font-size="14" text-anchor="middle" '
        'fill="{text_color}">{labels}</g>'
        "</svg>",
        width=width,
        height=height,
        prefix=id_prefix,
        title=title,
        description=description,
        background=BACKGROUND,
        neighbour_fill=NEIGHBOUR_FILL,
        neighbour_stroke=NEIGHBOUR_STROKE,
        neighbours=format_html_join(
            "",
            '<path d="{}" fill-rule="evenodd"/>',
            ((_path_data(geometry, to_view),) for _neighbour, geometry in neighbour_shapes),
        ),
        target=_path_data(target, to_view),
        color=color,
        text_color=TEXT_COLOR,
        labels=_labels(area, target, neighbour_shapes, to_view, width, height),
    )
    return AreaMap(
        svg=svg,
        title=title,
        description=description,
        summary=map_summary(area, neighbours),
        is_development_data=area.geometry_is_development_data,
        notice=development_data_notice() if area.geometry_is_development_data else "",
        neighbours=neighbours,
    )


def map_summary(area: PostalArea, neighbours: Sequence[PostalArea]) -> str:
    """Return the sentence that describes what the map shows, in the active language."""
    params = {"code": area.code, "name": area.name}
    if neighbours:
        return (
            _(
                "The postal area %(code)s %(name)s is highlighted, and its neighbouring postal "
                "areas are shown in grey."
            )
            % params
        )
    return _("The postal area %(code)s %(name)s is highlighted.") % params


def map_description(area: PostalArea, neighbours: Sequence[PostalArea]) -> str:
    """Return the map's whole text alternative, with the neighbours, in the active language."""
    sentences = [map_summary(area, neighbours)]
    if neighbours:
        names = ", ".join(f"{n.code} {n.name}".strip() for n in neighbours)
        sentences.append(_("Neighbouring postal areas: %(neighbours)s.") % {"neighbours": names})
    if area.geometry_is_development_data:
        sentences.append(development_data_notice())
    return " ".join(sentences)


def development_data_notice() -> str:
    """Return the warning shown with every map drawn from development polygons."""
    return _("Development data: the boundaries are simplified and not for production use.")


def _project_coordinates(x, y):
    return _to_tm35fin().transform(x, y)


def _path_data(geometry: BaseGeometry, to_view) -> str:
    """Return SVG path data for a Polygon or MultiPolygon, one closed subpath a ring."""
    polygons = getattr(geometry, "geoms", [geometry])
    subpaths = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = [to_view(x, y) for x, y in ring.coords[:-1]]
            subpaths.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(subpaths)


def _labels(area, target, neighbour_shapes, to_view, width, height) -> SafeString:
    """Return postal-code labels for the area and for neighbours whose label point is in view."""
    labels = []
    for label_area, geometry in [(area, target), *neighbour_shapes]:
        x, y = to_view(*geometry.representative_point().coords[0])
        if 0 < x < width and 0 < y < height:
            labels.append((f"{x:.1f}", f"{y:.1f}", label_area.code))
    # The white halo (stroke painted under the fill) keeps labels readable on any fill colour.
    return format_html_join(
        "",
        '<text x="{}" y="{}" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>',
        labels,
    )


# Postal areas farther than this from a point, in metres, are left out of its map.
POINT_CONTEXT_DISTANCE_M = 2000.0
POINT_RADIUS = 9
# Distance in SVG units that keeps a postal-code label clear of the marker.
POINT_LABEL_CLEARANCE = 28
POINT_COLOR = "#b00020"


@dataclass(frozen=True)
class PointMap:
    """A rendered map of one point over the postal areas around it, with its texts."""

    svg: SafeString
    title: str
    # The SVG's <desc>, which pages also show as text.
    description: str
    areas: tuple[PostalArea, ...]
    inside: PostalArea | None


def render_point_map(
    longitude: float,
    latitude: float,
    place: str,
    areas: Sequence[PostalArea],
    *,
    id_prefix: str = "point-map",
) -> PointMap | None:
    """Draw a WGS84 point over the postal areas near it, as an inline SVG.

    `place` is the point's address or place name, the text alternative that names it in the
    title and description. Areas without a polygon or farther than POINT_CONTEXT_DISTANCE_M from
    the point are left out. Return None when no area is left, because a lone dot shows nothing.
    """
    point = shapely.Point(_project_coordinates(float(longitude), float(latitude)))
    shapes = []
    for area in areas:
        if area.geometry:
            geometry = projected_geometry(area.geometry)
            if geometry.distance(point) <= POINT_CONTEXT_DISTANCE_M:
                shapes.append((area, geometry))
    if not shapes:
        return None
    shapes.sort(key=lambda item: item[0].code)
    inside = next((area for area, geometry in shapes if geometry.covers(point)), None)
    min_x, min_y, max_x, max_y = shapely.union_all([point, *(g for _a, g in shapes)]).bounds
    side = max(max_x - min_x, max_y - min_y) or 1.0
    margin = side * VIEW_MARGIN
    scale = VIEW_SIZE / (side + 2 * margin)
    width = round((max_x - min_x + 2 * margin) * scale)
    height = round((max_y - min_y + 2 * margin) * scale)

    def to_view(x: float, y: float) -> tuple[float, float]:
        return (x - min_x + margin) * scale, (max_y - y + margin) * scale

    title = _("Map of the place: %(place)s") % {"place": place}
    description = point_map_description(place, [area for area, _g in shapes], inside)
    point_x, point_y = to_view(point.x, point.y)
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" role="img" '
        'aria-labelledby="{prefix}-title {prefix}-desc">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        '<rect width="{width}" height="{height}" fill="{background}"/>'
        '<g fill="{area_fill}" stroke="{area_stroke}" stroke-width="1">{areas}</g>'
        '<g font-family="system-ui, sans-serif" font-size="14" text-anchor="middle" '
        'fill="{text_color}">{labels}</g>'
        # A white ring under the marker keeps it visible on any fill.
        '<circle cx="{x}" cy="{y}" r="{ring}" fill="#fff"/>'
        '<circle cx="{x}" cy="{y}" r="{radius}" fill="{point_color}" stroke="{text_color}" '
        'stroke-width="2"/>'
        "</svg>",
        width=width,
        height=height,
        prefix=id_prefix,
        title=title,
        description=description,
        background=BACKGROUND,
        area_fill=NEIGHBOUR_FILL,
        area_stroke=NEIGHBOUR_STROKE,
        areas=format_html_join(
            "",
            '<path d="{}" fill-rule="evenodd"/>',
            ((_path_data(geometry, to_view),) for _area, geometry in shapes),
        ),
        text_color=TEXT_COLOR,
        labels=_point_map_labels(shapes, to_view, (point_x, point_y), height),
        x=f"{point_x:.1f}",
        y=f"{point_y:.1f}",
        ring=POINT_RADIUS + 3,
        radius=POINT_RADIUS,
        point_color=POINT_COLOR,
    )
    return PointMap(
        svg=svg,
        title=title,
        description=description,
        areas=tuple(area for area, _g in shapes),
        inside=inside,
    )


def _point_map_labels(shapes, to_view, marker: tuple[float, float], height: int) -> SafeString:
    """Return postal-code labels, each moved off the marker where it would lie under it."""
    marker_x, marker_y = marker
    labels = []
    for area, geometry in shapes:
        x, y = to_view(*geometry.representative_point().coords[0])
        near_x = abs(x - marker_x) < POINT_LABEL_CLEARANCE
        if near_x and abs(y - marker_y) < POINT_LABEL_CLEARANCE:
            below = marker_y + POINT_LABEL_CLEARANCE
            y = below if below < height else marker_y - POINT_LABEL_CLEARANCE
        labels.append((f"{x:.1f}", f"{y:.1f}", area.code))
    return format_html_join(
        "",
        '<text x="{}" y="{}" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>',
        labels,
    )


def point_map_description(
    place: str, areas: Sequence[PostalArea], inside: PostalArea | None
) -> str:
    """Return the text alternative of a point map, in the active language."""
    names = ", ".join(f"{area.code} {area.name}".strip() for area in areas)
    sentences = [
        ngettext(
            "The place %(place)s is marked with a red dot on a map of postal area %(areas)s.",
            "The place %(place)s is marked with a red dot on a map of postal areas %(areas)s.",
            len(areas),
        )
        % {"place": place, "areas": names}
    ]
    if inside is not None:
        sentences.append(
            _("It lies in postal area %(code)s %(name)s.")
            % {"code": inside.code, "name": inside.name}
        )
    else:
        sentences.append(_("It lies outside these postal areas."))
    if any(area.geometry_is_development_data for area in areas):
        sentences.append(development_data_notice())
    return " ".join(sentences)


# Half the width of the Web Mercator (EPSG:3857) world, in metres. Zoom level z divides the
# world into 2**z by 2**z tiles.
WEB_MERCATOR_HALF_WORLD = 20037508.342789244
TILE_PIXELS = 256
MAX_TILE_ZOOM = 18
# Polygons over a tile layer are filled translucently so that streets stay visible beneath.
TILE_OVERLAY_OPACITY = 0.35


@dataclass(frozen=True)
class SuburbMap:
    """A rendered map of a suburb's postal areas and the texts that describe it."""

    svg: SafeString
    title: str
    # The SVG's <desc>, which pages also show as text.
    description: str
    areas: tuple[PostalArea, ...]
    is_development_data: bool
    # The development-data warning, or "" when every polygon is production geometry.
    notice: str
    # True when the map is drawn over tiles from OSALLISTU_MAP_TILE_URL.
    has_tiles: bool


@functools.cache
def _to_web_mercator() -> Transformer:
    return Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True)


def render_suburb_map(
    suburb_name: str,
    areas: Sequence[PostalArea],
    *,
    tile_url: str = "",
    color: str = DEFAULT_COLOR,
    id_prefix: str = "suburb-map",
) -> SuburbMap | None:
    """Draw a suburb's postal areas together as an inline SVG, optionally over map tiles.

    Without `tile_url` the map is drawn in ETRS-TM35FIN and references nothing outside the page.
    With it, an XYZ tile URL template containing {z}, {x} and {y}, the areas are drawn in Web
    Mercator over <image> tiles that the browser fetches from that server. Return None when no
    area has a polygon.
    """
    areas = tuple(sorted((area for area in areas if area.geometry), key=lambda a: a.code))
    if not areas:
        return None
    if not _CSS_COLOR.fullmatch(color):
        color = DEFAULT_COLOR
    if tile_url:
        transformer = _to_web_mercator()
    else:
        transformer = _to_tm35fin()
    shapes = [
        shapely.transform(
            shape(area.geometry),
            lambda x, y: transformer.transform(x, y),
            interleaved=False,
        )
        for area in areas
    ]
    min_x, min_y, max_x, max_y = shapely.union_all(shapes).bounds
    side = max(max_x - min_x, max_y - min_y) or 1.0
    margin = side * VIEW_MARGIN
    scale = VIEW_SIZE / (side + 2 * margin)
    width = round((max_x - min_x + 2 * margin) * scale)
    height = round((max_y - min_y + 2 * margin) * scale)
    origin_x, origin_y = min_x - margin, max_y + margin

    def to_view(x: float, y: float) -> tuple[float, float]:
        return (x - origin_x) * scale, (origin_y - y) * scale

    title = _("Map of %(suburb)s") % {"suburb": suburb_name}
    description = suburb_map_description(suburb_name, areas)
    tiles = SafeString("")
    fill_opacity = "1"
    if tile_url:
        tiles = _tile_images(
            tile_url,
            (origin_x, origin_y - height / scale, origin_x + width / scale, origin_y),
            to_view,
        )
        fill_opacity = str(TILE_OVERLAY_OPACITY)
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" role="img" '
        'aria-labelledby="{prefix}-title {prefix}-desc">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        '<rect width="{width}" height="{height}" fill="{background}"/>'
        "<g>{tiles}</g>"
        '<g fill="{color}" fill-opacity="{opacity}" stroke="{text_color}" stroke-width="2">'
        "{areas}</g>"
        '<g font-family="system-ui, sans-serif" font-size="14" text-anchor="middle" '
        'fill="{text_color}">{labels}</g>'
        "</svg>",
        width=width,
        height=height,
        prefix=id_prefix,
        title=title,
        description=description,
        background=BACKGROUND,
        tiles=tiles,
        color=color,
        opacity=fill_opacity,
        text_color=TEXT_COLOR,
        areas=format_html_join(
            "",
            '<path d="{}" fill-rule="evenodd"/>',
            ((_path_data(geometry, to_view),) for geometry in shapes),
        ),
        labels=_labels(
            areas[0],
            shapes[0],
            list(zip(areas[1:], shapes[1:], strict=True)),
            to_view,
            width,
            height,
        ),
    )
    is_development_data = any(area.geometry_is_development_data for area in areas)
    return SuburbMap(
        svg=svg,
        title=title,
        description=description,
        areas=areas,
        is_development_data=is_development_data,
        notice=development_data_notice() if is_development_data else "",
        has_tiles=bool(tile_url),
    )


def suburb_map_description(suburb_name: str, areas: Sequence[PostalArea]) -> str:
    """Return the text alternative of a suburb map, in the active language."""
    names = ", ".join(f"{area.code} {area.name}".strip() for area in areas)
    sentences = [
        ngettext(
            "The map shows %(suburb)s as postal area %(areas)s.",
            "The map shows %(suburb)s as postal areas %(areas)s.",
            len(areas),
        )
        % {"suburb": suburb_name, "areas": names}
    ]
    if any(area.geometry_is_development_data for area in areas):
        sentences.append(development_data_notice())
    return " ".join(sentences)


def _tile_images(tile_url: str, bounds, to_view) -> SafeString:
    """Return <image> elements for the XYZ tiles that cover `bounds` (EPSG:3857 metres)."""
    min_x, min_y, max_x, max_y = bounds
    span = max(max_x - min_x, max_y - min_y)
    world = 2 * WEB_MERCATOR_HALF_WORLD
    # The zoom at which the view spans about VIEW_SIZE pixels of tiles.
    zoom = int(
        max(0, min(MAX_TILE_ZOOM, math.floor(math.log2(world * VIEW_SIZE / span / TILE_PIXELS))))
    )
    tile_size = world / 2**zoom

    first_x = int((min_x + WEB_MERCATOR_HALF_WORLD) // tile_size)
    last_x = int((max_x + WEB_MERCATOR_HALF_WORLD) // tile_size)
    first_y = int((WEB_MERCATOR_HALF_WORLD - max_y) // tile_size)
    last_y = int((WEB_MERCATOR_HALF_WORLD - min_y) // tile_size)

    images = []
    for tile_x in range(first_x, last_x + 1):
        for tile_y in range(first_y, last_y + 1):
            left = -WEB_MERCATOR_HALF_WORLD + tile_x * tile_size
            top = WEB_MERCATOR_HALF_WORLD - tile_y * tile_size
            x, y = to_view(left, top)
            right, bottom = to_view(left + tile_size, top - tile_size)
            href = (
                tile_url.replace("{z}", str(zoom))
                .replace("{x}", str(tile_x))
                .replace("{y}", str(tile_y))
            )
            images.append((href, f"{x:.1f}", f"{y:.1f}", f"{right - x:.1f}", f"{bottom - y:.1f}"))

    return format_html_join(
        "",
        '<image href="{}" x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none"/>',
        images,
    )
