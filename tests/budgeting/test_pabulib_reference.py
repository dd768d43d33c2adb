"""Real Pabulib elections: the platform's winners equal pabutools' stored outcomes.

Each file is imported with `import_pabulib` and counted with `tally --format json`, and the
winners, in selection order, are compared with `reference_outcomes.json`, which
scripts/pabutools_reference.py writes. pabutools funds a project with no votes if it still fits
and the platform never does. The reference lists such projects per file in
`funded_without_votes`, and the expected winners leave them out.
"""

import hashlib
import io
import json

import pytest
from django.core.management import call_command

from osallistu.budgeting.models import BallotChoice, Project

from .pabulib_samples import DATA_DIR

REFERENCE = json.loads((DATA_DIR / "reference_outcomes.json").read_text(encoding="utf-8"))
PB_FILES = sorted(DATA_DIR.glob("*.pb"))
# Files above this size hold tens of thousands of ballots and are marked slow.
LARGE_FILE_BYTES = 1_000_000


def _file_params() -> list:
    return [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.slow] if path.stat().st_size > LARGE_FILE_BYTES else [],
        )
        for path in PB_FILES
    ]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_data_folder_has_files():
    assert len(PB_FILES) >= 9


def test_reference_covers_exactly_the_files():
    assert sorted(REFERENCE["files"]) == [path.name for path in PB_FILES]


def test_sources_list_every_file():
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    missing = [path.name for path in PB_FILES if f"| {path.name} |" not in sources]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", _file_params())
def test_winners_match_pabutools(path):
    entry = REFERENCE["files"].get(path.name)
    assert entry is not None, "No reference entry: run scripts/pabutools_reference.py."
    assert _sha256(path) == entry["sha256"], "File changed: run scripts/pabutools_reference.py."
    assert entry["winners_order"] == "selection"

    out = io.StringIO()
    call_command("import_pabulib", str(path), stdout=out)
    slug = out.getvalue().splitlines()[-1]
    out = io.StringIO()
    call_command("tally", slug, "--format", "json", stdout=out)
    document = json.loads(out.getvalue())

    unvoted = entry["funded_without_votes"]
    expected = [project for project in entry["winners"] if project not in unvoted]
    assert [area["winners"] for area in document["areas"]] == [expected]
    # The stated difference is real: these projects have no votes in the import either.
    voted = BallotChoice.objects.filter(project__external_id__in=unvoted).values("project")
    assert not voted.exists()
    assert Project.objects.filter(external_id__in=unvoted).count() == len(unvoted)
