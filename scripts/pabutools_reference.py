"""Regenerate tests/data/pabulib/reference_outcomes.json from pabutools 1.2.3.

Run from the repository root with the test dependencies installed:

    .venv/bin/python scripts/pabutools_reference.py [--timeout SECONDS] [FILE ...]

For every approval or choose-1 `.pb` file in tests/data/pabulib (or the named ones) the script
stores pabutools' winners for every rule and completion of the platform, with pabutools' default
tie-breaking (project id as a string, smallest first):

- `greedy`: `greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)`. With cost
  satisfaction a project's gain divided by its cost is its number of votes.
- `mes-cost/none`, `mes-approval/none`: `method_of_equal_shares(instance, profile,
  sat_class=Cost_Sat or Cardinality_Sat)`.
- `…/add1`: `exhaustion_by_budget_increase(instance, profile, method_of_equal_shares,
  {"sat_class": …}, budget_step=number of voters, exhaustive_stop=False)`, which raises every
  voter's share by one currency unit at a time and keeps the last outcome within the budget.
- `…/add1-exhaustive`: `method_of_equal_shares(…, voter_budget_increment=1)`.
- `…/add1-greedy`: `greedy_utilitarian_welfare(…, sat_class=Cost_Sat,
  initial_budget_allocation=<the add1 outcome>)`.
- `…/<completion>/comparison`: the completed MES outcome compared with the greedy one; only
  voters for whom one funds more of their approved projects count, and MES wins a tie. pabutools
  has no such rule, so the script compares pabutools' two outcomes itself.

Winners are stored in the order pabutools selected them. `funded_without_votes` lists winners
that no ballot chose: pabutools' greedy funds such a project if it still fits, and the platform
never does, so the tests expect the platform's winners to be these winners without them.

A pabutools run that takes longer than `--timeout` seconds (default 600) is stopped, and its entry
records `"status": "timeout"` with the limit instead of winners; outcomes that depend on it do the
same. `--only-quick` records the completions that raise the budget as `"status": "skipped"` with
the reason, for files where pabutools takes too long for them.

An existing entry for a file whose sha256 is unchanged is kept unless the file is named on the
command line or `--all` is given. A file processed again still keeps its finished outcomes, so a
long run can be resumed. `--fresh` computes every outcome again, for example to check stored
outcomes against the current pabutools.
`--only OUTCOME ...` runs just those outcomes of the named files (an `add1-greedy` outcome follows
its `add1` outcome); the file's other outcomes keep their stored winners, timeout or skip. Each
finished outcome is written at once, so with `--output` to a scratch file and `--reuse` of it an
interrupted run loses only the outcome it was computing.
Each entry keeps the file's sha256, so the tests notice a file that changed since.

pabutools is GPL-3.0 and a test dependency only: this script and the tests import it, the
platform never does.
"""

import argparse
import hashlib
import json
import multiprocessing
import platform
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from pabutools.election import Cardinality_Sat, Cost_Sat, parse_pabulib
from pabutools.rules import (
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "tests" / "data" / "pabulib"
REFERENCE_FILE = DATA_DIR / "reference_outcomes.json"
TIE_BREAKING = "lexico_tie_breaking, the default: project id as a string, smallest first"
SUPPORTED_VOTE_TYPES = ("approval", "choose-1")
MES_RULES = {"mes-cost": Cost_Sat, "mes-approval": Cardinality_Sat}
COMPLETIONS = ("none", "add1", "add1-exhaustive", "add1-greedy")
DEFAULT_TIMEOUT = 600


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def vote_type(path: Path) -> str | None:
    """Return the META vote_type of a `.pb` file without reading its votes."""
    with path.open(encoding="utf-8-sig") as stream:
        for line in stream:
            key, _, value = line.strip().partition(";")
            if key == "vote_type":
                return value.strip()
            if key.upper() == "PROJECTS":
                return None
    return None


def pabutools_run(
    path: Path,
    rule: str,
    completion: str,
    add1_winners: list[str] | None = None,
    multiprofile: bool = True,
) -> list[str]:
    """Return pabutools' winners, in selection order, for one rule and completion.

    For "add1-greedy", `add1_winners` may give the "add1" outcome already computed. MES runs on
    pabutools' multiprofile of the ballots unless `multiprofile` is false.
    """
    instance, profile = parse_pabulib(str(path))
    if rule == "greedy":
        allocation = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        return [project.name for project in allocation]
    if multiprofile:
        # Voters with the same ballot keep the same budget throughout MES, so pabutools counts
        # each distinct ballot once with its multiplicity. The outcome is the same, and the run
        # is much faster: `add1` on Wieliczka 2023 took 17 s, against 390 s for the plain
        # profile on a busier machine.
        profile = profile.as_multiprofile()
    sat_class = MES_RULES[rule]
    if completion == "none":
        allocation = method_of_equal_shares(instance, profile, sat_class=sat_class)
    elif completion == "add1-exhaustive":
        allocation = method_of_equal_shares(
            instance, profile, sat_class=sat_class, voter_budget_increment=1
        )
    elif completion == "add1-greedy" and add1_winners is not None:
        by_name = {project.name: project for project in instance}
        allocation = [by_name[name] for name in add1_winners]
    else:
        allocation = exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": sat_class},
            budget_step=profile.num_ballots(),
            exhaustive_stop=False,
        )
    if completion == "add1-greedy":
        allocation = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, initial_budget_allocation=allocation
        )
    return [project.name for project in allocation]


