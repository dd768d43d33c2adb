"""Casting ballots: the ballot rules with their own messages, one ballot per identity, secrecy."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from osallistu.budgeting import services
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetArea,
    BudgetingSettings,
    ParticipationRecord,
    Receipt,
)
from osallistu.participation.models import Channel, Phase

from .voting import make_record, make_staff, project_ids

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> list[str]:
    return [item.code for item in error.error_list]


def _settings(process, **values) -> BudgetingSettings:
    return BudgetingSettings.objects.create(process=process, **values)


def test_cast_stores_ballot_record_receipt(make_process):
    process = make_process(projects=[20000, 25000, 10000])
    area = process.budget_areas.get()
    record = make_record(process)
    ids = project_ids(process)

    receipt = services.cast_ballot(record, area, ids[:2])

    ballot = Ballot.objects.get()
    assert set(ballot.choices.values_list("project_id", flat=True)) == set(ids[:2])
    participation = ParticipationRecord.objects.get(process=process)
    assert participation.digest == record.digest
    assert participation.channel == "online"
    assert Receipt.objects.get() == receipt
    assert not receipt.is_final
    assert len(receipt.code) == 16


def test_ballot_has_no_voter_or_time_fields():
    names = {field.name for field in Ballot._meta.get_fields()}
    assert names == {"id", "area", "choices", "receipt_mac"}
    choice_names = {field.name for field in BallotChoice._meta.get_fields()}
    assert choice_names == {"pk", "ballot", "project"}


def test_receipt_has_no_link_to_ballot_or_voter():
    names = {field.name for field in Receipt._meta.get_fields()}
    assert names == {"id", "process", "code_hash", "received_on", "is_final", "superseded"}


def test_participation_record_has_no_link_to_ballot():
    fields = ParticipationRecord._meta.get_fields()
    related = {field.related_model for field in fields if field.is_relation}
    assert Ballot not in related
    assert Receipt not in related
    names = {field.name for field in fields}
    assert "voter" not in names


def test_stored_hashes_differ_per_table(make_process):
    process = make_process(projects=[1000])
    receipt = services.cast_ballot(
        make_record(process), process.budget_areas.get(), project_ids(process)
    )
    ballot = Ballot.objects.get()
    participation = ParticipationRecord.objects.get()
    values = {receipt.code_hash, ballot.receipt_mac, participation.receipt_mac}
    assert len(values) == 3
    assert receipt.code not in values


def test_ballot_ids_are_random_uuids(make_process):
    process = make_process(projects=[1000])
    area = process.budget_areas.get()
    services.cast_ballot(make_record(process), area, project_ids(process))
    services.cast_ballot(make_record(process), area, project_ids(process))
    first, second = Ballot.objects.all()
    assert first.pk.version == 4
    assert second.pk.version == 4


def test_over_budget_message_code(make_process):
    process = make_process(budget=50000, projects=[30000, 25000])
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process))
    assert _codes(error.value) == ["over_budget"]
    assert Ballot.objects.count() == 0
    assert ParticipationRecord.objects.count() == 0


def test_over_budget_message_names_amounts(make_process):
    process = make_process(budget=50000, projects=[30000, 25000])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.ballot_validate(
            area=process.budget_areas.get(),
            projects=list(process.budget_areas.get().projects.all()),
        )
    message = error.value.messages[0].replace("\xa0", " ")
    assert "more than the area's budget" in message
    assert "5,000" in message or "5 000" in message


def test_within_budget_exactly_accepted(make_process):
    process = make_process(budget=50000, projects=[30000, 20000])
    services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process))
    assert Ballot.objects.count() == 1


def test_too_few_has_own_message(make_process):
    process = make_process(budget=50000, projects=[1000, 1000, 1000])
    _settings(process, min_projects=3)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.cast_ballot(
            make_record(process), process.budget_areas.get(), project_ids(process)[:2]
        )
    assert _codes(error.value) == ["too_few"]
    assert "at least 3 proposals" in error.value.error_list[0].message


def test_too_many_has_own_message(make_process):
    process = make_process(budget=50000, projects=[1000, 1000, 1000])
    _settings(process, max_projects=2)
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process))
    assert _codes(error.value) == ["too_many"]
    with translation.override("en"):
        services_error = pytest.raises(ValidationError)
        with services_error as english:
            services.ballot_validate(
                area=process.budget_areas.get(),
                projects=list(process.budget_areas.get().projects.all()),
            )
    assert "budget" not in english.value.messages[0]
    assert "at most 2 proposals" in english.value.messages[0]


def test_below_min_share_has_own_message(make_process):
    process = make_process(budget=10000, projects=[1000, 5000])
    _settings(process, min_budget_share=Decimal("0.5"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.cast_ballot(
            make_record(process), process.budget_areas.get(), project_ids(process)[:1]
        )
    assert _codes(error.value) == ["below_min_share"]
    assert "50%" in error.value.messages[0]


def test_min_share_reached_accepted(make_process):
    process = make_process(budget=10000, projects=[1000, 5000])
    _settings(process, min_budget_share=Decimal("0.5"))
    services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process)[1:])
    assert Ballot.objects.count() == 1


def test_several_rules_each_reported(make_process):
    process = make_process(budget=3000, projects=[2000, 2000, 2000])
    _settings(process, max_projects=2)
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process))
    assert sorted(_codes(error.value)) == ["over_budget", "too_many"]


def test_empty_ballot_rejected(make_process):
    process = make_process(projects=[1000])
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process), process.budget_areas.get(), [])
    assert _codes(error.value) == ["empty"]


def _english_messages(area, projects) -> list[tuple[str, str]]:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.ballot_validate(area=area, projects=projects)
    return [(item.code, str(item.message)) for item in error.value.error_list]


def test_empty_ballot_states_minimum(make_process):
    process = make_process(projects=[1000, 1000, 1000])
    _settings(process, min_projects=2, max_projects=3)
    area = process.budget_areas.get()

    assert _english_messages(area, []) == [("empty", "Choose at least 2 proposals.")]


def test_empty_ballot_default_minimum(make_process):
    process = make_process(projects=[1000])
    area = process.budget_areas.get()

    assert _english_messages(area, []) == [("empty", "Choose at least one proposal.")]


def test_equal_limits_give_one_number(make_process):
    process = make_process(projects=[1000, 1000, 1000])
    _settings(process, min_projects=2, max_projects=2)
    area = process.budget_areas.get()
    projects = list(area.projects.all())

    assert _english_messages(area, []) == [("empty", "Choose 2 proposals.")]
    assert _english_messages(area, projects[:1]) == [
        ("too_few", "Choose 2 proposals. You chose 1.")
    ]
    assert _english_messages(area, projects) == [("too_many", "Choose 2 proposals. You chose 3.")]


def test_choose_one_empty_says_one(make_process):
    process = make_process(projects=[1000, 1000])
    area = process.budget_areas.get()
    area.vote_type = BudgetArea.VoteType.CHOOSE_ONE
    area.save()

    assert _english_messages(area, []) == [("empty", "Choose one proposal.")]
    assert _english_messages(area, list(area.projects.all())) == [
        ("too_many", "Choose 1 proposal. You chose 2.")
    ]


@pytest.mark.parametrize(
    ("minimum", "maximum", "expected"),
    [
        (2, 2, ["Choose 2 proposals."]),
        (2, 3, ["Choose at least 2 proposals.", "Choose at most 3 proposals."]),
        (1, 1, ["Choose one proposal."]),
        (1, None, []),
    ],
)
def test_rules_list_limits(make_process, minimum, maximum, expected):
    process = make_process(projects=[1000])
    options = _settings(process, min_projects=minimum, max_projects=maximum)
    context = {"area": process.budget_areas.get(), "options": options}

    with translation.override("en"):
        html = render_to_string("budgeting/includes/ballot_rules.html", context)

    assert re.findall(r"<li>(.*?)</li>", html) == expected


def test_project_of_other_area_rejected(make_process):
    process = make_process(projects=[1000])
    other_area = BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=Decimal(50000)
    )
    _settings(process, area_choice=BudgetingSettings.AreaChoice.ANY_ONE_AREA)
    foreign = other_area.projects.create(external_id="x", title="X", cost=Decimal(100))
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(
            make_record(process), process.budget_areas.get(slug="testilahio"), [foreign.pk]
        )
    assert "area" in _codes(error.value)


def test_choose_one_limit_has_own_message(make_process):
    process = make_process(budget=50000, projects=[1000, 1000])
    area = process.budget_areas.get()
    area.vote_type = BudgetArea.VoteType.CHOOSE_ONE
    area.save()
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process), area, project_ids(process))
    assert _codes(error.value) == ["too_many"]


def _two_areas(process):
    home = process.budget_areas.get()
    home.postal_codes = ["70100"]
    home.save()
    other = BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=Decimal(50000)
    )
    other.postal_codes = ["70200"]
    other.save()
    project = other.projects.create(external_id="x", title="X", cost=Decimal(100))
    return home, other, project


def test_own_area_only_rejects_other(make_process):
    process = make_process(projects=[1000])
    _home, other, project = _two_areas(process)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process, postal_code="70100"), other, [project.pk])
    assert error.value.code == "wrong_area"
    assert "own area, Testilähiö" in error.value.messages[0]


def test_own_area_unknown_postal_code(make_process):
    process = make_process(projects=[1000])
    ids = project_ids(process)
    home, _other, _project = _two_areas(process)
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(process, postal_code="99999"), home, ids)
    assert error.value.code == "wrong_area"


def test_any_area_allows_other_once(make_process):
    process = make_process(projects=[1000])
    ids = project_ids(process)
    home, other, project = _two_areas(process)
    _settings(process, area_choice=BudgetingSettings.AreaChoice.ANY_ONE_AREA)
    record = make_record(process, postal_code="70100")
    services.cast_ballot(record, other, [project.pk])
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(record, home, ids)
    assert error.value.code == "already_voted"
    assert Ballot.objects.count() == 1


def test_second_ballot_rejected_across_channels(make_process, django_user_model):
    process = make_process(projects=[10000, 10000])
    area = process.budget_areas.get()
    record = make_record(process)
    services.cast_ballot(record, area, project_ids(process)[:1])
    staff = make_staff(django_user_model, process)

    with pytest.raises(ValidationError) as error:
        services.cast_ballot(
            record, area, project_ids(process)[1:], Channel.ASSISTED, staff_user=staff
        )
    assert error.value.code == "already_voted"
    assert Ballot.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1


def test_assisted_ballot_needs_permission(make_process, resident):
    process = make_process(projects=[1000])
    with pytest.raises(PermissionDenied):
        services.cast_ballot(
            make_record(process),
            process.budget_areas.get(),
            project_ids(process),
            Channel.ASSISTED,
            staff_user=resident,
        )
    assert Ballot.objects.count() == 0


def test_assisted_ballot_is_final(make_process, django_user_model):
    process = make_process(projects=[1000])
    staff = make_staff(django_user_model, process)
    receipt = services.cast_ballot(
        make_record(process),
        process.budget_areas.get(),
        project_ids(process),
        Channel.ASSISTED,
        staff_user=staff,
    )
    assert receipt.is_final
    assert ParticipationRecord.objects.get().channel == "assisted"


def test_voting_closed_outside_phase(make_process):
    process = make_process(current=Phase.Kind.IDEATION, projects=[1000])
    with pytest.raises(PermissionDenied):
        services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process))
    assert ParticipationRecord.objects.count() == 0


def test_record_of_other_process_rejected(make_process):
    process = make_process(projects=[1000])
    other = make_process(slug="toinen", projects=[1000])
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(make_record(other), process.budget_areas.get(), project_ids(process))
    assert error.value.code == "wrong_process"


def test_results_hidden_until_published(make_process, client):
    process = make_process(projects=[1000])
    services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process))
    response = client.get(reverse("budgeting:results", args=[process.slug]))
    content = response.content.decode()
    assert "Hanke 1" not in content

    process.results_published = True
    process.save()
    response = client.get(reverse("budgeting:results", args=[process.slug]))
    assert "Hanke 1" in response.content.decode()


def test_results_show_imported_currency(make_process, client):
    process = make_process(budget=1000, projects=[400])
    area = process.budget_areas.get()
    area.currency = "PLN"
    area.save()
    services.cast_ballot(make_record(process), area, project_ids(process))
    process.results_published = True
    process.save()
    content = client.get(reverse("budgeting:results", args=[process.slug])).content.decode()
    assert "1\xa0000\xa0PLN" in content
    assert "€" not in content.split('id="main"')[1].split("</main>")[0]
