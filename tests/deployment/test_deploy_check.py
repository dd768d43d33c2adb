"""Django's deployment checks pass on the production environment of docs/deployment.md."""

import secrets
import subprocess
import sys

from tests.conftest import REPO_ROOT

# Upper bound, in seconds, for one `manage.py check` run. It reaches no database.
CHECK_TIMEOUT = 120


def _production_environment(tmp_path, **overrides: str) -> dict[str, str]:
    """Return the environment that docs/deployment.md gives production, and nothing else."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "OSALLISTU_IDENTITY_HMAC_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "osallistu.kuopio.fi",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "OSALLISTU_SITE_URL": "https://osallistu.kuopio.fi",
        "OSALLISTU_HTTPS": "1",
        "TRUSTED_PROXY_COUNT": "1",
    }
    environment.update(overrides)
    return environment


def _check_deploy(tmp_path, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=_production_environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT,
    )


def test_deploy_check_passes_in_production(tmp_path):
    result = _check_deploy(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_https(tmp_path):
    result = _check_deploy(tmp_path, OSALLISTU_HTTPS="0")
    output = result.stdout + result.stderr

    assert result.returncode != 0
    assert "security.W004" in output  # SECURE_HSTS_SECONDS
    assert "security.W008" in output  # SECURE_SSL_REDIRECT
    assert "security.W012" in output  # SESSION_COOKIE_SECURE
    assert "security.W016" in output  # CSRF_COOKIE_SECURE


def test_deploy_check_fails_with_short_key(tmp_path):
    result = _check_deploy(tmp_path, SECRET_KEY="short")

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
