"""The greedy rule of participatory budgeting, as most cities count their votes.

Projects are taken in order of votes, most first. A project that no longer fits in what is left
of the budget is skipped and the next one tried. A project with no votes is never funded. Ties in
votes are broken by the project identifier compared as a string, smallest first, so "10" comes
before "9".

This is pabutools 1.2.3's `greedy_utilitarian_welfare(..., sat_class=Cost_Sat)` with its default
tie-breaking, except for projects with no votes: pabutools still funds those that fit after all
others, in identifier order.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Amount = int | Fraction | Decimal

RULE_NAME = "greedy"


@dataclass(frozen=True)
class Candidate:
    """A project as the rule sees it: identifier, cost and number of votes."""

    id: str
    cost: Amount
    votes: int


@dataclass(frozen=True)
class Decision:
    """The outcome for one project, with the figures that explain it.

    `reason` is "won", "no_votes", or "did_not_fit", in which case `remaining` is the budget that
    was left when the project's turn came.
    """

    id: str
    votes: int
    cost: Amount
    reason: Literal["won", "no_votes", "did_not_fit"]
    remaining: Amount | None = None

    @property
    def won(self) -> bool:
        return self.reason == "won"


@dataclass(frozen=True)
class Outcome:
    """Winners in the order the rule chose them, and a decision for every project."""

    winners: list[str]
    decisions: list[Decision]
    spent: Amount


def order_by_votes(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Return candidates with most votes first, ties broken by identifier as a string."""
    return sorted(candidates, key=lambda candidate: (-candidate.votes, str(candidate.id)))


def greedy(candidates: Iterable[Candidate], budget: Amount) -> Outcome:
    """Select projects by the greedy rule within `budget`; see the module docstring."""
    remaining = budget
    winners: list[str] = []
    decisions: list[Decision] = []
    for candidate in order_by_votes(candidates):
        if candidate.votes <= 0:
            decisions.append(Decision(candidate.id, candidate.votes, candidate.cost, "no_votes"))
        elif candidate.cost <= remaining:
            remaining -= candidate.cost
            winners.append(candidate.id)
            decisions.append(Decision(candidate.id, candidate.votes, candidate.cost, "won"))
        else:
            decisions.append(
                Decision(candidate.id, candidate.votes, candidate.cost, "did_not_fit", remaining)
            )
    return Outcome(winners=winners, decisions=decisions, spent=budget - remaining)


def count_votes(ballots: Iterable[Iterable[str]]) -> Mapping[str, int]:
    """Count approvals per project over `ballots`, each an iterable of project identifiers."""
    counts: dict[str, int] = {}
    for ballot in ballots:
        for project_id in set(ballot):
            counts[project_id] = counts.get(project_id, 0) + 1
    return counts
