"""The staff page of participation by channel, and event participants beside the population."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from osallistu.areas.models import PaavoRecord, PostalArea, Suburb
from osallistu.budgeting.models import ParticipationRecord
from osallistu.events import selectors
from osallistu.events.models import Event, EventOutcome
from osallistu.participation.models import (
    Channel,
    Comment,
    Debate,
    Idea,
    OneOffParticipation,
    Poll,
    PollOption,
    Visibility,
)

from .test_age_groups import NEULAMAKI_AGES

pytestmark = pytest.mark.django_db

CHANNELS = [value for value, _label in Channel.choices]


@pytest.fixture
def neulamaki(process):
    """Link `process` to two suburbs that share postal area 70150, with two Paavo years."""
    area = PostalArea.objects.create(code="70150", name="Neulamäki", municipality_code="297")
    PaavoRecord.objects.create(
        postal_area=area, statistics_year=2024, release_year=2026, values=NEULAMAKI_AGES
    )
    older = {key: 1 for key in NEULAMAKI_AGES}
    PaavoRecord.objects.create(
        postal_area=area, statistics_year=2023, release_year=2025, values=older
    )
    for name, slug in [("Neulamäki", "neulamaki"), ("Pirtti", "pirtti")]:
        suburb = Suburb.objects.create(name=name, slug=slug)
        suburb.postal_areas.add(area)
        process.suburbs.add(suburb)
    return area


def _outcome(make_event, process, kind, counts):
    event = make_event(process=process, kind=kind, starts_in=-datetime.timedelta(days=3))
    EventOutcome.objects.create(event=event, summary="x", participants_by_age_group=counts)
    return event


def _row(statistics, label):
    [row] = [row for row in statistics.channel_rows if row.label == label]
    return dict(zip(CHANNELS, row.counts, strict=True))


@pytest.fixture
def contributions(process, make_event):
    def idea(channel, visibility=Visibility.VISIBLE):
        return Idea.objects.create(
            process=process, title="Idea", description="x", channel=channel, visibility=visibility
        )

    first = idea(Channel.ONLINE)
    idea(Channel.ONLINE)
    idea(Channel.PAPER)
    idea(Channel.ONLINE, visibility=Visibility.HIDDEN)
    debate = Debate.objects.create(process=process, title="Keskustelu", description="x")
    Comment.objects.create(idea=first, body="x", channel=Channel.ONLINE)
    Comment.objects.create(debate=debate, body="x", channel=Channel.PHONE)
    Comment.objects.create(idea=first, body="x", channel=Channel.ONLINE, visibility="hidden")
    poll = Poll.objects.create(process=process, question="Mitä?")
    option = PollOption.objects.create(poll=poll, text="Puisto")
    today = timezone.localdate()
    for key in ["a", "b"]:
        OneOffParticipation.objects.create(
            process=process, kind="support", participant_key=key, day=today
        )
    OneOffParticipation.objects.create(
        process=process,
        kind="poll_answer",
        poll=poll,
        option=option,
        participant_key="c",
        channel=Channel.OUTREACH,
        day=today,
    )
    ParticipationRecord.objects.create(
        process=process,
        area=process.budget_areas.get(),
        digest="0" * 64,
        channel=Channel.ASSISTED,
        day=today,
    )
    _outcome(make_event, process, Event.Kind.WORKSHOP, {"0-12": 3, "30-64": 5, "unknown": 2})
    _outcome(make_event, process, Event.Kind.OUTREACH, {"65+": 4})


def test_counts_by_channel(process, contributions, other_process):
    Idea.objects.create(process=other_process, title="Muu", description="x")

    statistics = selectors.process_statistics(process)

    assert _row(statistics, "Ideas") == {**dict.fromkeys(CHANNELS, 0), "online": 2, "paper": 1}
    assert _row(statistics, "Comments") == {**dict.fromkeys(CHANNELS, 0), "online": 1, "phone": 1}
    assert _row(statistics, "Support clicks")["online"] == 2
    assert _row(statistics, "Poll answers")["outreach"] == 1
    assert _row(statistics, "Ballots")["assisted"] == 1
    assert _row(statistics, "Event participants") == {
        **dict.fromkeys(CHANNELS, 0),
        "workshop": 10,
        "outreach": 4,
    }
    assert statistics.grand_total == 3 + 2 + 2 + 1 + 1 + 14


def test_channel_totals(process, contributions):
    statistics = selectors.process_statistics(process)

    totals = dict(zip(CHANNELS, statistics.channel_totals, strict=True))
    assert totals["online"] == 2 + 1 + 2
    assert totals["workshop"] == 10


def test_age_groups_beside_population(process, contributions, neulamaki):
    statistics = selectors.process_statistics(process)

    rows = {row.key: row for row in statistics.age_rows}
    assert list(rows) == ["0-12", "13-17", "18-29", "30-64", "65+", "unknown"]
    assert rows["0-12"].participants == 3
    assert rows["0-12"].participant_share == pytest.approx(25.0)
    assert rows["65+"].participant_share == pytest.approx(100 * 4 / 12)
    assert rows["unknown"].participants == 2
    assert rows["unknown"].participant_share is None
    # The 2024 record, counted once although two suburbs share the postal area.
    assert rows["0-12"].population == 520
    assert rows["0-12"].population_share == pytest.approx(100 * 520 / 5373)
    assert statistics.statistics_years == [2024]
    assert statistics.postal_area_count == 1


def test_population_missing_without_postal_areas(process, contributions):
    statistics = selectors.process_statistics(process)

    assert {row.population for row in statistics.age_rows} == {None}
    assert statistics.postal_area_count == 0


def test_population_protected_band(process, neulamaki):
    record = PaavoRecord.objects.get(statistics_year=2024)
    record.values = {**NEULAMAKI_AGES, "he_13_15": None}
    record.save()

    rows = {row.key: row for row in selectors.process_statistics(process).age_rows}

    assert rows["13-17"].population is None
    assert rows["13-17"].population_share is None
    assert rows["0-12"].population == 520
    # Without a complete total, no group's share of it can be given.
    assert rows["0-12"].population_share is None


def test_earlier_setting_regrouped(process, make_event, settings):
    _outcome(make_event, process, Event.Kind.WORKSHOP, {"0-12": 2, "13-17": 1, "18-29": 4})
    settings.OSALLISTU_AGE_GROUPS = [(0, 17), (18, 24), (25, None)]

    statistics = selectors.process_statistics(process)

    rows = {row.key: row.participants for row in statistics.age_rows}
    assert rows["0-17"] == 3
    assert statistics.not_comparable == 4


def test_page_for_coordinator(process, contributions, neulamaki, coordinator, client):
    client.force_login(coordinator)

    response = client.get(reverse("events:statistics", args=[process.slug]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Contributions by kind and channel" in content
    assert "13–17 years" in content
    assert "statistics year 2024" in content


def test_page_for_evaluator(process, evaluator, client):
    client.force_login(evaluator)

    assert client.get(reverse("events:statistics", args=[process.slug])).status_code == 200


def test_page_denied_to_resident(process, resident, client):
    client.force_login(resident)

    assert client.get(reverse("events:statistics", args=[process.slug])).status_code == 403


def test_page_denied_to_other_coordinator(other_process, coordinator, client):
    client.force_login(coordinator)

    assert client.get(reverse("events:statistics", args=[other_process.slug])).status_code == 403


def test_page_requires_sign_in(process, client):
    response = client.get(reverse("events:statistics", args=[process.slug]))

    assert response.status_code == 302


def test_page_queries_constant(
    process, neulamaki, coordinator, make_event, make_user, client, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("events:statistics", args=[process.slug])
    client.get(url)  # Warm up the session and the content types.

    def add_data(count):
        for number in range(count):
            idea = Idea.objects.create(process=process, title="x", description="x")
            Comment.objects.create(idea=idea, body="x", channel=Channel.PAPER)
            OneOffParticipation.objects.create(
                process=process,
                kind="support",
                participant_key=f"{count}-{number}",
                day=timezone.localdate(),
            )
            _outcome(make_event, process, Event.Kind.OUTREACH, {"0-12": 1})

    add_data(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_data(30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
