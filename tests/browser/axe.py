"""Run axe-core in a Playwright page and report WCAG violations readably."""

import pytest

from tests.conftest import AXE_PATH

# The axe-core rule tags of WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_results(page) -> dict:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page and return its result object."""
    page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )


def format_violations(url: str, violations: list[dict]) -> str:
    """Return the violations as a readable list: rule, impact, help, then each failing element."""
    lines = [f"{len(violations)} WCAG 2.0/2.1 A/AA rule(s) violated on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(selector) for selector in node["target"])
            lines.append(f"    at {target}")
            for summary_line in node.get("failureSummary", "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


def failed_resources(page) -> list[str]:
    """Return "status URL" for each stylesheet, script or image of the page that failed to load."""
    return page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter((entry) => entry.responseStatus >= 400)"
        ".map((entry) => entry.responseStatus + ' ' + entry.name)"
    )


def assert_accessible(page) -> None:
    """Fail the test with a readable list if axe-core finds a WCAG 2.0/2.1 A or AA violation.

    The page must first have loaded all its resources, because contrast and visibility checks on a
    page without its stylesheet say nothing about the page residents see.
    """
    failed = failed_resources(page)
    assert not failed, f"resources of {page.url} failed to load: {failed}"
    results = axe_results(page)
    # An empty `passes` list means axe-core checked nothing, so a clean result would prove nothing.
    assert results["passes"], f"axe-core ran no WCAG rule on {page.url}"
    if results["violations"]:
        pytest.fail(format_violations(page.url, results["violations"]), pytrace=False)
