"""The CI switches: a missing PostgreSQL or Chromium fails the run where required, else skips.

Each test runs the real entry point (pytest with tests/conftest.py, or the Makefile) in a
subprocess with one component made unavailable.
"""

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

# Upper bound, in seconds, for each subprocess. None of them reaches a database or a browser.
SUBPROCESS_TIMEOUT = 120
# A browser test that needs nothing but Chromium and axe-core.
BROWSER_TEST = "tests/browser/test_accessibility.py::test_axe_reports_missing_alt"
# Loopback port 1 has no server, so a connection is refused at once.
UNREACHABLE_DATABASE_URL = "postgres://postgres@127.0.0.1:1/osallistu"
# Loaded with `-p` into the inner pytest: points tests/conftest.py at a Chromium that is not there.
WITHOUT_CHROMIUM_PLUGIN = """
import sys


def pytest_sessionstart(session):
    sys.modules["tests.conftest"].CHROMIUM = "/nonexistent/chromium"
"""


def _environment(**overrides: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        # The outer run's switches must not leak into the inner run, nor make's MAKEFLAGS, which
        # carries command-line overrides such as TEST_DATABASE_URL=... to every make below it.
        if not name.startswith(("OSALLISTU_REQUIRE_", "MAKE", "MFLAGS"))
    }
    env.update(overrides)
    return env


def _pytest_without_chromium(tmp_path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "without_chromium.py").write_text(WITHOUT_CHROMIUM_PLUGIN)
    pythonpath = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "without_chromium",
            "-p",
            "no:cacheprovider",
            "-q",
            BROWSER_TEST,
        ],
        cwd=REPO_ROOT,
        env=_environment(PYTHONPATH=pythonpath, **env),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


def _make_test_postgresql(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "test-postgresql"],
        cwd=REPO_ROOT,
        env=_environment(TEST_DATABASE_URL=UNREACHABLE_DATABASE_URL, **env),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


def test_browser_missing_required(tmp_path):
    result = _pytest_without_chromium(tmp_path, OSALLISTU_REQUIRE_BROWSER="1")

    assert result.returncode == 1, result.stdout
    assert "OSALLISTU_REQUIRE_BROWSER is set, but Debian's Chromium is not installed" in (
        result.stdout
    )
    assert "1 error" in result.stdout


def test_browser_missing_skips(tmp_path):
    result = _pytest_without_chromium(tmp_path)

    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "Debian's Chromium is not installed" in result.stdout


def test_postgresql_missing_required():
    result = _make_test_postgresql(OSALLISTU_REQUIRE_POSTGRES="1")

    assert result.returncode != 0
    assert "PostgreSQL is required" in result.stdout
    assert "Running the suite on PostgreSQL" not in result.stdout


def test_postgresql_missing_skips():
    result = _make_test_postgresql()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "the PostgreSQL run is skipped" in result.stdout
