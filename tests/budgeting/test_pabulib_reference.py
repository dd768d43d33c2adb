"""Real Pabulib elections: the platform's winners equal pabutools' stored outcomes.

`reference_outcomes.json`, which scripts/pabutools_reference.py writes, holds pabutools 1.2.3's
winners for every rule, completion and comparison on every approval and choose-1 file of
tests/data/pabulib. Each is compared here with `count()`, in selection order. pabutools' greedy
funds a project with no votes if it still fits and the platform never does; the reference lists
such projects in `funded_without_votes`, and the expected winners leave them out. Every outcome
must be stored: an entry that says "timeout" or "skipped" (pabutools did not finish within the
script's time limit, or the script skipped it on request) fails until the script is run again.

The greedy outcome is also checked end to end: each file is imported with `import_pabulib` and
counted with `tally --format json`.
"""

import functools
import hashlib
import io
import json

import pytest
from django.core.management import call_command

from osallistu.budgeting import pabulib
from osallistu.budgeting.counting import Election, count
from osallistu.budgeting.models import BallotChoice, Project

from .pabulib_samples import DATA_DIR

REFERENCE = json.loads((DATA_DIR / "reference_outcomes.json").read_text(encoding="utf-8"))
COUNTED_TYPES = ("approval", "choose-1")
ALL_FILES = sorted(DATA_DIR.glob("*.pb"))
# Files above this size hold tens of thousands of ballots and are marked slow.
LARGE_FILE_BYTES = 1_000_000


def _vote_type(path) -> str:
    with path.open(encoding="utf-8-sig") as stream:
        for line in stream:
            key, _, value = line.strip().partition(";")
            if key == "vote_type":
                return value.strip()
    raise AssertionError(f"{path.name} has no vote_type")


PB_FILES = [path for path in ALL_FILES if _vote_type(path) in COUNTED_TYPES]
KEYS = ["greedy"] + [
    f"{rule}/{completion}{suffix}"
    for rule in ("mes-cost", "mes-approval")
    for completion in ("none", "add1", "add1-exhaustive", "add1-greedy")
    for suffix in ("", "/comparison")
]


def _marks(path) -> list:
    return [pytest.mark.slow] if path.stat().st_size > LARGE_FILE_BYTES else []


def _file_params() -> list:
    return [pytest.param(path, id=path.stem, marks=_marks(path)) for path in PB_FILES]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def _election(path) -> Election:
    with pabulib.open_pabulib(path) as election:
        costs = {project.id: project.cost for project in election.projects.values()}
        ballots = [vote.project_ids for vote in election.votes()]
        return Election(election.budget, costs, ballots)


def test_data_folder_has_files():
    assert len(PB_FILES) >= 9


def test_reference_covers_exactly_the_counted_files():
    assert sorted(REFERENCE["files"]) == [path.name for path in PB_FILES]


def test_sources_list_every_file():
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    missing = [path.name for path in ALL_FILES if f"| {path.name} |" not in sources]
    assert missing == []


def test_every_file_has_every_outcome():
    for name, entry in REFERENCE["files"].items():
        assert sorted(entry["outcomes"]) == sorted(KEYS), name
        assert entry["winners_order"] == "selection"


def test_every_outcome_is_stored():
    missing = [
        (name, key)
        for name, entry in REFERENCE["files"].items()
        for key, outcome in entry["outcomes"].items()
        if outcome["status"] != "ok"
    ]
    assert missing == [], "Run scripts/pabutools_reference.py --only for these outcomes."


def _outcome_params() -> list:
    return [
        pytest.param(path, key, id=f"{path.stem}:{key}", marks=_marks(path))
        for path in PB_FILES
        for key in KEYS
    ]


@pytest.mark.parametrize("path", _file_params())
def test_reference_matches_file_content(path):
    entry = REFERENCE["files"].get(path.name)
    assert entry is not None, "No reference entry: run scripts/pabutools_reference.py."
    assert _sha256(path) == entry["sha256"], "File changed: run scripts/pabutools_reference.py."


@pytest.mark.parametrize(("path", "key"), _outcome_params())
def test_rule_matches_pabutools(path, key):
    outcome = REFERENCE["files"][path.name]["outcomes"][key]
    assert outcome["status"] == "ok", f"No stored outcome: {outcome}"
    rule, _, rest = key.partition("/")
    completion, _, comparison = rest.partition("/")
    result = count(_election(path), rule, completion or "none", comparison=bool(comparison))
    unvoted = outcome["funded_without_votes"]
    expected = [project for project in outcome["winners"] if project not in unvoted]
    assert result.winners == expected
    if comparison:
        assert result.compared.kept == outcome["kept"]
        assert result.compared.prefer_mes == outcome["prefer_mes"]
        assert result.compared.prefer_greedy == outcome["prefer_greedy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", _file_params())
def test_tally_greedy_matches_pabutools(path):
    entry = REFERENCE["files"][path.name]["outcomes"]["greedy"]
    out = io.StringIO()
    call_command("import_pabulib", str(path), stdout=out)
    slug = out.getvalue().splitlines()[-1]
    out = io.StringIO()
    call_command("tally", slug, "--rule", "greedy", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())

    unvoted = entry["funded_without_votes"]
    expected = [project for project in entry["winners"] if project not in unvoted]
    assert [area["winners"] for area in document["areas"]] == [expected]
    # The stated difference is real: these projects have no votes in the import either.
    voted = BallotChoice.objects.filter(project__external_id__in=unvoted).values("project")
    assert not voted.exists()
    assert Project.objects.filter(external_id__in=unvoted).count() == len(unvoted)
