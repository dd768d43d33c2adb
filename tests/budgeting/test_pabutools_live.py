"""pabutools run live on the small Pabulib files agrees with the platform's greedy rule.

The stored reference covers every file. These tests also run pabutools itself on the files below
200 KB, which keeps them quick, and check that the stored reference still equals what pabutools
computes.
"""

import importlib.util
import json

import pytest

from osallistu.budgeting import pabulib
from osallistu.budgeting.counting import greedy
from tests.conftest import REPO_ROOT

from .pabulib_samples import DATA_DIR, write_pb

SMALL_FILE_BYTES = 200_000
SMALL_FILES = sorted(
    path for path in DATA_DIR.glob("*.pb") if path.stat().st_size < SMALL_FILE_BYTES
)


def _load_reference_script():
    path = REPO_ROOT / "scripts" / "pabutools_reference.py"
    spec = importlib.util.spec_from_file_location("pabutools_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference_script = _load_reference_script()


def _platform_winners(path) -> list[str]:
    with pabulib.open_pabulib(path) as election:
        votes = greedy.count_votes(vote.project_ids for vote in election.votes())
        candidates = [
            greedy.Candidate(project.id, project.cost, votes.get(project.id, 0))
            for project in election.projects.values()
        ]
        return greedy.greedy(candidates, election.budget).winners


def test_small_files_exist():
    assert len(SMALL_FILES) >= 4


@pytest.mark.parametrize("path", SMALL_FILES, ids=lambda path: path.stem)
def test_live_pabutools_matches_greedy(path):
    live = reference_script.pabutools_outcome(path)
    unvoted = live["funded_without_votes"]
    assert _platform_winners(path) == [p for p in live["winners"] if p not in unvoted]


@pytest.mark.parametrize("path", SMALL_FILES, ids=lambda path: path.stem)
def test_live_pabutools_matches_stored_reference(path):
    stored = json.loads(reference_script.REFERENCE_FILE.read_text(encoding="utf-8"))
    assert reference_script.pabutools_outcome(path) == stored["files"][path.name]


def test_pabutools_funds_unvoted_project_that_fits(tmp_path):
    # After project 1 (60 000), 40 000 is left: enough for project 2, which no one chose.
    path = write_pb(
        tmp_path,
        projects=["1;60000;0;Puisto", "2;30000;0;Kenttä"],
        votes=["v1;1;30;F", "v2;1;40;M"],
    )

    live = reference_script.pabutools_outcome(path)

    assert live["winners"] == ["1", "2"]
    assert live["funded_without_votes"] == ["2"]
    assert _platform_winners(path) == ["1"]


def test_pabutools_breaks_ties_by_id_as_string(tmp_path):
    # Equal votes and only room for one: "10" comes before "9" as a string.
    path = write_pb(
        tmp_path,
        projects=["9;60000;0;A", "10;60000;0;B"],
        votes=["v1;9,10;30;F"],
    )
    assert reference_script.pabutools_outcome(path)["winners"] == ["10"]
    assert _platform_winners(path) == ["10"]
