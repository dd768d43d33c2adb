"""Read a budget area's ballots for counting, and a process's counting settings.

This is the only module of the counting package that imports Django; the rules themselves stay
plain Python. Projects are identified by their `external_id`, which is unique within an area.
"""

from osallistu.budgeting.models import BallotChoice, BudgetArea, BudgetingSettings, Project

from .api import Election, Outcome, count


def election_for_area(area: BudgetArea) -> Election:
    """Return the area's budget, project costs and ballots, with empty ballots included.

    Two queries over ballots keep memory flat: one for the ballot ids and one for the choices,
    ordered so that each ballot's choices arrive together.
    """
    costs = dict(Project.objects.filter(area=area).values_list("external_id", "cost"))
    ballots: dict = {pk: [] for pk in area.ballots.values_list("pk", flat=True)}
    choices = (
        BallotChoice.objects.filter(ballot__area=area)
        .order_by()
        .values_list("ballot_id", "project__external_id")
    )
    for ballot_id, project in choices.iterator(chunk_size=10_000):
        ballots[ballot_id].append(project)
    return Election(budget=area.budget, costs=costs, ballots=list(ballots.values()))


def settings_for(process) -> dict:
    """Return the process's counting settings as keyword arguments of `count()`.

    A process without a BudgetingSettings row counts by the model's defaults (plain greedy).
    """
    found = BudgetingSettings.objects.filter(process=process).first()
    if found is None:
        found = BudgetingSettings()
    return {
        "rule": found.rule,
        "completion": found.completion,
        "comparison": found.comparison,
        "min_votes": found.min_votes,
        "stop_at_first_misfit": found.stop_at_first_misfit,
    }


def count_area(area: BudgetArea, **options) -> Outcome:
    """Count the area by the process's settings, with `options` overriding any of them."""
    settings = settings_for(area.process)
    settings.update({key: value for key, value in options.items() if value is not None})
    return count(election_for_area(area), **settings)
