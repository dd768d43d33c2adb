"""The public counting API: `count()` an election by a rule and explain every project.

`count(election, rule, completion, comparison, min_votes, stop_at_first_misfit, tie_break)`
returns an `Outcome` with the winners in the order the rule funded them and, for every project,
a `ProjectResult` with a status ("won" or "not_funded"), a reason code and the amounts that
explain it. docs/counting.md describes the rules, completions, reason codes and tie-breaking.

Amounts are `fractions.Fraction`, exact; `Outcome.as_dict()` gives a JSON-ready copy in which
amounts are decimal strings (rounded down to cents where they are not whole cents, so a
remaining amount shown never reaches a cost it fell short of).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

import numpy as np

from . import greedy as greedy_rule
from .mes import BallotIndex, EqualShares, MesRun

Amount = int | Fraction | Decimal

RULES = ("greedy", "mes-cost", "mes-approval")
COMPLETIONS = ("none", "add1", "add1-exhaustive", "add1-greedy")
# The order among projects that the rule itself ranks equal.
TIE_BREAKS = ("id", "cost-asc", "cost-desc")
REASONS = (
    "won",
    "no_votes",
    "below_min_votes",
    "did_not_fit",
    "stopped_at_misfit",
    "mes_shares_insufficient",
    "lost_comparison",
)


@dataclass(frozen=True)
class Election:
    """What counting needs of one budget area: budget, project costs and approval ballots.

    `ballots` holds each voter's chosen project ids; an empty ballot is a voter too, who gets a
    share under MES. A choose-1 ballot is an approval ballot with one project.
    """

    budget: Amount
    costs: Mapping[str, Amount]
    ballots: Sequence[Sequence[str]]


@dataclass(frozen=True)
class ProjectResult:
    """One project's outcome and the figures that explain it.

    - `won`: `stage` says how: "mes", "greedy" (greedy rule or greedy completion) or "free" (a
      supported project that costs nothing).
    - `no_votes`: nobody chose the project.
    - `below_min_votes`: `votes` is below `min_votes`.
    - `did_not_fit`: greedy reached the project with `remaining` left, less than `cost`.
    - `stopped_at_misfit`: greedy stopped at an earlier project that did not fit.
    - `mes_shares_insufficient`: under MES the project's supporters held `supporters_remaining`
      in all, less than `cost`, when counting stopped (in the run that was kept, with
      `Outcome.voter_budget` per voter).
    - `lost_comparison`: MES funded the project, but the comparison kept the greedy outcome.

    `supporters_remaining` is also filled for projects that greedy completion explains, and
    `remaining` for projects that lost the comparison, when known.
    """

    id: str
    cost: Fraction
    votes: int
    status: str
    reason: str
    stage: str | None = None
    remaining: Fraction | None = None
    min_votes: int | None = None
    supporters_remaining: Fraction | None = None

    @property
    def won(self) -> bool:
        return self.status == "won"


@dataclass(frozen=True)
class Comparison:
    """The comparison of the MES outcome with the greedy one: `kept` is "mes" or "greedy"."""

    kept: str
    prefer_mes: int
    prefer_greedy: int
    greedy_winners: list[str]
    mes_winners: list[str]


@dataclass(frozen=True)
class Outcome:
    """The winners in funding order, and a result for every project of the election.

    `projects` lists the winners first, in funding order, then the others by votes, most first.
    `voter_budget` is the share per voter of the MES run that was kept (None under greedy).
    """

    rule: str
    completion: str
    comparison: bool
    tie_break: str
    budget: Fraction
    winners: list[str]
    projects: list[ProjectResult]
    spent: Fraction
    voter_budget: Fraction | None = None
    compared: Comparison | None = None
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)

    def project(self, project_id: str) -> ProjectResult:
        """Return the result of one project."""
        if not self._by_id:
            self._by_id.update((result.id, result) for result in self.projects)
        return self._by_id[project_id]

    def as_dict(self) -> dict:
        """Return the outcome as JSON-ready data; amounts become decimal strings."""
        document = {
            "rule": self.rule,
            "completion": self.completion,
            "comparison": self.comparison,
            "tie_break": self.tie_break,
            "budget": money(self.budget),
            "spent": money(self.spent),
            "winners": list(self.winners),
            "voter_budget": None if self.voter_budget is None else money(self.voter_budget),
            "projects": [_result_dict(result) for result in self.projects],
        }
        if self.compared is not None:
            document["compared"] = {
                "kept": self.compared.kept,
                "prefer_mes": self.compared.prefer_mes,
                "prefer_greedy": self.compared.prefer_greedy,
                "mes_winners": self.compared.mes_winners,
                "greedy_winners": self.compared.greedy_winners,
            }
        return document


def money(amount: Amount) -> str:
    """Return an exact amount as a decimal string, rounded down to cents if it has more."""
    value = Fraction(amount)
    cents = Decimal(value.numerator * 100 // value.denominator) / 100
    if cents == cents.to_integral_value():
        return str(cents.quantize(Decimal(1), rounding=ROUND_DOWN))
    return str(cents.quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def _result_dict(result: ProjectResult) -> dict:
    document = {
        "id": result.id,
        "status": result.status,
        "reason": result.reason,
        "votes": result.votes,
        "cost": money(result.cost),
    }
    if result.stage is not None:
        document["stage"] = result.stage
    if result.remaining is not None:
        document["remaining"] = money(result.remaining)
    if result.min_votes is not None:
        document["min_votes"] = result.min_votes
    if result.supporters_remaining is not None:
        document["supporters_remaining"] = money(result.supporters_remaining)
    return document


def tie_rank(costs: Mapping[str, Fraction], tie_break: str) -> dict[str, int]:
    """Return {project id: place in the tie-breaking order}, lower first."""
    if tie_break == "id":
        ordered = sorted(costs, key=str)
    elif tie_break == "cost-asc":
        ordered = sorted(costs, key=lambda project: (costs[project], str(project)))
    elif tie_break == "cost-desc":
        ordered = sorted(costs, key=lambda project: (-costs[project], str(project)))
    else:
        raise ValueError(f"Unknown tie-break {tie_break!r}; expected one of {TIE_BREAKS}.")
    return {project: place for place, project in enumerate(ordered)}


def count(
    election: Election,
    rule: str = "greedy",
    completion: str = "none",
    comparison: bool = False,
    min_votes: int = 1,
    stop_at_first_misfit: bool = False,
    tie_break: str = "id",
) -> Outcome:
    """Count `election` by `rule` and return the winners with a result for every project.

    Under "greedy", `completion` and `comparison` do not apply and are reported as "none" and
    False. `min_votes` (at least 1 in effect) applies to every rule: a project with fewer votes
    is never funded. `stop_at_first_misfit` applies wherever greedy runs: the greedy rule, the
    "add1-greedy" completion and the greedy side of the comparison. Raise ValueError for an
    unknown rule, completion or tie-break, or a ballot naming an unknown project.
    """
    if rule not in RULES:
        raise ValueError(f"Unknown rule {rule!r}; expected one of {RULES}.")
    if completion not in COMPLETIONS:
        raise ValueError(f"Unknown completion {completion!r}; expected one of {COMPLETIONS}.")
    budget = Fraction(election.budget)
    costs = {str(project): Fraction(cost) for project, cost in election.costs.items()}
    ballots = BallotIndex(costs, election.ballots)
    rank = tie_rank(costs, tie_break)
    votes = ballots.vote_counts()
    context = _Context(budget, costs, ballots, votes, rank, max(min_votes, 1), stop_at_first_misfit)

    greedy_results = context.greedy({})
    if rule == "greedy":
        return context.outcome(rule, "none", False, tie_break, greedy_results, None, None)

    utility = "cost" if rule == "mes-cost" else "approval"
    run = context.equal_shares(utility, completion)
    results = context.mes_results(run)
    if completion == "add1-greedy":
        results = context.greedy(results)
    if not comparison:
        return context.outcome(rule, completion, False, tie_break, results, run, None)

    mes_winners = _winners(results)
    greedy_winners = _winners(greedy_results)
    mes_set, greedy_set = set(mes_winners), set(greedy_winners)
    # Each voter's number of funded choices under MES minus that under greedy.
    difference = ballots.voters_choosing(mes_set) - ballots.voters_choosing(greedy_set)
    prefer_mes = int(np.count_nonzero(difference > 0))
    prefer_greedy = int(np.count_nonzero(difference < 0))
    compared = Comparison(
        kept="greedy" if prefer_greedy > prefer_mes else "mes",
        prefer_mes=prefer_mes,
        prefer_greedy=prefer_greedy,
        greedy_winners=greedy_winners,
        mes_winners=mes_winners,
    )
    if compared.kept == "mes":
        return context.outcome(rule, completion, True, tie_break, results, run, compared)
    kept = {}
    for project, result in greedy_results.items():
        if not result.won and project in mes_set:
            result = ProjectResult(
                result.id,
                result.cost,
                result.votes,
                "not_funded",
                "lost_comparison",
                remaining=result.remaining,
            )
        kept[project] = result
    return context.outcome(rule, completion, True, tie_break, kept, run, compared)


def _winners(results: Mapping[str, ProjectResult]) -> list[str]:
    return [project for project, result in results.items() if result.won]


@dataclass
class _Context:
    budget: Fraction
    costs: dict[str, Fraction]
    ballots: BallotIndex
    votes: dict[str, int]
    rank: dict[str, int]
    min_votes: int
    stop_at_first_misfit: bool

    def greedy(self, funded: Mapping[str, ProjectResult]) -> dict[str, ProjectResult]:
        """Run greedy on the projects that `funded` has not funded, with what is left.

        Return results in order: earlier winners, new winners, then the rest in greedy order.
        """
        won = {project: result for project, result in funded.items() if result.won}
        left = self.budget - sum((self.costs[project] for project in won), Fraction(0))
        candidates = [
            greedy_rule.Candidate(project, cost, self.votes[project])
            for project, cost in self.costs.items()
            if project not in won
        ]
        outcome = greedy_rule.greedy(
            candidates,
            left,
            min_votes=self.min_votes,
            stop_at_first_misfit=self.stop_at_first_misfit,
            rank=self.rank,
        )
        results = dict(won)
        rest = {}
        for decision in outcome.decisions:
            before = funded.get(decision.id)
            result = ProjectResult(
                decision.id,
                decision.cost,
                decision.votes,
                "won" if decision.won else "not_funded",
                decision.reason,
                stage="greedy" if decision.won else None,
                remaining=decision.remaining,
                min_votes=decision.min_votes,
                supporters_remaining=before.supporters_remaining if before else None,
            )
            (results if decision.won else rest)[decision.id] = result
        results.update(rest)
        return results

    def equal_shares(self, utility: str, completion: str) -> MesRun:
        """Run MES with the completion's budget increases; see docs/counting.md."""
        eligible = {project for project, count in self.votes.items() if count >= self.min_votes}
        mes = EqualShares(self.costs, self.ballots, self.rank, utility, eligible)
        if self.ballots.voters == 0:
            return mes.run(Fraction(0))
        share = self.budget / self.ballots.voters
        run = mes.run(share, explain=completion == "none")
        if completion == "none":
            return run
        run = self._raise_shares(mes, run, completion)
        # Only the kept run is explained; the others need no remaining amounts.
        return mes.explain(run)

    def _raise_shares(self, mes: EqualShares, run: MesRun, completion: str) -> MesRun:
        # Raise every share by one currency unit at a time. "add1" keeps the last outcome that
        # fits the real budget; "add1-exhaustive" also stops at the first exhaustive one.
        while True:
            if len(run.winners) == len(mes.free) + len(mes.candidates):
                # Everything supported is funded; more money per voter changes nothing.
                return run
            if completion == "add1-exhaustive" and self._exhaustive(run, mes.candidates):
                return run
            following = mes.run(run.voter_budget + 1, explain=False)
            if following.spent > self.budget:
                return run
            run = following

    def _exhaustive(self, run: MesRun, candidates: set[str]) -> bool:
        funded = set(run.winners)
        left = self.budget - run.spent
        return all(project in funded or self.costs[project] > left for project in candidates)

    def mes_results(self, run: MesRun) -> dict[str, ProjectResult]:
        """Explain every project after an MES run: winners first, then by votes."""
        results = {}
        for project in run.winners:
            results[project] = ProjectResult(
                project,
                self.costs[project],
                self.votes[project],
                "won",
                "won",
                stage="free" if self.costs[project] == 0 else "mes",
            )
        others = sorted(
            (project for project in self.costs if project not in results),
            key=lambda project: (-self.votes[project], self.rank[project]),
        )
        for project in others:
            votes = self.votes[project]
            if votes == 0:
                result = ProjectResult(project, self.costs[project], 0, "not_funded", "no_votes")
            elif votes < self.min_votes:
                result = ProjectResult(
                    project,
                    self.costs[project],
                    votes,
                    "not_funded",
                    "below_min_votes",
                    min_votes=self.min_votes,
                )
            else:
                result = ProjectResult(
                    project,
                    self.costs[project],
                    votes,
                    "not_funded",
                    "mes_shares_insufficient",
                    supporters_remaining=run.remaining[project],
                )
            results[project] = result
        return results

    def outcome(
        self,
        rule: str,
        completion: str,
        comparison: bool,
        tie_break: str,
        results: Mapping[str, ProjectResult],
        run: MesRun | None,
        compared: Comparison | None,
    ) -> Outcome:
        winners = _winners(results)
        return Outcome(
            rule=rule,
            completion=completion,
            comparison=comparison,
            tie_break=tie_break,
            budget=self.budget,
            winners=winners,
            projects=list(results.values()),
            spent=sum((self.costs[project] for project in winners), Fraction(0)),
            voter_budget=None if run is None else run.voter_budget,
            compared=compared,
        )
