"""Writes of the service desk: identity checks, assisted ballots and double-entered paper ballots.

Every function checks `rules.can(user, Action.ASSIST_VOTING, process)` itself. Ballots go through
`budgeting.services.cast_ballot`, which keeps one ballot per person across all channels.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from osallistu.budgeting import selectors as budgeting_selectors
from osallistu.budgeting import services as budgeting
from osallistu.budgeting.models import BudgetArea, Receipt
from osallistu.identity import services as identity
from osallistu.identity.models import EligibilityRecord
from osallistu.participation import rules
from osallistu.participation.models import Channel, Process
from osallistu.participation.rules import Action

from .models import PaperBallot, PaperBallotEntry

logger = logging.getLogger(__name__)


def _already_voted() -> ValidationError:
    return ValidationError(
        _("This person has already voted in this process. Each person can vote only once."),
        code="already_voted",
    )


def _check_permission(user, process: Process) -> None:
    if not rules.can(user, Action.ASSIST_VOTING, process):
        raise PermissionDenied


def has_voted(record: EligibilityRecord) -> bool:
    """Return True if the person has a ballot in any channel or a paper ballot on its way."""
    if budgeting_selectors.participation_record_get(record.process, record.digest) is not None:
        return True
    return PaperBallot.objects.filter(record=record).exists()


def desk_check(
    staff_user, process: Process, national_id: str, municipality_code: str, postal_code: str
) -> EligibilityRecord:
    """Record the identity document check of a person at a desk and return their record.

    Only the keyed hash of the identity code is stored; the municipality and postal code are
    marked as self-declared. Raise PermissionDenied without the right to assist voting, and
    ValidationError with the eligibility codes of identity, or `already_voted` when the person has
    voted in any channel or has a paper ballot waiting for entry.
    """
    record = identity.create_desk_record(
        staff_user, process, national_id, municipality_code, postal_code
    )
    if has_voted(record):
        raise _already_voted()
    logger.info("Desk check of record %s in process %s", record.pk, process.pk)
    return record


def assisted_ballot_cast(
    staff_user, record: EligibilityRecord, area: BudgetArea, project_ids: Iterable[int]
) -> Receipt:
    """Cast the ballot a person chose on the staff member's device, and return its receipt.

    The ballot is final. Raise as `budgeting.services.cast_ballot` does, and `already_voted` when
    the person has a paper ballot waiting for entry.
    """
    _check_permission(staff_user, record.process)
    if PaperBallot.objects.filter(record=record).exists():
        raise _already_voted()
    return budgeting.cast_ballot(record, area, project_ids, Channel.ASSISTED, staff_user=staff_user)


def paper_ballot_open(staff_user, record: EligibilityRecord, area: BudgetArea) -> PaperBallot:
    """Register that the person handed in a paper ballot of `area`, before it is entered.

    Raise ValidationError `already_voted` when the person has voted or has a paper ballot, and
    `wrong_area` where they may not vote in `area`.
    """
    _check_permission(staff_user, record.process)
    budgeting.voter_area_validate(record=record, area=area)
    with transaction.atomic():
        # An online or assisted ballot locks this row before it checks for a paper ballot, so the
        # two cannot both pass their checks.
        list(EligibilityRecord.objects.select_for_update().filter(pk=record.pk).values("pk"))
        if budgeting_selectors.participation_record_get(record.process, record.digest):
            raise _already_voted()
        try:
            with transaction.atomic():
                paper = PaperBallot.objects.create(process=record.process, record=record, area=area)
        except IntegrityError:
            raise _already_voted() from None
    logger.info("Paper ballot %s opened in process %s", paper.pk, record.process_id)
    return paper


def _cast_paper(paper: PaperBallot, staff_user, project_ids: Iterable[int]) -> None:
    """Cast the paper ballot through the voting service, or reject it with the service's codes.

    A ballot that breaks a rule, or whose person voted through another channel meanwhile, is
    rejected: the paper is final, as in an election.
    """
    try:
        budgeting.cast_ballot(
            paper.record, paper.area, project_ids, Channel.PAPER, staff_user=staff_user
        )
    except ValidationError as error:
        paper.status = PaperBallot.Status.REJECTED
        paper.rejection_codes = ",".join(sorted({e.code or "" for e in error.error_list}))
        # Kept on the instance only, for the page that reports the rejection: the choices are
        # cleared below, so the messages cannot be rebuilt from the stored codes.
        paper.rejection_messages = error.messages
    else:
        paper.status = PaperBallot.Status.CAST
    # The receipt code is not shown: the voter is not at the desk when the paper is entered.
    # Once final, the entries lose their choices so nothing links the digest to the contents.
    for entry in paper.entries.all():
        entry.projects.clear()


def _locked(paper: PaperBallot) -> PaperBallot:
    # Lock only the paper ballot's row: locking the joined area row too would deadlock with an
    # online ballot of the same person, which needs a key-share lock on the area.
    return (
        PaperBallot.objects.select_for_update(of=("self",))
        .select_related("record", "area")
        .get(pk=paper.pk)
    )


@transaction.atomic
def paper_entry_add(staff_user, paper: PaperBallot, project_ids: Iterable[int]) -> PaperBallot:
    """Record what `staff_user` read from the paper ballot, and return the ballot.

    The first entry waits for a second one by another staff member. Equal entries cast the
    ballot as a paper ballot (final); different ones hold it for resolution. Raise
    ValidationError `same_staff` when the same person enters twice, `not_entering` when the
    ballot already has two entries, and `unknown_project` for a project of another area.
    """
    _check_permission(staff_user, paper.process)
    paper = _locked(paper)
    if paper.status != PaperBallot.Status.ENTERING:
        raise ValidationError(
            _("This paper ballot has already been entered twice."), code="not_entering"
        )
    chosen = set(project_ids)
    area_projects = set(paper.area.projects.values_list("pk", flat=True))
    if not chosen <= area_projects:
        raise ValidationError(
            _("A chosen proposal is not on this area's ballot."), code="unknown_project"
        )
    entries = list(paper.entries.prefetch_related("projects"))
    if any(entry.entered_by_id == staff_user.pk for entry in entries):
        raise ValidationError(
            _("The second entry must be made by another staff member."), code="same_staff"
        )
    entry = PaperBallotEntry.objects.create(ballot=paper, entered_by=staff_user)
    entry.projects.set(chosen)
    if entries:
        first = {project.pk for project in entries[0].projects.all()}
        if first == chosen:
            _cast_paper(paper, staff_user, chosen)
        else:
            paper.status = PaperBallot.Status.HELD
        paper.save(update_fields=["status", "rejection_codes", "updated_at"])
    logger.info("Paper ballot %s entry saved, status %s", paper.pk, paper.status)
    return paper


@transaction.atomic
def paper_resolve(staff_user, paper: PaperBallot, project_ids: Iterable[int] | None) -> PaperBallot:
    """Resolve a held paper ballot from the paper itself, and return it.

    `project_ids` is what the paper says; None rejects the paper as unreadable. The resolver must
    be someone other than the two who entered it. Raise ValidationError `not_held` for a ballot
    that is not held and `same_staff` for one of the two who entered it.
    """
    _check_permission(staff_user, paper.process)
    paper = _locked(paper)
    if paper.status != PaperBallot.Status.HELD:
        raise ValidationError(
            _("This paper ballot is not waiting for resolution."), code="not_held"
        )
    if paper.entries.filter(entered_by=staff_user).exists():
        raise ValidationError(
            _("A staff member who entered the ballot cannot resolve it."), code="same_staff"
        )
    paper.resolved_by = staff_user
    if project_ids is None:
        paper.status = PaperBallot.Status.REJECTED
        paper.rejection_codes = "unreadable"
        for entry in paper.entries.all():
            entry.projects.clear()
    else:
        _cast_paper(paper, staff_user, project_ids)
    paper.save(update_fields=["status", "rejection_codes", "resolved_by", "updated_at"])
    logger.info("Paper ballot %s resolved, status %s", paper.pk, paper.status)
    return paper
