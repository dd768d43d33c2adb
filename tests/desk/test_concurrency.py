"""Paper ballot entry under concurrency on PostgreSQL, through threads with their own connections.

The tests assert on what the database contains afterwards, never on timings.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from osallistu.budgeting.models import Ballot, ParticipationRecord
from osallistu.budgeting.services import cast_ballot
from osallistu.desk import services
from osallistu.desk.models import PaperBallot, PaperBallotEntry

from .conftest import ADULT_HETU

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

STAFF = 6


def _run_together(calls) -> list:
    """Run the calls in threads that start together, and return each result or error."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        except ValidationError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def paper(staff_a, process, area, projects):
    record = services.desk_check(staff_a, process, ADULT_HETU, "297", "70100")
    paper = services.paper_ballot_open(staff_a, record, area)
    return services.paper_entry_add(staff_a, paper, [projects[0].pk])


def test_simultaneous_second_entries_cast_one_ballot(paper, make_coordinator, process, projects):
    staff = [make_coordinator(f"s{number}@example.fi", process) for number in range(STAFF)]
    results = _run_together(
        [
            lambda user=user: services.paper_entry_add(user, paper, [projects[0].pk])
            for user in staff
        ]
    )
    errors = [result for result in results if isinstance(result, ValidationError)]
    assert len(errors) == STAFF - 1
    assert {error.code for error in errors} == {"not_entering"}
    assert PaperBallotEntry.objects.count() == 2
    assert Ballot.objects.count() == 1
    assert PaperBallot.objects.get().status == PaperBallot.Status.CAST


def test_paper_and_online_ballots_of_one_person_race(paper, staff_b, area, projects):
    results = _run_together(
        [
            lambda: services.paper_entry_add(staff_b, paper, [projects[0].pk]),
            lambda: cast_ballot(paper.record, area, [projects[1].pk]),
        ]
    )
    assert ParticipationRecord.objects.count() == 1
    assert Ballot.objects.count() == 1
    paper.refresh_from_db()
    online_won = isinstance(results[0], PaperBallot) and paper.status == "rejected"
    paper_won = isinstance(results[1], ValidationError) and paper.status == "cast"
    assert online_won or paper_won
