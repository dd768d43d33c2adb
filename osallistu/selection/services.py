"""Writes of area selection: configurations and the steps of a selection round.

Every function checks `Action.MANAGE_SELECTION` itself, runs in one transaction, locks the round
it changes and logs the step with ids only. A decided round is frozen: no function here changes
it, and `round_recompute` makes a new version instead.
"""

import datetime
import logging
import secrets
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.models import Suburb
from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import engine
from .models import (
    DEFAULT_DECIDING_BODY,
    MAX_CHOSEN_SUBURBS,
    ChosenSuburb,
    NeedIndexConfiguration,
    SelectionRound,
)

logger = logging.getLogger(__name__)

# Seeds fit PostgreSQL's bigint and numpy's SeedSequence.
_SEED_LIMIT = 2**62


def _check_permission(user) -> None:
    if not rules.can(user, Action.MANAGE_SELECTION, None):
        raise PermissionDenied(_("You may not manage area selection."))


def _check_not_decided(selection_round: SelectionRound) -> None:
    if selection_round.is_decided:
        raise ValidationError(
            _("The board has decided this round; it can no longer be changed."), code="decided"
        )


def _locked(selection_round: SelectionRound) -> SelectionRound:
    return SelectionRound.objects.select_for_update().get(pk=selection_round.pk)


@transaction.atomic
def configuration_save(
    *,
    user,
    name: str,
    configuration: dict,
    is_default: bool = False,
    instance: NeedIndexConfiguration | None = None,
) -> NeedIndexConfiguration:
    """Create or update a saved configuration; make it the only default when `is_default`.

    Raise ValidationError when the engine rejects the configuration. Rounds keep their own
    frozen copies, so editing a configuration never changes a round.
    """
    _check_permission(user)
    engine.validate_configuration(configuration)
    if is_default:
        NeedIndexConfiguration.objects.select_for_update().filter(is_default=True).exclude(
            pk=getattr(instance, "pk", None)
        ).update(is_default=False)
    if instance is None:
        instance = NeedIndexConfiguration(created_by=user)
    instance.name = name
    instance.configuration = configuration
    instance.is_default = is_default
    instance.full_clean()
    instance.save()
    logger.info("need index configuration saved configuration=%s user=%s", instance.pk, user.pk)
    return instance


@transaction.atomic
def round_create(
    *,
    user,
    year: int,
    configuration: NeedIndexConfiguration,
    rule: str,
    top_n: int = MAX_CHOSEN_SUBURBS,
    threshold: float | None = None,
    investment_handling: str = SelectionRound.InvestmentHandling.NONE,
    investment_bonus: float = 0.0,
    statistics_year: int | None = None,
) -> SelectionRound:
    """Create a draft round for `year` with a frozen copy of `configuration` and the rule.

    The draft gets the next free version of the year, so a year may hold several drafts.
    """
    _check_permission(user)
    selection_round = SelectionRound(
        year=year,
        version=_next_version(year),
        source_configuration=configuration,
        configuration_name=configuration.name,
        configuration=configuration.configuration,
        statistics_year=statistics_year,
        rule=rule,
        top_n=top_n,
        threshold=threshold if rule == SelectionRound.Rule.THRESHOLD else None,
        investment_handling=investment_handling,
        investment_bonus=(
            investment_bonus
            if investment_handling == SelectionRound.InvestmentHandling.BONUS
            else 0.0
        ),
        created_by=user,
    )
    selection_round.full_clean(exclude=["previous_version"])
    selection_round.save()
    logger.info(
        "selection round created round=%s year=%s version=%s user=%s",
        selection_round.pk,
        year,
        selection_round.version,
        user.pk,
    )
    return selection_round


def _next_version(year: int) -> int:
    # Lock the year's rounds so that two staff members creating versions at once queue here. A
    # year without rounds has no rows to lock, so the unique (year, version) constraint backs it.
    list(SelectionRound.objects.select_for_update().filter(year=year).values_list("pk"))
    newest = SelectionRound.objects.filter(year=year).aggregate(newest=Max("version"))["newest"]
    return (newest or 0) + 1


def compute_snapshot(selection_round: SelectionRound) -> None:
    """Snapshot the current data into `selection_round` and compute its result; save nothing."""
    if selection_round.seed is None:
        selection_round.seed = secrets.randbelow(_SEED_LIMIT)
    inputs = engine.snapshot_inputs(
        selection_round.configuration,
        statistics_year=selection_round.statistics_year,
        year=selection_round.year,
    )
    selection_round.inputs = inputs
    selection_round.result = engine.compute_result(
        inputs,
        selection_round.configuration,
        engine.rule_of(selection_round),
        seed=selection_round.seed,
    )
    selection_round.computed_at = timezone.now()