def _child(queue, path, rule, completion, add1_winners, multiprofile):
    queue.put(pabutools_run(Path(path), rule, completion, add1_winners, multiprofile))


def timed_run(
    path: Path,
    rule: str,
    completion: str,
    timeout: float,
    add1_winners: list[str] | None = None,
    multiprofile: bool = True,
) -> dict:
    """Run pabutools in a child process; return winners and seconds, or a timeout entry."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=_child, args=(queue, str(path), rule, completion, add1_winners, multiprofile)
    )
    started = time.perf_counter()
    child.start()
    child.join(timeout)
    seconds = round(time.perf_counter() - started, 1)
    if child.is_alive():
        child.terminate()
        child.join()
        return {"status": "timeout", "timeout_seconds": timeout}
    return {"status": "ok", "winners": queue.get(), "seconds": seconds}


def ballots_and_votes(path: Path) -> tuple[list[set[str]], dict[str, int]]:
    instance, profile = parse_pabulib(str(path))
    ballots = [{project.name for project in ballot} for ballot in profile]
    votes = {project.name: 0 for project in instance}
    for ballot in ballots:
        for project in ballot:
            votes[project] += 1
    return ballots, votes


def compare(ballots: list[set[str]], mes: list[str], greedy: list[str]) -> dict:
    """Keep the greedy outcome only if more voters fund more of their choices under it."""
    mes_set, greedy_set = set(mes), set(greedy)
    prefer_mes = prefer_greedy = 0
    for ballot in ballots:
        difference = len(ballot & mes_set) - len(ballot & greedy_set)
        prefer_mes += difference > 0
        prefer_greedy += difference < 0
    kept = "greedy" if prefer_greedy > prefer_mes else "mes"
    return {
        "status": "ok",
        "winners": greedy if kept == "greedy" else mes,
        "kept": kept,
        "prefer_mes": prefer_mes,
        "prefer_greedy": prefer_greedy,
    }


SKIPPED_REASON = (
    "skipped with --only-quick: pabutools runs MES again for every unit of budget increase, "
    "which takes many minutes on this file"
)


def known_outcomes(entries: list[dict], sha256: str) -> dict:
    """Return the finished outcomes of earlier entries for the same file content.

    An entry of the older greedy-only format counts as the "greedy" outcome.
    """
    known = {}
    for entry in entries:
        if entry.get("sha256") != sha256:
            continue
        if "outcomes" not in entry and "winners" in entry:
            known["greedy"] = {
                "status": "ok",
                "winners": entry["winners"],
                "funded_without_votes": entry["funded_without_votes"],
            }
        for key, outcome in entry.get("outcomes", {}).items():
            if outcome.get("status") == "ok" and "comparison" not in key:
                known[key] = outcome
    return known


def file_entry(
    path: Path,
    timeout: float,
    only_quick: bool = False,
    known: dict | None = None,
    save=None,
    only: list[str] | None = None,
    unfinished: dict | None = None,
    multiprofile: bool = True,
) -> dict:
    """Run every rule on one file and return its reference entry.

    Outcomes in `known` are kept without running pabutools again. With `only_quick`, the
    completions that raise the budget are recorded as skipped. With `only`, just those outcomes
    are run; any other outcome not in `known` keeps its entry in `unfinished` (a timeout or a
    skip) or is recorded as skipped. `save(entry)` is called with the partial entry after each
    outcome, so an interrupted run loses little.
    """
    ballots, votes = ballots_and_votes(path)
    outcomes = {}
    known = known or {}
    for rule, completion in [("greedy", "none")] + [
        (rule, completion) for rule in MES_RULES for completion in COMPLETIONS
    ]:
        key = rule if rule == "greedy" else f"{rule}/{completion}"
        print(f"  {key} ...", flush=True)
        if save is not None:
            save({"sha256": file_sha256(path), "outcomes": dict(outcomes)})
        add1 = outcomes.get(f"{rule}/add1", {})
        if key in known:
            outcomes[key] = known[key]
            continue
        if only_quick and completion != "none":
            outcomes[key] = {"status": "skipped", "reason": SKIPPED_REASON}
            continue
        if only is not None and key not in only and not key.endswith("/add1-greedy"):
            outcomes[key] = (unfinished or {}).get(key) or {
                "status": "skipped",
                "reason": SKIPPED_REASON,
            }
            continue
        if completion == "add1-greedy" and add1.get("status") != "ok":
            outcomes[key] = dict(add1)
            continue
        outcome = timed_run(path, rule, completion, timeout, add1.get("winners"), multiprofile)
        if outcome["status"] == "ok":
            outcome["funded_without_votes"] = [p for p in outcome["winners"] if votes[p] == 0]
        outcomes[key] = outcome
    greedy = outcomes["greedy"]
    greedy_voted = [p for p in greedy["winners"] if p not in greedy["funded_without_votes"]]
    for rule in MES_RULES:
        for completion in COMPLETIONS:
            mes = outcomes[f"{rule}/{completion}"]
            key = f"{rule}/{completion}/comparison"
            if mes["status"] != "ok":
                outcomes[key] = dict(mes)
                continue
            voted = [p for p in mes["winners"] if p not in mes["funded_without_votes"]]
            outcomes[key] = compare(ballots, voted, greedy_voted)
            outcomes[key]["funded_without_votes"] = []
    return {
        "sha256": file_sha256(path),
        "vote_type": vote_type(path),
        "voters": len(ballots),
        "pabutools_version": version("pabutools"),
        "tie_breaking": TIE_BREAKING,
        "winners_order": "selection",
        "outcomes": outcomes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="file names in tests/data/pabulib to redo")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--all", action="store_true", help="redo every file")
    parser.add_argument(
        "--only-quick",
        action="store_true",
        help="skip the completions that raise the budget (for the largest files)",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        metavar="OUTCOME",
        help="run just these outcomes of the named files, e.g. mes-approval/add1",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="compute every outcome of the processed files again instead of keeping stored ones",
    )
    parser.add_argument(
        "--plain-profile",
        action="store_true",
        help="run MES on pabutools' plain profile instead of its multiprofile (much slower)",
    )
    parser.add_argument(
        "--output", type=Path, default=REFERENCE_FILE, help="where to write (default: the tests')"
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        nargs="*",
        default=[],
        help="earlier outputs whose finished outcomes for unchanged files are kept",
    )
    arguments = parser.parse_args()
    previous = {}
    if REFERENCE_FILE.exists():
        previous = json.loads(REFERENCE_FILE.read_text(encoding="utf-8")).get("files", {})
    earlier = [previous] + [
        json.loads(path.read_text(encoding="utf-8")).get("files", {}) for path in arguments.reuse
    ]
    files = {}
    for path in sorted(DATA_DIR.glob("*.pb")):
        if vote_type(path) not in SUPPORTED_VOTE_TYPES:
            continue
        old = previous.get(path.name)
        redo = arguments.all or path.name in arguments.files
        current = old and "outcomes" in old and old["sha256"] == file_sha256(path)
        if (current and not redo) or (arguments.files and path.name not in arguments.files):
            if old:
                files[path.name] = old
            continue
        print(f"{path.name} ...", flush=True)
        sha256 = file_sha256(path)
        known, unfinished = {}, {}
        if not arguments.fresh:
            known = known_outcomes([found.get(path.name) or {} for found in earlier], sha256)
            # The latest earlier entry records which outcomes timed out or were skipped.
            for found in earlier:
                unfinished.update((found.get(path.name) or {}).get("outcomes", {}))

        def save(partial, name=path.name):
            write({**files, name: partial}, arguments.timeout, arguments.output)

        files[path.name] = file_entry(
            path,
            arguments.timeout,
            arguments.only_quick,
            known,
            save,
            arguments.only,
            unfinished,
            multiprofile=not arguments.plain_profile,
        )
        files.update({name: entry for name, entry in previous.items() if name not in files})
        write(files, arguments.timeout, arguments.output)
    write(files, arguments.timeout, arguments.output)
    print(f"Wrote {len(files)} entries to {arguments.output}.")


def write(files: dict, timeout: float, output: Path) -> None:
    document = {
        "generated_by": "scripts/pabutools_reference.py",
        "generated_on": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, 2 cores, 24 GiB, Python {platform.python_version()}",
        "timeout_seconds": timeout,
        "files": dict(sorted(files.items())),
    }
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
