"""Helpers for the results tests: a process whose voting has closed, and its ballots."""

import datetime
import secrets

from osallistu.budgeting.models import Ballot, BallotChoice, ParticipationRecord
from osallistu.identity.models import EligibilityRecord
from osallistu.participation.models import Phase


def add_ballot(area, external_ids, *, age_group: str = "30-64") -> Ballot:
    """Store one counted ballot and its voter's participation and eligibility records."""
    ballot = Ballot.objects.create(area=area)
    for project in area.projects.filter(external_id__in=external_ids):
        BallotChoice.objects.create(ballot=ballot, project=project)
    digest = secrets.token_hex(32)
    EligibilityRecord.objects.create(
        process=area.process,
        digest=digest,
        method=EligibilityRecord.MethodChoice.LOCAL_TEST,
        municipality_code="297",
        postal_code="70150",
        age_group=age_group,
    )
    ParticipationRecord.objects.create(
        process=area.process,
        area=area,
        digest=digest,
        channel="online",
        day=datetime.date(2026, 5, 1),
    )
    return ballot


def add_ballots(area, votes) -> None:
    """Store `votes`: a list of (external ids, number of such ballots) pairs."""
    for external_ids, times in votes:
        for _ in range(times):
            add_ballot(area, external_ids)


# Greedy on 50 000 €: 4 (30 000 €, 3 votes) wins, 2 (15 000 €, 2 votes) wins with 20 000 € left,
# 1 (20 000 €, 1 vote) does not fit in the 5 000 € left, 3 (6 000 €) has no votes.
GREEDY_VOTES = [(["4"], 1), (["4", "2"], 2), (["1"], 1)]


def closed_process(make_process, slug: str = "testi"):
    """Return a process whose voting phase has ended, with proposals 1-4 on 50 000 €."""
    return make_process(
        current=Phase.Kind.IDEATION, slug=slug, projects=[20000, 15000, 6000, 30000]
    )
