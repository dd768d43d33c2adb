import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from osallistu.core.fetch import FetchError, FetchNotAllowed, fetch_url, is_allowed


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"x" * (2048 if self.path.startswith("/big") else 5)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "http://example.org/")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize(
    ("allowed", "url", "expected"),
    [
        ([], "https://palaute.kuopio.fi/api", False),
        (["palaute.kuopio.fi"], "https://palaute.kuopio.fi/api", True),
        (["palaute.kuopio.fi"], "https://evil.kuopio.fi/api", False),
        ([".kuopio.fi"], "https://palaute.kuopio.fi/api", True),
        ([".kuopio.fi"], "https://kuopio.fi/", True),
        ([".kuopio.fi"], "https://notkuopio.fi/", False),
        (["palaute.kuopio.fi"], "ftp://palaute.kuopio.fi/", False),
        (["palaute.kuopio.fi"], "file:///etc/passwd", False),
    ],
)
def test_allow_list(settings, allowed, url, expected):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = allowed
    assert is_allowed(url) is expected


def test_fetch_outside_list_rejected(settings, local_server):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["palaute.kuopio.fi"]
    with pytest.raises(FetchNotAllowed):
        fetch_url(local_server + "/")


def test_fetch_allowed_host(settings, local_server):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    answer = fetch_url(local_server + "/ok", params={"a": "1"})
    assert answer.status == 200
    assert answer.content == b"xxxxx"


def test_fetch_does_not_follow_redirect(settings, local_server):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    answer = fetch_url(local_server + "/redirect")
    assert answer.status == 302


def test_fetch_size_limit(settings, local_server):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(FetchError):
        fetch_url(local_server + "/big", max_bytes=1000)


def test_fetch_connection_failure(settings):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(FetchError):
        fetch_url("http://127.0.0.1:9/", timeout=2)


def test_fetch_failure_hides_query(settings, caplog):
    settings.OSALLISTU_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]

    with pytest.raises(FetchError) as raised:
        fetch_url("http://127.0.0.1:9/requests.json?api_key=salainen-avain", timeout=2)

    assert "salainen-avain" not in str(raised.value)
    assert "salainen-avain" not in caplog.text
