"""Regenerate tests/data/pabulib/reference_outcomes.json from pabutools' greedy rule.

Run from the repository root with the test dependencies installed:

    .venv/bin/python scripts/pabutools_reference.py

For every `.pb` file in tests/data/pabulib the script stores what
`greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)` selects with pabutools' default
tie-breaking (project id as a string, smallest first). With cost satisfaction each project's gain
divided by its cost is its number of votes, so this is the greedy rule by votes. Winners are
stored in the order pabutools selected them. `funded_without_votes` lists winners that no ballot
chose: pabutools funds a project with no votes if it still fits at the end, and the platform's
rule never does, so the tests expect the platform's winners to be these winners without them.
Each entry keeps the file's sha256, so the tests notice a file that changed since.

pabutools is GPL-3.0 and a test dependency only: this script and the tests import it, the
platform never does.
"""

import argparse
import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "tests" / "data" / "pabulib"
REFERENCE_FILE = DATA_DIR / "reference_outcomes.json"
RULE = "greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)"
TIE_BREAKING = "lexico_tie_breaking, the default: project id as a string, smallest first"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pabutools_outcome(path: Path) -> dict:
    """Run pabutools' greedy rule on one file and return its reference entry."""
    instance, profile = parse_pabulib(str(path))
    allocation = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    return {
        "sha256": file_sha256(path),
        "vote_type": instance.meta["vote_type"],
        "pabutools_version": version("pabutools"),
        "rule": RULE,
        "tie_breaking": TIE_BREAKING,
        "winners_order": "selection",
        "winners": [project.name for project in allocation],
        "funded_without_votes": [
            project.name for project in allocation if profile.approval_score(project) == 0
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    files = {}
    for path in sorted(DATA_DIR.glob("*.pb")):
        print(f"{path.name} ...", flush=True)
        files[path.name] = pabutools_outcome(path)
    document = {
        "generated_by": "scripts/pabutools_reference.py",
        "files": files,
    }
    REFERENCE_FILE.write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"Wrote {len(files)} entries to {REFERENCE_FILE.relative_to(REPO_ROOT)}.")


if __name__ == "__main__":
    main()
