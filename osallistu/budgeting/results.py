"""Publish a budgeting process's results, and read them with a plain explanation per project.

Nothing here shows a vote count to the public before `Process.results_published` is set: the
public views, the exports and the open data API call `published_process_or_404` or check
`results_are_public` first. Staff who may publish see the results beforehand to check them.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from osallistu.core.money import format_money
from osallistu.participation import rules
from osallistu.participation.models import Process
from osallistu.participation.rules import Action

from . import selectors
from .counting import Outcome, ProjectResult, money
from .counting.areas import count_area, settings_for
from .models import BudgetArea, Project

logger = logging.getLogger(__name__)

# Counting a large area takes seconds under MES (docs/benchmarks.md), so public pages reuse the
# outcome of published results for this long.
OUTCOME_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ProjectRow:
    """One project of an area's results: the proposal, its counted result and the explanation."""

    project: Project
    result: ProjectResult
    explanation: str

    @property
    def won(self) -> bool:
        return self.result.status == "won"


@dataclass(frozen=True)
class AreaResults:
    """The counted results of one budget area, with rows in the order the outcome lists them."""

    area: BudgetArea
    outcome: Outcome
    rows: list[ProjectRow]
    ballot_count: int

    @property
    def spent(self) -> Decimal:
        return Decimal(money(self.outcome.spent))

    @property
    def voter_share(self) -> Decimal | None:
        """Return each voter's share of the budget under MES, rounded down to cents."""
        if self.outcome.voter_budget is None:
            return None
        return Decimal(money(self.outcome.voter_budget))

    @property
    def winners(self) -> list[Project]:
        return [row.project for row in self.rows if row.won]


def results_are_public(process: Process) -> bool:
    """Return True if anyone may see the process's vote counts."""
    return bool(process.results_published)


def published_process_or_404(slug: str) -> Process:
    """Return the process with `slug` if its results are published, else raise Http404.

    Before publication the exports and the API return 404 as if they did not exist, so they
    reveal neither counts nor whether counting has happened.
    """
    process = Process.objects.filter(slug=slug, results_published=True).first()
    if process is None:
        raise Http404(_("The results have not been published."))
    return process


def _amount(value, currency: str) -> str:
    return format_money(Decimal(money(value)), currency)


def explain(result: ProjectResult, currency: str = "EUR") -> str:
    """Return one sentence in the active language that explains why the project won or lost."""
    cost = _amount(result.cost, currency)

    if result.status == "won":
        if result.stage == "mes":
            return _(
                "Funded. Its supporters' equal shares of the budget covered its cost of %(cost)s."
            ) % {"cost": cost}
        return _("Funded. Its cost of %(cost)s fitted in the budget that remained.") % {
            "cost": cost
        }
    reason = result.reason
    if reason == "no_votes":
        return _("Not funded: nobody voted for it.")
    if reason == "below_min_votes":
        return _(
            "Not funded: a proposal needs at least %(min_votes)s votes, and this one got %(votes)s."
        ) % {"votes": result.votes, "min_votes": result.min_votes}
    if reason == "did_not_fit":
        return _(
            "Not funded: when its turn came, %(remaining)s of the budget remained, less than "
            "its cost of %(cost)s."
        ) % {"remaining": _amount(result.remaining or 0, currency), "cost": cost}
    if reason == "stopped_at_misfit":
        return _(
            "Not funded: counting stopped at an earlier proposal that did not fit in the "
            "remaining budget."
        )
    if reason == "mes_shares_insufficient":
        return _(
            "Not funded: its supporters' remaining shares, %(remaining)s in all, did not cover "
            "its cost of %(cost)s."
        ) % {"remaining": _amount(result.supporters_remaining or 0, currency), "cost": cost}
    if reason == "lost_comparison":
        return _(
            "Not funded: the method of equal shares would have funded it, but more voters "
            "preferred the outcome counted by votes, which was kept."
        )
    logger.warning("No explanation for counting reason %s", reason)
    return _("Not funded.")


def _outcome(area: BudgetArea, projects: list[Project], ballot_count: int) -> Outcome:
    """Count the area, or reuse the cached count of its published results.

    Voting has closed once results are published, so the ballots no longer change. The cache key
    still covers the ballot count, budget, costs and counting settings, so that any later change
    to them counts again.
    """
    if not area.process.results_published:
        return count_area(area)
    fingerprint = [
        area.pk,
        str(area.budget),
        ballot_count,
        settings_for(area.process),
        sorted((project.external_id, str(project.cost)) for project in projects),
    ]
    digest = hashlib.sha256(json.dumps(fingerprint).encode()).hexdigest()
    key = f"budgeting:outcome:{digest}"
    outcome = cache.get(key)
    if outcome is None:
        outcome = count_area(area)
        cache.set(key, outcome, OUTCOME_CACHE_SECONDS)
    return outcome


def area_results(area: BudgetArea) -> AreaResults:
    """Count the area by its process's BudgetingSettings and explain every project."""
    projects = {project.external_id: project for project in Project.objects.filter(area=area)}
    ballot_count = area.ballots.count()
    outcome = _outcome(area, list(projects.values()), ballot_count)
    rows = [
        ProjectRow(
            project=projects[result.id],
            result=result,
            explanation=explain(result, area.currency),
        )
        for result in outcome.projects
    ]
    return AreaResults(area=area, outcome=outcome, rows=rows, ballot_count=ballot_count)


def process_results(process: Process) -> list[AreaResults]:
    """Return the results of every area of the process, by area name."""
    return [area_results(area) for area in selectors.budget_areas(process)]


def publish_results(user, process: Process) -> Process:
    """Publish the process's results, so that pages, exports and the API show them.

    Raise PermissionDenied unless `user` may publish results in the process, and
    ValidationError (code "voting_open") while a voting phase has not yet ended, because
    publishing then would show counts that can still change.
    """
    if not rules.can(user, Action.PUBLISH_RESULTS, process):
        raise PermissionDenied(_("You may not publish the results of this process."))
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        if locked.results_published:
            return locked
        if not selectors.voting_has_closed(locked):
            raise ValidationError(
                _("The results can be published only after voting has closed."),
                code="voting_open",
            )
        locked.results_published = True
        locked.save(update_fields=["results_published"])
        # Every funded proposal is tracked from publication on, in the same transaction.
        from osallistu.implementation.services import track_winners

        track_winners(user, locked)
    logger.info("Results of process %s published by user %s", locked.pk, user.pk)
    process.results_published = True
    return locked
