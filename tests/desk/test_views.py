"""The desk's pages through the Django test client."""

import datetime
import json
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.budgeting.models import Ballot, BudgetArea, ParticipationRecord
from osallistu.desk import services
from osallistu.desk.models import PaperBallot
from osallistu.desk.views import REVIEW_MAX_AGE, REVIEW_SALT
from osallistu.events.models import Event
from osallistu.identity.selectors import SESSION_KEY
from osallistu.participation.models import Channel
from tests.identity.helpers import make_hetu

from .conftest import ADULT_HETU, OTHER_HETU


def check_url(process):
    return reverse("desk:check", kwargs={"process_id": process.pk})


def form_data(**changes):
    data = {
        "national_id": ADULT_HETU,
        "municipality_code": "297",
        "postal_code": "70100",
        "kind": "assisted",
        "area": "",
    }
    return {**data, **changes}


def test_public_page_lists_open_votes_and_their_events(client, process):
    now = timezone.now()
    Event.objects.create(
        process=process,
        kind=Event.Kind.OUTREACH,
        title="Äänestys kirjastossa",
        slug="aanestys-kirjastossa",
        starts_at=now + datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(hours=4),
        place="Pääkirjasto",
    )
    response = client.get(reverse("desk:where"))
    assert response.status_code == 200
    assert process.title in response.content.decode()
    assert "Äänestys kirjastossa" in response.content.decode()


def test_assisted_voting_url_points_at_the_public_page(settings):
    assert settings.OSALLISTU_ASSISTED_VOTING_URL == reverse("desk:where")


def test_staff_pages_need_login_and_assist_voting(client, process, resident):
    assert client.get(check_url(process)).status_code == 302
    client.force_login(resident)
    assert client.get(check_url(process)).status_code == 403
    assisted = reverse("desk:assisted", kwargs={"process_id": process.pk})
    assert client.get(assisted).status_code == 403


def test_staff_home_lists_the_desk(client, staff_a, process):
    client.force_login(staff_a)
    response = client.get(reverse("staff_home"))
    assert check_url(process) in response.content.decode()


def _assisted_url(process):
    return reverse("desk:assisted", kwargs={"process_id": process.pk})


def _review(client, process, area, ids):
    """Post the choice to the review step and return the response and its review token."""
    response = client.post(
        _assisted_url(process), {"action": "review", "area": area.slug, "projects": ids}
    )
    assert response.status_code == 200
    return response, response.context.get("review")


def _error_codes(response) -> list[str]:
    return [e.code for e in response.context["form"].non_field_errors().as_data()]


def test_assisted_ballot_from_check_to_receipt(client, staff_a, process, projects):
    client.force_login(staff_a)
    response = client.post(check_url(process), form_data())
    assisted = _assisted_url(process)
    assert response.status_code == 302
    assert response.url == assisted
    response = client.get(assisted)
    assert response.status_code == 200
    assert projects[0].title in response.content.decode()
    area = projects[0].area
    response, token = _review(client, process, area, [projects[0].pk])
    assert response.templates[0].name == "desk/assisted_review.html"
    assert token
    response = client.post(assisted, {"action": "cast", "area": area.slug, "review": token})
    assert response.status_code == 200
    assert response.templates[0].name == "desk/assisted_receipt.html"
    assert ParticipationRecord.objects.get().channel == Channel.ASSISTED
    assert [c.project_id for c in Ballot.objects.get().choices.all()] == [projects[0].pk]
    # The next person starts from the identity check again.
    assert client.get(assisted).status_code == 302


def test_assisted_ballot_keeps_the_choice_on_a_rule_error(client, staff_a, process, projects):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    every = [project.pk for project in projects]
    response, token = _review(client, process, projects[0].area, every)
    assert response.templates[0].name == "desk/assisted.html"
    assert token is None
    assert _error_codes(response) == ["over_budget"]
    assert response.context["form"]["projects"].value() == [str(pk) for pk in every]
    assert not Ballot.objects.exists()


