"""The Method of Equal Shares and its completions, through the public `count()` API."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from osallistu.budgeting.counting import Election, count


def naive_mes(election: Election, utility: str, share: Fraction) -> list[str]:
    """Return MES winners computed voter by voter in exact arithmetic, as a second opinion."""
    costs = {project: Fraction(cost) for project, cost in election.costs.items()}
    budgets = [Fraction(share)] * len(election.ballots)
    supporters = {
        project: [voter for voter, ballot in enumerate(election.ballots) if project in ballot]
        for project in costs
    }
    winners: list[str] = []
    while True:
        best = None
        for project in sorted(costs):
            if project in winners or not supporters[project] or costs[project] == 0:
                continue
            held = sorted(budgets[voter] for voter in supporters[project])
            if sum(held) < costs[project]:
                continue
            left, payers = costs[project], len(held)
            for budget in held:
                if left <= budget * payers:
                    payment = left / payers
                    break
                left -= budget
                payers -= 1
            key = payment / (costs[project] if utility == "cost" else 1)
            if best is None or key < best[0]:
                best = (key, project, payment)
        if best is None:
            return winners
        _, project, payment = best
        winners.append(project)
        for voter in supporters[project]:
            budgets[voter] -= min(budgets[voter], payment)


def random_election(seed: int) -> Election:
    generator = random.Random(seed)
    projects = [str(number) for number in range(1, generator.randint(2, 8))]
    # Few distinct costs and small electorates make ties common.
    costs = {project: generator.choice([10, 20, 30, 45, 60, 100]) for project in projects}
    ballots = [
        generator.sample(projects, generator.randint(0, len(projects)))
        for _ in range(generator.randint(1, 12))
    ]
    return Election(budget=generator.choice([50, 100, 120, 200]), costs=costs, ballots=ballots)


@pytest.mark.parametrize("utility", ["cost", "approval"])
@pytest.mark.parametrize("seed", range(60))
def test_mes_equals_naive_exact_mes(seed, utility):
    election = random_election(seed)
    outcome = count(election, f"mes-{utility}")
    share = Fraction(election.budget) / len(election.ballots)
    assert outcome.winners == naive_mes(election, utility, share)
    assert outcome.voter_budget == share


def test_mes_approval_example():
    # 4 voters, 25 each. C (30) costs its two supporters 15 each, less than the 20 each that A
    # (60) would cost its three, so C comes first. Then A's supporters hold 10 + 10 + 25 = 45 and
    # B's single supporter 25: neither covers the cost.
    election = Election(
        budget=100,
        costs={"A": 60, "B": 40, "C": 30},
        ballots=[["A", "C"], ["A", "C"], ["A"], ["B"]],
    )
    outcome = count(election, "mes-approval")
    assert outcome.winners == ["C"]
    assert outcome.project("B").reason == "mes_shares_insufficient"
    assert outcome.project("B").supporters_remaining == 25
    assert outcome.project("A").supporters_remaining == 45
    assert outcome.project("A").status == "not_funded"
    assert outcome.project("C").stage == "mes"


def test_float_near_tie_is_decided_exactly():
    # The payments 10**17 and 10**17 + 1/3 are the same double. Exactly, "b" is cheaper, so it
    # wins although "a" comes first in the tie-breaking order.
    big = 3 * 10**17
    election = Election(
        budget=2 * big,
        costs={"a": big + 1, "b": big},
        ballots=[["a", "b"]] * 3 + [[]] * 3,
    )
    assert float(Fraction(big + 1, 3)) == float(Fraction(big, 3))
    for rule in ("mes-approval", "mes-cost"):
        assert count(election, rule).winners[0] == "b"


def test_exact_tie_follows_tie_break():
    election = Election(budget=100, costs={"9": 60, "10": 60}, ballots=[["9", "10"]] * 2)
    # As a string, "10" comes before "9".
    assert count(election, "mes-approval").winners == ["10"]
    assert count(election, "mes-approval", tie_break="cost-asc").winners == ["10"]
    cheaper = Election(budget=100, costs={"9": 50, "10": 60}, ballots=[["9", "10"]] * 2)
    # Approval utility: 25 per voter for "9" beats 30 for "10" whatever the tie-break.
    assert count(cheaper, "mes-approval", tie_break="cost-desc").winners[0] == "9"


def test_tie_break_options_order_equal_payments():
    # Under cost utility both projects cost each supporter the same share of their cost.
    election = Election(budget=80, costs={"a": 20, "b": 40}, ballots=[["a"], ["a"], ["b"], ["b"]])
    assert count(election, "mes-cost").winners[0] == "a"
    assert count(election, "mes-cost", tie_break="cost-desc").winners[0] == "b"
    with pytest.raises(ValueError):
        count(election, "mes-cost", tie_break="random")


def test_add1_keeps_last_outcome_within_budget():
    # Shares of 50: "x" (cost 90) needs 45 from each of its two supporters, "y" (60) 60 from its
    # single supporter. Raising shares to 60 funds "y" too, at 150 in all, within 160.
    election = Election(budget=150, costs={"x": 90, "y": 60}, ballots=[["x"], ["x"], ["y"]])
    assert count(election, "mes-approval").winners == ["x"]
    outcome = count(election, "mes-approval", "add1")
    assert outcome.winners == ["x", "y"]
    assert outcome.voter_budget == 60


def test_add1_does_not_stop_at_first_exhaustive_outcome():
    # At 25 per voter only "d" is funded. Raising the shares, "d" and "b" (90 in all) come first:
    # exhaustive, since "c" no longer fits. Raising further gives "d" and "c" (75), the last
    # outcome within the budget before it is exceeded, and "add1" keeps that one.
    election = Election(
        budget=100,
        costs={"a": 60, "b": 60, "c": 45, "d": 30},
        ballots=[["c", "d"], ["c", "b"], ["d"], ["b"]],
    )
    assert count(election, "mes-approval").winners == ["d"]
    assert count(election, "mes-approval", "add1-exhaustive").winners == ["d", "b"]
    assert count(election, "mes-approval", "add1").winners == ["d", "c"]


def test_add1_greedy_completes_by_votes():
    election = Election(
        budget=100,
        costs={"a": 50, "b": 30, "c": 20},
        ballots=[["a"], ["a"], ["b", "c"], ["c"]],
    )
    mes = count(election, "mes-approval", "add1")
    completed = count(election, "mes-approval", "add1-greedy")
    assert completed.winners[: len(mes.winners)] == mes.winners
    for project in completed.winners[len(mes.winners) :]:
        assert completed.project(project).stage == "greedy"
    assert completed.spent <= 100


def comparison_election(big_voters: int) -> Election:
    # Greedy funds "big" (most votes), which uses the whole budget; MES cannot fund it, because
    # its supporters' shares fall short, and funds "s1" and "s2" for two voters each.
    return Election(
        budget=100,
        costs={"big": 100, "s1": 20, "s2": 20},
        ballots=[["big"]] * big_voters + [["s1"]] * 2 + [["s2"]] * 2,
    )


def test_comparison_keeps_mes_when_more_voters_prefer_it():
    election = comparison_election(3)
    assert count(election, "greedy").winners == ["big"]
    outcome = count(election, "mes-approval", comparison=True)
    assert outcome.compared.mes_winners == ["s1", "s2"]
    assert (outcome.compared.prefer_mes, outcome.compared.prefer_greedy) == (4, 3)
    assert outcome.compared.kept == "mes"
    assert outcome.winners == ["s1", "s2"]


def test_comparison_keeps_greedy_when_more_voters_prefer_it():
    outcome = count(comparison_election(5), "mes-cost", "add1", comparison=True)
    assert outcome.compared.mes_winners == ["s1", "s2"]
    assert outcome.compared.kept == "greedy"
    assert outcome.winners == ["big"]
    assert outcome.project("s1").reason == "lost_comparison"
    assert outcome.project("s2").status == "not_funded"


def test_comparison_keeps_mes_on_tie():
    outcome = count(comparison_election(4), "mes-approval", comparison=True)
    assert outcome.compared.prefer_mes == outcome.compared.prefer_greedy == 4
    assert outcome.compared.kept == "mes"
    assert outcome.winners == ["s1", "s2"]


def test_comparison_does_not_apply_to_greedy():
    outcome = count(comparison_election(5), "greedy", "add1", comparison=True)
    assert (outcome.completion, outcome.comparison, outcome.compared) == ("none", False, None)


def test_min_votes_applies_to_mes():
    election = Election(budget=100, costs={"a": 10, "b": 10}, ballots=[["a"], ["a"], ["b"]])
    outcome = count(election, "mes-approval", min_votes=2)
    assert outcome.winners == ["a"]
    assert outcome.project("b").reason == "below_min_votes"
    assert outcome.project("b").min_votes == 2


def test_unvoted_project_is_never_funded_and_free_project_is():
    election = Election(
        budget=100, costs={"a": 10, "free": 0, "none": 5}, ballots=[["a", "free"], []]
    )
    for rule in ("mes-cost", "mes-approval"):
        for completion in ("none", "add1", "add1-exhaustive", "add1-greedy"):
            outcome = count(election, rule, completion)
            assert "none" not in outcome.winners
            assert outcome.project("none").reason == "no_votes"
            assert outcome.project("free").stage == "free"


def test_no_ballots_funds_nothing():
    outcome = count(Election(budget=100, costs={"a": 10}, ballots=[]), "mes-cost", "add1")
    assert outcome.winners == []
    assert outcome.project("a").reason == "no_votes"


def test_unknown_names_are_rejected():
    election = Election(budget=100, costs={"a": 10}, ballots=[["a"]])
    with pytest.raises(ValueError):
        count(election, "random")
    with pytest.raises(ValueError):
        count(election, "mes-cost", "add2")
    with pytest.raises(ValueError):
        count(Election(budget=100, costs={"a": 10}, ballots=[["b"]]), "greedy")


def test_as_dict_rounds_amounts_down_to_cents():
    election = Election(budget=100, costs={"a": 60, "b": 50}, ballots=[["a"], ["a"], ["b"]])
    document = count(election, "mes-approval").as_dict()
    assert document["voter_budget"] == "33.33"
    explained = {row["id"]: row for row in document["projects"]}
    assert explained["b"]["reason"] == "mes_shares_insufficient"
    assert explained["b"]["supporters_remaining"] == "33.33"
    assert explained["b"]["cost"] == "50"


def naive_add1(election: Election, utility: str, exhaustive_stop: bool) -> list[str]:
    """Return the "add1" (or "add1-exhaustive") winners from `naive_mes`, one unit at a time."""
    budget = Fraction(election.budget)
    costs = {project: Fraction(cost) for project, cost in election.costs.items()}
    supported = {project for ballot in election.ballots for project in ballot}
    share = budget / len(election.ballots)
    winners = naive_mes(election, utility, share)
    while len(winners) < len(supported):
        spent = sum(costs[project] for project in winners)
        if exhaustive_stop and all(
            project in winners or spent + costs[project] > budget for project in supported
        ):
            break
        share += 1
        following = naive_mes(election, utility, share)
        if sum(costs[project] for project in following) > budget:
            break
        winners = following
    return winners


def many_voter_election(seed: int) -> Election:
    # Few ballot kinds, each cast by many voters, and costs in cents: the counting stores each
    # kind of ballot once with its number of voters, and shares over a common denominator.
    generator = random.Random(seed)
    projects = [str(number) for number in range(1, generator.randint(3, 7))]
    costs = {project: Decimal(generator.randint(500, 6000)) / 100 for project in projects}
    kinds = [generator.sample(projects, generator.randint(0, 2)) for _ in range(4)]
    ballots = [kind for kind in kinds for _ in range(generator.randint(1, 9))]
    generator.shuffle(ballots)
    return Election(budget=generator.choice([60, 99, 150]), costs=costs, ballots=ballots)


@pytest.mark.parametrize("utility", ["cost", "approval"])
@pytest.mark.parametrize("seed", range(40))
def test_add1_equals_naive_add1(seed, utility):
    election = many_voter_election(seed) if seed % 2 else random_election(seed)
    for completion, exhaustive_stop in (("add1", False), ("add1-exhaustive", True)):
        outcome = count(election, f"mes-{utility}", completion)
        assert outcome.winners == naive_add1(election, utility, exhaustive_stop), completion


def test_add1_near_tie_is_decided_exactly():
    # As in the near-tie test above, the payments for "a" and "b" are one double, now in the
    # floating-point runs that raise the shares: approval utility funds "b", the cheaper, and
    # cost utility "a", as both cost a third of their cost (an exact tie, broken by id). "c"
    # becomes affordable one unit higher, and funding it too would exceed the budget.
    big = 3 * 10**17
    election = Election(
        budget=2 * big + 2,
        costs={"a": big + 1, "b": big, "c": big + 4},
        ballots=[["a", "b"]] * 3 + [["c"]] * 3,
    )
    for rule in ("mes-approval", "mes-cost"):
        for completion in ("add1", "add1-exhaustive"):
            utility = rule.removeprefix("mes-")
            expected = naive_add1(election, utility, completion == "add1-exhaustive")
            assert expected == (["b"] if utility == "approval" else ["a"])
            assert count(election, rule, completion).winners == expected


def test_remaining_exact_with_cent_costs():
    # Three voters hold 100/3 each; "a" (33.34) costs each of its two supporters 16.67, and
    # "b" (40.01) is left with its single supporter's 100/3 - 16.67.
    election = Election(
        budget=100,
        costs={"a": Decimal("33.34"), "b": Decimal("40.01")},
        ballots=[["a"], ["a", "b"], []],
    )
    outcome = count(election, "mes-approval")
    assert outcome.winners == ["a"]
    assert outcome.project("b").supporters_remaining == Fraction(100, 3) - Fraction(1667, 100)
