"""A minimal HTTP client whose cookies go to every server, as behind one reverse proxy.

A browser behind a reverse proxy sends the same cookies to whichever application process serves a
request. This client does the same for servers on different loopback ports. It follows no
redirects, so a test sees each 302 itself.
"""

import http.client
import re
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

# Upper bound, in seconds, for connecting to a server and for each read from it.
TIMEOUT_SECONDS = 10

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        """Return the CSRF token of the first form in the page, and fail if the page has none."""
        match = _CSRF_INPUT.search(self.text)
        assert match, f"no CSRF token in the page (HTTP {self.status})"
        return match.group(1)


class ProxyClient:
    """HTTP client for 127.0.0.1 with one cookie store for all ports."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def get(self, port: int, path: str) -> Response:
        return self._request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str], files=None) -> Response:
        """POST `fields` form-encoded, or as multipart/form-data when `files` is given.

        `files` maps a field name to (file name, content type, bytes).
        """
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self._request(port, "POST", path, body, {"Content-Type": content_type})

    def _request(self, port, method, path, body=None, headers=None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        self._store_cookies(response.headers)
        return response

    def _store_cookies(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                # Django deletes a cookie by setting it empty with Max-Age=0.
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (filename, content_type, content) in files.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
