"""pabutools 1.2.3 run live agrees with the platform's rules.

The stored reference covers every file and rule. These tests also run pabutools itself: every
rule on random small elections, the rules without budget increases on the Pabulib files below
200 KB, and check that the stored reference still equals what pabutools computes there.

The reference script runs MES on pabutools' multiprofile, which counts each distinct ballot once.
The random elections, where identical ballots and ties are common, are counted both ways, and so
is one real file with its budget increases, so a difference between the two would show here.
"""

import importlib.util
import json
import random

import pytest

from osallistu.budgeting import pabulib
from osallistu.budgeting.counting import Election, count
from tests.conftest import REPO_ROOT

from .pabulib_samples import DATA_DIR, write_pb


def _load_reference_script():
    path = REPO_ROOT / "scripts" / "pabutools_reference.py"
    spec = importlib.util.spec_from_file_location("pabutools_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference_script = _load_reference_script()


SMALL_FILE_BYTES = 200_000
SMALL_FILES = sorted(
    path
    for path in DATA_DIR.glob("*.pb")
    if path.stat().st_size < SMALL_FILE_BYTES
    and reference_script.vote_type(path) in reference_script.SUPPORTED_VOTE_TYPES
)
QUICK_KEYS = [("greedy", "none"), ("mes-cost", "none"), ("mes-approval", "none")]
ALL_KEYS = QUICK_KEYS + [
    (rule, completion)
    for rule in ("mes-cost", "mes-approval")
    for completion in ("add1", "add1-exhaustive", "add1-greedy")
]


def _election(path) -> Election:
    with pabulib.open_pabulib(path) as election:
        costs = {project.id: project.cost for project in election.projects.values()}
        return Election(election.budget, costs, [vote.project_ids for vote in election.votes()])


def _expected(path, rule, completion, multiprofile=True) -> list[str]:
    """Return pabutools' winners without the projects that nobody voted for."""
    winners = reference_script.pabutools_run(path, rule, completion, multiprofile=multiprofile)
    _, votes = reference_script.ballots_and_votes(path)
    return [project for project in winners if votes[project] > 0]


def test_small_files_exist():
    assert len(SMALL_FILES) >= 4


@pytest.mark.parametrize("path", SMALL_FILES, ids=lambda path: path.stem)
@pytest.mark.parametrize(("rule", "completion"), QUICK_KEYS)
def test_live_pabutools_matches_platform(path, rule, completion):
    assert count(_election(path), rule, completion).winners == _expected(path, rule, completion)


@pytest.mark.parametrize("path", SMALL_FILES, ids=lambda path: path.stem)
def test_live_pabutools_matches_stored_reference(path):
    stored = json.loads(reference_script.REFERENCE_FILE.read_text(encoding="utf-8"))
    outcomes = stored["files"][path.name]["outcomes"]
    for rule, completion in QUICK_KEYS:
        key = rule if rule == "greedy" else f"{rule}/{completion}"
        live = reference_script.pabutools_run(path, rule, completion)
        assert outcomes[key]["winners"] == live, key


def _random_pb(tmp_path, seed: int):
    generator = random.Random(seed)
    projects = [str(number) for number in range(1, generator.randint(3, 7))]
    # Few distinct costs and few voters make ties and budget increases common.
    rows = [
        f"{project};{generator.choice([10, 20, 30, 45, 60])};0;P{project}" for project in projects
    ]
    votes = []
    for voter in range(generator.randint(2, 9)):
        chosen = generator.sample(projects, generator.randint(1, len(projects)))
        votes.append(f"v{voter};{','.join(chosen)};30;F")
    budget = str(generator.choice([40, 60, 100]))
    return write_pb(tmp_path, f"Random_{seed}.pb", projects=rows, votes=votes, budget=budget)


@pytest.mark.parametrize("multiprofile", [False, True], ids=["profile", "multiprofile"])
@pytest.mark.parametrize("seed", range(25))
def test_random_elections_match_pabutools_for_every_rule(tmp_path, seed, multiprofile):
    path = _random_pb(tmp_path, seed)
    election = _election(path)
    for rule, completion in ALL_KEYS:
        expected = _expected(path, rule, completion, multiprofile)
        assert count(election, rule, completion).winners == expected, (rule, completion)


@pytest.mark.parametrize("completion", ["none", "add1-exhaustive"])
@pytest.mark.parametrize("rule", ["mes-cost", "mes-approval"])
def test_multiprofile_matches_plain_profile(rule, completion):
    # Assen 2024: 84 voters, of whom several cast the same ballot.
    path = DATA_DIR / "Netherlands_Assen_2024.pb"
    plain = reference_script.pabutools_run(path, rule, completion, multiprofile=False)
    assert reference_script.pabutools_run(path, rule, completion) == plain


def test_add1_outcomes_match_pabutools_on_example(tmp_path):
    # The example of test_mes: "add1" and "add1-exhaustive" differ.
    path = write_pb(
        tmp_path,
        projects=["a;60;0;A", "b;60;0;B", "c;45;0;C", "d;30;0;D"],
        votes=["v1;c,d;30;F", "v2;c,b;30;F", "v3;d;30;F", "v4;b;30;F"],
        budget="100",
    )
    election = _election(path)
    for completion in ("add1", "add1-exhaustive"):
        assert count(election, "mes-approval", completion).winners == _expected(
            path, "mes-approval", completion
        )


def test_pabutools_funds_unvoted_project_that_fits(tmp_path):
    # After project 1 (60 000), 40 000 is left: enough for project 2, which no one chose.
    path = write_pb(
        tmp_path,
        projects=["1;60000;0;Puisto", "2;30000;0;Kenttä"],
        votes=["v1;1;30;F", "v2;1;40;M"],
    )
    assert reference_script.pabutools_run(path, "greedy", "none") == ["1", "2"]
    assert count(_election(path), "greedy").winners == ["1"]


def test_pabutools_breaks_ties_by_id_as_string(tmp_path):
    # Equal votes and only room for one: "10" comes before "9" as a string.
    path = write_pb(
        tmp_path,
        projects=["9;60000;0;A", "10;60000;0;B"],
        votes=["v1;9,10;30;F"],
    )
    for rule in ("greedy", "mes-cost", "mes-approval"):
        assert reference_script.pabutools_run(path, rule, "none") == ["10"]
        assert count(_election(path), rule).winners == ["10"]
