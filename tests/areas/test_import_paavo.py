"""manage.py import_paavo and the paavo_import service, against the database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.areas import indicators, paavo
from osallistu.areas.models import PaavoRecord, PostalArea
from osallistu.areas.services import KUOPIO_PAAVO_FILE, PaavoImportError, paavo_import
from tests.areas.conftest import PAAVO_DIR, SAMPLE

pytestmark = pytest.mark.django_db

MALFORMED = PAAVO_DIR / "paavo_malformed_row.csv"


def run_import(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_paavo", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def database_state() -> list[tuple]:
    """Return every postal area and record with its values, to compare before and after."""
    areas = list(PostalArea.objects.order_by("code").values_list("code", "name"))
    records = list(
        PaavoRecord.objects.order_by("postal_area__code", "statistics_year").values_list(
            "postal_area__code", "statistics_year", "release_year", "values", "missing_reasons"
        )
    )
    return areas + records


def record(code: str, year: int = 2024) -> PaavoRecord:
    return PaavoRecord.objects.get(postal_area__code=code, statistics_year=year)


def test_import_creates_areas_and_records():
    run_import(str(SAMPLE))
    assert list(PostalArea.objects.values_list("code", flat=True)) == [
        "70100",
        "70150",
        "70210",
        "70240",
        "70300",
    ]
    assert PaavoRecord.objects.count() == 5
    area = PostalArea.objects.get(code="70150")
    assert area.name == "Neulamäki"
    assert area.municipality_code == "297"
    assert area.municipality_name == "Kuopio"


def test_import_stores_default_years():
    run_import(str(SAMPLE))
    assert record("70100").statistics_year == 2024
    assert record("70100").release_year == 2026


def test_import_stores_missing_as_none():
    run_import(str(SAMPLE))
    values = record("70150").values
    assert values["pt_tyott"] is None
    assert values["hr_mtu"] is None
    assert record("70150").missing_reasons["hr_mtu"] == paavo.SUPPRESSED


def test_import_stores_true_zero():
    run_import(str(SAMPLE))
    assert record("70150").values["ko_yl_kork"] == 0
    assert record("70300").values["pt_tyott"] == 0


def test_import_stores_protected_reasons():
    run_import(str(SAMPLE))
    assert record("70210").missing_reasons["he_kika"] == paavo.SMALL_AREA
    assert record("70240").missing_reasons["pt_tyott"] == paavo.ZERO_GROUP
    assert record("70240").missing_reasons["hr_mtu"] == paavo.ZERO_AVERAGE


def test_import_stores_float_formatted_integer():
    run_import(str(SAMPLE))
    assert record("70100").values["he_vakiy"] == 12729


def test_other_municipality_is_skipped_and_reported():
    stdout, _stderr = run_import(str(SAMPLE))
    assert not PostalArea.objects.filter(code="00100").exists()
    assert "Skipped 1 row of other municipalities (out of scope): 00100" in stdout


def test_report_lists_skipped_postal_codes():
    report = paavo_import(SAMPLE, statistics_year=2024, release_year=2026)
    assert report.skipped_postal_codes == ["00100"]
    assert len(report.imported_postal_codes) == 5
    assert report.missing_counts[paavo.SUPPRESSED] == 3


def test_command_reports_missing_counts():
    stdout, _stderr = run_import(str(SAMPLE))
    assert "Imported 5 postal areas for statistics year 2024 (Paavo release 2026)." in stdout
    assert "Missing values, -1, “...” or empty in the file: 3" in stdout
    assert "Ignored columns that are not Paavo variables: namn" in stdout


def test_municipality_setting_selects_rows(settings):
    settings.OSALLISTU_MUNICIPALITY_CODE = "091"
    settings.OSALLISTU_CITY_NAME = "Helsinki"
    run_import(str(SAMPLE))
    assert list(PostalArea.objects.values_list("code", flat=True)) == ["00100"]


def test_municipality_name_column_selects_rows():
    stdout, _stderr = run_import(str(PAAVO_DIR / "paavo_municipality_name.csv"))
    assert list(PostalArea.objects.values_list("code", flat=True)) == ["70100", "70150"]
    assert "71800" in stdout


def test_file_without_municipality_columns_imports_all():
    run_import(str(PAAVO_DIR / "paavo_no_municipality.csv"))
    assert PostalArea.objects.count() == 2


def test_no_row_in_scope_aborts(settings):
    settings.OSALLISTU_MUNICIPALITY_CODE = "049"
    settings.OSALLISTU_CITY_NAME = "Espoo"
    with pytest.raises(CommandError, match="None of the 6 rows belongs to the municipality Espoo"):
        run_import(str(SAMPLE))
    assert PostalArea.objects.count() == 0


def test_malformed_row_aborts_with_line_number():
    with pytest.raises(CommandError) as caught:
        run_import(str(MALFORMED))
    assert str(caught.value).startswith("Line 4: ")
    assert "pt_tyoll" in str(caught.value)


def test_malformed_row_writes_nothing_after_earlier_import():
    run_import(str(SAMPLE))
    before = database_state()
    with pytest.raises(CommandError):
        run_import(str(MALFORMED))
    assert database_state() == before
    assert record("70100").values["he_vakiy"] == 12729


def test_malformed_row_error_has_line():
    with pytest.raises(PaavoImportError) as caught:
        paavo_import(MALFORMED, statistics_year=2024, release_year=2026)
    assert caught.value.line == 4


def test_malformed_error_is_translated(monkeypatch):
    from osallistu.areas import services

    monkeypatch.setattr(services, "_", lambda message: "Rivi %(line)d: virhe.")
    with pytest.raises(PaavoImportError, match=r"^Rivi 4: virhe\.$"):
        paavo_import(MALFORMED, statistics_year=2024, release_year=2026)


def test_dry_run_writes_nothing():
    stdout, _stderr = run_import(str(SAMPLE), "--dry-run")
    assert PostalArea.objects.count() == 0
    assert PaavoRecord.objects.count() == 0
    assert "Dry run: 5 postal areas would be imported" in stdout


def test_dry_run_keeps_earlier_values(tmp_path):
    run_import(str(SAMPLE))
    before = database_state()
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text(encoding="utf-8").replace("12729.0", "1"), encoding="utf-8")
    report = paavo_import(changed, statistics_year=2024, release_year=2026, dry_run=True)
    assert report.dry_run
    assert report.imported_postal_codes == ["70100", "70150", "70210", "70240", "70300"]
    assert database_state() == before


def test_dry_run_reports_malformed_row():
    with pytest.raises(CommandError, match=r"^Line 4: "):
        run_import(str(MALFORMED), "--dry-run")


def test_reimport_is_idempotent():
    run_import(str(SAMPLE))
    before = database_state()
    record_ids = sorted(PaavoRecord.objects.values_list("pk", flat=True))
    run_import(str(SAMPLE))
    assert database_state() == before
    assert sorted(PaavoRecord.objects.values_list("pk", flat=True)) == record_ids


def test_reimport_replaces_values(tmp_path):
    run_import(str(SAMPLE))
    changed = tmp_path / "changed.csv"
    changed.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("12729.0", "13000"), encoding="utf-8"
    )
    run_import(str(changed), "--release", "2027", "--statistics-year", "2024")
    assert PaavoRecord.objects.count() == 5
    assert record("70100").values["he_vakiy"] == 13000
    assert record("70100").release_year == 2027


def test_reimport_removes_areas_missing_from_file():
    run_import(str(SAMPLE))
    report = paavo_import(
        PAAVO_DIR / "paavo_no_municipality.csv", statistics_year=2024, release_year=2026
    )
    assert report.removed_postal_codes == ["70210", "70240", "70300"]
    assert sorted(
        PaavoRecord.objects.filter(statistics_year=2024).values_list("postal_area__code", flat=True)
    ) == ["70100", "70150"]
    assert PostalArea.objects.filter(code="70210").exists()


def test_other_years_are_kept():
    run_import(str(SAMPLE), "--statistics-year", "2023")
    run_import(str(PAAVO_DIR / "paavo_no_municipality.csv"))
    assert PaavoRecord.objects.filter(statistics_year=2023).count() == 5
    assert PaavoRecord.objects.filter(statistics_year=2024).count() == 2


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], (2024, 2026)),
        (["--release", "2025"], (2023, 2025)),
        (["--statistics-year", "2022"], (2022, 2024)),
        (["--statistics-year", "2022", "--release", "2025"], (2022, 2025)),
    ],
)
def test_year_options(options, expected):
    run_import(str(PAAVO_DIR / "paavo_no_municipality.csv"), *options)
    assert PaavoRecord.objects.values_list("statistics_year", "release_year").distinct().get() == (
        expected
    )


def test_unusual_lag_warns():
    _stdout, stderr = run_import(
        str(PAAVO_DIR / "paavo_no_municipality.csv"),
        "--statistics-year",
        "2022",
        "--release",
        "2025",
    )
    assert "usually carries statistics for 2023, not 2022" in stderr


def test_implausible_year_is_rejected():
    with pytest.raises(CommandError, match="1066"):
        run_import(str(SAMPLE), "--statistics-year", "1066")
    assert PostalArea.objects.count() == 0


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(str(tmp_path / "puuttuu.csv"))


def test_kuopio_file_imports_65_areas():
    report = paavo_import(KUOPIO_PAAVO_FILE, statistics_year=2024, release_year=2026)
    assert len(report.imported_postal_codes) == 65
    assert report.skipped_postal_codes == []
    assert PostalArea.objects.count() == 65
    assert record("70100").values["he_vakiy"] == 12729
    assert record("70400").values["he_vakiy"] == 715


def test_kuopio_unemployment_by_hand():
    paavo_import(KUOPIO_PAAVO_FILE, statistics_year=2024, release_year=2026)
    values = record("70150").values
    # 70150 Neulamäki: pt_tyott 487, pt_tyoll 2082 in the shipped file.
    result = indicators.rate_value(indicators.RATES_BY_CODE["unemployment"], values)
    assert result.value == pytest.approx(487 / (2082 + 487))
    assert round(result.percent, 1) == 19.0


def test_kuopio_suppressed_zeros_become_missing():
    paavo_import(KUOPIO_PAAVO_FILE, statistics_year=2024, release_year=2026)
    salonkulma = record("71610")  # 3 inhabitants: Paavo wrote its protected values as 0.
    assert salonkulma.values["he_vakiy"] == 3
    assert salonkulma.values["he_kika"] is None
    assert salonkulma.values["hr_mtu"] is None
    assert salonkulma.values["pt_tyott"] is None
    assert salonkulma.values["ko_ika18y"] == 3
    assert record("70210").values["te_yks"] is None
    assert record("70210").values["pt_tyott"] == 0
