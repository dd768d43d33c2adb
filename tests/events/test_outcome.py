"""Staff record an event's outcome and type in the ideas and comments collected there."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from osallistu.events import services
from osallistu.events.models import EventOutcome
from osallistu.participation.models import Channel, Comment, Idea

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def held_event(make_event, process):
    return make_event(process=process, starts_in=-datetime.timedelta(days=1))


@pytest.fixture
def idea(process):
    return Idea.objects.create(process=process, title="Penkki puistoon", description="Penkki.")


def _outcome_data(**changes) -> dict:
    data = {
        "summary": "Keskusteltiin puistosta.",
        "participants_0_12": "3",
        "participants_13_17": "",
        "participants_18_29": "4",
        "participants_30_64": "10",
        "participants_65_plus": "6",
        "participants_unknown": "2",
    }
    data.update(changes)
    return data


def test_outcome_form_records(held_event, coordinator, client):
    client.force_login(coordinator)

    response = client.post(reverse("events:outcome", args=[held_event.slug]), _outcome_data())

    outcome = EventOutcome.objects.get()
    assert response.status_code == 302
    assert outcome.summary == "Keskusteltiin puistosta."
    assert outcome.participants_by_age_group == {
        "0-12": 3,
        "13-17": 0,
        "18-29": 4,
        "30-64": 10,
        "65+": 6,
        "unknown": 2,
    }
    assert outcome.recorded_by == coordinator


def test_outcome_form_replaces(held_event, coordinator, client):
    client.force_login(coordinator)
    url = reverse("events:outcome", args=[held_event.slug])
    client.post(url, _outcome_data())

    client.post(url, _outcome_data(summary="Korjattu yhteenveto.", participants_unknown="5"))

    outcome = EventOutcome.objects.get()
    assert outcome.summary == "Korjattu yhteenveto."
    assert outcome.participants_by_age_group["unknown"] == 5


def test_outcome_form_shows_saved_counts(held_event, coordinator, client):
    services.outcome_record(
        user=coordinator,
        event=held_event,
        summary="Yhteenveto",
        participants_by_age_group={"65+": 7},
    )
    client.force_login(coordinator)

    content = client.get(reverse("events:outcome", args=[held_event.slug])).content.decode()

    assert 'name="participants_65_plus" value="7"' in content


def test_outcome_form_errors_keep_input(held_event, coordinator, client):
    client.force_login(coordinator)
    data = _outcome_data(summary="", participants_0_12="-1", participants_30_64="kymmenen")

    response = client.post(reverse("events:outcome", args=[held_event.slug]), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert not EventOutcome.objects.exists()
    assert "Write a summary of the event." in content
    assert "The number cannot be negative." in content
    assert "Enter the number of participants as a whole number." in content
    assert 'value="kymmenen"' in content
    assert 'value="6"' in content


def test_outcome_summary_escaped(held_event, coordinator, client):
    client.force_login(coordinator)
    client.post(reverse("events:outcome", args=[held_event.slug]), _outcome_data(summary=SCRIPT))

    content = client.get(held_event.get_absolute_url()).content.decode()

    assert SCRIPT not in content
    assert "&lt;script&gt;" in content


def test_outcome_before_start_rejected(make_event, process, coordinator, client):
    event = make_event(process=process)
    client.force_login(coordinator)

    response = client.post(reverse("events:outcome", args=[event.slug]), _outcome_data())

    assert "once the event has started" in response.content.decode()
    assert not EventOutcome.objects.exists()
    with pytest.raises(ValidationError):
        services.outcome_record(
            user=coordinator, event=event, summary="x", participants_by_age_group={}
        )


def test_outcome_denied_to_resident(held_event, resident, client):
    client.force_login(resident)

    response = client.post(reverse("events:outcome", args=[held_event.slug]), _outcome_data())

    assert response.status_code == 403
    assert not EventOutcome.objects.exists()


def test_outcome_denied_to_evaluator(held_event, evaluator):
    with pytest.raises(PermissionDenied):
        services.outcome_record(
            user=evaluator, event=held_event, summary="x", participants_by_age_group={}
        )


@pytest.mark.parametrize(
    "counts",
    [{"0-17": 4}, {"0-12": -1}, {"0-12": 1.5}, {"0-12": "3"}, {"0-12": True}],
    ids=["unknown-group", "negative", "fraction", "text", "boolean"],
)
def test_outcome_service_bad_counts(held_event, coordinator, counts):
    with pytest.raises(ValidationError):
        services.outcome_record(
            user=coordinator, event=held_event, summary="x", participants_by_age_group=counts
        )
    assert not EventOutcome.objects.exists()


def test_outcome_follows_age_group_setting(held_event, coordinator, client, settings):
    settings.OSALLISTU_AGE_GROUPS = [(0, 17), (18, 64), (65, None)]
    client.force_login(coordinator)

    content = client.get(reverse("events:outcome", args=[held_event.slug])).content.decode()
    client.post(
        reverse("events:outcome", args=[held_event.slug]),
        {"summary": "x", "participants_0_17": "2", "participants_18_64": "5"},
    )

    assert 'name="participants_0_17"' in content
    assert 'name="participants_0_12"' not in content
    assert EventOutcome.objects.get().participants_by_age_group == {
        "0-17": 2,
        "18-64": 5,
        "65+": 0,
        "unknown": 0,
    }


def test_paper_idea_entered(held_event, coordinator, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("events:idea_create", args=[held_event.slug]),
        {"title": "Lisää valoja", "description": "Polulle valoja.", "channel": Channel.PAPER},
    )

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:idea_create", args=[held_event.slug])
    assert idea.channel == Channel.PAPER
    assert idea.entered_by == coordinator
    assert idea.event == held_event
    assert idea.author is None
    assert idea.process == held_event.process


def test_paper_idea_outside_ideation(make_process, make_event, django_user_model, client):
    from osallistu.accounts.models import RoleAssignment
    from osallistu.participation.models import Phase

    voting = make_process(current=Phase.Kind.VOTING, slug="aanestys")
    staff = django_user_model.objects.create_user(email="k@example.fi", password="x")
    RoleAssignment.objects.create(user=staff, role=RoleAssignment.Role.COORDINATOR, process=voting)
    event = make_event(process=voting, starts_in=-datetime.timedelta(days=1))
    client.force_login(staff)

    client.post(
        reverse("events:idea_create", args=[event.slug]),
        {"title": "Puhelimessa", "description": "Soitettu idea.", "channel": Channel.PHONE},
    )

    assert Idea.objects.get().channel == Channel.PHONE


def test_paper_idea_errors_keep_input(held_event, coordinator, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("events:idea_create", args=[held_event.slug]),
        {"title": "", "description": SCRIPT, "channel": Channel.ONLINE},
    )

    content = response.content.decode()
    assert not Idea.objects.exists()
    assert "Enter a title for the idea." in content
    assert "&lt;script&gt;" in content
    assert SCRIPT not in content


def test_paper_idea_online_channel_rejected(held_event, coordinator):
    with pytest.raises(ValidationError):
        services.event_idea_create(
            user=coordinator,
            event=held_event,
            title="x",
            description="y",
            channel=Channel.ONLINE,
        )
    assert not Idea.objects.exists()


def test_paper_idea_denied_to_resident(held_event, resident, client):
    client.force_login(resident)

    response = client.post(
        reverse("events:idea_create", args=[held_event.slug]),
        {"title": "x", "description": "y", "channel": Channel.PAPER},
    )

    assert response.status_code == 403
    assert not Idea.objects.exists()


def test_paper_idea_needs_process(make_event, city_admin, client):
    event = make_event(process=None)
    client.force_login(city_admin)

    response = client.get(reverse("events:idea_create", args=[event.slug]))

    assert response.status_code == 404


def test_paper_comment_entered(held_event, idea, coordinator, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("events:comment_create", args=[held_event.slug]),
        {
            "idea": idea.pk,
            "body": "Hyvä idea, kannatan.",
            "stance": Comment.Stance.FOR,
            "channel": Channel.WORKSHOP,
        },
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.idea == idea
    assert comment.channel == Channel.WORKSHOP
    assert comment.entered_by == coordinator
    assert comment.event == held_event
    assert comment.author is None
    assert comment.stance == Comment.Stance.FOR


def test_paper_comment_other_process_idea(held_event, other_process, coordinator, client):
    foreign = Idea.objects.create(process=other_process, title="Muualla", description="x")
    client.force_login(coordinator)

    response = client.post(
        reverse("events:comment_create", args=[held_event.slug]),
        {"idea": foreign.pk, "body": "x", "stance": "neutral", "channel": Channel.PAPER},
    )

    assert "Choose an idea of the event&#x27;s process." in response.content.decode()
    assert not Comment.objects.exists()


def test_paper_comment_service_other_process(held_event, other_process, coordinator):
    foreign = Idea.objects.create(process=other_process, title="Muualla", description="x")

    with pytest.raises(ValidationError):
        services.event_comment_create(
            user=coordinator, event=held_event, idea=foreign, body="x", channel=Channel.PAPER
        )
    assert not Comment.objects.exists()


def test_paper_comment_errors_keep_input(held_event, idea, coordinator, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("events:comment_create", args=[held_event.slug]),
        {"idea": idea.pk, "body": "", "stance": "neutral", "channel": Channel.PAPER},
    )

    content = response.content.decode()
    assert "Enter the comment." in content
    assert f'<option value="{idea.pk}" selected>' in content
    assert not Comment.objects.exists()


def test_entered_ideas_listed(held_event, coordinator, client):
    services.event_idea_create(
        user=coordinator, event=held_event, title="Valoja polulle", description="x"
    )
    client.force_login(coordinator)

    content = client.get(reverse("events:idea_create", args=[held_event.slug])).content.decode()

    assert "Valoja polulle" in content
