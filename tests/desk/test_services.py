"""The desk's services: identity check, assisted ballots and double-entered paper ballots."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from osallistu.budgeting.models import Ballot, BallotChoice, ParticipationRecord, Receipt
from osallistu.budgeting.services import cast_ballot
from osallistu.desk import services
from osallistu.desk.models import PaperBallot, PaperBallotEntry
from osallistu.identity import digest
from osallistu.identity.models import EligibilityRecord
from osallistu.participation.models import Channel
from osallistu.privacy import retention
from tests.budgeting.voting import make_record

from .conftest import ADULT_HETU, OTHER_HETU


def _codes(error: ValidationError) -> list[str]:
    return [item.code for item in error.error_list]


def check(staff, process, hetu=ADULT_HETU):
    return services.desk_check(staff, process, hetu, "297", "70100")


def test_desk_check_stores_digest_only(staff_a, process):
    record = check(staff_a, process)
    assert record.digest == digest.identity_digest(ADULT_HETU)
    assert record.is_self_declared
    assert record.method == EligibilityRecord.MethodChoice.DESK
    assert record.created_by == staff_a
    stored = " ".join(str(value) for value in EligibilityRecord.objects.values_list()[0])
    assert ADULT_HETU not in stored
    assert ADULT_HETU.split("-")[0] not in stored


def test_desk_check_needs_assist_voting(process, resident):
    with pytest.raises(PermissionDenied):
        check(resident, process)


def test_desk_check_refuses_a_person_who_voted_online(staff_a, process, projects):
    online = make_record(process, digest=digest.identity_digest(ADULT_HETU))
    cast_ballot(online, projects[0].area, [projects[0].pk])
    with pytest.raises(ValidationError) as caught:
        check(staff_a, process)
    assert _codes(caught.value) == ["already_voted"]


def test_desk_check_rejects_paper_voter(staff_a, process, area):
    services.paper_ballot_open(staff_a, check(staff_a, process), area)
    with pytest.raises(ValidationError) as caught:
        check(staff_a, process)
    assert _codes(caught.value) == ["already_voted"]


def test_desk_check_applies_the_eligibility_rules(staff_a, process):
    with pytest.raises(ValidationError) as caught:
        services.desk_check(staff_a, process, ADULT_HETU, "091", "70100")
    assert _codes(caught.value) == ["wrong_municipality"]


def test_assisted_ballot_is_final_and_blocks_online_voting(staff_a, process, projects):
    record = check(staff_a, process)
    receipt = services.assisted_ballot_cast(staff_a, record, projects[0].area, [projects[0].pk])
    assert receipt.is_final
    participation = ParticipationRecord.objects.get()
    assert participation.channel == Channel.ASSISTED
    with pytest.raises(ValidationError) as caught:
        cast_ballot(record, projects[0].area, [projects[1].pk])
    assert _codes(caught.value) == ["already_voted"]
    with pytest.raises(ValidationError):
        check(staff_a, process)


def test_assisted_ballot_needs_assist_voting(staff_a, process, projects, resident):
    record = check(staff_a, process)
    with pytest.raises(PermissionDenied):
        services.assisted_ballot_cast(resident, record, projects[0].area, [projects[0].pk])
    assert not Ballot.objects.exists()


def test_assisted_ballot_refused_while_a_paper_ballot_waits(staff_a, process, area, projects):
    record = check(staff_a, process)
    services.paper_ballot_open(staff_a, record, area)
    with pytest.raises(ValidationError) as caught:
        services.assisted_ballot_cast(staff_a, record, area, [projects[0].pk])
    assert _codes(caught.value) == ["already_voted"]


def test_online_ballot_refused_while_a_paper_ballot_waits(staff_a, process, area, projects):
    record = check(staff_a, process)
    services.paper_ballot_open(staff_a, record, area)
    with pytest.raises(ValidationError) as caught:
        cast_ballot(record, area, [projects[0].pk])
    assert _codes(caught.value) == ["already_voted"]
    assert not ParticipationRecord.objects.exists()


def test_online_ballot_refused_after_paper_ballot_rejected(
    staff_a, staff_b, process, area, projects
):
    # A rejected paper ballot is a spoilt ballot: the person has voted.
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [p.pk for p in projects])
    paper = services.paper_entry_add(staff_b, paper, [p.pk for p in projects])
    assert paper.status == PaperBallot.Status.REJECTED
    with pytest.raises(ValidationError) as caught:
        cast_ballot(paper.record, area, [projects[0].pk])
    assert _codes(caught.value) == ["already_voted"]


def open_paper(staff, process, area, hetu=ADULT_HETU):
    return services.paper_ballot_open(staff, check(staff, process, hetu), area)


def test_equal_entries_cast_final_ballot(staff_a, staff_b, process, area, projects):
    paper = open_paper(staff_a, process, area)
    chosen = [projects[0].pk, projects[1].pk]
    paper = services.paper_entry_add(staff_a, paper, chosen)
    assert paper.status == PaperBallot.Status.ENTERING
    assert not Ballot.objects.exists()
    paper = services.paper_entry_add(staff_b, paper, list(reversed(chosen)))
    assert paper.status == PaperBallot.Status.CAST
    ballot = Ballot.objects.get()
    assert set(ballot.choices.values_list("project_id", flat=True)) == set(chosen)
    assert ParticipationRecord.objects.get().channel == Channel.PAPER
    assert Receipt.objects.get().is_final
    # The entries no longer link the person's record to the ballot's contents.
    assert not PaperBallotEntry.projects.through.objects.exists()
    assert PaperBallotEntry.objects.count() == 2


def test_second_entry_same_staff_rejected(staff_a, process, area, projects):
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    with pytest.raises(ValidationError) as caught:
        services.paper_entry_add(staff_a, paper, [projects[0].pk])
    assert _codes(caught.value) == ["same_staff"]
    assert not Ballot.objects.exists()
    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.ENTERING


def test_different_entries_are_held_and_not_counted(staff_a, staff_b, process, area, projects):
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    paper = services.paper_entry_add(staff_b, paper, [projects[1].pk])
    assert paper.status == PaperBallot.Status.HELD
    assert not Ballot.objects.exists()
    assert not ParticipationRecord.objects.exists()
    with pytest.raises(ValidationError) as caught:
        services.paper_entry_add(staff_b, paper, [projects[1].pk])
    assert _codes(caught.value) == ["not_entering"]


@pytest.fixture
def held(staff_a, staff_b, process, area, projects):
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    return services.paper_entry_add(staff_b, paper, [projects[1].pk])


def test_held_ballot_resolved_by_third_staff(held, staff_c, projects):
    paper = services.paper_resolve(staff_c, held, [projects[1].pk])
    assert paper.status == PaperBallot.Status.CAST
    assert paper.resolved_by == staff_c
    assert list(BallotChoice.objects.values_list("project_id", flat=True)) == [projects[1].pk]
    assert ParticipationRecord.objects.get().channel == Channel.PAPER
    assert not PaperBallotEntry.projects.through.objects.exists()


def test_those_who_entered_cannot_resolve(held, staff_a, staff_b, projects):
    for staff in (staff_a, staff_b):
        with pytest.raises(ValidationError) as caught:
            services.paper_resolve(staff, held, [projects[1].pk])
        assert _codes(caught.value) == ["same_staff"]
    assert not Ballot.objects.exists()


def test_resolving_as_unreadable_rejects_without_a_ballot(held, staff_c):
    paper = services.paper_resolve(staff_c, held, None)
    assert paper.status == PaperBallot.Status.REJECTED
    assert paper.rejection_codes == "unreadable"
    assert not Ballot.objects.exists()
    with pytest.raises(ValidationError) as caught:
        services.paper_resolve(staff_c, paper, None)
    assert _codes(caught.value) == ["not_held"]


def test_only_a_held_ballot_can_be_resolved(staff_a, staff_c, process, area, projects):
    paper = open_paper(staff_a, process, area)
    with pytest.raises(ValidationError) as caught:
        services.paper_resolve(staff_c, paper, [projects[0].pk])
    assert _codes(caught.value) == ["not_held"]


def test_paper_ballot_breaking_a_rule_is_rejected(staff_a, staff_b, process, area, projects):
    # 20 000 + 15 000 + 30 000 € is more than the 50 000 € budget.
    paper = open_paper(staff_a, process, area)
    every = [project.pk for project in projects]
    services.paper_entry_add(staff_a, paper, every)
    paper = services.paper_entry_add(staff_b, paper, every)
    assert paper.status == PaperBallot.Status.REJECTED
    assert paper.rejection_codes == "over_budget"
    assert not Ballot.objects.exists()


def test_paper_ballot_counts_after_refused_online_attempt(
    staff_a, staff_b, process, area, projects
):
    # The online attempt between the two entries is refused, and the paper is not lost.
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    with pytest.raises(ValidationError):
        cast_ballot(paper.record, area, [projects[2].pk])
    paper = services.paper_entry_add(staff_b, paper, [projects[0].pk])
    assert paper.status == PaperBallot.Status.CAST
    assert list(BallotChoice.objects.values_list("project_id", flat=True)) == [projects[0].pk]


def test_paper_ballot_opened_only_once_per_person(staff_a, process, area):
    record = check(staff_a, process)
    services.paper_ballot_open(staff_a, record, area)
    with pytest.raises(ValidationError) as caught:
        services.paper_ballot_open(staff_a, record, area)
    assert _codes(caught.value) == ["already_voted"]


def test_paper_entry_refuses_projects_of_another_area(
    staff_a, process, area, projects, make_process
):
    other = make_process(slug="toinen", projects=(1000,))
    foreign = other.budget_areas.get().projects.get()
    paper = open_paper(staff_a, process, area, OTHER_HETU)
    with pytest.raises(ValidationError) as caught:
        services.paper_entry_add(staff_a, paper, [foreign.pk])
    assert _codes(caught.value) == ["unknown_project"]
    assert not PaperBallotEntry.objects.exists()


def test_paper_entry_needs_assist_voting(staff_a, process, area, projects, resident):
    paper = open_paper(staff_a, process, area)
    with pytest.raises(PermissionDenied):
        services.paper_entry_add(resident, paper, [projects[0].pk])


def test_retention_purge_deletes_paper_ballots(staff_a, process, area, projects):
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    later = timezone.now() + datetime.timedelta(days=3650)

    retention.purge_expired(now=later)

    assert not EligibilityRecord.objects.exists()
    assert not PaperBallot.objects.exists()
    assert not PaperBallotEntry.objects.exists()


def _close_voting(process) -> None:
    process.phases.filter(kind="voting").update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=5),
    )


def test_paper_entry_after_voting_closes_is_cast(staff_a, staff_b, process, area, projects):
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    _close_voting(process)

    services.paper_entry_add(staff_b, paper, [projects[0].pk])

    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.CAST
    assert Ballot.objects.count() == 1


def test_paper_entry_after_publication_changes_nothing(staff_a, staff_b, process, area, projects):
    paper = open_paper(staff_a, process, area)
    services.paper_entry_add(staff_a, paper, [projects[0].pk])
    _close_voting(process)
    process.results_published = True
    process.save()

    with pytest.raises(PermissionDenied):
        services.paper_entry_add(staff_b, paper, [projects[0].pk])

    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.ENTERING
    assert PaperBallotEntry.objects.count() == 1
    assert not Ballot.objects.exists()


def test_assisted_ballot_after_voting_closes_rejected(staff_a, process, area, projects):
    record = check(staff_a, process)
    _close_voting(process)

    with pytest.raises(PermissionDenied):
        services.assisted_ballot_cast(staff_a, record, area, [projects[0].pk])
