"""Writes for participatory budgeting: casting ballots and importing elections."""

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.participation import rules
from osallistu.participation.models import Channel

from .models import Ballot, BallotChoice, BudgetArea, ParticipationRecord, Project

logger = logging.getLogger(__name__)


def _format_euros(amount: Decimal) -> str:
    """Format an amount in the active language, without decimals when it is whole."""
    places = 0 if amount == amount.to_integral() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def ballot_validate(*, area: BudgetArea, projects: list[Project]) -> None:
    """Raise ValidationError, with one message per broken rule, if the choice is not a valid ballot.

    The rules are those of the area: at least one project, only the area's own projects, one
    project on a choose-1 ballot, and a total cost within the area's budget.
    """
    errors = []
    if not projects:
        errors.append(ValidationError(_("Choose at least one proposal."), code="empty"))
    if any(project.area_id != area.pk for project in projects):
        errors.append(
            ValidationError(_("The ballot contains a proposal from another area."), code="area")
        )
    if area.vote_type == BudgetArea.VoteType.CHOOSE_ONE and len(projects) > 1:
        errors.append(
            ValidationError(
                ngettext(
                    "Choose only one proposal. You chose %(count)d.",
                    "Choose only one proposal. You chose %(count)d.",
                    len(projects),
                )
                % {"count": len(projects)},
                code="too_many",
            )
        )
    total = sum((project.cost for project in projects), Decimal(0))
    if total > area.budget:
        errors.append(
            ValidationError(
                _(
                    "The proposals you chose cost %(total)s €, which is more than the area's "
                    "budget of %(budget)s €. Remove proposals worth at least %(excess)s €."
                ),
                params={
                    "total": _format_euros(total),
                    "budget": _format_euros(area.budget),
                    "excess": _format_euros(total - area.budget),
                },
                code="over_budget",
            )
        )
    if errors:
        raise ValidationError(errors)


def ballot_cast(
    *,
    voter,
    area: BudgetArea,
    project_ids: Iterable[int],
    channel: str = Channel.ONLINE,
) -> Ballot:
    """Store one ballot for `voter` in `area` and record that the voter took part.

    The participation record (who) and the ballot (what) are written in one transaction, so either
    both exist or neither does. Raise PermissionDenied outside the voting phase, and
    ValidationError for an invalid choice or a second ballot by the same voter in the process.
    """
    process = area.process
    if not rules.can_vote(voter, process):
        raise PermissionDenied(_("Voting is not open in this process."))
    ids = sorted(set(project_ids))
    projects = list(Project.objects.filter(pk__in=ids))
    if len(projects) != len(ids):
        raise ValidationError(_("A chosen proposal does not exist."), code="unknown_project")
    ballot_validate(area=area, projects=projects)
    try:
        with transaction.atomic():
            ParticipationRecord.objects.create(
                process=process,
                area=area,
                voter=voter,
                channel=channel,
                day=timezone.localdate(),
            )
            ballot = Ballot.objects.create(area=area)
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=ballot, project=project) for project in projects]
            )
    except IntegrityError:
        # The unique constraint on (process, voter) decides between concurrent submissions.
        if ParticipationRecord.objects.filter(process=process, voter=voter).exists():
            raise ValidationError(
                _("You have already voted in this process. Each person can vote only once."),
                code="already_voted",
            ) from None
        raise
    logger.info("ballot stored process=%s area=%s channel=%s", process.pk, area.pk, channel)
    return ballot
