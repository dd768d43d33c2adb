"""Fixtures: a loopback Open311 server that serves the real samples, and polygon postal areas."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import PostalArea, Suburb
from osallistu.feedback.models import FeedbackSourceConfig

DATA = Path(__file__).resolve().parent.parent / "data" / "open311"
JSON_UTF8 = "application/json; charset=utf-8"
# Helsinki serves the Swedish list in ISO-8859-1 and names no charset.
JSON_PLAIN = "application/json"
XML_UTF8 = "text/xml; charset=utf-8"

# Path on the test server -> (sample file, HTTP status, Content-Type). Each prefix stands for
# one kind of service, so a test picks the behaviour by the endpoint URL it configures.
ROUTES = {
    "/v1/services.json": ("helsinki_services.json", 200, JSON_UTF8),
    "/v1/requests.json": ("helsinki_requests_docexample.json", 200, JSON_UTF8),
    "/v1/discovery.json": ("helsinki_discovery.json", 200, JSON_UTF8),
    "/fi/v1/services.json": ("helsinki_services_fi.json", 200, JSON_UTF8),
    "/sv/v1/services.json": ("helsinki_services_sv.json", 200, JSON_PLAIN),
    "/sv-claims-utf8/v1/services.json": ("helsinki_services_sv.json", 200, JSON_UTF8),
    "/xml/v1/services.xml": ("helsinki_services.xml", 200, XML_UTF8),
    "/byid/v1/requests.json": ("helsinki_request_by_id_extensions_docexample.json", 200, JSON_UTF8),
    "/tasks/v1/services.json": ("helsinki_services.json", 200, JSON_UTF8),
    "/tasks/v1/requests.json": ("helsinki_request_extensions_tasks.json", 200, JSON_UTF8),
    "/error/v1/services.json": ("georeport_v2_error_403_spec.json", 403, JSON_UTF8),
    "/error200/v1/services.json": ("georeport_v2_error_403_spec.json", 200, JSON_UTF8),
    "/xmlerror/v1/services.xml": ("georeport_v2_error_403_spec.xml", 403, XML_UTF8),
}


class Open311Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = urlsplit(self.path)
        self.server.calls.append((parts.path, parse_qs(parts.query)))
        route = ROUTES.get(parts.path)
        if route is None:
            body, status, content_type = b'[{"code":404,"description":"Not found"}]', 404, JSON_UTF8
        else:
            name, status, content_type = route
            body = (DATA / name).read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class Open311Server:
    """A running loopback server: `url(prefix)` gives an endpoint, `calls` the requests seen."""

    def __init__(self, server: ThreadingHTTPServer):
        self._server = server
        self.calls = server.calls

    def url(self, prefix: str = "") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{prefix}/v1"


@pytest.fixture
def open311_server(settings):
    """Serve the samples on 127.0.0.1 for one test, with 127.0.0.1 on the fetch allow-list."""
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Open311Handler)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Open311Server(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def load_polygons() -> dict[str, PostalArea]:
    """Create the fixture's three postal areas in the configured municipality."""
    data = json.loads((DATA / "polygons.geojson").read_text(encoding="utf-8"))
    areas = {}
    for feature in data["features"]:
        code = feature["properties"]["postal_code"]
        areas[code] = PostalArea.objects.create(
            code=code,
            name=feature["properties"]["name"],
            municipality_code=django_settings.OSALLISTU_MUNICIPALITY_CODE,
            geometry=feature["geometry"],
            geometry_is_development_data=True,
        )
    return areas


@pytest.fixture
def polygons(db):
    return load_polygons()


@pytest.fixture
def test_suburb(polygons):
    """Return a suburb of 00940 and 20100, and a second suburb that shares 00560 with it."""
    suburb = Suburb.objects.create(name="Testilähiö", slug="testilahio")
    suburb.postal_areas.set([polygons["00940"], polygons["20100"], polygons["00560"]])
    neighbour = Suburb.objects.create(name="Naapurila", slug="naapurila")
    neighbour.postal_areas.set([polygons["00560"]])
    return suburb


@pytest.fixture
def open311_source(db, open311_server):
    return FeedbackSourceConfig.objects.create(
        name="Helsingin palaute (testi)",
        slug="helsinki",
        kind=FeedbackSourceConfig.Kind.OPEN311,
        endpoint_url=open311_server.url(),
    )


@pytest.fixture
def csv_source(db):
    return FeedbackSourceConfig.objects.create(
        name="Palautetiedosto", slug="tiedosto", kind=FeedbackSourceConfig.Kind.CSV
    )


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    return client
