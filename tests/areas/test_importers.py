"""The area-data importers and their management commands, on real and constructed files."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.areas import aggregation
from osallistu.areas.importers import run_import
from osallistu.areas.models import (
    IndicatorValue,
    InvestmentProject,
    PaavoRecord,
    PostalArea,
    Suburb,
)
from osallistu.areas.services import indicator_catalogue_ensure, kuopio_reference_data_load
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.django_db

PAAVO_DIR = DATA_DIR / "paavo"
MASTER = PAAVO_DIR / "paavo_master.csv"
MASTER_EXTRACT = PAAVO_DIR / "paavo_master_extract.csv"
WFS_3067 = PAAVO_DIR / "pno_tilasto_2026_kuopio_3067.geojson"
SOTKANET_JSON = DATA_DIR / "sotkanet" / "sotkanet_5_kuopio.json"
SOTKANET_CSV = DATA_DIR / "sotkanet" / "sotkanet_5_rows.csv"
SOTKANET_REGIONS = DATA_DIR / "sotkanet" / "regions.json"
CITY_CSV = DATA_DIR / "areadata" / "infrastructure_values.csv"
INVESTMENTS = DATA_DIR / "areadata" / "investments.csv"


def state() -> list:
    """Return every stored value, record, area and project, to compare before and after."""
    return [
        list(
            IndicatorValue.objects.order_by("pk").values_list(
                "indicator__code",
                "postal_area__code",
                "suburb__slug",
                "municipality_code",
                "statistics_year",
                "breakdown",
                "value",
                "numerator",
                "denominator",
                "status",
            )
        ),
        list(PaavoRecord.objects.order_by("pk").values_list("postal_area__code", "values")),
        list(PostalArea.objects.order_by("code").values_list("code", "name", "geometry")),
        list(InvestmentProject.objects.order_by("pk").values()),
    ]


def value(code: str, *, postal: str = "", suburb: str = "", municipality: str = "", year=2024):
    return IndicatorValue.objects.get(
        indicator__code=code,
        statistics_year=year,
        breakdown__in=["", "total"],
        **(
            {"postal_area__code": postal}
            if postal
            else {"suburb__slug": suburb}
            if suburb
            else {"municipality_code": municipality}
        ),
    )


@pytest.fixture
def kuopio():
    kuopio_reference_data_load()


# --- Paavo CSV -------------------------------------------------------------------------------


def test_paavo_labels_national_file():
    result = run_import("paavo_csv", MASTER.read_bytes(), options={"statistics_year": 2024})

    assert result.ok, result.errors
    assert PostalArea.objects.count() == 65
    assert result.rows_read == 3018
    record = PaavoRecord.objects.get(postal_area__code="70100", statistics_year=2024)
    assert record.values["he_vakiy"] == 12729
    assert record.values["pt_vakiy"] == 12729
    assert PostalArea.objects.get(code="70100").name == "Kuopio Keskus"
    unemployment = value("unemployment", postal="70150")
    # 70150 Neulamäki, Paavo 2024: pt_tyott / (pt_tyoll + pt_tyott).
    assert unemployment.numerator == record_value("70150", "pt_tyott")
    assert unemployment.denominator == record_value("70150", "pt_tyoll") + record_value(
        "70150", "pt_tyott"
    )
    assert unemployment.value == pytest.approx(
        100 * unemployment.numerator / unemployment.denominator
    )


def record_value(code: str, field: str):
    return PaavoRecord.objects.get(postal_area__code=code).values[field]


def test_paavo_labels_match_code_headers(kuopio):
    before = state()

    result = run_import("paavo_csv", MASTER.read_bytes(), options={"statistics_year": 2024})

    assert result.ok
    assert result.created == 0
    assert result.updated == 0
    assert result.unchanged == result.created + result.updated + result.unchanged > 0
    assert state()[0] == before[0]


def test_paavo_reimport_is_idempotent():
    first = run_import("paavo_csv", MASTER_EXTRACT.read_bytes(), options={"statistics_year": 2024})
    before = state()
    second = run_import("paavo_csv", MASTER_EXTRACT.read_bytes(), options={"statistics_year": 2024})

    assert first.created > 0
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert state() == before


def test_paavo_suppressed_income_is_stored_as_suppressed_not_zero():
    run_import("paavo_csv", MASTER_EXTRACT.read_bytes(), options={"statistics_year": 2024})

    # 71610 Salonkulma has 3 inhabitants; Paavo writes its protected median income as 0.
    median = value("median_income", postal="71610")
    assert median.status == IndicatorValue.Status.SUPPRESSED
    assert median.value is None


def test_paavo_dry_run_writes_nothing():
    result = run_import(
        "paavo_csv", MASTER_EXTRACT.read_bytes(), dry_run=True, options={"statistics_year": 2024}
    )

    assert result.ok
    assert result.created > 0
    assert IndicatorValue.objects.count() == 0
    assert PostalArea.objects.count() == 0


@pytest.mark.parametrize(
    ("replace", "by", "row"),
    [
        ("Asukkaat yhteensä (HE)", "Asukkaita (HE)", 1),
        (",5373.0,", ",5373.x,", None),
    ],
)
def test_paavo_bad_input_names_the_line_and_writes_nothing(kuopio, replace, by, row):
    text = MASTER_EXTRACT.read_text(encoding="utf-8-sig")
    assert replace in text
    before = state()

    result = run_import("paavo_csv", text.replace(replace, by, 1).encode())

    assert not result.ok
    error = result.errors[0]
    if row:
        assert error.row == row
    else:
        line = next(
            number
            for number, line in enumerate(text.splitlines(), start=1)
            if line.startswith("70150")
        )
        assert error.row == line
        assert str(line) in error.message
    assert state() == before


def test_paavo_duplicate_row_is_an_error():
    text = MASTER_EXTRACT.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    result = run_import("paavo_csv", "\n".join([*lines, lines[1]]).encode())

    assert [error.row for error in result.errors] == [len(lines) + 1]
    assert PostalArea.objects.count() == 0


# --- Paavo WFS GeoJSON ------------------------------------------------------------------------


def test_wfs_geojson_in_epsg_3067_stores_statistics_and_wgs84_polygons(kuopio):
    assert PostalArea.objects.get(code="70150").geometry_is_development_data

    result = run_import("paavo_geojson", WFS_3067.read_bytes())

    assert result.ok, result.errors
    assert result.rows_read == 5
    area = PostalArea.objects.get(code="70150")
    assert not area.geometry_is_development_data
    lon, lat = area.geometry["coordinates"][0][0]
    assert 27.5 < lon < 28.0
    assert 62.8 < lat < 63.0
    # vuosi 2026 is the Paavo release, so the statistics year is 2024.
    assert PaavoRecord.objects.get(postal_area=area, statistics_year=2024).values["he_vakiy"] == (
        5373
    )
    assert PostalArea.objects.get(code="70100").geometry_is_development_data


def test_wfs_geojson_in_wgs84_is_accepted():
    collection = json.loads(WFS_3067.read_text())
    from pyproj import Transformer

    transform = Transformer.from_crs("EPSG:3067", "OGC:CRS84", always_xy=True).transform
    for feature in collection["features"]:
        rings = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            rings = [rings]
        for polygon in rings:
            for ring in polygon:
                ring[:] = [list(transform(x, y)) for x, y in ring]
    del collection["crs"]

    result = run_import("paavo_geojson", json.dumps(collection).encode())

    assert result.ok, result.errors
    assert not PostalArea.objects.get(code="70820").geometry_is_development_data


def test_wfs_geojson_with_wrong_crs_writes_nothing(kuopio):
    collection = json.loads(WFS_3067.read_text())
    # Metres declared as WGS84 degrees lie far outside Finland.
    collection["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::4326"
    before = state()

    result = run_import("paavo_geojson", json.dumps(collection).encode())

    assert not result.ok
    assert "70150" in result.errors[0].message
    assert state() == before


def test_wfs_geojson_bad_number_names_the_feature():
    collection = json.loads(WFS_3067.read_text())
    collection["features"][2]["properties"]["pt_tyott"] = "paljon"

    result = run_import("paavo_geojson", json.dumps(collection).encode())

    assert result.errors[0].row == 3
    assert PostalArea.objects.count() == 0


# --- Sotkanet ---------------------------------------------------------------------------------


def test_sotkanet_json_stores_municipality_trend_with_breakdowns():
    result = run_import("sotkanet", SOTKANET_JSON.read_bytes())

    assert result.ok, result.errors
    assert result.created == 6
    kuopio = IndicatorValue.objects.filter(indicator__code="sotkanet_5", municipality_code="297")
    assert sorted(kuopio.filter(breakdown="total").values_list("statistics_year", "value")) == [
        (2021, 6.1),
        (2022, 5.8),
        (2023, 6.0),
    ]
    assert kuopio.get(statistics_year=2021, breakdown="total").numerator == 3950
    assert kuopio.filter(statistics_year=2023).count() == 3
    helsinki = IndicatorValue.objects.get(municipality_code="091")
    assert (helsinki.status, helsinki.value) == (IndicatorValue.Status.MISSING, None)
    # The wellbeing services county is not a municipality.
    assert not IndicatorValue.objects.filter(municipality_code="13").exists()
    assert aggregation.municipality_value("sotkanet_5", 2022).value == 5.8


def test_sotkanet_csv_with_separate_regions_and_reimport():
    regions = json.loads(SOTKANET_REGIONS.read_text())
    first = run_import("sotkanet", SOTKANET_CSV.read_bytes(), options={"regions": regions})
    second = run_import("sotkanet", SOTKANET_CSV.read_bytes(), options={"regions": regions})

    assert first.ok, first.errors
    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert value("sotkanet_5", municipality="297", year=2021).value == 6.1


def test_sotkanet_unknown_region_indicator_and_year_are_row_errors():
    rows = [
        {"indicator": 5, "region": 1, "year": 2023, "value": 1.0},
        {"indicator": 99999, "region": 9297, "year": 2023, "value": 1.0},
        {"indicator": 5, "region": 9297, "year": "viime vuonna", "value": 1.0},
        {"indicator": 5, "region": 9297, "year": 2023, "value": "x"},
        {"indicator": 5, "region": 9297, "year": 2022, "value": 1.0},
        {"indicator": 5, "region": 9297, "year": 2022, "value": 2.0},
    ]
    regions = json.loads(SOTKANET_REGIONS.read_text())
    data = json.dumps({"regions": regions, "data": rows}).encode()

    result = run_import("sotkanet", data)

    assert [error.row for error in result.errors] == [1, 2, 3, 4, 6]
    assert not IndicatorValue.objects.exists()


def test_sotkanet_rows_without_regions_are_errors():
    rows = json.loads(SOTKANET_JSON.read_text())["data"]

    result = run_import("sotkanet", json.dumps(rows).encode())

    assert len(result.errors) == len(rows)


# --- City long CSV ----------------------------------------------------------------------------


def test_city_csv_loads_infrastructure_values(kuopio):
    result = run_import("city_csv", CITY_CSV.read_bytes())

    assert result.ok, result.errors
    assert result.created == 6
    building_age = value("building_age", postal="70150")
    assert building_age.value == pytest.approx(1566000 / 36000)
    assert value("repair_backlog", suburb="jynkka").value == 830000
    suppressed = value("repair_backlog", postal="70600")
    assert (suppressed.status, suppressed.value) == ("suppressed", None)
    matrix = aggregation.indicator_matrix(2024, ["repair_backlog", "building_age"])
    assert matrix.suburb("jynkka").cell("repair_backlog").value == 830000
    assert matrix.suburb("neulamaki").cell("repair_backlog").value == 1250000
    assert matrix.suburb("niirala").cell("repair_backlog").status == "suppressed"
    assert matrix.municipality.cell("repair_backlog").value == 41000000


def test_city_csv_bad_rows_are_numbered_and_nothing_is_written(kuopio):
    text = (
        "indicator;area_kind;area;year;value\n"
        "building_age;postal_area;70150;2024;41,5\n"
        "no_such_indicator;postal_area;70150;2024;1\n"
        "building_age;postal_area;99999;2024;1\n"
        "building_age;suburb;atlantis;2024;1\n"
        "building_age;postal_area;70600;20x4;1\n"
        "building_age;postal_area;70600;2024;yksi\n"
        "building_age;postal_area;70150;2024;42\n"
        "building_age;district;70150;2024;42\n"
    )
    before = state()

    result = run_import("city_csv", text.encode())

    assert [error.row for error in result.errors] == [3, 4, 5, 6, 7, 8, 9]
    assert state() == before


def test_city_csv_wrong_header_is_an_error_of_line_1():
    result = run_import("city_csv", b"code,postal_code,year,value\nx,70150,2024,1\n")

    assert [error.row for error in result.errors] == [1]


def test_city_csv_dry_run_counts_but_writes_nothing(kuopio):
    result = run_import("city_csv", CITY_CSV.read_bytes(), dry_run=True)

    assert (result.ok, result.created) == (True, 6)
    assert not IndicatorValue.objects.filter(indicator__code="repair_backlog").exists()


# --- Investments ------------------------------------------------------------------------------


def test_investments_import_and_reimport(kuopio):
    first = run_import("investments", INVESTMENTS.read_bytes())
    second = run_import("investments", INVESTMENTS.read_bytes())

    assert first.ok, first.errors
    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    project = InvestmentProject.objects.get(external_id="INV-2027-01")
    assert project.suburb.slug == "neulamaki"
    assert project.is_prioritised
    assert str(project.cost) == "4200000.00"
    assert InvestmentProject.objects.get(external_id="INV-2027-02").suburb.slug == "jynkka"


def test_investments_update_by_id(kuopio):
    run_import("investments", INVESTMENTS.read_bytes())
    text = INVESTMENTS.read_text().replace("650000", "700000")

    result = run_import("investments", text.encode())

    assert (result.updated, result.unchanged) == (1, 2)
    assert InvestmentProject.objects.get(external_id="INV-2027-02").cost == 700000


def test_investments_bad_rows_write_nothing(kuopio):
    text = (
        "id,suburb,name,year,cost,service_area,priority,prioritised\n"
        "A,neulamaki,Hyvä,2027,100,Palvelu,1,kyllä\n"
        "B,atlantis,Tuntematon lähiö,2027,100,Palvelu,1,\n"
        "C,jynkka,Negatiivinen,2027,-5,Palvelu,1,\n"
        "D,jynkka,Huono prioriteetti,2027,5,Palvelu,0,\n"
        "A,jynkka,Toistettu,2027,5,Palvelu,1,\n"
        "E,jynkka,Huono kyllä,2027,5,Palvelu,1,ehkä\n"
    )

    result = run_import("investments", text.encode())

    assert [error.row for error in result.errors] == [3, 4, 5, 6, 7]
    assert not InvestmentProject.objects.exists()


# --- Commands ---------------------------------------------------------------------------------


def call(*args) -> str:
    stdout = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def test_commands_import_each_kind(kuopio):
    assert "3 created" in call("import_investments", str(INVESTMENTS))
    assert "6 created" in call("import_area_values", str(CITY_CSV))
    assert "3 created" in call(
        "import_sotkanet", str(SOTKANET_CSV), "--regions", str(SOTKANET_REGIONS)
    )
    assert "Nothing was written" in call("import_paavo_geojson", str(WFS_3067), "--dry-run")
    assert PostalArea.objects.get(code="70150").geometry_is_development_data


def test_command_with_errors_fails_and_writes_nothing(kuopio, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,suburb\n1,2\n")
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_investments", str(bad), stdout=StringIO(), stderr=StringIO())
    assert not InvestmentProject.objects.exists()


def test_catalogue_is_idempotent_and_has_an_empty_infrastructure_domain():
    first = indicator_catalogue_ensure()
    second = indicator_catalogue_ensure()

    assert {code: indicator.pk for code, indicator in first.items()} == {
        code: indicator.pk for code, indicator in second.items()
    }
    assert first["building_age"].domain.code == "infrastructure"
    assert first["repair_backlog"].domain.code == "infrastructure"
    assert first["median_income"].direction == "lower"
    assert first["unemployment"].direction == "higher"
    assert not IndicatorValue.objects.filter(indicator__domain__code="infrastructure").exists()
    assert Suburb.objects.count() == 0


def test_progress_is_reported_while_checking(kuopio):
    lines = ["indicator,area_kind,area,year,value"]
    lines += [f"repair_backlog,municipality,297,{1990 + n},{n}" for n in range(100)]
    lines += [f"repair_backlog,suburb,jynkka,{1990 + n},{n}" for n in range(100)]
    lines += [f"building_age,postal_area,70150,{1990 + n},{n}" for n in range(50)]
    calls = []

    result = run_import(
        "city_csv",
        "\n".join(lines).encode(),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert result.created == 250
    assert calls == [(200, 250), (250, 250)]
