"""The Method of Equal Shares (MES) for approval ballots, in exact arithmetic.

Every voter starts with the same share of the budget. A project can be funded when its supporters
together still hold its cost; they then pay equal amounts, and a supporter who holds less than the
equal amount pays all they have while the others cover the rest. Each round funds the project whose
largest payment per unit of utility is smallest:

- cost utility (`cost`): a supporter's utility from a project is its cost, so the round funds the
  project whose largest payment is the smallest share of its cost;
- approval utility (`approval`): a supporter's utility is 1, so the round funds the project whose
  largest payment is smallest.

Counting stops when no project's supporters hold its cost any more.

Results equal those of exact arithmetic. Shares, costs and the payments of funded projects are
`fractions.Fraction`. Voters with the same remaining share are counted as one group, because two
voters with equal shares behave alike from then on; the number of groups is the number of
distinct remaining shares, which stays small. Which project a round funds is first estimated in
floating point with a stated error bound (`EqualShares._estimate`), and every comparison that
falls within that bound is decided again in exact arithmetic.

This is pabutools 1.2.3's `method_of_equal_shares(..., sat_class=Cost_Sat or Cardinality_Sat)`
with its default tie-breaking: among projects with equal payments, the one first in the
tie-breaking order wins (by default, the project id compared as a string). As there, a project with
no supporter is never funded and a supported project that costs nothing is funded before counting
starts.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

UTILITIES = ("cost", "approval")
# The unit roundoff of IEEE 754 double precision.
EPSILON = 2.0**-53


def _as_dict(groups: np.ndarray, counts: np.ndarray) -> dict[int, int]:
    """Return {group: count} for the given non-empty groups."""
    return {int(group): int(counts[group]) for group in groups}


@dataclass(frozen=True)
class MesRun:
    """One run of MES with a given share per voter.

    `winners` are in the order MES funded them. `remaining` maps every project that was not funded
    and has supporters to the total its supporters still held when counting stopped; each is below
    the project's cost. `payments` maps each winner to the largest payment one supporter made.
    """

    voter_budget: Fraction
    winners: list[str]
    spent: Fraction
    remaining: dict[str, Fraction]
    payments: dict[str, Fraction]


class EqualShares:
    """MES over one fixed set of ballots; `run()` counts it with a given share per voter.

    `costs` maps project ids to exact costs, `ballots` lists each voter's approved project ids
    (an empty ballot still counts as a voter who receives a share), and `rank` maps each project
    id to its place in the tie-breaking order (lower wins). `eligible` limits the projects that
    can be funded, for example to those with enough votes.
    """

    def __init__(
        self,
        costs: Mapping[str, Fraction],
        ballots: Sequence[Sequence[str]],
        rank: Mapping[str, int],
        utility: str,
        eligible: set[str] | None = None,
    ) -> None:
        if utility not in UTILITIES:
            raise ValueError(f"Unknown utility {utility!r}; expected one of {UTILITIES}.")
        self.utility = utility
        self.voters = len(ballots)
        self.costs = {project: Fraction(cost) for project, cost in costs.items()}
        self.rank = rank
        members: dict[str, list[int]] = {project: [] for project in costs}
        for voter, ballot in enumerate(ballots):
            for project in set(ballot):
                members[project].append(voter)
        self.supporters = {
            project: np.fromiter(voters, dtype=np.int64, count=len(voters))
            for project, voters in members.items()
        }
        allowed = set(costs) if eligible is None else set(eligible) & set(costs)
        supported = {project for project in allowed if len(members[project]) > 0}
        # A supported project that costs nothing is funded before counting, as in pabutools.
        self.free = sorted(
            (project for project in supported if self.costs[project] == 0),
            key=rank.__getitem__,
        )
        self.candidates = {project for project in supported if self.costs[project] > 0}
        self.float_cost = {project: float(cost) for project, cost in self.costs.items()}
        self.float_utility = {project: float(self.utility_of(project)) for project in costs}
        # With equal shares the payment is the cost split evenly; the bound allows for rounding.
        self.first_bound = {}
        for project in self.candidates:
            key = float(self.costs[project] / len(members[project]) / self.utility_of(project))
            self.first_bound[project] = key - 4 * EPSILON * key

    def utility_of(self, project: str) -> Fraction:
        """Return one supporter's utility from `project`."""
        return self.costs[project] if self.utility == "cost" else Fraction(1)

    def run(self, voter_budget: Fraction, explain: bool = True) -> MesRun:
        """Count with `voter_budget` per voter and return the outcome.

        Without `explain`, a quick pass in floating point is tried first (`_run_quick`); it
        gives up whenever an error bound leaves a decision open, and the exact pass decides.
        """
        if not explain and self.voters > 0:
            quick = self._run_quick(Fraction(voter_budget))
            if quick is not None:
                return quick
        return self._run_exact(voter_budget, explain)

    def _run_quick(self, voter_budget: Fraction) -> MesRun | None:
        """Count in floating point with error bounds; return None if a decision is uncertain.

        Each voter's share is a double. `error` bounds the absolute error of every share: it
        starts at the rounding of the first share and grows by the error bound of each payment.
        A payment's error is at most (c * error + (k + 3) * u * cost) / (k - c) + 2 * u * payment
        for k supporters of whom c may pay all they hold (their share is below the payment plus
        `error`), with u = 2**-53; the bounds used are twice that. A decision is taken only when
        the bounds separate the values compared; otherwise the run is left to exact arithmetic.
        Funded projects' payments are not reported.
        """
        budgets = np.full(self.voters, float(voter_budget))
        error = 2 * EPSILON * float(voter_budget)
        bound = dict(self.first_bound)
        active = set(self.candidates)
        winners = list(self.free)
        while active:
            upper = float("inf")
            found: dict[str, tuple[float, float, float]] = {}
            for project in sorted(active, key=lambda p: (bound[p], self.rank[p])):
                if bound[project] > upper:
                    break
                held = budgets[self.supporters[project]]
                cost = self.float_cost[project]
                size = len(held)
                total = float(held.sum())
                slack = 2 * (size * error + (size + 3) * EPSILON * max(total, cost))
                if total < cost - slack:
                    active.discard(project)
                    continue
                if total <= cost + slack:
                    return None
                even = cost / size
                if float(held.min()) >= even:
                    payment, payers = even, size
                else:
                    held = np.sort(held)
                    paid_before = np.concatenate(([0.0], np.cumsum(held)[:-1]))
                    payers_left = size - np.arange(size)
                    fits = cost - paid_before <= held * payers_left
                    first = int(np.argmax(fits))
                    payers = int(payers_left[first])
                    payment = float((cost - paid_before[first]) / payers)
                # Only the shares of voters who pay all they hold enter the payment.
                # Supporters whose share may lie below the payment, in exact or in floating-point
                # terms, may pay all they hold; only their shares' errors move the payment.
                capped = int(np.count_nonzero(held < payment + error))
                if capped >= size:
                    return None
                spread = 2 * (
                    (capped * error + (size + 3) * EPSILON * cost) / (size - capped)
                    + 2 * EPSILON * payment
                )
                utility = self.float_utility[project]
                key, key_error = payment / utility, spread / utility + 2 * EPSILON * payment
                bound[project] = key - key_error
                upper = min(upper, key + key_error)
                found[project] = (key, key_error, payment)
            if not found:
                break
            close = [project for project, item in found.items() if item[0] - item[1] <= upper]
            if len(close) > 1:
                return None
            project = close[0]
            key, key_error, payment = found[project]
            supporters = self.supporters[project]
            budgets[supporters] = np.maximum(budgets[supporters] - payment, 0.0)
            error += key_error * self.float_utility[project] + 2 * EPSILON * payment
            active.discard(project)
            winners.append(project)
        spent = sum((self.costs[project] for project in winners), Fraction(0))
        return MesRun(voter_budget, winners, spent, {}, {})

    def _run_exact(self, voter_budget: Fraction, explain: bool) -> MesRun:
        """Count in exact arithmetic, with floating point only to order the candidates.

        Payments are first computed in floating point with a stated error bound (see
        `_estimate`); whenever two projects' payments, or a project's cost and what its
        supporters hold, are within that bound of each other, the decision is taken again in
        exact arithmetic. The shares themselves are always kept exactly, and the payment of each
        funded project is computed exactly. With `explain` False, `remaining` is left empty.
        """
        voter_budget = Fraction(voter_budget)
        if self.voters == 0:
            return MesRun(voter_budget, list(self.free), Fraction(0), {}, {})
        group_of = np.zeros(self.voters, dtype=np.int64)
        shares: list[Fraction] = [voter_budget]
        approximate: list[float] = [float(voter_budget)]
        group_by_share = {voter_budget: 0}
        # Shares only decrease, so a payment found in an earlier round is a lower bound.
        bound = dict(self.first_bound)
        active = set(self.candidates)
        winners = list(self.free)
        payments = {project: Fraction(0) for project in self.free}
        while active:
            share_array = np.array(approximate)
            upper = float("inf")
            found: dict[str, tuple[float, float, np.ndarray, np.ndarray]] = {}
            for project in sorted(active, key=lambda p: (bound[p], self.rank[p])):
                if bound[project] > upper:
                    break
                counts = np.bincount(group_of[self.supporters[project]], minlength=len(shares))
                groups = np.flatnonzero(counts)
                estimate = self._estimate(project, share_array[groups], counts[groups])
                if estimate is None:
                    exact = self._payment(self.costs[project], _as_dict(groups, counts), shares)
                    if exact is None:
                        active.discard(project)
                        continue
                    key = exact / self.utility_of(project)
                    estimate = (float(key), 4 * EPSILON * float(key))
                elif estimate is False:
                    active.discard(project)
                    continue
                key, error = estimate
                bound[project] = key - error
                upper = min(upper, key + error)
                found[project] = (key, error, groups, counts)
            if not found:
                break
            close = [project for project, item in found.items() if item[0] - item[1] <= upper]
            exact_payments = {}
            for project in close:
                _, _, groups, counts = found[project]
                exact_payments[project] = self._payment(
                    self.costs[project], _as_dict(groups, counts), shares
                )
            project = min(
                close,
                key=lambda p: (exact_payments[p] / self.utility_of(p), self.rank[p]),
            )
            payment = exact_payments[project]
            active.discard(project)
            winners.append(project)
            payments[project] = payment
            _, _, groups, counts = found[project]
            self._pay(project, payment, groups, group_of, shares, approximate, group_by_share)
        remaining = {}
        if explain:
            for project in self.candidates:
                if project not in payments:
                    counts = np.bincount(group_of[self.supporters[project]], minlength=len(shares))
                    groups = np.flatnonzero(counts)
                    remaining[project] = sum(
                        (shares[group] * int(counts[group]) for group in groups), Fraction(0)
                    )
        spent = sum((self.costs[project] for project in winners), Fraction(0))
        return MesRun(voter_budget, winners, spent, remaining, payments)

    def _estimate(
        self, project: str, shares: np.ndarray, counts: np.ndarray
    ) -> tuple[float, float] | bool | None:
        """Estimate the project's payment per unit of utility in floating point.

        Return (estimate, error bound), False if the supporters surely cannot pay, or None if
        floating point cannot tell (the supporters hold about the cost) and exact arithmetic
        must decide. With u = 2**-53 and m groups of supporters, every rounded sum of at most m
        terms is within (m + 3) * u * cost of the exact sum, so the payment is within
        (m + 3) * u * cost / payers + 2 * u * payment; the bound used is 4 times that.
        """
        cost = float(self.costs[project])
        order = np.argsort(shares, kind="stable")
        shares, counts = shares[order], counts[order]
        money = shares * counts
        total = float(money.sum())
        slack = 4 * (len(shares) + 3) * EPSILON * max(total, cost)
        if total < cost - slack:
            return False
        if total <= cost + slack:
            return None
        paid_before = np.concatenate(([0.0], np.cumsum(money)[:-1]))
        payers = int(counts.sum()) - np.concatenate(([0], np.cumsum(counts)[:-1]))
        left = cost - paid_before
        fits = left <= shares * payers
        first = int(np.argmax(fits))
        if not fits[first]:
            return None
        payment = float(left[first] / payers[first])
        error = 4 * ((len(shares) + 3) * EPSILON * cost / int(payers[first]))
        error += 8 * EPSILON * payment
        utility = float(self.utility_of(project))
        return payment / utility, error / utility + 4 * EPSILON * payment / utility

    @staticmethod
    def _payment(cost: Fraction, groups: dict[int, int], shares: list[Fraction]) -> Fraction | None:
        """Return the largest payment one supporter makes for `cost`, or None if they can't pay.

        Supporters are taken from the poorest: while the equal split of what is left exceeds a
        supporter's share, that supporter pays their whole share.
        """
        ordered = sorted((shares[group], count) for group, count in groups.items())
        if sum((share * count for share, count in ordered), Fraction(0)) < cost:
            return None
        left = cost
        payers = sum(count for _, count in ordered)
        for share, count in ordered:
            if left <= share * payers:
                return left / payers
            left -= share * count
            payers -= count
        raise AssertionError("supporters hold the cost, so some split fits")

    def _pay(
        self,
        project: str,
        payment: Fraction,
        groups: np.ndarray,
        group_of: np.ndarray,
        shares: list[Fraction],
        approximate: list[float],
        group_by_share: dict[Fraction, int],
    ) -> None:
        """Charge the project's supporters and move them to the groups of their new shares."""
        mapping = np.arange(len(shares), dtype=np.int64)
        for group in groups:
            share = shares[group]
            new_share = share - min(share, payment)
            new_group = group_by_share.get(new_share)
            if new_group is None:
                new_group = len(shares)
                shares.append(new_share)
                approximate.append(float(new_share))
                group_by_share[new_share] = new_group
            mapping[group] = new_group
        supporters = self.supporters[project]
        group_of[supporters] = mapping[group_of[supporters]]
