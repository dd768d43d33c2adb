"""CSV import: documented and Finnish columns, all-or-nothing validation with row numbers."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.feedback.models import FeedbackRequest
from osallistu.feedback.services import feedback_csv_import
from osallistu.feedback.sources.csv_import import CsvFeedbackFile, CsvImportError, parse_date

pytestmark = pytest.mark.django_db

VALID = (
    "service_request_id,requested_datetime,service_code,service_name,status,lat,long,zipcode,"
    "description\n"
    "a1,2025-03-01T10:00:00+02:00,171,Katujen kunto,open,60.2126,25.0771,,Nimi Henkilö\n"
    "a2,2025-03-02,246,Roskaaminen,closed,,,00560,\n"
    "a3,2025-03-03,246,Roskaaminen,closed,22.266944,60.451667,,\n"
)
FINNISH = (
    "Tunniste;Päivämäärä;Palvelu;Tila;Leveysaste;Pituusaste;Postinumero\n"
    "k1;31.3.2025 14.05;Katujen kunto;avoin;60,2126;25,0771;\n"
    "k2;1.4.2025;Ilkivalta;käsitelty;;;00940\n"
)


def import_csv(source, text, *, encoding="utf-8", dry_run=False, user=None):
    return feedback_csv_import(
        user=user, source=source, content=text.encode(encoding), dry_run=dry_run
    )


def test_valid_file_imported(csv_source, test_suburb):
    result = import_csv(csv_source, VALID)

    assert result.stored.created == 3
    assert result.stored.swapped == 1
    stored = {r.service_request_id: r for r in FeedbackRequest.objects.all()}
    assert stored["a1"].postal_area.code == "00940"
    assert stored["a2"].placement == FeedbackRequest.Placement.POSTAL_CODE
    assert stored["a3"].swapped_coordinates
    assert stored["a3"].postal_area.code == "20100"


def test_description_not_stored(csv_source, test_suburb):
    import_csv(csv_source, VALID)

    values = FeedbackRequest.objects.values_list()
    assert not any("Henkilö" in str(value) for row in values for value in row)


def test_finnish_columns_semicolons_cp1252(csv_source, test_suburb):
    result = import_csv(csv_source, FINNISH, encoding="cp1252")

    assert result.stored.created == 2
    first = FeedbackRequest.objects.get(service_request_id="k1")
    assert first.status == "open"
    assert first.service.name == "Katujen kunto"
    assert first.service.code == "Katujen kunto"
    assert first.postal_area.code == "00940"
    assert FeedbackRequest.objects.get(service_request_id="k2").status == "closed"


def test_dry_run_writes_nothing(csv_source, test_suburb):
    result = import_csv(csv_source, VALID, dry_run=True)

    assert result.stored is None
    assert result.row_count == 3
    assert result.preview[0]["placement"].postal_area.code == "00940"
    assert FeedbackRequest.objects.count() == 0


def test_row_errors_write_nothing(csv_source, test_suburb):
    text = (
        "id,date,palvelu,tila,lat,long,postinumero\n"
        "b1,2025-03-01,Roskaaminen,open,,,\n"
        ",2025-03-01,Roskaaminen,open,,,\n"
        "b3,32.3.2025,Roskaaminen,open,,,\n"
        "b4,2025-03-01,,open,,,\n"
        "b5,2025-03-01,Roskaaminen,maybe,,,\n"
        "b6,2025-03-01,Roskaaminen,open,abc,25.0,\n"
        "b7,2025-03-01,Roskaaminen,open,,,7015\n"
        "b1,2025-03-02,Roskaaminen,open,,,\n"
    )

    with translation.override("en"), pytest.raises(CsvImportError) as raised:
        import_csv(csv_source, text)

    errors = raised.value.errors
    assert errors == [
        "Row 3: the request id is missing.",
        "Row 4: the date “32.3.2025” is not valid. Use for example 2025-03-31 or 31.3.2025 14.05.",
        "Row 5: the service code and name are both missing.",
        "Row 6: the status “maybe” is not valid. Use open or closed.",
        "Row 7: the latitude “abc” is not a number.",
        "Row 8: the postal code “7015” is not five digits.",
        "Row 9: the request id b1 is also on row 2.",
    ]
    assert FeedbackRequest.objects.count() == 0


def test_missing_columns_named(csv_source):
    with translation.override("en"), pytest.raises(CsvImportError) as raised:
        import_csv(csv_source, "kuvaus,tila\nteksti,open\n")

    assert raised.value.errors[0].startswith("The file has no column service_request_id.")
    assert len(raised.value.errors) == 3


def test_empty_file(csv_source):
    with pytest.raises(CsvImportError):
        import_csv(csv_source, "")


def test_reimport_updates(csv_source, test_suburb):
    import_csv(csv_source, VALID)
    result = import_csv(csv_source, VALID)

    assert result.stored.created == 0
    assert result.stored.updated == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-31", datetime.datetime(2025, 3, 31)),
        ("31.3.2025", datetime.datetime(2025, 3, 31)),
        ("31.3.2025 14.05", datetime.datetime(2025, 3, 31, 14, 5)),
        ("31.3.2025 klo 14:05:09", datetime.datetime(2025, 3, 31, 14, 5, 9)),
    ],
)
def test_parse_date_local(text, expected, settings):
    from django.utils import timezone

    assert parse_date(text) == timezone.make_aware(expected)


def test_parse_date_invalid():
    assert parse_date("2025-02-30") is None
    assert parse_date("eilen") is None


def test_services_from_file():
    parsed = CsvFeedbackFile.read(VALID.encode())

    assert {service.code for service in parsed.fetch_services()} == {"171", "246"}


def test_command_reports_row_errors(csv_source, tmp_path, capsys):
    path = tmp_path / "palaute.csv"
    path.write_text("id,date,palvelu\nc1,huomenna,Roskaaminen\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_feedback_csv", str(path), "--source", "tiedosto")

    assert "2" in capsys.readouterr().err
    assert FeedbackRequest.objects.count() == 0


def test_command_imports(csv_source, test_suburb, tmp_path, capsys):
    path = tmp_path / "palaute.csv"
    path.write_text(VALID, encoding="utf-8")

    call_command("import_feedback_csv", str(path), "--source", "tiedosto")

    assert "3 new" in capsys.readouterr().out


def test_values_out_of_range_rejected(csv_source, test_suburb):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    text = (
        "id,date,palvelu,lat,long\n"
        "r1,2025-03-01,Roskaaminen,1e308,25.0\n"
        "r2,2025-03-01,Roskaaminen,62.9,-181\n"
        f"r3,{tomorrow.isoformat()},Roskaaminen,,\n"
        "r4,1.1.2099,Roskaaminen,,\n"
        f"{'x' * 100_000},2025-03-01,Roskaaminen,,\n"
    )

    with translation.override("en"), pytest.raises(CsvImportError) as raised:
        import_csv(csv_source, text)

    assert raised.value.errors == [
        "Row 2: the latitude “1e308” is not between -90 and 90.",
        "Row 3: the longitude “-181” is not between -180 and 180.",
        f"Row 4: the date “{tomorrow.isoformat()}” is in the future.",
        "Row 5: the date “1.1.2099” is in the future.",
        "Row 6: the request id is longer than 200 characters.",
    ]
    assert FeedbackRequest.objects.count() == 0


def test_edge_values_accepted(csv_source, test_suburb):
    today = datetime.date.today().isoformat()
    text = f"id,date,palvelu,lat,long\n{'y' * 200},{today},Roskaaminen,-90,180\n"

    assert import_csv(csv_source, text).stored.created == 1