def test_assisted_review_stores_nothing(client, staff_a, process, projects):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    response, token = _review(client, process, projects[0].area, [projects[0].pk, projects[1].pk])
    assert token
    content = response.content.decode().replace("\xa0", " ")
    assert projects[0].title in content
    assert projects[1].title in content
    assert projects[2].title not in content
    assert "35 000" in content  # total
    assert "15 000" in content  # remaining budget of 50 000
    assert 'value="cast"' in content
    assert 'value="change"' in content
    assert not Ballot.objects.exists()
    assert not ParticipationRecord.objects.exists()


def test_assisted_cast_error_keeps_the_choice(client, staff_a, process, projects):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    area = projects[0].area
    _response, token = _review(client, process, area, [projects[0].pk])
    # The person's vote arrives through another channel between the review and the cast.
    record = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    services.paper_ballot_open(staff_a, record, area)
    response = client.post(
        _assisted_url(process), {"action": "cast", "area": area.slug, "review": token}
    )
    assert response.templates[0].name == "desk/assisted.html"
    assert _error_codes(response) == ["already_voted"]
    assert [str(pk) for pk in response.context["form"]["projects"].value()] == [str(projects[0].pk)]
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "token",
    [None, "", "forged:token", "tampered"],
)
def test_assisted_cast_refuses_an_invalid_review(client, staff_a, process, projects, token):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    area = projects[0].area
    _response, valid = _review(client, process, area, [projects[0].pk])
    data = {"action": "cast", "area": area.slug}
    if token == "tampered":
        # The signature no longer matches a changed choice.
        payload, timestamp, signature = valid.split(":")
        choice = signing.loads(valid, salt=REVIEW_SALT)
        choice["projects"] = [projects[2].pk]
        forged = signing.b64_encode(json.dumps(choice, separators=(",", ":")).encode()).decode()
        assert forged != payload
        data["review"] = f"{forged}:{timestamp}:{signature}"
    elif token is not None:
        data["review"] = token
    with translation.override("en"):
        response = client.post(_assisted_url(process), data)
    assert response.status_code == 200
    assert response.templates[0].name == "desk/assisted.html"
    assert _error_codes(response) == ["review_invalid"]
    assert "The review is not valid" in response.content.decode()
    assert not Ballot.objects.exists()
    assert not ParticipationRecord.objects.exists()


def test_assisted_cast_refuses_an_expired_review(client, staff_a, process, projects):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    area = projects[0].area
    _response, token = _review(client, process, area, [projects[0].pk])
    later = timezone.now() + datetime.timedelta(seconds=REVIEW_MAX_AGE + 60)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(
            _assisted_url(process), {"action": "cast", "area": area.slug, "review": token}
        )
    assert response.templates[0].name == "desk/assisted.html"
    assert _error_codes(response) == ["review_expired"]
    assert not Ballot.objects.exists()
    assert not ParticipationRecord.objects.exists()


def test_assisted_review_of_another_person_is_refused(client, staff_a, process, projects):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    area = projects[0].area
    _response, token = _review(client, process, area, [projects[0].pk])
    # Staff check the next person before the first one casts.
    client.post(check_url(process), form_data(national_id=OTHER_HETU))
    response = client.post(
        _assisted_url(process), {"action": "cast", "area": area.slug, "review": token}
    )
    assert _error_codes(response) == ["review_invalid"]
    assert not Ballot.objects.exists()


def test_assisted_change_keeps_the_choice(client, staff_a, process, projects):
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    area = projects[0].area
    chosen = [projects[0].pk, projects[1].pk]
    _response, token = _review(client, process, area, chosen)
    response = client.post(
        _assisted_url(process), {"action": "change", "area": area.slug, "review": token}
    )
    assert response.templates[0].name == "desk/assisted.html"
    assert not response.context["form"].errors
    assert sorted(int(pk) for pk in response.context["form"]["projects"].value()) == sorted(chosen)
    assert response.content.decode().count("checked") == 2
    assert not Ballot.objects.exists()


