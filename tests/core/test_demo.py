"""The Kuopio demo loads real data, opens a ballot, and loads only once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from osallistu.accounts.models import ServiceArea
from osallistu.areas.models import DevelopmentTheme, PaavoRecord, PostalArea, Suburb
from osallistu.budgeting.models import BudgetArea, Project
from osallistu.events.models import Event
from osallistu.organisations.models import Organisation
from osallistu.participation import rules
from osallistu.participation.models import Debate, Idea, Phase, Poll, PollOption, Process, Theme

pytestmark = pytest.mark.django_db

MODELS = [
    PostalArea,
    PaavoRecord,
    Suburb,
    Process,
    Phase,
    Idea,
    BudgetArea,
    Project,
    ServiceArea,
    Theme,
    Debate,
    Poll,
    PollOption,
    Organisation,
    Event,
    DevelopmentTheme,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_adds_nothing():
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first


def test_demo_has_two_suburbs_with_50000_euros():
    call_command("load_demo")
    process = Process.objects.get(slug="lahiobudjetti-esimerkki")
    budgets = {area.suburb.slug: area.budget for area in process.budget_areas.all()}
    assert budgets == {"neulamaki": 50000, "jynkka": 50000}
    assert rules.voting_is_open(process)
    assert process.phases.count() == 5


def test_demo_ideas_are_marked_as_examples(client):
    call_command("load_demo")
    assert Idea.objects.filter(is_example=False).count() == 0
    assert Project.objects.filter(is_example=False).count() == 0
    content = client.get(
        reverse("participation:idea_list", args=["lahiobudjetti-esimerkki"])
    ).content.decode()
    assert "Esimerkkisisältöä" in content


def test_demo_loads_real_kuopio_paavo_data():
    call_command("load_demo")
    assert PostalArea.objects.filter(municipality_name="Kuopio").count() == 65
    record = PaavoRecord.objects.get(postal_area__code="70100")
    assert record.values["he_vakiy"] == 12729
    assert record.statistics_year == 2024


def test_demo_keeps_ideas_added_later(resident):
    call_command("load_demo")
    process = Process.objects.get(slug="lahiobudjetti-ideointi-esimerkki")
    Idea.objects.create(process=process, author=resident, title="Oma idea", description="x")
    call_command("load_demo")
    assert Idea.objects.filter(title="Oma idea").count() == 1


def test_demo_has_example_participation(client):
    call_command("load_demo")
    counts = _counts()
    assert counts["ServiceArea"] == 3
    assert counts["Theme"] == 3
    # Other apps' demos add events of their own, such as a workshop with feedback.
    ideation_events = Event.objects.filter(process__slug="lahiobudjetti-ideointi-esimerkki")
    assert ideation_events.count() == 2
    response = client.get(reverse("events:list"))
    assert "Lähiötyöpaja" in response.content.decode()


def test_demo_situational_picture_shows_themes(client):
    call_command("load_demo")

    response = client.get(reverse("areas:suburb_picture", args=["neulamaki"]))

    assert response.status_code == 200
    assert "Nuorten kohtaamispaikat" in response.content.decode()
