"""The dependency audit: vulnerable pins fail, unaudited packages fail only if required."""

import importlib.util

from tests.conftest import REPO_ROOT

spec = importlib.util.spec_from_file_location(
    "audit_dependencies", REPO_ROOT / "scripts" / "audit_dependencies.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [
            {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": [], "description": ""},
        ]},
        {"name": "shapely", "version": "2.2.0", "vulns": []},
    ],
    "fixes": [],
}  # fmt: skip
UNANSWERED = {
    "dependencies": [
        {"name": "shapely", "version": "2.2.0", "vulns": []},
        {"name": "pyproj", "skip_reason": "Dependency not found on PyPI"},
    ],
    "fixes": [],
}


def _main(monkeypatch, report: dict) -> int:
    monkeypatch.setattr(audit, "run_pip_audit", lambda constraints: report)
    monkeypatch.setattr("sys.argv", ["audit_dependencies.py"])
    return audit.main()


def test_vulnerable_pin_fails(monkeypatch, capsys):
    assert _main(monkeypatch, VULNERABLE) == 1
    assert "django 5.2.0: PYSEC-2025-1 (fixed in: 5.2.1)" in capsys.readouterr().out


def test_ignored_vulnerability_passes(monkeypatch):
    monkeypatch.setitem(audit.IGNORED_VULNERABILITIES, "PYSEC-2025-1", "2026-12-05: test")

    assert _main(monkeypatch, VULNERABLE) == 0


def test_unanswered_packages_pass_by_default(monkeypatch, capsys):
    monkeypatch.delenv("OSALLISTU_REQUIRE_AUDIT", raising=False)

    assert _main(monkeypatch, UNANSWERED) == 0
    assert "1 packages could not be audited" in capsys.readouterr().out


def test_unanswered_packages_fail_if_required(monkeypatch):
    monkeypatch.setenv("OSALLISTU_REQUIRE_AUDIT", "1")

    assert _main(monkeypatch, UNANSWERED) == 1


def test_clean_report_passes(monkeypatch, capsys):
    report = {"dependencies": [{"name": "shapely", "version": "2.2.0", "vulns": []}], "fixes": []}

    assert _main(monkeypatch, report) == 0
    assert "No known vulnerabilities" in capsys.readouterr().out
