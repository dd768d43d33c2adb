"""WCAG 2.0/2.1 A and AA checks with axe-core in Debian's Chromium on the residents' main pages."""

import pytest

from osallistu.budgeting.models import Project
from tests.budgeting.voting import make_record

from .axe import assert_accessible, axe_results, format_violations

pytestmark = pytest.mark.browser


def test_axe_reports_missing_alt(page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "</main></body></html>"
    )

    results = axe_results(page)
    report = format_violations(page.url, results["violations"])

    assert "image-alt" in {violation["id"] for violation in results["violations"]}
    assert "- image-alt (critical)" in report
    assert "    at img" in report


def test_front_page(page, voting_process):
    page.goto("/")

    assert page.locator("h1").count() == 1
    assert page.get_by_role("link", name=voting_process.title).count() == 1
    assert_accessible(page)


def test_front_page_swedish(page, voting_process):
    page.goto("/sv/")

    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)


def test_area_page(page, neulamaki):
    page.goto(f"/areas/{neulamaki.code}/")

    assert "Neulamäki" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_sign_in_page(page):
    page.goto("/accounts/login/")

    assert page.locator("input[name=password]").count() == 1
    assert_accessible(page)


def test_results_page(page, voting_process):
    from osallistu.budgeting import services

    area = voting_process.budget_areas.get()
    projects = {project.title: project for project in Project.objects.filter(area=area)}
    # Hanke 4 and Hanke 1 are funded, Hanke 2 does not fit in what remains, Hanke 3 has no votes.
    ballots = [["Hanke 4", "Hanke 1"], ["Hanke 4", "Hanke 1"], ["Hanke 4", "Hanke 2"]]
    for number, titles in enumerate(ballots, start=1):
        record = make_record(voting_process, digest=f"{number:064d}")
        services.cast_ballot(record, area, [projects[title].pk for title in titles])
    voting_process.results_published = True
    voting_process.save()

    page.goto(f"/processes/{voting_process.slug}/results/")

    assert page.locator("table tbody tr").count() == len(projects)
    assert_accessible(page)
