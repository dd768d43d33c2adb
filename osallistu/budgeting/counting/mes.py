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
distinct remaining shares, which stays small. Voters with the same ballot pay the same amounts
throughout, so they are stored once as a ballot type with the number of its voters (Łódź 2022:
23 571 types for 90 494 voters; a choose-1 election has one type per project). Which project a
round funds is first estimated in floating point with a stated error bound
(`EqualShares._estimate`), and every comparison that falls within that bound is decided again in
exact arithmetic.

This is pabutools 1.2.3's `method_of_equal_shares(..., sat_class=Cost_Sat or Cardinality_Sat)`
with its default tie-breaking: among projects with equal payments, the one first in the
tie-breaking order wins (by default, the project id compared as a string). As there, a project with
no supporter is never funded and a supported project that costs nothing is funded before counting
starts.
"""

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

import numpy as np

UTILITIES = ("cost", "approval")
# The unit roundoff of IEEE 754 double precision.
EPSILON = 2.0**-53


def _distinct(values: np.ndarray) -> np.ndarray:
    """Return the distinct values in increasing order (sorting; numpy's hashing is slower)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _row_classes(rows: np.ndarray) -> np.ndarray:
    """Return for each row the number of its class, equal rows sharing one, from 0 up."""
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    new = np.any(ordered[1:] != ordered[:-1], axis=1)
    classes = np.empty(len(rows), dtype=np.int64)
    classes[order] = np.concatenate(([0], np.cumsum(new)))
    return classes


class BallotIndex:
    """Approval ballots as arrays: which voter chose which project, each pair once.

    `projects` lists the project ids in a fixed order; `voter` and `project` hold one entry per
    (voter, chosen project) pair, by index; `votes` is each project's number of voters.
    Raise ValueError if a ballot names a project that is not in `projects`.
    """

    def __init__(self, projects: Iterable[str], ballots: Sequence[Iterable]) -> None:
        self.projects = list(projects)
        self.voters = len(ballots)
        position = {project: place for place, project in enumerate(self.projects)}
        lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=self.voters)
        chosen = list(chain.from_iterable(ballots))
        try:
            places = list(map(position.__getitem__, chosen))
        except KeyError:
            # Ids may be given as numbers; projects are identified by their id as a string.
            chosen = list(map(str, chosen))
            unknown = set(chosen) - position.keys()
            if unknown:
                raise ValueError(f"Ballots name unknown projects: {sorted(unknown)}.") from None
            places = list(map(position.__getitem__, chosen))
        project = np.array(places, dtype=np.int64)
        voter = np.repeat(np.arange(self.voters, dtype=np.int64), lengths)
        # A project named twice on one ballot counts once.
        pairs = _distinct(voter * max(len(self.projects), 1) + project)
        if len(pairs) < len(project):
            voter, project = np.divmod(pairs, max(len(self.projects), 1))
        self.voter = voter
        self.project = project
        self.votes = np.bincount(project, minlength=len(self.projects))

    def vote_counts(self) -> dict[str, int]:
        """Return {project id: number of voters who chose it}."""
        return dict(zip(self.projects, self.votes.tolist(), strict=True))

    def voters_choosing(self, chosen: set[str]) -> np.ndarray:
        """Return, for each voter, how many of the `chosen` projects their ballot names."""
        wanted = np.array([project in chosen for project in self.projects] or [False])
        return np.bincount(self.voter[wanted[self.project]], minlength=self.voters)

    def ballot_types(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (type of each voter, number of voters of each type); equal ballots, one type.

        Each ballot becomes a bit set of its projects, 64 projects a word, so that equal
        ballots are found exactly by comparing whole rows.
        """
        words = max((len(self.projects) + 63) // 64, 1)
        bits = np.zeros(self.voters * words, dtype=np.uint64)
        np.bitwise_or.at(
            bits,
            self.voter * words + self.project // 64,
            np.left_shift(np.uint64(1), (self.project % 64).astype(np.uint64)),
        )
        if self.voters == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        type_of = _row_classes(bits.reshape(self.voters, words))
        return type_of, np.bincount(type_of)


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

    `costs` maps project ids to exact costs, `ballots` is a `BallotIndex` over the same project
    ids (an empty ballot still counts as a voter who receives a share), and `rank` maps each
    project id to its place in the tie-breaking order (lower wins). `eligible` limits the
    projects that can be funded, for example to those with enough votes.
    """

    def __init__(
        self,
        costs: Mapping[str, Fraction],
        ballots: BallotIndex,
        rank: Mapping[str, int],
        utility: str,
        eligible: set[str] | None = None,
    ) -> None:
        if utility not in UTILITIES:
            raise ValueError(f"Unknown utility {utility!r}; expected one of {UTILITIES}.")
        self.utility = utility
        self.voters = ballots.voters
        self.costs = {project: Fraction(cost) for project, cost in costs.items()}
        self.rank = rank
        type_of, self.weights = ballots.ballot_types()
        self.float_weights = self.weights.astype(np.float64)
        places = len(ballots.projects)
        # Each (ballot type, project) pair once, grouped by project.
        pairs = _distinct(type_of[ballots.voter] * max(places, 1) + ballots.project)
        types, projects = np.divmod(pairs, max(places, 1))
        order = np.argsort(projects, kind="stable")
        ends = np.cumsum(np.bincount(projects, minlength=places))
        split = np.split(types[order], ends[:-1]) if places else []
        self.types = dict(zip(ballots.projects, split, strict=True))
        self.size = dict(zip(ballots.projects, ballots.votes.tolist(), strict=True))
        allowed = set(costs) if eligible is None else set(eligible) & set(costs)
        supported = {project for project in allowed if self.size[project] > 0}
        # A supported project that costs nothing is funded before counting, as in pabutools.
        self.free = sorted(
            (project for project in supported if self.costs[project] == 0),
            key=rank.__getitem__,
        )
        self.candidates = {project for project in supported if self.costs[project] > 0}
        self.float_cost = {project: float(cost) for project, cost in self.costs.items()}
        self.cost_denominator = math.lcm(*(cost.denominator for cost in self.costs.values()))
        self.cost_units = {
            project: cost.numerator * (self.cost_denominator // cost.denominator)
            for project, cost in self.costs.items()
        }
        self.float_utility = {project: float(self.utility_of(project)) for project in costs}
        # Voter counts as floats, per project's ballot types, for weighted sums.
        self.type_weights = {
            project: self.float_weights[types] for project, types in self.types.items()
        }
        # With equal shares the payment is the cost split evenly; the bound allows for rounding.
        self.first_bound = {}
        for project in self.candidates:
            key = float(self.costs[project] / self.size[project] / self.utility_of(project))
            self.first_bound[project] = key - 4 * EPSILON * key

    def _spent(self, winners: list[str]) -> Fraction:
        """Return the total cost of `winners`, summed as whole numbers of the costs' unit."""
        units = self.cost_units
        return Fraction(sum(units[project] for project in winners), self.cost_denominator)

    def utility_of(self, project: str) -> Fraction:
        """Return one supporter's utility from `project`."""
        return self.costs[project] if self.utility == "cost" else Fraction(1)

    def run(self, voter_budget: Fraction, explain: bool = True) -> MesRun:
        """Count with `voter_budget` per voter and return the outcome.

        A quick pass in floating point is tried first (`_run_quick`); it gives up whenever an
        error bound leaves a decision open, and the exact pass decides. With `explain`, the
        winners the quick pass found are charged again in exact arithmetic (`_replay`) to give
        the exact payments and remaining amounts.
        """
        voter_budget = Fraction(voter_budget)
        if self.voters > 0:
            quick = self._run_quick(voter_budget)
            if quick is not None:
                return self._replay(voter_budget, quick.winners) if explain else quick
        return self._run_exact(voter_budget, explain)

    def explain(self, run: MesRun) -> MesRun:
        """Return `run` with the exact payments of its winners and remaining amounts."""
        return self._replay(run.voter_budget, run.winners)

    def _run_quick(self, voter_budget: Fraction) -> MesRun | None:
        """Count in floating point with error bounds; return None if a decision is uncertain.

        Each ballot type's share is a double. `error` bounds the absolute error of every share:
        it starts at the rounding of the first share and grows by the error bound of each
        payment. A payment's error is at most (c * error + (k + 3) * u * cost) / (k - c) + 2 * u *
        payment for k supporters of whom c may pay all they hold (their share is below the
        payment plus `error`), with u = 2**-53; the bounds used are twice that. Sums run over
        ballot types weighted by their numbers of voters: m types of k voters give m <= k
        rounded products and sums, so the bounds for k single voters still hold. A decision is
        taken only when the bounds separate the values compared. Otherwise the winners so far
        are charged in exact arithmetic, the shares rounded afresh (so `error` falls back to
        its first value) and the round is tried again; if it is still uncertain, the run is
        left to exact arithmetic. Funded projects' payments are not reported.
        """
        initial_error = 2 * EPSILON * float(voter_budget)
        budgets = np.full(len(self.weights), float(voter_budget))
        error = initial_error
        state = None
        charged = len(self.free)
        # Shares only decrease, so a payment found in an earlier round is a lower bound; the
        # heap yields projects by that bound, then by the tie-breaking order.
        heap = [(self.first_bound[p], self.rank[p], p) for p in self.candidates]
        heapq.heapify(heap)
        winners = list(self.free)
        while heap:
            upper = float("inf")
            found: dict[str, tuple[float, float, float, int, bool]] = {}
            uncertain = None
            while heap and heap[0][0] <= upper:
                entry = heapq.heappop(heap)
                _, rank, project = entry
                types = self.types[project]
                weights = self.type_weights[project]
                held = budgets[types]
                cost = self.float_cost[project]
                size = self.size[project]
                money = held * weights
                total = float(money.sum())
                slack = 2 * (size * error + (size + 3) * EPSILON * max(total, cost))
                if total < cost - slack:
                    continue
                if total <= cost + slack:
                    uncertain = entry
                    break
                even = cost / size
                lowest = float(held.min())
                # Where every exact share exceeds the exact even split cost / size (the float
                # split is within 2u of it), the exact payment is that split.
                split_evenly = lowest - error > even * (1 + 4 * EPSILON)
                if lowest >= even:
                    payment = even
                else:
                    payment = self._water_fill(held, weights, money, cost, size, even)
                    if payment is None:
                        uncertain = entry
                        break
                # Only the shares of voters who pay all they hold enter the payment.
                # Supporters whose share may lie below the payment, in exact or in floating-point
                # terms, may pay all they hold; only their shares' errors move the payment.
                capped = 0
                if lowest < payment + error:
                    capped = int(weights[held < payment + error].sum())
                if capped >= size:
                    uncertain = entry
                    break
                spread = 2 * (
                    (capped * error + (size + 3) * EPSILON * cost) / (size - capped)
                    + 2 * EPSILON * payment
                )
                utility = self.float_utility[project]
                key, key_error = payment / utility, spread / utility + 2 * EPSILON * payment
                upper = min(upper, key + key_error)
                found[project] = (key, key_error, payment, rank, split_evenly)
            close = [project for project, item in found.items() if item[0] - item[1] <= upper]
            if uncertain is not None or (
                len(close) > 1 and not all(found[project][4] for project in close)
            ):
                if error == initial_error:
                    return None
                # Charge the winners so far exactly, round the shares afresh and try again.
                if state is None:
                    state = _ExactShares(voter_budget, self.costs.values(), len(self.weights))
                for winner in winners[charged:]:
                    counts = state.counts(self.types[winner], self.type_weights[winner])
                    groups = np.flatnonzero(counts)
                    payment = state.payment(self.costs[winner], groups, counts)
                    state.pay(self.types[winner], payment, groups)
                charged = len(winners)
                budgets = np.array(state.approximate)[state.group_of]
                error = initial_error
                if uncertain is not None:
                    heapq.heappush(heap, uncertain)
                for other, (key, key_error, _, rank, _) in found.items():
                    heapq.heappush(heap, (key - key_error, rank, other))
                continue
            if not found:
                break
            # Projects split evenly have exact keys cost / (voters * utility); ties among them,
            # common under cost utility, are decided exactly here.
            project = close[0] if len(close) == 1 else min(close, key=self._even_key)
            key, key_error, payment, _, _ = found.pop(project)
            types = self.types[project]
            budgets[types] = np.maximum(budgets[types] - payment, 0.0)
            error += key_error * self.float_utility[project] + 2 * EPSILON * payment
            winners.append(project)
            for other, (key, key_error, _, rank, _) in found.items():
                heapq.heappush(heap, (key - key_error, rank, other))
        spent = self._spent(winners)
        return MesRun(voter_budget, winners, spent, {}, {})

    @staticmethod
    def _water_fill(
        held: np.ndarray,
        weights: np.ndarray,
        money: np.ndarray,
        cost: float,
        size: int,
        even: float,
    ) -> float | None:
        """Return the float payment when some supporters hold less than the even split.

        Supporters holding less than the payment pay all they hold and the others split the
        rest, so the payment is the fixed point of payment = (cost - what the capped hold) /
        (voters not capped). Starting from the even split, the capped set only grows, and a few
        steps reach it; return None if rounding keeps it from settling.
        """
        payment = even
        capped = held < payment
        for _ in range(64):
            payers = size - float(weights[capped].sum())
            if payers <= 0:
                return None
            payment = (cost - float(money[capped].sum())) / payers
            following = held < payment
            if np.array_equal(following, capped):
                return payment
            capped = following
        return None

    def _even_key(self, project: str) -> tuple[Fraction, int]:
        """Return the exact payment per unit of utility of an even split, and the tie rank."""
        key = self.costs[project] / self.size[project] / self.utility_of(project)
        return key, self.rank[project]

    def _replay(self, voter_budget: Fraction, winners: list[str]) -> MesRun:
        """Charge `winners`, in order, in exact arithmetic, and explain the run.

        A pass has decided the order; this gives each winner's exact payment and every other
        candidate's exact remaining amount.
        """
        state = _ExactShares(voter_budget, self.costs.values(), len(self.weights))
        payments = {project: Fraction(0) for project in self.free}
        for project in winners[len(self.free) :]:
            counts = state.counts(self.types[project], self.type_weights[project])
            groups = np.flatnonzero(counts)
            payment = state.payment(self.costs[project], groups, counts)
            if payment is None:
                raise AssertionError("the quick pass funds only projects its supporters can pay")
            payments[project] = payment
            state.pay(self.types[project], payment, groups)
        return self._explained(voter_budget, winners, payments, state)

    def _explained(
        self,
        voter_budget: Fraction,
        winners: list[str],
        payments: dict[str, Fraction],
        state: "_ExactShares",
    ) -> MesRun:
        """Return the run with the remaining amount of every candidate that was not funded."""
        remaining = {}
        for project in self.candidates:
            if project not in payments:
                counts = state.counts(self.types[project], self.type_weights[project])
                remaining[project] = state.held(np.flatnonzero(counts), counts)
        spent = self._spent(winners)
        return MesRun(voter_budget, winners, spent, remaining, payments)

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
        state = _ExactShares(voter_budget, self.costs.values(), len(self.weights))
        # Shares only decrease, so a payment found in an earlier round is a lower bound.
        bound = dict(self.first_bound)
        active = set(self.candidates)
        winners = list(self.free)
        payments = {project: Fraction(0) for project in self.free}
        while active:
            share_array = np.array(state.approximate)
            upper = float("inf")
            found: dict[str, tuple[float, float, np.ndarray, np.ndarray]] = {}
            for project in sorted(active, key=lambda p: (bound[p], self.rank[p])):
                if bound[project] > upper:
                    break
                counts = state.counts(self.types[project], self.type_weights[project])
                groups = np.flatnonzero(counts)
                estimate = self._estimate(project, share_array[groups], counts[groups])
                if estimate is None:
                    exact = state.payment(self.costs[project], groups, counts)
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
                exact_payments[project] = state.payment(self.costs[project], groups, counts)
            project = min(
                close,
                key=lambda p: (exact_payments[p] / self.utility_of(p), self.rank[p]),
            )
            payment = exact_payments[project]
            active.discard(project)
            winners.append(project)
            payments[project] = payment
            _, _, groups, _ = found[project]
            state.pay(self.types[project], payment, groups)
        if explain:
            return self._explained(voter_budget, winners, payments, state)
        spent = self._spent(winners)
        return MesRun(voter_budget, winners, spent, {}, payments)

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


class _ExactShares:
    """Every ballot type's share in exact arithmetic, as whole numbers over one denominator.

    Ballot types with equal shares form one group (`group_of`); `numerators[g] / denominator`
    is group g's share and `approximate[g]` its nearest double. The denominator is a multiple
    of every cost's denominator, and grows when a payment needs a finer one, so that payments
    and shares are compared and summed as integers rather than as `Fraction`s.
    """

    def __init__(self, voter_budget: Fraction, costs: Iterable[Fraction], types: int) -> None:
        self.denominator = math.lcm(voter_budget.denominator, *(c.denominator for c in costs))
        first = voter_budget.numerator * (self.denominator // voter_budget.denominator)
        self.numerators = [first]
        self.approximate = [float(voter_budget)]
        self.group_by_numerator = {first: 0}
        self.group_of = np.zeros(types, dtype=np.int64)

    def counts(self, types: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Return how many of the given voters (types with their weights) are in each group."""
        counts = np.bincount(self.group_of[types], weights=weights, minlength=len(self.numerators))
        # Voter counts are whole numbers far below 2**53, so the float sums are exact.
        return counts.astype(np.int64)

    def held(self, groups: np.ndarray, counts: np.ndarray) -> Fraction:
        """Return what the voters counted in `counts` hold together."""
        numerators = self.numerators
        total = sum(numerators[group] * int(counts[group]) for group in groups.tolist())
        return Fraction(total, self.denominator)

    def payment(self, cost: Fraction, groups: np.ndarray, counts: np.ndarray) -> Fraction | None:
        """Return the largest payment one supporter makes for `cost`, or None if they can't pay.

        Supporters are taken from the poorest: while the equal split of what is left exceeds a
        supporter's share, that supporter pays their whole share.
        """
        ordered = sorted((self.numerators[group], int(counts[group])) for group in groups.tolist())
        left = cost.numerator * (self.denominator // cost.denominator)
        if sum(numerator * count for numerator, count in ordered) < left:
            return None
        payers = sum(count for _, count in ordered)
        for numerator, count in ordered:
            if left <= numerator * payers:
                return Fraction(left, payers * self.denominator)
            left -= numerator * count
            payers -= count
        raise AssertionError("supporters hold the cost, so some split fits")

    def pay(self, types: np.ndarray, payment: Fraction, groups: np.ndarray) -> None:
        """Charge `payment` to the given types and move them to the groups of their new shares."""
        finer = payment.denominator // math.gcd(self.denominator, payment.denominator)
        if finer > 1:
            self.denominator *= finer
            self.numerators = [numerator * finer for numerator in self.numerators]
            self.group_by_numerator = {
                numerator: group for group, numerator in enumerate(self.numerators)
            }
        charge = payment.numerator * (self.denominator // payment.denominator)
        mapping = np.arange(len(self.numerators), dtype=np.int64)
        for group in groups.tolist():
            new = max(self.numerators[group] - charge, 0)
            new_group = self.group_by_numerator.get(new)
            if new_group is None:
                new_group = len(self.numerators)
                self.numerators.append(new)
                self.approximate.append(new / self.denominator)
                self.group_by_numerator[new] = new_group
            mapping[group] = new_group
        self.group_of[types] = mapping[self.group_of[types]]
