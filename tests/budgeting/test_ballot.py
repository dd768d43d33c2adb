"""Casting ballots: budget and vote-type rules, one ballot per voter, and ballot secrecy."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from osallistu.budgeting import services
from osallistu.budgeting.models import Ballot, BallotChoice, BudgetArea, ParticipationRecord
from osallistu.participation.models import Phase

pytestmark = pytest.mark.django_db


def _ballot_url(process):
    area = process.budget_areas.get()
    return reverse("budgeting:ballot_area", args=[process.slug, area.slug])


def _project_ids(process):
    projects = process.budget_areas.get().projects.order_by("external_id")
    return list(projects.values_list("pk", flat=True))


def test_ballot_cast_stores_ballot_and_record(make_process, resident):
    process = make_process(projects=[20000, 25000, 10000])
    area = process.budget_areas.get()
    ids = _project_ids(process)

    ballot = services.ballot_cast(voter=resident, area=area, project_ids=ids[:2])

    assert set(ballot.choices.values_list("project_id", flat=True)) == set(ids[:2])
    record = ParticipationRecord.objects.get(process=process)
    assert record.voter == resident
    assert record.channel == "online"


def test_ballot_has_no_voter_or_time_fields():
    names = {field.name for field in Ballot._meta.get_fields()}
    assert names == {"id", "area", "choices"}
    choice_names = {field.name for field in BallotChoice._meta.get_fields()}
    assert choice_names == {"pk", "ballot", "project"}


def test_ballot_ids_are_random_uuids(make_process, resident, other_resident):
    process = make_process(projects=[1000])
    area = process.budget_areas.get()
    first = services.ballot_cast(voter=resident, area=area, project_ids=_project_ids(process))
    second = services.ballot_cast(
        voter=other_resident, area=area, project_ids=_project_ids(process)
    )
    assert first.pk.version == 4
    assert second.pk.version == 4
    assert first.pk != second.pk


def test_over_budget_ballot_rejected_in_finnish(make_process, resident, client):
    process = make_process(projects=[30000, 25000])
    client.force_login(resident)

    response = client.post(_ballot_url(process), {"projects": _project_ids(process)})

    assert response.status_code == 200
    content = response.content.decode()
    assert "enemmän kuin alueen budjetti" in content
    assert Ballot.objects.count() == 0
    assert ParticipationRecord.objects.count() == 0
    # The form keeps what the voter chose.
    assert content.count("checked") == 2


def test_over_budget_message_names_amounts(make_process, resident):
    process = make_process(budget=50000, projects=[30000, 25000])
    area = process.budget_areas.get()
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(voter=resident, area=area, project_ids=_project_ids(process))
    assert [e.code for e in error.value.error_list] == ["over_budget"]


def test_ballot_within_budget_exactly_accepted(make_process, resident):
    process = make_process(budget=50000, projects=[30000, 20000])
    area = process.budget_areas.get()
    services.ballot_cast(voter=resident, area=area, project_ids=_project_ids(process))
    assert Ballot.objects.count() == 1


def test_second_ballot_rejected_in_finnish(make_process, resident, client):
    process = make_process(projects=[10000, 10000])
    ids = _project_ids(process)
    client.force_login(resident)
    first = client.post(_ballot_url(process), {"projects": ids[:1]})
    assert first.status_code == 302

    area = process.budget_areas.get()
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(voter=resident, area=area, project_ids=ids[1:])
    assert error.value.code == "already_voted"

    response = client.post(_ballot_url(process), {"projects": ids[1:]})
    assert "Olet jo äänestänyt" in response.content.decode()
    assert Ballot.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1


def test_second_ballot_in_other_area_rejected(make_process, resident):
    process = make_process(projects=[10000])
    other_area = BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=Decimal(50000)
    )
    other_project = other_area.projects.create(external_id="x", title="X", cost=Decimal(100))
    home_area = process.budget_areas.get(slug="testilahio")
    services.ballot_cast(
        voter=resident,
        area=home_area,
        project_ids=list(home_area.projects.values_list("pk", flat=True)),
    )
    with pytest.raises(ValidationError):
        services.ballot_cast(voter=resident, area=other_area, project_ids=[other_project.pk])
    assert Ballot.objects.count() == 1


def test_empty_ballot_rejected(make_process, resident):
    process = make_process(projects=[1000])
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(voter=resident, area=process.budget_areas.get(), project_ids=[])
    assert [e.code for e in error.value.error_list] == ["empty"]


def test_project_of_other_area_rejected(make_process, resident):
    process = make_process(projects=[1000])
    other_area = BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=Decimal(50000)
    )
    foreign = other_area.projects.create(external_id="x", title="X", cost=Decimal(100))
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(
            voter=resident,
            area=process.budget_areas.get(slug="testilahio"),
            project_ids=[foreign.pk],
        )
    assert "area" in [e.code for e in error.value.error_list]


def test_choose_one_limit_has_its_own_message(make_process, resident):
    process = make_process(budget=50000, projects=[1000, 1000])
    area = process.budget_areas.get()
    area.vote_type = BudgetArea.VoteType.CHOOSE_ONE
    area.save()
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(voter=resident, area=area, project_ids=_project_ids(process))
    codes = [e.code for e in error.value.error_list]
    assert codes == ["too_many"]


def test_voting_closed_outside_voting_phase(make_process, resident):
    process = make_process(current=Phase.Kind.IDEATION, projects=[1000])
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            voter=resident, area=process.budget_areas.get(), project_ids=_project_ids(process)
        )
    assert ParticipationRecord.objects.count() == 0


def test_ballot_page_requires_sign_in(make_process, client):
    process = make_process(projects=[1000])
    response = client.get(_ballot_url(process))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_ballot_page_lists_projects_with_costs(make_process, resident, client):
    process = make_process(projects=[12500])
    client.force_login(resident)
    response = client.get(_ballot_url(process))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hanke 1" in content
    assert "12\xa0500" in content or "12 500" in content
    assert 'data-cost="12500.00"' in content


def test_vote_flow_redirects_to_thanks(make_process, resident, client):
    process = make_process(projects=[1000])
    client.force_login(resident)
    response = client.post(_ballot_url(process), {"projects": _project_ids(process)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("budgeting:ballot_done", args=[process.slug])
    assert "äänestyslippusi on tallennettu" in response.content.decode().lower()


def test_results_hidden_until_published(make_process, resident, client):
    process = make_process(projects=[1000])
    services.ballot_cast(
        voter=resident, area=process.budget_areas.get(), project_ids=_project_ids(process)
    )
    response = client.get(reverse("budgeting:results", args=[process.slug]))
    content = response.content.decode()
    assert "Hanke 1" not in content
    assert "ei ole vielä julkaistu" in content

    process.results_published = True
    process.save()
    response = client.get(reverse("budgeting:results", args=[process.slug]))
    content = response.content.decode()
    assert "Hanke 1" in content
    assert "Rahoitetaan" in content


def test_results_show_imported_currency(make_process, resident, client):
    process = make_process(budget=1000, projects=[400])
    area = process.budget_areas.get()
    area.currency = "PLN"
    area.save()
    services.ballot_cast(voter=resident, area=area, project_ids=_project_ids(process))
    process.results_published = True
    process.save()
    content = client.get(reverse("budgeting:results", args=[process.slug])).content.decode()
    assert "1\xa0000\xa0PLN" in content
    assert "€" not in content.split('id="main"')[1].split("</main>")[0]


def test_ballot_script_texts_come_from_page(make_process, resident, client):
    process = make_process(projects=[1000])
    client.force_login(resident)
    content = client.get(_ballot_url(process)).content.decode()
    assert 'data-total-template="' in content
    assert "{total}" in content
    assert 'data-currency="EUR"' in content
