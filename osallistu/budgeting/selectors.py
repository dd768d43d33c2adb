"""Reads for participatory budgeting: ballots, vote counts and results."""

import datetime
import random

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from osallistu.identity.models import EligibilityRecord
from osallistu.participation.models import Phase, Process

from . import receipts
from .models import BudgetArea, ParticipationRecord, Project, Receipt


def participation_record_get(process: Process, digest: str) -> ParticipationRecord | None:
    """Return the participation record of the identity `digest` in the process, or None."""
    return ParticipationRecord.objects.filter(process=process, digest=digest).first()


def paper_ballot_issued(process: Process, digest: str) -> bool:
    """Return True if a service desk registered a paper ballot of the identity `digest`.

    The paper ballot counts from the moment the desk registers it, before staff enter it: the
    person has voted, even though the ballot is not yet cast. A rejected paper ballot also
    counts, as a spoilt ballot does in an election.
    """
    # The desk app stores paper ballots against the eligibility record (reverse accessor
    # `paper_ballot`). Querying through the record keeps this app from importing the desk app.
    return EligibilityRecord.objects.filter(
        process=process, digest=digest, paper_ballot__isnull=False
    ).exists()


def receipt_code_matches(record: ParticipationRecord | None, code: str) -> bool:
    """Return True if `code` is the receipt code of the participation record's current ballot."""
    normalised = receipts.normalise(code)
    if record is None or normalised is None or not record.receipt_mac:
        return False
    expected = receipts.keyed_hash(receipts.Purpose.PARTICIPATION, normalised)
    return constant_time_compare(record.receipt_mac, expected)


def receipt_get(process: Process, code: str) -> Receipt | None:
    """Return the process's receipt of the receipt code `code`, or None if there is none.

    None also covers a malformed code. The receipt tells the day the ballot arrived and whether a
    newer ballot replaced it, nothing of its content. The public check shows only the day.
    """
    normalised = receipts.normalise(code)
    if normalised is None:
        return None
    return Receipt.objects.filter(
        process=process, code_hash=receipts.public_hash(normalised)
    ).first()


def voting_has_closed(process: Process, today: datetime.date | None = None) -> bool:
    """Return True if the process has a voting phase and its last day has passed."""
    today = today or timezone.localdate()
    phases = [phase for phase in process.phases.all() if phase.kind == Phase.Kind.VOTING]
    return bool(phases) and all(phase.ends_on < today for phase in phases)


def counted_receipt_hashes(process: Process) -> list[str]:
    """Return the SHA-256 hashes of the receipt codes of all counted ballots, sorted by hash.

    Sorting by hash keeps the order of casting out of the published list.
    """
    rows = Receipt.objects.filter(process=process, superseded=False).order_by("code_hash")
    return list(rows.values_list("code_hash", flat=True))


def budgeting_process_get(identifier: str) -> Process | None:
    """Return the participatory budgeting process with this slug, or else this numeric id.

    The slug wins when a slug consists of digits. Return None if no such process exists.
    """
    processes = Process.objects.filter(kind=Process.Kind.PARTICIPATORY_BUDGETING)
    process = processes.filter(slug=identifier).first()
    if process is None and identifier.isascii() and identifier.isdigit():
        process = processes.filter(pk=int(identifier)).first()
    return process


def budget_areas(process: Process) -> QuerySet[BudgetArea]:
    """Return the process's budget areas with their suburbs."""
    return process.budget_areas.select_related("suburb").order_by("name")


def ballot_projects(area: BudgetArea, seed: int) -> list[Project]:
    """Return the projects on the area's ballot in a random order that `seed` fixes.

    One voter keeps one seed, so the order stays put between the ballot and its corrections,
    while voters see different orders and no project gains from being listed first.
    """
    projects = list(Project.objects.filter(area=area).select_related("area").order_by("pk"))
    random.Random(seed).shuffle(projects)  # noqa: S311 - an order for fairness, not a secret
    return projects


def vote_counts(area: BudgetArea) -> dict[int, int]:
    """Return {project pk: number of ballots that chose it} for every project of the area."""
    rows = (
        Project.objects.filter(area=area)
        .annotate(votes=Count("choices"))
        .values_list("pk", "votes")
    )
    return dict(rows)
