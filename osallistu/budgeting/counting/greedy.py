"""The greedy rule of participatory budgeting, as most cities count their votes.

Projects are taken in order of votes, most first. A project that no longer fits in what is left
of the budget is skipped and the next one tried. A project with no votes is never funded. Ties in
votes are broken by the project identifier compared as a string, smallest first, so "10" comes
before "9".

Two variants that cities use are options: `min_votes`, the number of votes a project needs to be
funded (projects below it get the reason "below_min_votes"), and `stop_at_first_misfit`, which
ends counting at the first project that does not fit (later projects get "stopped_at_misfit").

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

    `reason` is "won", "no_votes", "below_min_votes" (with `min_votes`), "stopped_at_misfit", or
    "did_not_fit", in which case `remaining` is the budget that was left when the project's turn
    came.
    """

    id: str
    votes: int
    cost: Amount
    reason: Literal["won", "no_votes", "below_min_votes", "did_not_fit", "stopped_at_misfit"]
    remaining: Amount | None = None
    min_votes: int | None = None

    @property
    def won(self) -> bool:
        return self.reason == "won"


@dataclass(frozen=True)
class Outcome:
    """Winners in the order the rule chose them, and a decision for every project."""

    winners: list[str]
    decisions: list[Decision]
    spent: Amount


def order_by_votes(
    candidates: Iterable[Candidate], rank: Mapping[str, int] | None = None
) -> list[Candidate]:
    """Return candidates with most votes first.

    Ties are broken by `rank` (lower first) when given, else by identifier as a string.
    """
    if rank is None:
        return sorted(candidates, key=lambda candidate: (-candidate.votes, str(candidate.id)))
    return sorted(candidates, key=lambda candidate: (-candidate.votes, rank[candidate.id]))


def greedy(
    candidates: Iterable[Candidate],
    budget: Amount,
    *,
    min_votes: int = 1,
    stop_at_first_misfit: bool = False,
    rank: Mapping[str, int] | None = None,
) -> Outcome:
    """Select projects by the greedy rule within `budget`; see the module docstring.

    A project always needs at least one vote, whatever `min_votes` says.
    """
    remaining = budget
    winners: list[str] = []
    decisions: list[Decision] = []
    stopped = False
    for candidate in order_by_votes(candidates, rank):
        if candidate.votes <= 0:
            decisions.append(Decision(candidate.id, candidate.votes, candidate.cost, "no_votes"))
        elif candidate.votes < min_votes:
            decisions.append(
                Decision(
                    candidate.id,
                    candidate.votes,
                    candidate.cost,
                    "below_min_votes",
                    min_votes=min_votes,
                )
            )
        elif stopped:
            decisions.append(
                Decision(candidate.id, candidate.votes, candidate.cost, "stopped_at_misfit")
            )
        elif candidate.cost <= remaining:
            remaining -= candidate.cost
            winners.append(candidate.id)
            decisions.append(Decision(candidate.id, candidate.votes, candidate.cost, "won"))
        else:
            decisions.append(
                Decision(candidate.id, candidate.votes, candidate.cost, "did_not_fit", remaining)
            )
            stopped = stop_at_first_misfit
    return Outcome(winners=winners, decisions=decisions, spent=budget - remaining)


def count_votes(ballots: Iterable[Iterable[str]]) -> Mapping[str, int]:
    """Count approvals per project over `ballots`, each an iterable of project identifiers."""
    counts: dict[str, int] = {}
    for ballot in ballots:
        for project_id in set(ballot):
            counts[project_id] = counts.get(project_id, 0) + 1
    return counts
