"""The greedy rule on synthetic elections: order, skipping, ties and projects with no votes."""

from decimal import Decimal
from fractions import Fraction

from osallistu.budgeting.counting.greedy import Candidate, count_votes, greedy, order_by_votes


def test_greedy_takes_most_votes_first():
    outcome = greedy([Candidate("a", 10, 1), Candidate("b", 10, 3), Candidate("c", 10, 2)], 100)
    assert outcome.winners == ["b", "c", "a"]
    assert outcome.spent == 30


def test_greedy_skips_project_that_does_not_fit():
    candidates = [Candidate("big", 60, 9), Candidate("too_big", 50, 8), Candidate("small", 40, 7)]

    outcome = greedy(candidates, 100)

    assert outcome.winners == ["big", "small"]
    skipped = outcome.decisions[1]
    assert skipped.id == "too_big"
    assert skipped.reason == "did_not_fit"
    assert skipped.remaining == 40
    assert outcome.spent == 100


def test_greedy_never_funds_project_without_votes():
    candidates = [Candidate("voted", 10, 1), Candidate("unvoted", 10, 0)]

    outcome = greedy(candidates, 1000)

    assert outcome.winners == ["voted"]
    assert outcome.decisions[1].reason == "no_votes"
    assert outcome.spent == 10


def test_greedy_without_any_votes_funds_nothing():
    outcome = greedy([Candidate("a", 1, 0), Candidate("b", 1, 0)], 100)
    assert outcome.winners == []
    assert outcome.spent == 0
    assert [decision.reason for decision in outcome.decisions] == ["no_votes", "no_votes"]


def test_ties_broken_by_id_as_string():
    candidates = [Candidate("9", 10, 5), Candidate("10", 10, 5), Candidate("b", 10, 5)]
    assert [candidate.id for candidate in order_by_votes(candidates)] == ["10", "9", "b"]


def test_tie_decides_which_project_fits():
    # Only one of the tied projects fits: "10" wins over "9" because "1" < "9".
    outcome = greedy([Candidate("9", 60, 5), Candidate("10", 60, 5)], 100)
    assert outcome.winners == ["10"]
    assert outcome.decisions[1].reason == "did_not_fit"


def test_project_costing_whole_budget_fits():
    outcome = greedy([Candidate("a", Decimal("100.00"), 1)], Decimal("100"))
    assert outcome.winners == ["a"]
    assert outcome.spent == Decimal(100)


def test_greedy_compares_exact_amounts():
    # 0.1 + 0.2 exceeds 0.3 in floating point, but not exactly.
    candidates = [Candidate("a", Fraction(1, 10), 3), Candidate("b", Fraction(2, 10), 2)]
    outcome = greedy(candidates, Fraction(3, 10))
    assert outcome.winners == ["a", "b"]
    decimal_outcome = greedy(
        [Candidate("a", Decimal("0.1"), 3), Candidate("b", Decimal("0.2"), 2)], Decimal("0.3")
    )
    assert decimal_outcome.winners == ["a", "b"]


def test_count_votes_once_per_ballot():
    assert count_votes([["1", "2", "1"], ["2"], []]) == {"1": 1, "2": 2}


def test_min_votes_leaves_out_projects_with_fewer_votes():
    candidates = [Candidate("1", 10, 5), Candidate("2", 10, 2), Candidate("3", 10, 3)]
    outcome = greedy(candidates, 100, min_votes=3)
    assert outcome.winners == ["1", "3"]
    below = {decision.id: decision for decision in outcome.decisions}["2"]
    assert (below.reason, below.votes, below.min_votes) == ("below_min_votes", 2, 3)


def test_stop_at_first_misfit_ends_counting():
    candidates = [Candidate("1", 60, 5), Candidate("2", 50, 4), Candidate("3", 10, 3)]
    assert greedy(candidates, 100).winners == ["1", "3"]
    outcome = greedy(candidates, 100, stop_at_first_misfit=True)
    assert outcome.winners == ["1"]
    reasons = {decision.id: (decision.reason, decision.remaining) for decision in outcome.decisions}
    assert reasons == {
        "1": ("won", None),
        "2": ("did_not_fit", 40),
        "3": ("stopped_at_misfit", None),
    }


def test_count_api_explains_greedy():
    from osallistu.budgeting.counting import Election, count

    election = Election(
        budget=100,
        costs={"1": 60, "2": 50, "3": 10, "4": 5},
        ballots=[["1", "2"], ["1", "2", "3"], ["1"], ["2"]],
    )
    outcome = count(election, "greedy", min_votes=1)
    assert outcome.winners == ["1", "3"]
    assert outcome.project("2").reason == "did_not_fit"
    assert outcome.project("2").remaining == 40
    assert outcome.project("4").reason == "no_votes"
    assert [result.id for result in outcome.projects] == ["1", "3", "2", "4"]
