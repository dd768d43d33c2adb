"""One-off participation: poll answers and support clicks, counted apart and rate-limited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from osallistu.participation import selectors, services
from osallistu.participation.models import Channel, OneOffParticipation, Poll, PollOption
from osallistu.participation.services import one_off

from .discussion_support import (
    closed_process_fixture,  # noqa: F401
    coordinator_fixture,  # noqa: F401
    discussion_process_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(discussion_process):
    poll = Poll.objects.create(process=discussion_process, question="Mitä puistoon?")
    for position, text in enumerate(["Penkkejä", "Valaistusta", "Leikkipaikka"]):
        PollOption.objects.create(poll=poll, text=text, position=position)
    return poll


def take_part_url(process) -> str:
    return reverse("participation:take_part", args=[process.slug])


def answer_url(poll) -> str:
    return reverse("participation:poll_answer", args=[poll.process.slug, poll.pk])


def support_url(process) -> str:
    return reverse("participation:take_part_support", args=[process.slug])


# --- participant keys ---------------------------------------------------------------------------


def test_key_is_keyed_hash(settings):
    key = services.participant_key(session_key="abc")

    assert len(key) == 64
    assert "abc" not in key
    assert key == services.participant_key(session_key="abc")
    assert key != services.participant_key(user_id=1)
    settings.SECRET_KEY = "another-secret"
    assert key != services.participant_key(session_key="abc")


def test_key_needs_identity():
    with pytest.raises(ValueError):
        services.participant_key()


# --- services -----------------------------------------------------------------------------------


def test_answer_counts_once(poll):
    option = poll.options.first()
    answer = {"process": poll.process, "poll": poll, "option": option, "is_signed_in": False}

    assert services.poll_answer(participant_key="a" * 64, **answer) is True
    assert services.poll_answer(participant_key="a" * 64, **answer) is False
    assert services.poll_answer(participant_key="b" * 64, **answer) is True

    assert OneOffParticipation.objects.filter(poll=poll).count() == 2


def test_answer_option_of_other_poll(poll, discussion_process):
    other = Poll.objects.create(process=discussion_process, question="Toinen?")
    foreign = PollOption.objects.create(poll=other, text="Kyllä")

    with pytest.raises(ValidationError) as raised:
        services.poll_answer(
            process=poll.process,
            poll=poll,
            option=foreign,
            participant_key="a" * 64,
            is_signed_in=False,
        )
    assert raised.value.code == "invalid_option"


def test_answer_closed_poll(poll):
    Poll.objects.filter(pk=poll.pk).update(is_open=False)
    poll.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        services.poll_answer(
            process=poll.process,
            poll=poll,
            option=poll.options.first(),
            participant_key="a" * 64,
            is_signed_in=False,
        )
    assert raised.value.code == "poll_closed"


def test_support_outside_phases(closed_process):
    with pytest.raises(PermissionDenied):
        services.support_click(process=closed_process, participant_key="a" * 64, is_signed_in=False)
    assert not OneOffParticipation.objects.exists()


def test_support_counts_once(discussion_process):
    click = {"process": discussion_process, "is_signed_in": True}

    assert services.support_click(participant_key="a" * 64, **click) is True
    assert services.support_click(participant_key="a" * 64, **click) is False

    row = OneOffParticipation.objects.get()
    assert row.kind == OneOffParticipation.Kind.SUPPORT
    assert row.is_signed_in is True
    assert row.channel == Channel.ONLINE


def test_support_rate_limited_per_ip(discussion_process):
    for number in range(one_off.IP_RATE_LIMIT):
        services.support_click(
            process=discussion_process,
            participant_key=f"{number:064d}",
            is_signed_in=False,
            client_ip="192.0.2.1",
        )

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.support_click(
            process=discussion_process,
            participant_key="f" * 64,
            is_signed_in=False,
            client_ip="192.0.2.1",
        )
    assert raised.value.code == "rate_limited"
    assert "Wait an hour" in raised.value.messages[0]
    assert services.support_click(
        process=discussion_process,
        participant_key="e" * 64,
        is_signed_in=False,
        client_ip="192.0.2.2",
    )
    assert OneOffParticipation.objects.count() == one_off.IP_RATE_LIMIT + 1


def test_support_rate_limited_per_participant(discussion_process):
    for _number in range(one_off.PARTICIPANT_RATE_LIMIT):
        services.support_click(
            process=discussion_process, participant_key="a" * 64, is_signed_in=False
        )

    with pytest.raises(ValidationError) as raised:
        services.support_click(
            process=discussion_process, participant_key="a" * 64, is_signed_in=False
        )
    assert raised.value.code == "rate_limited"


def test_poll_create(discussion_process, coordinator):
    poll = services.poll_create(
        coordinator,
        process=discussion_process,
        question=" Mitä puistoon? ",
        options=["Penkkejä", "", " Valaistusta "],
    )

    assert poll.question == "Mitä puistoon?"
    assert [option.text for option in poll.options.all()] == ["Penkkejä", "Valaistusta"]


@pytest.mark.parametrize(
    ("question", "options", "code"),
    [
        ("", ["A", "B"], "required"),
        ("Kysymys", ["A"], "options_count"),
        ("Kysymys", [str(number) for number in range(11)], "options_count"),
        ("Kysymys", ["Sama", "sama"], "duplicate_option"),
        ("<b>Kysymys</b>", ["A", "B"], "html"),
        ("Kysymys", ["A", "x" * 201], "max_length"),
    ],
)
def test_poll_create_bad_input(discussion_process, coordinator, question, options, code):
    with pytest.raises(ValidationError) as raised:
        services.poll_create(
            coordinator, process=discussion_process, question=question, options=options
        )
    codes = {error.code for errors in raised.value.error_dict.values() for error in errors}
    assert codes == {code}
    assert not Poll.objects.exists()


def test_poll_create_denied(discussion_process, resident):
    with pytest.raises(PermissionDenied):
        services.poll_create(resident, process=discussion_process, question="Q", options=["A", "B"])


def test_record_offline(poll, coordinator):
    option = poll.options.last()

    services.one_off_record_offline(
        coordinator,
        process=poll.process,
        channel=Channel.OUTREACH,
        count=3,
        poll=poll,
        option=option,
    )
    services.one_off_record_offline(
        coordinator, process=poll.process, channel=Channel.PAPER, count=2
    )

    rows = OneOffParticipation.objects.all()
    assert rows.filter(option=option, channel=Channel.OUTREACH).count() == 3
    assert rows.filter(kind="support", channel=Channel.PAPER).count() == 2
    assert len({row.participant_key for row in rows}) == 5
    assert not rows.filter(is_signed_in=True).exists()


@pytest.mark.parametrize(
    ("channel", "count", "code"),
    [
        (Channel.ONLINE, 1, "invalid_channel"),
        (Channel.PAPER, 0, "invalid_count"),
        (Channel.PAPER, 10_001, "invalid_count"),
    ],
)
def test_record_offline_bad_input(discussion_process, coordinator, channel, count, code):
    with pytest.raises(ValidationError) as raised:
        services.one_off_record_offline(
            coordinator, process=discussion_process, channel=channel, count=count
        )
    codes = {error.code for errors in raised.value.error_dict.values() for error in errors}
    assert codes == {code}


def test_record_offline_denied(discussion_process, resident):
    with pytest.raises(PermissionDenied):
        services.one_off_record_offline(
            resident, process=discussion_process, channel=Channel.PAPER, count=1
        )


# --- counts -------------------------------------------------------------------------------------


def test_counts_apart_by_sign_in_and_channel(poll, coordinator):
    first, second, _third = poll.options.all()
    for number, signed_in in enumerate([True, False, False]):
        services.poll_answer(
            process=poll.process,
            poll=poll,
            option=first,
            participant_key=f"{number:064d}",
            is_signed_in=signed_in,
        )
    services.one_off_record_offline(
        coordinator,
        process=poll.process,
        channel=Channel.WORKSHOP,
        count=4,
        poll=poll,
        option=second,
    )

    state = selectors.take_part(poll.process, user=coordinator).open_polls[0]

    table = state.results
    assert [value for value, _label in table.channels] == ["online", "workshop"]
    rows = {row.label: row for row in table.rows}
    assert (rows["Penkkejä"].signed_in, rows["Penkkejä"].anonymous) == (1, 2)
    assert rows["Penkkejä"].by_channel == [3, 0]
    assert (rows["Valaistusta"].signed_in, rows["Valaistusta"].anonymous) == (0, 4)
    assert rows["Valaistusta"].by_channel == [0, 4]
    assert table.total == 7
    assert state.show_results is True


def test_results_hidden_before_answer(poll):
    state = selectors.take_part(poll.process, participant_key="a" * 64).open_polls[0]

    assert state.show_results is False
    assert state.answered_option_id is None


# --- pages --------------------------------------------------------------------------------------


def test_page_anonymous(client, poll):
    response = client.get(take_part_url(poll.process))

    content = response.content.decode()
    assert response.status_code == 200
    assert poll.question in content
    assert 'name="option"' in content
    assert support_url(poll.process) in content
    assert "sessionid" not in response.cookies


def test_anonymous_answer_counted_once(client, poll):
    option = poll.options.first()

    first = client.post(answer_url(poll), {"option": option.pk})
    with translation.override("en"):
        second = client.post(answer_url(poll), {"option": option.pk}, follow=True)

    assert first.status_code == 302
    assert first["Location"] == f"{take_part_url(poll.process)}#poll-{poll.pk}"
    assert "sessionid" in first.cookies
    assert "counted already" in second.content.decode()
    row = OneOffParticipation.objects.get()
    assert row.is_signed_in is False
    assert row.option == option
    assert len(row.participant_key) == 64


def test_signed_in_answer(client, poll, resident):
    client.force_login(resident)

    client.post(answer_url(poll), {"option": poll.options.first().pk})
    page = client.get(take_part_url(poll.process)).content.decode()

    row = OneOffParticipation.objects.get()
    assert row.is_signed_in is True
    assert row.participant_key == services.participant_key(user_id=resident.pk)
    assert "<table" in page
    assert 'name="option"' not in page


@pytest.mark.parametrize("data", [{}, {"option": "abc"}, {"option": "999999"}])
def test_answer_without_valid_option(client, poll, data):
    with translation.override("en"):
        response = client.post(answer_url(poll), data)

    assert response.status_code == 400
    assert "Choose one of the answers." in response.content.decode()
    assert not OneOffParticipation.objects.exists()


def test_answer_unknown_poll(client, poll):
    response = client.post(
        reverse("participation:poll_answer", args=[poll.process.slug, 9999]), {"option": 1}
    )

    assert response.status_code == 404


def test_support_page_flow(client, discussion_process):
    with translation.override("en"):
        client.post(support_url(discussion_process))
        second = client.post(support_url(discussion_process), follow=True)

    content = second.content.decode()
    assert "Your support was counted already." in content
    assert "1 person has shown support." in content
    assert OneOffParticipation.objects.count() == 1


def test_support_closed_phase_page(client, closed_process):
    with translation.override("en"):
        response = client.post(support_url(closed_process))

    assert response.status_code == 403
    assert "not open in this phase" in response.content.decode()


def test_support_rate_limited_page(client, discussion_process, monkeypatch):
    monkeypatch.setattr(one_off, "IP_RATE_LIMIT", 2)
    for _number in range(2):
        client.cookies.clear()
        client.post(support_url(discussion_process))
    client.cookies.clear()

    with translation.override("en"):
        response = client.post(support_url(discussion_process))

    assert response.status_code == 429
    assert "Wait an hour" in response.content.decode()
    assert OneOffParticipation.objects.count() == 2


def test_manage_page_denied(client, discussion_process, resident):
    client.force_login(resident)

    response = client.get(reverse("participation:take_part_manage", args=["keskustelu"]))

    assert response.status_code == 403


def test_manage_creates_poll(client, discussion_process, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("participation:take_part_manage", args=["keskustelu"]),
        {"poll-question": "Mitä puistoon?", "poll-options": "Penkkejä\nValaistusta\n"},
    )

    poll = Poll.objects.get()
    assert response.status_code == 302
    assert poll.options.count() == 2


def test_manage_keeps_bad_poll(client, discussion_process, coordinator):
    client.force_login(coordinator)

    with translation.override("en"):
        response = client.post(
            reverse("participation:take_part_manage", args=["keskustelu"]),
            {"poll-question": "Mitä puistoon?", "poll-options": "Vain yksi"},
        )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give from 2 to 10 answers" in content
    assert "Mitä puistoon?" in content
    assert "Vain yksi" in content
    assert not Poll.objects.exists()


def test_manage_records_tally(client, poll, coordinator):
    client.force_login(coordinator)
    option = poll.options.first()

    client.post(
        reverse("participation:take_part_manage", args=["keskustelu"]),
        {"tally-target": f"option-{option.pk}", "tally-channel": "outreach", "tally-count": "5"},
    )

    assert OneOffParticipation.objects.filter(option=option, channel="outreach").count() == 5


def test_manage_tally_bad_count(client, poll, coordinator):
    client.force_login(coordinator)

    with translation.override("en"):
        response = client.post(
            reverse("participation:take_part_manage", args=["keskustelu"]),
            {"tally-target": "support", "tally-channel": "paper", "tally-count": "0"},
        )

    assert response.status_code == 200
    assert "Give a number from 1 to 10000." in response.content.decode()
    assert not OneOffParticipation.objects.exists()


def test_manage_closes_poll(client, poll, coordinator):
    client.force_login(coordinator)

    client.post(reverse("participation:poll_set_open", args=["keskustelu", poll.pk]), {"open": "0"})

    poll.refresh_from_db()
    assert poll.is_open is False


def test_page_query_count_constant(client, poll, coordinator):
    option = poll.options.first()
    url = take_part_url(poll.process)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.one_off_record_offline(
        coordinator,
        process=poll.process,
        channel=Channel.PAPER,
        count=500,
        poll=poll,
        option=option,
    )
    services.one_off_record_offline(
        coordinator, process=poll.process, channel=Channel.PHONE, count=500
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
