"""WCAG 2.0/2.1 A and AA checks of the programme pages and a staff form with errors."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment
from osallistu.accounts.services import service_areas_ensure
from osallistu.areas.models import DevelopmentTheme, Suburb
from osallistu.events.models import Event
from osallistu.programmes.models import Goal, GoalMeasurement, KeyAction, Programme, ProjectPackage
from osallistu.programmes.services import package_open_co_design

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(db, resident):
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    theme = DevelopmentTheme.objects.create(suburb=suburb, title="Nuorten paikat")
    programme = Programme.objects.create(
        suburb=suburb, title="Neulamäen lähiöohjelma", slug="neulamaki", starts_year=2026
    )
    goal = Goal.objects.create(
        programme=programme,
        theme=theme,
        title="Nuoret kokevat lähiön omakseen",
        measure_kind="count",
        measure_label="tavoitetut nuoret",
        baseline=Decimal(20),
        baseline_year=2025,
        target=Decimal(120),
        target_year=2029,
    )
    GoalMeasurement.objects.create(goal=goal, year=2026, value=Decimal(45))
    Goal.objects.create(programme=programme, title="Asukkaat vaikuttavat", measure_kind="survey")
    key_action = KeyAction.objects.create(
        programme=programme, title="Koulun pihan kunnostus", starts_year=2027
    )
    key_action.goals.add(goal)
    package = ProjectPackage.objects.create(
        programme=programme,
        title="Koulun piha",
        slug="koulun-piha",
        service_area=service_areas_ensure()[0],
    )
    package.key_actions.add(key_action)
    package.themes.add(theme)
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    process = package_open_co_design(user=resident, package=package, starts_on=timezone.localdate())
    starts = timezone.now() + datetime.timedelta(days=5)
    Event.objects.create(
        process=process,
        kind=Event.Kind.WORKSHOP,
        title="Pihan suunnittelutyöpaja",
        slug="pihan-tyopaja",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Neulamäen koulu",
    )
    return programme


def test_programme_list_and_page(page, programme):
    page.goto("/programmes/")
    assert page.locator("main .card").count() == 1
    assert_accessible(page)

    page.goto(f"/programmes/{programme.slug}/")
    assert page.locator("main section").count() == 2
    assert_accessible(page)


def test_package_page(signed_in_page, programme):
    page = signed_in_page
    page.goto(f"/programmes/{programme.slug}/packages/koulun-piha/")
    assert page.locator("main a[href='/events/pihan-tyopaja/']").count() == 1
    assert_accessible(page)


def test_staff_pages_and_goal_form_with_errors(signed_in_page, programme):
    page = signed_in_page
    page.goto(f"/programmes/staff/{programme.slug}/")
    assert_accessible(page)

    page.goto(f"/programmes/staff/{programme.slug}/goals/new/")
    page.fill("#id_title", "Työttömyys laskee")
    page.select_option("#id_measure_kind", "indicator")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_indicator[aria-invalid=true]").count() == 1
    assert page.input_value("#id_title") == "Työttömyys laskee"
    assert_accessible(page)


def test_package_form_with_errors(signed_in_page, programme):
    page = signed_in_page
    page.goto(f"/programmes/staff/{programme.slug}/packages/new/")
    page.fill("#id_title", "Nuorten illat")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_co_design_date_kept_by_browser(signed_in_page, programme):
    # Chromium discards a non-ISO value of <input type="date">, which left the field empty.
    package = ProjectPackage.objects.create(
        programme=programme,
        title="Nuorten illat",
        slug="nuorten-illat",
        description="Iltatoiminta ostoskeskuksessa.",
        service_area=service_areas_ensure()[0],
    )
    page = signed_in_page
    page.goto(f"/programmes/staff/{programme.slug}/packages/{package.pk}/co-design/")
    assert page.input_value("#id_starts_on") == timezone.localdate().isoformat()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    package.refresh_from_db()
    debate = package.process.debates.get()
    page.goto(f"/programmes/{programme.slug}/packages/nuorten-illat/")
    debate_url = reverse("participation:debate_detail", args=[package.process.slug, debate.pk])
    assert page.locator(f"main a[href='{debate_url}']").count() == 1
