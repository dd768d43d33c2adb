"""Real elections: the platform reproduces the winners that cities published.

Every `.pb` file in tests/data/pabulib is walked. Where a file records the city's own winners
(the `selected` column) under a rule the platform implements (META `rule`), counting the ballots
must give exactly those winners. Approval and choose-1 ballots are counted with `count()`;
ordinal and cumulative ballots with the city's points (the `points` column of a cumulative vote,
and 3/2/1 by position for Kraków's ordinal votes of three), checked against the file's `score`
column, then by the greedy rule. A file that cannot be reproduced must be listed in
docs/pb-reproduction.md with the reason; the walk fails on any file neither reproduced nor listed.

The reader below is test code: the platform's own parser imports only approval and choose-1 files.
"""

import csv
import re
from fractions import Fraction

import pytest

from osallistu.budgeting.counting import Election, count
from osallistu.budgeting.counting.greedy import Candidate, greedy
from tests.conftest import REPO_ROOT

from .pabulib_samples import DATA_DIR

DOC = REPO_ROOT / "docs" / "pb-reproduction.md"
LARGE_FILE_BYTES = 1_000_000
# META rule -> count() options. Thresholds come from META min_project_score_threshold.
RULES = {
    "greedy": {"rule": "greedy"},
    "greedy-threshold": {"rule": "greedy"},
    "greedy-no-skip": {"rule": "greedy", "stop_at_first_misfit": True},
    "equalshares/add1": {"rule": "mes-cost", "completion": "add1"},
    "equalshares/add1-comparison": {
        "rule": "mes-cost",
        "completion": "add1",
        "comparison": True,
    },
}


def read_pb(path):
    """Return (meta, projects, votes) of any Pabulib file, as dicts of the raw fields."""
    meta, projects, votes = {}, {}, []
    section, header = None, None
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream, delimiter=";"):
            if not row:
                continue
            if len(row) == 1 and row[0].strip().upper() in ("META", "PROJECTS", "VOTES"):
                section, header = row[0].strip().lower(), None
                continue
            if header is None:
                header = [column.strip() for column in row]
                continue
            record = {key: value.strip() for key, value in zip(header, row, strict=True)}
            if section == "meta":
                meta[record["key"]] = record["value"]
            elif section == "projects":
                projects[record["project_id"]] = record
            else:
                votes.append(record)
    return meta, projects, votes


def ballot(vote: dict) -> list[str]:
    return [project for project in vote["vote"].split(",") if project]


def points(meta: dict, vote: dict) -> dict[str, int]:
    """Return the points one ballot gives each project, as the city counted them."""
    chosen = ballot(vote)
    if meta["vote_type"] == "cumulative":
        result: dict[str, int] = {}
        for project, given in zip(chosen, vote["points"].split(","), strict=True):
            result[project] = result.get(project, 0) + int(given)
        return result
    if meta["vote_type"] == "ordinal":
        # Kraków: 3 points for the first choice, 2 for the second, 1 for the third.
        length = int(meta["max_length"])
        return {project: length - place for place, project in enumerate(chosen)}
    return dict.fromkeys(chosen, 1)


def amount(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def documented() -> dict[str, str]:
    """Return {file name: status} from the table in docs/pb-reproduction.md."""
    rows = re.findall(r"^\| (\S+\.pb) \| ([a-z ]+) \|", DOC.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def city_winners(path):
    """Return (the city's winners, the platform's winners), or None if not reproducible."""
    meta, projects, votes = read_pb(path)
    rule = meta.get("rule")
    first = next(iter(projects.values()))
    if "selected" not in first or rule not in RULES:
        return None
    selected = {project for project, row in projects.items() if row["selected"] == "1"}
    options = dict(RULES[rule])
    options["min_votes"] = int(meta.get("min_project_score_threshold") or 1)
    budget = amount(meta["budget"])
    costs = {project: amount(row["cost"]) for project, row in projects.items()}
    if meta["vote_type"] in ("approval", "choose-1"):
        outcome = count(Election(budget, costs, [ballot(vote) for vote in votes]), **options)
        return selected, set(outcome.winners)
    assert options["rule"] == "greedy", "points are counted by the greedy rule only"
    score = dict.fromkeys(projects, 0)
    for vote in votes:
        for project, given in points(meta, vote).items():
            score[project] += given
    # The city's points, as the file states them, equal the points counted from the ballots.
    assert score == {project: int(amount(row["score"])) for project, row in projects.items()}
    outcome = greedy(
        [Candidate(project, costs[project], score[project]) for project in projects],
        budget,
        min_votes=options["min_votes"],
        stop_at_first_misfit=options.get("stop_at_first_misfit", False),
    )
    return selected, set(outcome.winners)


FILES = sorted(DATA_DIR.glob("*.pb"))


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.slow] if path.stat().st_size > LARGE_FILE_BYTES else [],
        )
        for path in FILES
    ],
)
def test_real_election_is_reproduced_or_listed(path):
    listed = documented()
    assert path.name in listed, f"{path.name} is missing from docs/pb-reproduction.md"
    result = city_winners(path)
    if result is None:
        assert listed[path.name] == "not reproduced"
        return
    selected, winners = result
    assert winners == selected
    assert listed[path.name] == "reproduced"


def test_doc_lists_only_existing_files():
    assert sorted(documented()) == [path.name for path in FILES]


def test_walk_covers_the_rules_named_in_the_issue():
    rules = {read_pb(path)[0].get("rule") for path in FILES}
    assert set(RULES) <= rules
