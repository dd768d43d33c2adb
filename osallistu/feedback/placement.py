"""Place feedback requests in postal areas by coordinates, or by postal code as a fallback.

A point is looked up in the postal areas' GeoJSON boundaries (WGS84) with a shapely STRtree and
prepared polygons. Before the lookup the point is checked against the city's bounding box: the
union of the bounds of the municipality's postal areas, or OSALLISTU_FEEDBACK_CITY_BBOX
(min_lon, min_lat, max_lon, max_lat) when set. A point outside the box is tried with latitude
and longitude swapped, because some services send them the wrong way round. A swapped point
inside the box is used and flagged `swapped_coordinates`; a point outside either way is flagged
`outside_city` and placed by postal code only.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from osallistu.areas.models import PostalArea

from .models import FeedbackRequest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Placement:
    """Where a request lies: its postal area, how it was found and the flags it gets."""

    postal_area: PostalArea | None
    method: str
    lat: float | None
    lon: float | None
    swapped_coordinates: bool = False
    outside_city: bool = False


class AreaIndex:
    """The postal areas with their boundaries, ready for many point lookups."""

    def __init__(self, areas: Iterable[PostalArea], bbox: tuple[float, float, float, float] | None):
        self.by_code: dict[str, PostalArea] = {}
        self._areas: list[PostalArea] = []
        geometries = []
        for area in areas:
            self.by_code[area.code] = area
            if not area.geometry:
                continue
            try:
                geometry = shape(area.geometry)
            except (ValueError, TypeError, AttributeError, KeyError):
                logger.warning("postal area geometry unreadable code=%s", area.code)
                continue
            self._areas.append(area)
            geometries.append(geometry)
        self._tree = STRtree(geometries)
        self._prepared = [prep(geometry) for geometry in geometries]
        self.bbox = bbox or _union_bounds(
            [g for a, g in zip(self._areas, geometries, strict=True) if _in_city(a)]
        )

    @classmethod
    def load(cls) -> "AreaIndex":
        """Return the index of every postal area. One query."""
        override = getattr(settings, "OSALLISTU_FEEDBACK_CITY_BBOX", None)
        bbox = tuple(float(value) for value in override) if override else None
        return cls(PostalArea.objects.order_by("code"), bbox)

    def area_at(self, lon: float, lat: float) -> PostalArea | None:
        """Return the postal area that contains the point, the lowest code on a shared edge."""
        point = Point(lon, lat)
        for index in sorted(self._tree.query(point)):
            if self._prepared[index].intersects(point):
                return self._areas[index]
        return None

    def in_bbox(self, lon: float, lat: float) -> bool:
        if self.bbox is None:
            return False
        min_lon, min_lat, max_lon, max_lat = self.bbox
        return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat

    def place(self, lat: float | None, lon: float | None, postal_code: str = "") -> Placement:
        """Return the placement of a point as sent, and of its postal code as the fallback."""
        swapped = outside = False
        area = None
        if lat is not None and lon is not None:
            if not self.in_bbox(lon, lat) and self.in_bbox(lat, lon):
                lat, lon = lon, lat
                swapped = True
            if self.in_bbox(lon, lat):
                area = self.area_at(lon, lat)
            else:
                outside = True
        if area is not None:
            method = FeedbackRequest.Placement.POLYGON
        else:
            area = self.by_code.get(postal_code) if postal_code else None
            method = (
                FeedbackRequest.Placement.POSTAL_CODE if area else FeedbackRequest.Placement.NONE
            )
        return Placement(
            postal_area=area,
            method=method,
            lat=lat,
            lon=lon,
            swapped_coordinates=swapped,
            outside_city=outside,
        )


def _in_city(area: PostalArea) -> bool:
    return area.municipality_code == settings.OSALLISTU_MUNICIPALITY_CODE


def _union_bounds(geometries) -> tuple[float, float, float, float] | None:
    if not geometries:
        return None
    bounds = [geometry.bounds for geometry in geometries]
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )
