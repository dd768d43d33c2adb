"""The ballot flow through the web: identification, random order, review step, one submit."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.budgeting.models import Ballot, BudgetingSettings, ParticipationRecord, Receipt
from osallistu.participation.models import Phase

from .voting import identify, make_record, project_ids

pytestmark = pytest.mark.django_db

_CHECKBOX_VALUE = re.compile(r'name="projects" value="(\d+)"')
_REVIEW_TOKEN = re.compile(r'name="review" value="([^"]+)"')
_CODE = re.compile(r'class="receipt-code"><strong>([0-9A-Z-]{19})</strong>')


def _url(process) -> str:
    return reverse("budgeting:ballot_area", args=[process.slug, "testilahio"])


@pytest.fixture
def process(make_process):
    return make_process(budget=50000, projects=[20000, 15000, 6000, 30000])


@pytest.fixture
def voter(client, process):
    record = make_record(process)
    identify(client, record)
    return record


def _review(client, process, ids):
    response = client.post(_url(process), {"action": "review", "projects": ids})
    assert response.status_code == 200
    match = _REVIEW_TOKEN.search(response.content.decode())
    return response, match and match.group(1)


def _vote(client, process, ids) -> str:
    """Review and cast a ballot, and return the receipt code shown."""
    _response, token = _review(client, process, ids)
    assert token, "the review page has no review token"
    response = client.post(_url(process), {"action": "cast", "review": token})
    match = _CODE.search(response.content.decode())
    assert match, "the receipt page shows no receipt code"
    return match.group(1)


def test_unidentified_voter_sees_identification(client, process):
    response = client.get(_url(process))
    assert response.status_code == 200
    assert b'name="projects"' not in response.content
    assert response.templates[0].name == "budgeting/ballot_identify.html"


def test_voting_needs_no_account(client, process, voter):
    code = _vote(client, process, project_ids(process)[:2])

    assert Ballot.objects.count() == 1
    assert ParticipationRecord.objects.get().digest == voter.digest
    assert len(code) == 19


def test_review_step_stores_nothing(client, process, voter):
    ids = project_ids(process)[:2]
    response, token = _review(client, process, ids)

    assert token
    assert Ballot.objects.count() == 0
    assert ParticipationRecord.objects.count() == 0
    assert Receipt.objects.count() == 0
    content = response.content.decode()
    assert "Hanke 1" in content
    assert "Hanke 2" in content
    assert "Hanke 3" not in content


def test_review_shows_total_and_remaining(client, process, voter):
    response, _token = _review(client, process, project_ids(process)[:2])
    content = response.content.decode().replace("\xa0", " ")
    assert "35 000" in content  # total
    assert "15 000" in content  # remaining


def test_cast_without_review_rejected(client, process, voter):
    ids = project_ids(process)[:2]
    response = client.post(_url(process), {"action": "cast", "projects": ids})
    assert response.status_code == 200
    assert Ballot.objects.count() == 0

    forged = client.post(_url(process), {"action": "cast", "review": "forged:token"})
    assert forged.status_code == 200
    assert Ballot.objects.count() == 0
    assert ParticipationRecord.objects.count() == 0


def test_change_keeps_choice(client, process, voter):
    ids = project_ids(process)[:2]
    _response, token = _review(client, process, ids)
    response = client.post(_url(process), {"action": "change", "review": token})
    content = response.content.decode()
    assert content.count("checked") == 2
    assert Ballot.objects.count() == 0


def test_rule_errors_shown_with_choice_kept(client, process, voter):
    ids = project_ids(process)
    BudgetingSettings.objects.create(process=process, max_projects=3)
    english_url = "/en" + _url(process)
    with translation.override("en"):
        response = client.post(english_url, {"action": "review", "projects": ids})
    content = response.content.decode()
    assert response.status_code == 200
    assert "at most 3 proposals" in content
    assert "more than the area&#x27;s budget" in content or "more than the area's" in content
    assert content.count("checked") == 4
    assert 'role="alert"' in content
    assert Ballot.objects.count() == 0


def test_rule_error_codes_in_context(client, process, voter):
    BudgetingSettings.objects.create(process=process, min_projects=2)
    response = client.post(
        _url(process), {"action": "review", "projects": project_ids(process)[:1]}
    )
    errors = response.context["form"].errors.as_data()["__all__"]
    assert [error.code for error in errors] == ["too_few"]


def test_second_ballot_blocked(client, process, voter):
    _vote(client, process, project_ids(process)[:1])
    identify(client, voter)
    response = client.post(
        _url(process), {"action": "review", "projects": project_ids(process)[1:2]}
    )
    assert response.context["blocked"]
    assert Ballot.objects.count() == 1


def test_cast_twice_with_same_review(client, process, voter):
    _response, token = _review(client, process, project_ids(process)[:1])
    client.post(_url(process), {"action": "cast", "review": token})
    identify(client, voter)
    client.post(_url(process), {"action": "cast", "review": token})
    assert Ballot.objects.count() == 1


def test_cast_ends_identification(client, process, voter):
    _vote(client, process, project_ids(process)[:1])
    response = client.get(_url(process))
    assert response.templates[0].name == "budgeting/ballot_identify.html"


def test_order_random_per_session(client, process, voter, make_process):
    area = process.budget_areas.get()
    for number in range(5, 25):
        area.projects.create(external_id=str(number), title=f"Hanke {number}", cost=Decimal(100))
    first = _CHECKBOX_VALUE.findall(client.get(_url(process)).content.decode())
    again = _CHECKBOX_VALUE.findall(client.get(_url(process)).content.decode())
    assert first == again

    orders = set()
    for _ in range(3):
        client.cookies.clear()
        identify(client, voter)
        orders.add(tuple(_CHECKBOX_VALUE.findall(client.get(_url(process)).content.decode())))
    orders.add(tuple(first))
    # 24 proposals have 24! orders, so four sessions with one order would be a broken shuffle.
    assert len(orders) > 1
    assert sorted(first) == sorted(str(pk) for pk in area.projects.values_list("pk", flat=True))


def test_area_choice_redirects_home(client, make_process):
    process = make_process(projects=[1000])
    home = process.budget_areas.get()
    home.postal_codes = ["70100"]
    home.save()
    other = process.budget_areas.create(name="Toinen", slug="toinen", budget=Decimal(1000))
    other.postal_codes = ["70200"]
    other.save()
    identify(client, make_record(process, postal_code="70200"))
    response = client.get(reverse("budgeting:ballot", args=[process.slug]))
    assert response.status_code == 302
    assert response["Location"].endswith("/vote/toinen/")


def test_wrong_area_message_on_review(client, make_process):
    process = make_process(projects=[1000])
    ids = project_ids(process)
    home = process.budget_areas.get()
    home.postal_codes = ["70100"]
    home.save()
    other = process.budget_areas.create(name="Toinen", slug="toinen", budget=Decimal(1000))
    other.postal_codes = ["70200"]
    other.save()
    identify(client, make_record(process, postal_code="70200"))
    response = client.post(_url(process), {"action": "review", "projects": ids})
    errors = response.context["form"].errors.as_data()["__all__"]
    assert [error.code for error in errors] == ["wrong_area"]


def test_ballot_page_query_count(client, process, voter, django_assert_max_num_queries):
    client.get(_url(process))
    with django_assert_max_num_queries(10):
        response = client.get(_url(process))
    assert response.status_code == 200

    area = process.budget_areas.get()
    for number in range(5, 105):
        area.projects.create(external_id=str(number), title=f"Hanke {number}", cost=Decimal(100))
    with django_assert_max_num_queries(10):
        response = client.get(_url(process))
    assert response.content.decode().count('name="projects"') == 104


def _closed_process(make_process):
    # With evaluation running today, the fixture's voting phase ended weeks ago.
    return make_process(current=Phase.Kind.EVALUATION, projects=[1000])


def test_closed_vote_skips_identification(client, make_process):
    process = _closed_process(make_process)
    receipt_check = reverse("budgeting:receipt_check", args=[process.slug])
    results_page = reverse("budgeting:results", args=[process.slug])
    for url in (_url(process), reverse("budgeting:ballot", args=[process.slug])):
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert "budgeting/ballot_identify.html" not in [t.name for t in response.templates], url
        assert not response.context["voting_is_open"], url
        assert "identity/" not in content, url
        assert f'href="{receipt_check}"' in content, url
        assert f'href="{results_page}"' not in content, url
        assert 'name="projects"' not in content, url


def test_closed_vote_links_published_results(client, make_process):
    process = _closed_process(make_process)
    process.results_published = True
    process.save(update_fields=["results_published"])
    with translation.override("en"):
        results_page = reverse("budgeting:results", args=[process.slug])
        response = client.get(_url(process))
    content = response.content.decode()
    assert "Voting is not open in this process." in content
    assert f'href="{results_page}"' in content


def test_vote_not_yet_open_skips_identification(client, make_process):
    process = make_process(current=Phase.Kind.IDEATION, projects=[1000])
    today = timezone.localdate()
    process.phases.filter(kind=Phase.Kind.VOTING).update(
        starts_on=today + datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=20)
    )
    response = client.get(_url(process))
    content = response.content.decode()
    assert "budgeting/ballot_identify.html" not in [t.name for t in response.templates]
    assert not response.context["voting_is_open"]
    assert reverse("budgeting:receipt_check", args=[process.slug]) not in content
    assert reverse("budgeting:results", args=[process.slug]) not in content
