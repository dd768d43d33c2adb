"""Publishing results, the results pages and their per-project explanations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.budgeting import results
from osallistu.budgeting.counting.areas import count_area
from osallistu.budgeting.models import BudgetArea, BudgetingSettings, Project
from osallistu.participation.models import Phase

from .results_helpers import GREEDY_VOTES, add_ballot, add_ballots, closed_process
from .voting import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(make_process):
    process = closed_process(make_process)
    add_ballots(process.budget_areas.get(), GREEDY_VOTES)
    return process


@pytest.fixture
def coordinator(django_user_model, process):
    return make_staff(django_user_model, process)


def _publish_url(process) -> str:
    return reverse("budgeting:results_publish", kwargs={"process_id": process.pk})


def _public_urls(process) -> list[str]:
    return [
        reverse("budgeting:results_area", args=[process.slug, "testilahio"]),
        reverse("budgeting:results_csv", args=[process.slug]),
        reverse("budgeting:turnout", args=[process.slug]),
        reverse("budgeting:turnout_csv", args=[process.slug]),
        reverse("budgeting:results_pabulib", args=[process.slug, "testilahio"]),
        f"/api/v1/processes/{process.slug}/results/",
    ]


def test_no_counts_before_publication(client, process):
    page = client.get(reverse("budgeting:results", args=[process.slug]))

    assert page.status_code == 200
    assert page.context["area_results"] == []
    assert b"Hanke 4" not in page.content
    assert b"<table" not in page.content
    for url in _public_urls(process):
        assert client.get(url).status_code == 404, url


def test_publish_page_rejects_moderator(client, django_user_model, process):
    moderator = django_user_model.objects.create_user(email="m@example.fi", password="x")
    RoleAssignment.objects.create(
        user=moderator, role=RoleAssignment.Role.MODERATOR, process=process
    )
    client.force_login(moderator)

    assert client.get(_publish_url(process)).status_code == 403
    assert client.post(_publish_url(process)).status_code == 403
    process.refresh_from_db()
    assert not process.results_published


def test_anonymous_visitor_is_sent_to_sign_in(client, process):
    response = client.post(_publish_url(process))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    process.refresh_from_db()
    assert not process.results_published


def test_coordinator_checks_and_publishes(client, process, coordinator):
    client.force_login(coordinator)
    preview = client.get(_publish_url(process))
    assert preview.status_code == 200
    assert b"Hanke 4" in preview.content
    assert b'method="post"' in preview.content

    confirmation = client.post(_publish_url(process))
    assert confirmation.status_code == 200
    assert confirmation.context["confirming"]
    assert b'name="confirm"' in confirmation.content
    process.refresh_from_db()
    assert not process.results_published

    response = client.post(_publish_url(process), {"step": "confirm", "confirm": "yes"})

    assert response.status_code == 302
    process.refresh_from_db()
    assert process.results_published
    for url in _public_urls(process):
        assert client.get(url).status_code == 200, url


def test_unconfirmed_publish_publishes_nothing(client, process, coordinator):
    client.force_login(coordinator)

    with translation.override("en"):
        response = client.post(_publish_url(process))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["error"] is None
    assert "Confirm the publication" in content
    assert "Testilähiö: counted by votes, most first" in content
    assert "cannot be hidden again" in content
    assert 'name="confirm" value="yes"' in content
    assert "required" in content
    process.refresh_from_db()
    assert not process.results_published


def test_publish_confirm_without_the_box_publishes_nothing(client, process, coordinator):
    client.force_login(coordinator)

    for data in ({"step": "confirm"}, {"step": "confirm", "confirm": "on"}):
        response = client.post(_publish_url(process), data)
        assert response.status_code == 200
        assert response.context["confirming"]
        assert response.context["error"]
    process.refresh_from_db()
    assert not process.results_published


def test_publish_rejected_while_voting_open(client, make_process, django_user_model):
    process = make_process(current=Phase.Kind.VOTING, projects=[1000])
    client.force_login(make_staff(django_user_model, process))

    response = client.post(_publish_url(process), {"step": "confirm", "confirm": "yes"})

    assert response.status_code == 200
    assert response.context["error"]
    process.refresh_from_db()
    assert not process.results_published
    with pytest.raises(ValidationError) as error:
        results.publish_results(make_staff(django_user_model, process, "b@example.fi"), process)
    assert error.value.code == "voting_open"


def test_publish_service_checks_the_permission(process, resident):
    with pytest.raises(PermissionDenied):
        results.publish_results(resident, process)
    process.refresh_from_db()
    assert not process.results_published


def test_staff_home_lists_the_publish_tool(client, process, coordinator):
    client.force_login(coordinator)
    response = client.get("/staff/")
    assert _publish_url(process).encode() in response.content


def test_greedy_explanations_name_the_amounts(client, process):
    process.results_published = True
    process.save()

    with translation.override("en"):
        response = client.get(reverse("budgeting:results", args=[process.slug]))
    area = response.context["area_results"][0]
    rows = {row.project.external_id: row for row in area.rows}

    assert [p.external_id for p in area.winners] == ["4", "2"]
    assert (rows["4"].result.votes, rows["2"].result.votes, rows["1"].result.votes) == (3, 2, 1)
    assert rows["1"].result.reason == "did_not_fit"
    assert "5,000" in rows["1"].explanation
    assert "20,000" in rows["1"].explanation
    assert rows["3"].result.reason == "no_votes"
    assert rows["3"].explanation != rows["1"].explanation
    content = response.content.decode()
    assert rows["1"].explanation.replace("'", "&#x27;") in content
    assert area.ballot_count == 4


def test_minimum_votes_explanation(process):
    BudgetingSettings.objects.create(process=process, min_votes=2)
    area = results.area_results(process.budget_areas.get())
    row = next(row for row in area.rows if row.project.external_id == "1")

    assert row.result.reason == "below_min_votes"
    with translation.override("en"):
        text = results.explain(row.result)
    assert "at least 2 votes" in text
    assert "got 1." in text


def test_mes_explanation_names_the_supporters_shares(make_process):
    process = make_process(current=Phase.Kind.IDEATION, budget=30000, projects=[20000, 15000])
    BudgetingSettings.objects.create(process=process, rule=BudgetingSettings.Rule.MES_COST)
    area = process.budget_areas.get()
    # Each of three voters gets a 10 000 € share. The two supporters of 1 cover its 20 000 €,
    # but the one supporter of 2 has only 10 000 € of its 15 000 €.
    add_ballots(area, [(["1"], 2), (["2"], 1)])

    counted = results.area_results(area)
    row = next(row for row in counted.rows if row.project.external_id == "2")

    assert [p.external_id for p in counted.winners] == ["1"]
    assert row.result.reason == "mes_shares_insufficient"
    with translation.override("en"):
        text = results.explain(row.result)
    assert "10,000" in text
    assert "15,000" in text
    assert counted.voter_share == 10000


def test_area_page_shows_one_area(client, process):
    process.results_published = True
    process.save()
    other = BudgetArea.objects.create(process=process, name="Toinen", slug="toinen", budget=100)
    Project.objects.create(area=other, external_id="x", title="Muu hanke", cost=50)

    response = client.get(reverse("budgeting:results_area", args=[process.slug, "testilahio"]))

    assert b"Hanke 4" in response.content
    assert b"Muu hanke" not in response.content


def test_results_page_queries_do_not_grow_with_ballots(
    client, process, django_assert_max_num_queries
):
    process.results_published = True
    process.save()
    for index in range(3):
        area = BudgetArea.objects.create(
            process=process, name=f"Alue {index}", slug=f"alue-{index}", budget=1000
        )
        Project.objects.create(area=area, external_id="a", title="A", cost=500)
        for _ in range(5):
            add_ballot(area, ["a"])

    url = reverse("budgeting:results", args=[process.slug])
    # The first view counts and fills the cache, and later views read the cached outcomes.
    with django_assert_max_num_queries(60):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_other_public_routes_show_no_votes(client, process):
    hashes = client.get(reverse("budgeting:receipt_hashes_json", args=[process.slug]))
    detail = client.get(f"/api/v1/processes/{process.slug}/")
    listing = client.get("/api/v1/processes/")

    assert hashes.status_code == 200
    assert set(hashes.json()) == {"process", "algorithm", "hashes"}
    assert detail.json()["results_published"] is False
    assert b"votes" not in detail.content
    assert b"votes" not in listing.content


def test_published_outcome_is_counted_once(client, process, monkeypatch):
    calls = []

    def counting(area, **options):
        calls.append(area.pk)
        return count_area(area, **options)

    monkeypatch.setattr(results, "count_area", counting)
    url = reverse("budgeting:results", args=[process.slug])
    process.results_published = True
    process.save()

    client.get(url)
    client.get(url)
    assert len(calls) == 1

    BudgetingSettings.objects.create(process=process, rule=BudgetingSettings.Rule.MES_COST)
    response = client.get(url)
    assert len(calls) == 2
    assert response.context["area_results"][0].outcome.rule == "mes-cost"


def test_unpublished_outcome_is_counted_afresh(process):
    area = process.budget_areas.get()
    before = results.area_results(area)
    add_ballot(area, ["1"])
    after = results.area_results(area)

    assert after.ballot_count == before.ballot_count + 1
    assert after.outcome.project("1").votes == 2
