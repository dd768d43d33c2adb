"""WCAG 2.0/2.1 A and AA checks with axe-core in Debian's Chromium on the residents' main pages."""

import re

import pytest

from osallistu.budgeting.models import ParticipationRecord, Project

from .axe import assert_accessible, axe_results, format_violations

pytestmark = pytest.mark.browser

BALLOT_URL = "/processes/lahiobudjetti/vote/testilahio/"


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


def test_ballot_page(signed_in_page, voting_process):
    page = signed_in_page
    page.goto(BALLOT_URL)
    first_choice = page.locator("#ballot-form input[type=checkbox]").first
    first_choice.check()

    assert page.locator("#ballot-form input[type=checkbox]").count() == len(
        voting_process.budget_areas.get().projects.all()
    )
    # ballot.js shows the running total in a live region once a proposal is chosen.
    assert page.locator("#budget-total").is_visible()
    assert_accessible(page)


def test_ballot_over_budget(signed_in_page, voting_process):
    page = signed_in_page
    page.goto(BALLOT_URL)
    over_budget = ["Hanke 1", "Hanke 2", "Hanke 4"]  # 20 000 + 15 000 + 30 000 > 50 000 €
    for title in over_budget:
        page.get_by_label(title, exact=False).check()
    page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert alert.locator(".errorlist li").count() == 1
    # Finnish, the default language, groups thousands with a (no-break) space.
    message = re.sub(r"\s", " ", alert.inner_text())
    assert "65 000 €" in message
    assert "50 000 €" in message
    for title in over_budget:
        assert page.get_by_label(title, exact=False).is_checked(), title
    assert not ParticipationRecord.objects.filter(process=voting_process).exists()
    assert_accessible(page)


def test_results_page(page, voting_process, django_user_model):
    from osallistu.budgeting import services

    area = voting_process.budget_areas.get()
    projects = {project.title: project for project in Project.objects.filter(area=area)}
    # Hanke 4 and Hanke 1 are funded, Hanke 2 does not fit in what remains, Hanke 3 has no votes.
    ballots = [["Hanke 4", "Hanke 1"], ["Hanke 4", "Hanke 1"], ["Hanke 4", "Hanke 2"]]
    for number, titles in enumerate(ballots, start=1):
        voter = django_user_model.objects.create_user(
            email=f"aanestaja{number}@example.fi", password="Salasana-123"
        )
        services.ballot_cast(
            voter=voter, area=area, project_ids=[projects[title].pk for title in titles]
        )
    voting_process.results_published = True
    voting_process.save()

    page.goto(f"/processes/{voting_process.slug}/results/")

    assert page.locator("table tbody tr").count() == len(projects)
    assert_accessible(page)
