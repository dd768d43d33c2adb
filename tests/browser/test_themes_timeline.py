"""WCAG 2.0/2.1 A and AA checks of the process timeline and the development theme pages."""

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.participation.models import Phase, Theme

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def ideation_process(make_process):
    """Return a process in ideation with themes of every status."""
    process = make_process(current=Phase.Kind.IDEATION, slug="ideointi")
    accepted = Theme.objects.create(
        process=process,
        title="Palveluiden saavutettavuus",
        description="Lähikirjasto ja terveysasema ovat yli kahden kilometrin päässä.",
        status=Theme.Status.ACCEPTED,
    )
    Theme.objects.create(
        process=process,
        title="Asukastoiminta ja alueen omistajuus",
        description="Alueella ei ole tilaa, jossa asukkaat voisivat kokoontua.",
        status=Theme.Status.SUGGESTED,
    )
    Theme.objects.create(
        process=process,
        title="Kirjastoauto",
        status=Theme.Status.MERGED,
        merged_into=accepted,
        public_reason="Kirjastoauto on osa palveluiden saavutettavuutta.",
    )
    Theme.objects.create(
        process=process,
        title="Uimahalli",
        status=Theme.Status.DECLINED,
        public_reason="Uimahalli kuuluu kaupungin investointiohjelmaan.",
    )
    return process


@pytest.fixture
def coordinator_page(signed_in_page, resident):
    """Return the signed-in page of `resident`, who coordinates every process."""
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    return signed_in_page


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()
    page.wait_for_load_state()


def test_process_page_anonymous(page, ideation_process):
    page.goto(f"/processes/{ideation_process.slug}/")

    assert page.locator("[aria-current=step]").count() == 1
    assert page.locator(f"a[href$='/processes/{ideation_process.slug}/themes/']").count() == 1
    assert_accessible(page)


def test_process_page_signed_in(signed_in_page, ideation_process):
    page = signed_in_page
    page.goto(f"/processes/{ideation_process.slug}/")

    assert page.locator(f"a[href$='/{ideation_process.slug}/ideas/new/']").count() == 1
    assert page.locator(f"a[href$='/{ideation_process.slug}/themes/suggest/']").count() == 1
    assert_accessible(page)


def test_theme_list(page, ideation_process):
    page.goto(f"/processes/{ideation_process.slug}/themes/")

    assert page.locator("h1").count() == 1
    assert page.locator(".card").count() == 4
    assert_accessible(page)


def test_suggestion_form_errors(signed_in_page, ideation_process):
    page = signed_in_page
    page.goto(f"/processes/{ideation_process.slug}/themes/suggest/")
    # A title that the process already has, in other letter case.
    page.fill("input[name=title]", "palveluiden saavutettavuus")
    page.fill("textarea[name=description]", "Kirjasto on liian kaukana.")
    _submit(page, "main form")

    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert page.locator(".errorlist li").count() == 1
    assert page.input_value("input[name=title]") == "palveluiden saavutettavuus"
    assert page.input_value("textarea[name=description]") == "Kirjasto on liian kaukana."
    assert Theme.objects.filter(process=ideation_process).count() == 4
    assert_accessible(page)


def test_staff_theme_page_errors(coordinator_page, ideation_process):
    page = coordinator_page
    page.goto(f"/processes/{ideation_process.slug}/themes/manage/")
    page.fill("input[name=title]", "Palveluiden saavutettavuus")
    page.fill("textarea[name=description]", "Perustuu Paavo-tietoon.")
    _submit(page, "main form")

    assert page.get_by_role("alert").count() == 1
    assert page.input_value("textarea[name=description]") == "Perustuu Paavo-tietoon."
    assert page.locator("table").count() == 2
    assert_accessible(page)


def test_theme_decision_errors(coordinator_page, ideation_process):
    page = coordinator_page
    suggestion = Theme.objects.get(process=ideation_process, status=Theme.Status.SUGGESTED)
    page.goto(f"/processes/{ideation_process.slug}/themes/manage/{suggestion.pk}/")
    page.check("input[name=decision][value=merge]")
    _submit(page, "main form")

    assert page.get_by_role("alert").count() == 1
    # The merge target and the public reason are both missing.
    assert page.locator(".errorlist li").count() == 2
    assert page.is_checked("input[name=decision][value=merge]")
    suggestion.refresh_from_db()
    assert suggestion.status == Theme.Status.SUGGESTED
    assert_accessible(page)
