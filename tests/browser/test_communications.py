"""WCAG 2.0/2.1 A and AA checks of the communication staff pages and the poster preview."""

import pytest
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import Suburb
from osallistu.communications import services
from osallistu.communications.models import CommunicationChannel
from tests.communications.support import workshop

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator_page(signed_in_page, resident):
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    return signed_in_page


@pytest.fixture
def suburb(db):
    return Suburb.objects.create(name="Neulamäki", slug="neulamaki")


@pytest.fixture
def event(suburb):
    return workshop(suburb)


def test_index_page(coordinator_page, suburb, event):
    page = coordinator_page
    page.goto("/communications/")

    assert page.locator("main table").count() == 2
    assert_accessible(page)


def test_poster_preview_pages(coordinator_page, event):
    page = coordinator_page
    page.goto(f"/communications/events/{event.slug}/poster/")
    assert page.locator("main iframe[title]").count() == 1
    assert_accessible(page)

    page.goto(f"/communications/suburbs/{event.suburb.slug}/poster.html")
    assert page.locator("html[lang=fi]").count() == 1
    assert_accessible(page)

    page.goto(f"/communications/events/{event.slug}/flyer.html")
    assert_accessible(page)


def test_newsletter_compose_with_errors(coordinator_page, suburb):
    page = coordinator_page
    page.goto(f"/communications/suburbs/{suburb.slug}/newsletters/new/")
    assert_accessible(page)

    page.fill("input[name=subject_sv]", "Rubrik")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)


def test_newsletter_preview_and_list(coordinator_page, resident, suburb):
    issue = services.newsletter_save(
        resident, suburb=suburb, subject="Kevään uutiset", body="Hei!\n\nTervetuloa mukaan."
    )
    page = coordinator_page
    page.goto(f"/communications/suburbs/{suburb.slug}/newsletters/{issue.pk}/")
    assert_accessible(page)

    page.goto(f"/communications/suburbs/{suburb.slug}/newsletters/")
    assert_accessible(page)


def test_channel_log_with_table_and_errors(coordinator_page, resident, suburb, event):
    # The live server's database is flushed between tests, which removes the seeded channels.
    channel, _created = CommunicationChannel.objects.get_or_create(
        code="local-paper", defaults={"kind": CommunicationChannel.Kind.LOCAL_PAPER}
    )
    services.channel_use_log(
        resident,
        suburb=suburb,
        channel=channel,
        step=event,
        used_on=timezone.localdate(),
        reach=15000,
    )
    page = coordinator_page
    page.goto(f"/communications/suburbs/{suburb.slug}/channels/")
    assert page.locator("main table").count() == 3
    assert_accessible(page)

    page.click("main form[method=post] button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
