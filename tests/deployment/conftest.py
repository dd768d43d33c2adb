"""Application processes in production shape: gunicorn, DEBUG off, one shared test database.

The servers run the real WSGI entry point with production settings on loopback ports, against the
database that pytest-django created for this run, so data that a test commits is visible to them.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.conftest import REPO_ROOT

BIN = Path(sys.executable).parent
# Upper bounds, in seconds, for collectstatic, for a server to start and for it to stop.
COLLECTSTATIC_TIMEOUT = 300
START_TIMEOUT = 30
STOP_TIMEOUT = 10


@dataclass(frozen=True)
class AppServer:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def database_url(settings_dict: dict) -> str:
    """Return a DATABASE_URL for the PostgreSQL database described by a Django settings dict."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = ""
    if user:
        credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production_env(django_db_setup, tmp_path_factory) -> dict[str, str]:
    """Return the environment of a production deployment on the test database.

    Static files are collected first, because the manifest storage used with DEBUG off serves
    only files listed in the manifest that collectstatic writes.
    """
    shared = tmp_path_factory.mktemp("shared")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "SECRET_KEY": "two-process-test-secret",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(shared / "media"),
        "STATIC_ROOT": str(shared / "static"),
        "TASKS_IMMEDIATE": "0",
    }
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COLLECTSTATIC_TIMEOUT,
    )
    assert collected.returncode == 0, f"collectstatic failed:\n{collected.stderr}"
    return env


@contextlib.contextmanager
def running_app_server(name: str, env: dict[str, str], log_dir: Path):
    """Run `gunicorn osallistu.wsgi` on a free loopback port until the block ends."""
    port = free_port()
    log_path = log_dir / f"gunicorn-{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "osallistu.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--access-logfile=-",
                "--error-logfile=-",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(name=name, port=port, process=process, log_path=log_path)
    try:
        _wait_until_serving(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def _wait_until_serving(server: AppServer) -> None:
    # Requests that arrive before a worker has loaded the application wait in the listen backlog,
    # so an open port is enough.
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn {server.name} exited on start:\n{server.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                pass
        except OSError:
            time.sleep(0.1)
            continue
        return
    pytest.fail(
        f"gunicorn {server.name} did not listen within {START_TIMEOUT} s:\n{server.log_tail()}"
    )


@pytest.fixture(scope="module")
def app_servers(production_env, tmp_path_factory):
    """Return two application servers, A and B, that share the database, media and secret key."""
    log_dir = tmp_path_factory.mktemp("logs")
    with (
        running_app_server("A", production_env, log_dir) as server_a,
        running_app_server("B", production_env, log_dir) as server_b,
    ):
        yield server_a, server_b


@pytest.fixture(autouse=True)
def _print_server_logs(request):
    """Print what the application servers logged during a test, which pytest shows on failure."""
    if "app_servers" not in request.fixturenames:
        yield
        return
    servers = request.getfixturevalue("app_servers")
    offsets = {server.name: server.log_path.stat().st_size for server in servers}
    yield
    for server in servers:
        with server.log_path.open("rb") as log:
            log.seek(offsets[server.name])
            print(f"--- gunicorn {server.name} log during the test ---")
            print(log.read().decode(errors="replace"))