def test_check_refuses_a_person_who_voted_and_keeps_the_input(client, staff_a, process, projects):
    services.assisted_ballot_cast(
        staff_a,
        services.desk_check(staff_a, process, ADULT_HETU, "297", "70100"),
        projects[0].area,
        [projects[0].pk],
    )
    client.force_login(staff_a)
    with translation.override("en"):
        response = client.post(check_url(process), form_data(postal_code="70110"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "has already voted" in content
    assert 'value="70110"' in content


def test_check_shows_eligibility_refusals(client, staff_a, process):
    client.force_login(staff_a)
    response = client.post(check_url(process), form_data(municipality_code="091"))
    codes = [e.code for e in response.context["form"].non_field_errors().as_data()]
    assert codes == ["wrong_municipality"]


def test_paper_check_needs_an_area(client, staff_a, process):
    client.force_login(staff_a)
    response = client.post(check_url(process), form_data(kind="paper"))
    assert "area" in response.context["form"].errors
    assert not PaperBallot.objects.exists()


def test_paper_ballot_entered_twice_through_the_pages(
    client, staff_a, staff_b, process, area, projects
):
    client.force_login(staff_a)
    response = client.post(check_url(process), form_data(kind="paper", area=area.pk))
    paper = PaperBallot.objects.get()
    entry = reverse("desk:paper_entry", kwargs={"process_id": process.pk, "paper_id": paper.pk})
    assert response.url == entry
    assert client.post(entry, {"projects": [projects[0].pk]}).status_code == 302
    # The same person again: refused, nothing counted.
    response = client.post(entry, {"projects": [projects[0].pk]})
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["same_staff"]
    client.force_login(staff_b)
    # The second person does not see what the first one entered.
    assert "checked" not in client.get(entry).content.decode()
    assert client.post(entry, {"projects": [projects[0].pk]}).status_code == 302
    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.CAST
    assert ParticipationRecord.objects.get().channel == Channel.PAPER


def _held(staff_a, staff_b, process, area, projects, hetu=ADULT_HETU):
    record = services.desk_check(staff_a, process, hetu, "297", "70100")
    paper = services.paper_ballot_open(staff_a, record, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    return services.paper_entry_add(staff_b, paper, [projects[1].pk])


def test_resolution_page_shows_both_entries_and_counts_the_choice(
    client, staff_a, staff_b, staff_c, process, area, projects
):
    paper = _held(staff_a, staff_b, process, area, projects)
    url = reverse("desk:paper_resolve", kwargs={"process_id": process.pk, "paper_id": paper.pk})
    client.force_login(staff_c)
    content = client.get(url).content.decode()
    assert "a@example.fi" in content
    assert "b@example.fi" in content
    response = client.post(url, {"action": "resolve", "projects": [projects[1].pk]})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.CAST
    assert paper.resolved_by == staff_c


def test_resolution_page_rejects_an_unreadable_ballot(
    client, staff_a, staff_b, staff_c, process, area, projects
):
    paper = _held(staff_a, staff_b, process, area, projects)
    url = reverse("desk:paper_resolve", kwargs={"process_id": process.pk, "paper_id": paper.pk})
    client.force_login(staff_c)
    assert client.post(url, {"action": "reject"}).status_code == 302
    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.REJECTED
    assert not Ballot.objects.exists()


def _entered_twice_message(client, staff_a, staff_b, paper, chosen) -> str:
    """Enter `paper` twice through the page in English and return the message shown after it."""
    with translation.override("en"):
        url = reverse(
            "desk:paper_entry", kwargs={"process_id": paper.process_id, "paper_id": paper.pk}
        )
        client.force_login(staff_a)
        client.post(url, {"projects": chosen})
        client.force_login(staff_b)
        response = client.post(url, {"projects": chosen}, follow=True)
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def test_paper_rejection_names_broken_rule(client, staff_a, staff_b, process, area, projects):
    record = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    paper = services.paper_ballot_open(staff_a, record, area)

    # 20 000 + 15 000 + 30 000 € is more than the 50 000 € budget.
    message = _entered_twice_message(
        client, staff_a, staff_b, paper, [project.pk for project in projects]
    )

    assert message.startswith(
        f"Paper ballot {paper.pk} was rejected because it breaks the ballot rules. "
    )
    assert "more than the area's budget" in message
    assert "already voted" not in message


def test_paper_rejection_names_earlier_vote(
    client, staff_a, staff_b, process, area, projects, today
):
    record = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    paper = services.paper_ballot_open(staff_a, record, area)
    # An online ballot that won the race against the desk, as if cast between the entries.
    ParticipationRecord.objects.create(
        process=process, area=area, digest=record.digest, channel=Channel.ONLINE, day=today
    )

    message = _entered_twice_message(client, staff_a, staff_b, paper, [projects[0].pk])

    assert message == (
        f"Paper ballot {paper.pk} was rejected because the person has already voted."
    )


def test_paper_of_another_process_is_not_found(client, staff_a, process, make_process):
    other = make_process(slug="toinen")
    client.force_login(staff_a)
    record = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    paper = services.paper_ballot_open(staff_a, record, process.budget_areas.get())
    url = reverse("desk:paper_entry", kwargs={"process_id": other.pk, "paper_id": paper.pk})
    # The coordinator of `process` has no role in `other`.
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("papers", [1, 6])
def test_check_page_queries_do_not_grow_with_papers(
    client, staff_a, staff_b, process, area, projects, papers, django_assert_max_num_queries
):
    for number in range(papers):
        hetu = make_hetu(datetime.date(1970, 1, 1 + number), individual=910 + number)
        record = services.desk_check(staff_a, process, hetu, "297", "70100")
        paper = services.paper_ballot_open(staff_a, record, area)
        if number % 2:
            services.paper_entry_add(staff_a, paper, [projects[0].pk])
            services.paper_entry_add(staff_b, paper, [projects[1].pk])
    client.force_login(staff_a)
    with django_assert_max_num_queries(14):
        response = client.get(check_url(process))
    assert response.status_code == 200
    assert len(response.context["papers"]) == papers


def test_other_hetu_is_a_different_person(staff_a, process):
    first = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    second = services.desk_check(staff_a, process, OTHER_HETU, "297", "70100")
    assert first.pk != second.pk


@pytest.mark.parametrize("processes", [1, 5])
def test_public_page_queries_do_not_grow(
    client, make_process, processes, django_assert_max_num_queries
):
    now = timezone.now()
    for number in range(processes):
        process = make_process(slug=f"aanestys-{number}")
        Event.objects.create(
            process=process,
            kind=Event.Kind.OUTREACH,
            title=f"Tapahtuma {number}",
            slug=f"tapahtuma-{number}",
            starts_at=now + datetime.timedelta(hours=2),
            ends_at=now + datetime.timedelta(hours=4),
            place="Pääkirjasto",
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("desk:where"))
    assert len(response.context["processes"]) == processes
    assert len(response.context["events"]) == processes


def test_online_ballot_page_blocked_by_waiting_paper_ballot(client, staff_a, process, area):
    record = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    services.paper_ballot_open(staff_a, record, area)
    session = client.session
    session[SESSION_KEY] = {str(process.pk): record.pk}
    session.save()
    url = "/en" + reverse("budgeting:ballot_area", args=[process.slug, area.slug])
    choice_url = "/en" + reverse("budgeting:ballot", args=[process.slug])
    with translation.override("en"):
        page = client.get(url).content.decode()
        choice = client.get(choice_url)
    assert "A paper ballot of yours has already been registered" in page
    assert 'id="ballot-form"' not in page
    # The single area's ballot is not offered either.
    assert choice.status_code == 200
    assert "A paper ballot of yours" in choice.content.decode()


def test_assisted_page_offers_only_the_home_area(client, staff_a, process, area):
    # "Own area only" with two areas: the postal code 70100 belongs to the fixture's area.
    other = BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=1000, postal_codes=["70840"]
    )
    client.force_login(staff_a)
    client.post(check_url(process), form_data())
    assisted = reverse("desk:assisted", kwargs={"process_id": process.pk})
    response = client.get(assisted)
    assert response.context["areas"] == [area]
    response = client.get(assisted, {"area": other.slug})
    assert response.context["area"] is None