@transaction.atomic
def round_compute(*, user, selection_round: SelectionRound) -> SelectionRound:
    """Snapshot the current input data into a draft round and store the computed result.

    The first computation draws the random seed of the sensitivity analysis; later ones reuse it,
    so a draft's figures change only when its data change. Raise ValidationError unless the
    round is a draft.
    """
    _check_permission(user)
    selection_round = _locked(selection_round)
    _check_not_decided(selection_round)
    if selection_round.status != SelectionRound.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be computed; recompute the round as a new version instead."),
            code="not_draft",
        )
    compute_snapshot(selection_round)
    selection_round.save()
    logger.info("selection round computed round=%s user=%s", selection_round.pk, user.pk)
    return selection_round


@transaction.atomic
def round_propose(*, user, selection_round: SelectionRound, proposal_text: str) -> SelectionRound:
    """Turn a computed draft into the proposal to the board, with its covering text."""
    _check_permission(user)
    selection_round = _locked(selection_round)
    _check_not_decided(selection_round)
    if not selection_round.is_computed:
        raise ValidationError(
            _("Compute the round before making it a proposal."), code="not_computed"
        )
    selection_round.status = SelectionRound.Status.PROPOSAL
    selection_round.proposal_text = proposal_text
    selection_round.proposed_at = timezone.now()
    selection_round.save()
    logger.info("selection round proposed round=%s user=%s", selection_round.pk, user.pk)
    return selection_round


@transaction.atomic
def round_decision_record(
    *,
    user,
    selection_round: SelectionRound,
    decision_date: datetime.date,
    minutes_reference: str,
    suburbs: Sequence[Suburb],
    deciding_body: str = DEFAULT_DECIDING_BODY,
) -> SelectionRound:
    """Record the board's decision on a proposal and freeze the round.

    The board may choose one or two suburbs, each of which must be ranked in the round's result.
    Raise ValidationError otherwise, or when the round is not a proposal.
    """
    _check_permission(user)
    selection_round = _locked(selection_round)
    _check_not_decided(selection_round)
    if selection_round.status != SelectionRound.Status.PROPOSAL:
        raise ValidationError(
            _("Only a proposal can be decided; make the round a proposal first."),
            code="not_proposal",
        )
    suburbs = list(dict.fromkeys(suburbs))
    if not 1 <= len(suburbs) <= MAX_CHOSEN_SUBURBS:
        raise ValidationError(_("Choose one or two suburbs."), code="suburb_count")
    ranked = engine.ranked_codes(selection_round.result, engine.SUBURB)
    unranked = [suburb.name for suburb in suburbs if suburb.slug not in ranked]
    if unranked:
        raise ValidationError(
            _("%(suburbs)s is not ranked in this round.") % {"suburbs": ", ".join(unranked)},
            code="not_ranked",
        )
    if not minutes_reference.strip():
        raise ValidationError(_("Enter the minutes reference."), code="minutes")
    selection_round.status = SelectionRound.Status.DECIDED
    selection_round.decision_date = decision_date
    selection_round.deciding_body = deciding_body or DEFAULT_DECIDING_BODY
    selection_round.minutes_reference = minutes_reference.strip()
    selection_round.decided_by = user
    selection_round.decided_at = timezone.now()
    selection_round.save()
    ChosenSuburb.objects.bulk_create(
        ChosenSuburb(selection_round=selection_round, suburb=suburb, position=position)
        for position, suburb in enumerate(suburbs, start=1)
    )
    logger.info(
        "selection round decided round=%s suburbs=%s user=%s",
        selection_round.pk,
        ",".join(str(suburb.pk) for suburb in suburbs),
        user.pk,
    )
    return selection_round


@transaction.atomic
def round_recompute(*, user, selection_round: SelectionRound) -> SelectionRound:
    """Compute the round again from the current data as a new draft version; return the draft.

    The new version keeps the frozen configuration, statistics year, rule and seed of
    `selection_round`, so its figures differ only where the data do, and points back to it.
    `selection_round` itself is not changed.
    """
    _check_permission(user)
    source = _locked(selection_round)
    new_round = SelectionRound(
        year=source.year,
        version=_next_version(source.year),
        previous_version=source,
        source_configuration=source.source_configuration,
        configuration_name=source.configuration_name,
        configuration=source.configuration,
        statistics_year=source.statistics_year,
        seed=source.seed,
        rule=source.rule,
        top_n=source.top_n,
        threshold=source.threshold,
        investment_handling=source.investment_handling,
        investment_bonus=source.investment_bonus,
        created_by=user,
    )
    compute_snapshot(new_round)
    new_round.save()
    logger.info(
        "selection round recomputed round=%s from=%s version=%s user=%s",
        new_round.pk,
        source.pk,
        new_round.version,
        user.pk,
    )
    return new_round
