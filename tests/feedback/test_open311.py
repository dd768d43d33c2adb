"""Open311 adapter against the real samples served on loopback: parsing, charsets and errors."""

import datetime

import pytest
from django.utils import translation

from osallistu.feedback.sources import FeedbackSourceError
from osallistu.feedback.sources.open311 import Open311Error, Open311Source, parse_coordinate

START = datetime.datetime(2013, 4, 1, tzinfo=datetime.UTC)
END = datetime.datetime(2013, 6, 1, tzinfo=datetime.UTC)


def test_services_json(open311_server):
    services = Open311Source(open311_server.url()).fetch_services()

    assert len(services) == 10
    assert services[0].code == "172"
    assert services[0].name == "Vandalism"
    assert services[0].group == "Sanitation"


def test_services_finnish_utf8(open311_server):
    services = Open311Source(open311_server.url("/fi")).fetch_services()

    assert "Töhryjen poisto" in {service.name for service in services}


@pytest.mark.parametrize("prefix", ["/sv", "/sv-claims-utf8"])
def test_services_iso_8859_1(open311_server, prefix):
    services = Open311Source(open311_server.url(prefix)).fetch_services()
    names = {service.code: service.name for service in services}

    assert names["171"] == "Potthål"
    assert names["198"] == "Vägmärken"


def test_services_xml(open311_server):
    services = Open311Source(open311_server.url("/xml"), response_format="xml").fetch_services()

    assert len(services) == 10
    assert services[3].code == "171"
    assert services[3].name == "Potholes"


def test_requests_string_coordinates(open311_server):
    batch = Open311Source(open311_server.url()).fetch_requests(START, END)

    assert batch.returned == 2
    first = batch.records[0]
    assert first.service_request_id == "8fmht6g1470b3qk8pthg"
    assert first.lat == pytest.approx(60.21263634325148)
    assert first.lon == pytest.approx(25.077090230550745)
    assert first.service_name == ""
    assert first.status == "open"
    assert first.requested_at == datetime.datetime(2013, 5, 2, 8, 2, 7, tzinfo=datetime.UTC)


def test_requests_keep_no_text(open311_server):
    record = Open311Source(open311_server.url()).fetch_requests(START, END).records[0]

    assert not hasattr(record, "description")
    assert "uimahallin" not in repr(record)


def test_single_object_with_extensions(open311_server):
    source = Open311Source(open311_server.url("/tasks"), use_extensions=True)
    batch = source.fetch_requests(START, END)

    assert len(batch.records) == 1
    record = batch.records[0]
    assert record.service_code == "584"
    assert record.service_name == ""
    assert record.detailed_status == "PROCESSED"
    # The sample's lat and long are swapped as sent; placement corrects them.
    assert record.lat == pytest.approx(22.266944)
    assert record.lon == pytest.approx(60.451667)


def test_query_parameters_sent(open311_server):
    source = Open311Source(
        open311_server.url("/tasks"), jurisdiction_id="hel.fi", locale="fi_FI", use_extensions=True
    )
    source.fetch_requests(START, END)

    path, params = open311_server.calls[-1]
    assert path == "/tasks/v1/requests.json"
    assert params["start_date"] == ["2013-04-01T00:00:00Z"]
    assert params["end_date"] == ["2013-06-01T00:00:00Z"]
    assert params["extensions"] == ["true"]
    assert params["jurisdiction_id"] == ["hel.fi"]
    assert params["locale"] == ["fi_FI"]
    assert "api_key" not in params


def test_extensions_not_sent_by_default(open311_server):
    Open311Source(open311_server.url()).fetch_requests(START, END)

    assert "extensions" not in open311_server.calls[-1][1]


@pytest.mark.parametrize(
    ("prefix", "response_format"),
    [("/error", "json"), ("/error200", "json"), ("/xmlerror", "xml")],
)
def test_error_array_message(open311_server, prefix, response_format):
    source = Open311Source(open311_server.url(prefix), response_format=response_format)

    with translation.override("en"), pytest.raises(Open311Error) as raised:
        source.fetch_services()

    message = str(raised.value)
    assert message.startswith("The feedback service returned an error: 403 ")
    assert "Invalid api_key received" in message


def test_unknown_path_is_error(open311_server):
    with pytest.raises(Open311Error):
        Open311Source(open311_server.url("/missing")).fetch_services()


def test_host_not_allowed(open311_server, settings):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["palaute.example.fi"]

    with translation.override("en"), pytest.raises(FeedbackSourceError) as raised:
        Open311Source(open311_server.url()).fetch_services()

    assert "not on the list of allowed data sources" in str(raised.value)
    assert open311_server.calls == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("60.5", 60.5), (" 60,5 ", 60.5), (60.5, 60.5), (27, 27.0), ("", None), ("x", None),
     (None, None), (True, None), ("nan", None), ("inf", None)],
)  # fmt: skip
def test_parse_coordinate(value, expected):
    assert parse_coordinate(value) == expected


def test_api_key_not_in_error(settings):
    # Nothing listens on port 9 of loopback, so the connection fails and requests quotes the URL.
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    source = Open311Source("http://127.0.0.1:9/v1", api_key="salainen avain/1")

    with pytest.raises(FeedbackSourceError) as raised:
        source.fetch_services()

    assert "salainen" not in str(raised.value)
    assert "127.0.0.1" in str(raised.value)


def test_api_key_sent_when_set(open311_server):
    Open311Source(open311_server.url(), api_key="avain").fetch_services()

    assert open311_server.calls[-1][1]["api_key"] == ["avain"]


def test_discovery_endpoints(open311_server):
    endpoints = Open311Source(open311_server.url()).fetch_discovery()

    assert [endpoint.kind for endpoint in endpoints] == ["test", "production"]
    assert endpoints[1].url == "https://asiointi.hel.fi/palautews/rest/v1"
    assert "application/json" in endpoints[1].formats


def test_detailed_status_from_extensions(open311_server):
    batch = Open311Source(open311_server.url("/byid"), use_extensions=True).fetch_requests(
        START, END
    )

    record = batch.records[0]
    assert record.status == "closed"
    assert record.detailed_status == "PROCESSED"
    assert record.service_code == "171"


def _item(**values):
    item = {
        "service_request_id": "r1",
        "service_code": "171",
        "requested_datetime": "2025-03-01T10:00:00+02:00",
        "lat": "62.89",
        "long": "27.68",
    }
    return {**item, **values}


@pytest.mark.parametrize(
    "values",
    [
        {"service_request_id": "x" * 100_000},
        {"service_code": "c" * 101},
        {"requested_datetime": "2099-01-01T00:00:00Z"},
    ],
)
def test_request_with_bad_value_skipped(values, caplog):
    from osallistu.feedback.sources.open311 import parse_request

    assert parse_request(_item(**values)) is None
    assert "skipped" in caplog.text
    assert "x" * 300 not in caplog.text


@pytest.mark.parametrize(("lat", "lon"), [("1e308", "27.68"), ("62.89", "-400"), (91, 0)])
def test_request_coordinates_out_of_range_dropped(lat, lon, caplog):
    from osallistu.feedback.sources.open311 import parse_request

    record = parse_request(_item(lat=lat, long=lon))

    assert (record.lat, record.lon) == (None, None)
    assert "out of range" in caplog.text


def test_request_in_range_kept():
    from osallistu.feedback.sources.open311 import parse_request

    record = parse_request(_item())

    assert record.lat == pytest.approx(62.89)
    assert record.requested_at.year == 2025
