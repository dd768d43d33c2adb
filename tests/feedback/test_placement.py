"""Placement: point in polygon, swapped coordinates, outside the city and postal code fallback."""

import pytest

from osallistu.feedback.models import FeedbackRequest
from osallistu.feedback.placement import AreaIndex

pytestmark = pytest.mark.django_db

ITAKESKUS = (60.21263634325148, 25.077090230550745)
ARABIA = (60.189587726063884, 24.966438613848045)
# The tasks sample as sent: "lat" 22.27 and "long" 60.45, swapped.
TASKS_AS_SENT = (22.266944, 60.451667)


def test_point_in_polygon(polygons):
    placement = AreaIndex.load().place(*ITAKESKUS)

    assert placement.postal_area.code == "00940"
    assert placement.method == FeedbackRequest.Placement.POLYGON
    assert not placement.swapped_coordinates
    assert not placement.outside_city


def test_second_sample_point(polygons):
    assert AreaIndex.load().place(*ARABIA).postal_area.code == "00560"


def test_swapped_coordinates_corrected(polygons):
    placement = AreaIndex.load().place(*TASKS_AS_SENT)

    assert placement.swapped_coordinates
    assert not placement.outside_city
    assert placement.postal_area.code == "20100"
    assert placement.lat == pytest.approx(60.451667)
    assert placement.lon == pytest.approx(22.266944)


def test_outside_city_falls_back_to_postal_code(polygons):
    placement = AreaIndex.load().place(10.0, 10.0, "00560")

    assert placement.outside_city
    assert not placement.swapped_coordinates
    assert placement.postal_area.code == "00560"
    assert placement.method == FeedbackRequest.Placement.POSTAL_CODE


def test_outside_city_without_postal_code(polygons):
    placement = AreaIndex.load().place(10.0, 10.0)

    assert placement.outside_city
    assert placement.postal_area is None
    assert placement.method == FeedbackRequest.Placement.NONE


def test_inside_box_between_polygons(polygons):
    placement = AreaIndex.load().place(60.30, 23.5)

    assert not placement.outside_city
    assert placement.postal_area is None


def test_no_coordinates_uses_postal_code(polygons):
    placement = AreaIndex.load().place(None, None, "00940")

    assert placement.postal_area.code == "00940"
    assert placement.method == FeedbackRequest.Placement.POSTAL_CODE


def test_bbox_setting_overrides(polygons, settings):
    # A box around Helsinki only makes the Turku point outside, swapped or not.
    settings.OSALLISTU_FEEDBACK_CITY_BBOX = [24.8, 60.1, 25.3, 60.3]

    placement = AreaIndex.load().place(*TASKS_AS_SENT)

    assert placement.outside_city
    assert not placement.swapped_coordinates


def test_other_municipality_not_in_box(polygons, settings):
    settings.OSALLISTU_MUNICIPALITY_CODE = "999"

    placement = AreaIndex.load().place(*ITAKESKUS)

    assert placement.outside_city
