"""WCAG 2.0/2.1 A and AA checks of the event, organisation and participation statistics pages."""

import datetime

import pytest
from django.utils import timezone
from django.utils.text import slugify

from osallistu.accounts.models import RoleAssignment
from osallistu.events.models import Event, EventOutcome, Registration
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation.models import Channel, Comment, Idea, Phase

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def process(make_process, neulamaki):
    from osallistu.areas.models import Suburb

    process = make_process(current=Phase.Kind.IDEATION, slug="kehitys")
    process.suburbs.add(Suburb.objects.get(slug="neulamaki"))
    return process


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Neulamäki-seura",
        slug="neulamaki-seura",
        description="Asukasyhdistys, joka järjestää talkoita ja pihajuhlia.",
        website="https://neulamaki.example.fi",
    )


def _event(process, *, title, days, **fields):
    starts_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days)
    return Event.objects.create(
        process=process,
        title=title,
        slug=slugify(title),
        kind=fields.pop("kind", Event.Kind.WORKSHOP),
        place="Neulamäen koulu",
        address="Neulamäentie 5",
        accessibility="Esteetön sisäänkäynti pihan puolelta. Induktiosilmukka salissa.",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        **fields,
    )


@pytest.fixture
def workshop(process, organisation):
    event = _event(
        process,
        title="Puistotyöpaja",
        days=7,
        description="Suunnitellaan yhdessä Neulamäen puistoa.",
        registration_required=True,
        capacity=20,
    )
    event.co_hosts.add(organisation)
    return event


@pytest.fixture
def held_event(process, organisation):
    event = _event(process, title="Pop-up kauppakeskuksessa", days=-3, kind=Event.Kind.OUTREACH)
    event.co_hosts.add(organisation)
    return event


@pytest.fixture
def coordinator_page(signed_in_page, resident):
    """Return the signed-in page of `resident`, who coordinates every process."""
    RoleAssignment.objects.create(user=resident, role=RoleAssignment.Role.COORDINATOR)
    return signed_in_page


def _submit(page, form_selector: str = "main form[method=post]") -> None:
    page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state()


def test_event_list(page, workshop, held_event):
    page.goto("/events/")

    assert page.locator(".card-list .card").count() == 1
    assert page.get_by_role("link", name=workshop.title).count() == 1
    assert_accessible(page)


def test_event_list_past(page, workshop, held_event):
    page.goto("/events/?when=past")

    assert page.get_by_role("link", name=held_event.title).count() == 1
    assert_accessible(page)


def test_event_detail_anonymous(page, workshop):
    page.goto(f"/events/{workshop.slug}/")

    assert page.locator("h1").inner_text() == workshop.title
    assert page.locator("a[href^='/accounts/login/']").count() >= 1
    assert_accessible(page)


def test_event_registration(signed_in_page, workshop, resident):
    page = signed_in_page
    page.goto(f"/events/{workshop.slug}/")

    _submit(page, f"form[action$='/events/{workshop.slug}/register/']")

    assert Registration.objects.get(user=resident).status == Registration.Status.CONFIRMED
    assert page.locator(".message-success").count() == 1
    assert page.locator(f"form[action$='/events/{workshop.slug}/cancel/']").count() == 1
    assert_accessible(page)


def test_event_form_errors(coordinator_page, process):
    page = coordinator_page
    page.goto(f"/events/new/?process={process.slug}")
    page.fill("#id_place", "Neulamäen koulu")
    page.fill("#id_starts_at", "2031-06-10T18:00")
    page.fill("#id_ends_at", "2031-06-10T17:00")
    page.fill("#id_capacity", "0")

    _submit(page)

    assert page.get_by_role("alert").count() == 1
    assert page.locator(".errorlist li").count() >= 3
    assert page.locator("#id_place").input_value() == "Neulamäen koulu"
    assert not Event.objects.exists()
    assert_accessible(page)


def test_event_edit_form(coordinator_page, workshop):
    page = coordinator_page
    page.goto(f"/events/{workshop.slug}/edit/")

    assert page.locator("fieldset legend").count() == 1
    assert page.locator("input[name=co_hosts]").count() == 1
    assert_accessible(page)


def test_outcome_form_errors(coordinator_page, held_event):
    page = coordinator_page
    page.goto(f"/events/{held_event.slug}/outcome/")
    page.fill("#id_participants_0_12", "-2")

    _submit(page)

    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_participants_0_12").input_value() == "-2"
    assert not EventOutcome.objects.exists()
    assert_accessible(page)


def test_paper_idea_form_errors(coordinator_page, held_event):
    page = coordinator_page
    page.goto(f"/events/{held_event.slug}/ideas/new/")
    page.fill("#id_description", "Penkki bussipysäkille.")

    _submit(page)

    assert page.get_by_role("alert").count() == 1
    assert not Idea.objects.exists()
    assert_accessible(page)


def test_organisation_profile(page, organisation, workshop, process):
    idea = Idea.objects.create(
        process=process,
        title="Pihajuhla koulun kentällä",
        description="Seura järjestäisi pihajuhlan.",
        organisation=organisation,
    )
    Comment.objects.create(idea=idea, body="Seura on mukana talkoissa.", organisation=organisation)

    page.goto(f"/organisations/{organisation.slug}/")

    assert page.get_by_role("link", name=workshop.title).count() == 1
    assert page.get_by_role("link", name=idea.title).count() == 2
    assert_accessible(page)


def test_organisation_members_errors(signed_in_page, organisation, resident):
    Membership.objects.create(organisation=organisation, user=resident, role=Membership.Role.ADMIN)
    page = signed_in_page
    page.goto(f"/organisations/{organisation.slug}/members/")
    page.fill("#id_email", "ei.tilia@example.fi")

    _submit(page, "form:not([action])")

    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_email").input_value() == "ei.tilia@example.fi"
    assert_accessible(page)


def test_statistics_page(coordinator_page, process, held_event):
    EventOutcome.objects.create(
        event=held_event,
        summary="Keskusteltiin puistosta.",
        participants_by_age_group={"0-12": 4, "30-64": 9, "65+": 6, "unknown": 3},
    )
    Idea.objects.create(process=process, title="Idea", description="x", channel=Channel.PAPER)
    page = coordinator_page

    page.goto(f"/events/statistics/{process.slug}/")

    assert page.locator("table").count() == 2
    assert page.locator("table").nth(1).locator("tbody tr").count() == 6
    assert_accessible(page)
