"""Check the pinned packages of constraints.txt against known vulnerabilities with pip-audit.

Exit 1 if any pinned version has a known vulnerability that IGNORED_VULNERABILITIES does not
list. pip-audit queries PyPI's vulnerability data for each pinned version. Where PyPI returns
none (no network, or a package mirror without the per-version JSON API), the packages are reported
as not audited, and the run fails only with OSALLISTU_REQUIRE_AUDIT=1. Set that in CI wherever
CI can reach PyPI.

Usage: python scripts/audit_dependencies.py [constraints file]
"""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Vulnerability ID to the reason it does not apply or cannot be fixed yet, with the date of the
# decision. Review each entry when its package is upgraded.
IGNORED_VULNERABILITIES: dict[str, str] = {}
# Upper bound, in seconds, for the pip-audit run.
AUDIT_TIMEOUT = 600


def run_pip_audit(constraints: Path) -> dict:
    """Run pip-audit on `constraints` and return its JSON report."""
    command = [
        str(Path(sys.executable).parent / "pip-audit"),
        "--requirement",
        str(constraints),
        # constraints.txt pins every package, dependencies included, so pip need not resolve.
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    for vulnerability_id in IGNORED_VULNERABILITIES:
        command += ["--ignore-vuln", vulnerability_id]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=AUDIT_TIMEOUT, check=False
    )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"pip-audit failed with exit status {result.returncode}.") from None


def summarise(report: dict) -> tuple[list[str], list[str]]:
    """Return the report's vulnerability lines and the names of the packages it skipped."""
    vulnerable = []
    skipped = []
    for dependency in report["dependencies"]:
        if "skip_reason" in dependency:
            skipped.append(dependency["name"])
            continue
        for vulnerability in dependency.get("vulns", []):
            if vulnerability["id"] in IGNORED_VULNERABILITIES:
                continue
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version"
            vulnerable.append(
                f"{dependency['name']} {dependency['version']}: {vulnerability['id']} "
                f"(fixed in: {fixes})"
            )
    return vulnerable, skipped


def main() -> int:
    constraints = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "constraints.txt"
    vulnerable, skipped = summarise(run_pip_audit(constraints))
    for line in vulnerable:
        print(f"Vulnerable: {line}")
    if vulnerable:
        print(
            "Upgrade the package in constraints.txt and run make test, or, if no fixed version "
            "exists, list the ID in IGNORED_VULNERABILITIES of scripts/audit_dependencies.py "
            "with a dated reason."
        )
        return 1
    if skipped:
        print(
            f"{len(skipped)} packages could not be audited, because PyPI returned no "
            f"vulnerability data for them: {', '.join(skipped)}."
        )
        if os.environ.get("OSALLISTU_REQUIRE_AUDIT"):
            print("The audit is required (OSALLISTU_REQUIRE_AUDIT=1), so this is a failure.")
            return 1
        return 0
    print("No known vulnerabilities in the pinned packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
