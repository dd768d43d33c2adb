"""Polygon import in both coordinate systems, and the Kuopio reference data."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from shapely.geometry import shape

from osallistu.areas.models import PaavoRecord, PostalArea, Suburb
from osallistu.areas.services import (
    GeometryImportError,
    kuopio_reference_data_load,
    postal_area_geometry_import,
)
from tests.areas.conftest import PAAVO_DIR

pytestmark = pytest.mark.django_db

WGS84_FILE = PAAVO_DIR / "postal_areas_wgs84.geojson"
TM35FIN_FILE = PAAVO_DIR / "postal_areas_3067.geojson"


def collection(features: list, crs: str | None = None) -> bytes:
    data = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data).encode()


def square_feature(code="70100", lon=27.68, lat=62.89, size=0.01, **properties) -> dict:
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {
        "type": "Feature",
        "properties": {"postinumeroalue": code, **properties},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def import_error(data: bytes) -> str:
    with translation.override("en"), pytest.raises(GeometryImportError) as caught:
        postal_area_geometry_import(data, development_data=False)
    return str(caught.value)


def test_wgs84_import_stores_polygons():
    report = postal_area_geometry_import(WGS84_FILE, development_data=False)
    assert report.source_crs == "OGC:CRS84"
    assert report.created_postal_codes == ["70150", "70100"]
    assert report.skipped_postal_codes == ["71800"]
    area = PostalArea.objects.get(code="70100")
    assert area.name == "Kuopio Keskus"
    assert area.geometry["type"] == "Polygon"
    assert not area.geometry_is_development_data


def test_tm35fin_import_transforms_to_wgs84():
    report = postal_area_geometry_import(TM35FIN_FILE, development_data=False)
    assert report.source_crs == "EPSG:3067"
    polygon = shape(PostalArea.objects.get(code="70100").geometry)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    assert 27.5 < min_lon < max_lon < 27.8
    assert 62.8 < min_lat < max_lat < 62.9


def test_both_crs_give_same_polygon():
    postal_area_geometry_import(WGS84_FILE, development_data=False)
    from_wgs84 = shape(PostalArea.objects.get(code="70100").geometry)
    postal_area_geometry_import(TM35FIN_FILE, development_data=False)
    from_tm35fin = shape(PostalArea.objects.get(code="70100").geometry)
    assert from_wgs84.symmetric_difference(from_tm35fin).area < 1e-10


def test_epsg_4326_and_no_crs_are_wgs84():
    postal_area_geometry_import(collection([square_feature()], "EPSG:4326"), development_data=False)
    postal_area_geometry_import(collection([square_feature("70150")]), development_data=False)
    assert PostalArea.objects.count() == 2


def test_posti_alue_property_is_accepted():
    feature = square_feature()
    feature["properties"] = {"posti_alue": "70100"}
    postal_area_geometry_import(collection([feature]), development_data=False)
    assert PostalArea.objects.filter(code="70100").exists()


def test_existing_area_keeps_name_and_statistics():
    area = PostalArea.objects.create(code="70100", name="Kuopio Keskus")
    PaavoRecord.objects.create(
        postal_area=area, statistics_year=2024, release_year=2026, values={"he_vakiy": 5}
    )
    report = postal_area_geometry_import(collection([square_feature()]), development_data=True)
    assert report.updated_postal_codes == ["70100"]
    area.refresh_from_db()
    assert area.name == "Kuopio Keskus"
    assert area.geometry is not None
    assert area.geometry_is_development_data
    assert area.paavo_records.count() == 1


def test_development_polygon_keeps_production_polygon():
    postal_area_geometry_import(collection([square_feature()]), development_data=False)
    production = PostalArea.objects.get(code="70100").geometry
    report = postal_area_geometry_import(
        collection([square_feature(lon=27.0)]), development_data=True
    )
    assert report.kept_postal_codes == ["70100"]
    area = PostalArea.objects.get(code="70100")
    assert area.geometry == production
    assert not area.geometry_is_development_data


def test_production_polygon_replaces_development_polygon():
    postal_area_geometry_import(collection([square_feature()]), development_data=True)
    postal_area_geometry_import(collection([square_feature(lon=27.5)]), development_data=False)
    area = PostalArea.objects.get(code="70100")
    assert not area.geometry_is_development_data
    assert shape(area.geometry).bounds[0] == pytest.approx(27.5)


def test_feature_of_other_municipality_name_is_skipped():
    report = postal_area_geometry_import(
        collection([square_feature(kunta="Siilinjärvi"), square_feature("70150", kunta="Kuopio")]),
        development_data=False,
    )
    assert report.skipped_postal_codes == ["70100"]
    assert list(PostalArea.objects.values_list("code", flat=True)) == ["70150"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"{not json", "not valid JSON (line 1"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "no list of features"),
        (collection([square_feature("7010")]), "Feature 1 has no five-digit postal code"),
        (
            collection([square_feature(), square_feature("70150"), square_feature()]),
            "Feature 3 repeats the postal code 70100 of feature 1",
        ),
        (
            collection([{"type": "Feature", "properties": {"postinumeroalue": "70100"}}]),
            "Feature 1 (postal code 70100) is not a Polygon or MultiPolygon",
        ),
        (
            collection(
                [
                    {
                        "type": "Feature",
                        "properties": {"postinumeroalue": "70100"},
                        "geometry": {"type": "Point", "coordinates": [27.6, 62.9]},
                    }
                ]
            ),
            "is not a Polygon or MultiPolygon",
        ),
        (collection([square_feature()], "EPSG:3857"), "EPSG:3857 is not supported"),
        # Metres without a crs member, and latitude before longitude.
        (collection([square_feature(lon=532000, lat=6970000, size=100)]), "lies outside Finland"),
        (collection([square_feature(lon=62.89, lat=27.68)]), "lies outside Finland"),
    ],
)
def test_malformed_geojson_is_rejected(data, fragment):
    assert fragment in import_error(data)
    assert PostalArea.objects.count() == 0


def test_self_intersecting_polygon_is_rejected():
    feature = square_feature()
    feature["geometry"]["coordinates"] = [
        [[27.0, 62.0], [27.1, 62.1], [27.1, 62.0], [27.0, 62.1], [27.0, 62.0]]
    ]
    assert "is not a valid polygon" in import_error(collection([feature]))


def test_malformed_feature_writes_nothing():
    postal_area_geometry_import(collection([square_feature()]), development_data=False)
    before = PostalArea.objects.get(code="70100").geometry
    with pytest.raises(GeometryImportError):
        postal_area_geometry_import(
            collection([square_feature(lon=27.3), square_feature("x")]), development_data=False
        )
    assert PostalArea.objects.get(code="70100").geometry == before


def test_geojson_command(tmp_path):
    stdout = StringIO()
    with translation.override("en"):
        call_command(
            "import_postal_areas_geojson", str(TM35FIN_FILE), "--development-data", stdout=stdout
        )
    assert "Polygons stored: 0 postal areas updated, 2 created" in stdout.getvalue()
    assert PostalArea.objects.filter(geometry_is_development_data=True).count() == 2


def test_geojson_command_reports_error(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_bytes(collection([square_feature("abc")]))
    with translation.override("en"), pytest.raises(CommandError, match="Feature 1"):
        call_command("import_postal_areas_geojson", str(path), stdout=StringIO())


def test_reference_data_load():
    kuopio_reference_data_load()
    assert PostalArea.objects.count() == 65
    assert PaavoRecord.objects.filter(statistics_year=2024, release_year=2026).count() == 65
    assert PostalArea.objects.filter(geometry__isnull=True).count() == 0
    assert PostalArea.objects.filter(geometry_is_development_data=False).count() == 0
    niirala = Suburb.objects.get(name="Niirala")
    assert niirala.slug == "niirala"
    assert list(niirala.postal_areas.values_list("code", flat=True)) == ["70600"]
    assert Suburb.objects.get(slug="neulamaki").postal_areas.get().code == "70150"
    assert Suburb.objects.get(slug="jynkka").postal_areas.get().code == "70780"


def test_reference_data_ships_only_placed_suburbs():
    kuopio_reference_data_load()
    names = set(Suburb.objects.values_list("name", flat=True))
    assert {"Petonen", "Litmanen", "Pitkälahti", "Huuhanmäki"} <= names
    assert names.isdisjoint({"Levänen", "Kalevala", "Saaristokaupunki", "Rypysuo", "Kelloniemi"})


def test_reference_data_second_load_adds_nothing():
    kuopio_reference_data_load()
    counts = (
        PostalArea.objects.count(),
        PaavoRecord.objects.count(),
        Suburb.objects.count(),
        Suburb.postal_areas.through.objects.count(),
    )
    kuopio_reference_data_load()
    assert counts == (
        PostalArea.objects.count(),
        PaavoRecord.objects.count(),
        Suburb.objects.count(),
        Suburb.postal_areas.through.objects.count(),
    )


def test_reference_data_keeps_staff_mapping():
    kuopio_reference_data_load()
    suburb = Suburb.objects.get(name="Julkula")
    suburb.postal_areas.set([PostalArea.objects.get(code="70280")])
    kuopio_reference_data_load()
    assert list(suburb.postal_areas.values_list("code", flat=True)) == ["70280"]


def test_reference_data_ignores_municipality_setting(settings):
    settings.OSALLISTU_MUNICIPALITY_CODE = "091"
    settings.OSALLISTU_CITY_NAME = "Helsinki"
    kuopio_reference_data_load()
    assert PostalArea.objects.filter(geometry__isnull=False).count() == 65
