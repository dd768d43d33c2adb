"""Benchmark the platform's counting against pabutools 1.2.3 in the same run.

Run from the repository root:

    .venv/bin/python bench/counting.py [--rule mes-approval] [--completion add1-exhaustive]
        [--pabutools-timeout 600] [--skip-pabutools FILE ...] [--plain-only] [FILE ...]

For each approval or choose-1 file of tests/data/pabulib (or the named ones) the script parses the
file once for each library, then times the rule alone: the platform's `count()` and pabutools'
equivalent (see scripts/pabutools_reference.py), each in its own child process so that peak
memory (max RSS, which includes the parsed election) is measured per library. Times are CPU
seconds of the child, so that other load on the machine distorts the ratio less than wall time
would; `--pabutools-timeout` is wall time. It prints one
Markdown table row per file with both times, the ratio and both memory peaks, and checks that
both found the same winners. A pabutools run that exceeds `--pabutools-timeout` seconds is
stopped and reported as such; files named with `--skip-pabutools` report the platform only.

pabutools runs twice per file: on the plain profile that `parse_pabulib` returns, as most users
call it, and on pabutools' own multiprofile (`profile.as_multiprofile()`), which counts each
distinct ballot once and is much faster. Both ratios are printed, and `--plain-only` skips the
multiprofile run.

pabutools is GPL-3.0 and a test and benchmark dependency only; the platform never imports it.
"""

import argparse
import importlib.util
import multiprocessing
import resource
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
DATA_DIR = REPO_ROOT / "tests" / "data" / "pabulib"


def _reference_script():
    path = REPO_ROOT / "scripts" / "pabutools_reference.py"
    spec = importlib.util.spec_from_file_location("pabutools_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _platform(queue, path, rule, completion):
    from osallistu.budgeting import pabulib
    from osallistu.budgeting.counting import Election, count

    with pabulib.open_pabulib(path) as election:
        costs = {project.id: project.cost for project in election.projects.values()}
        data = Election(election.budget, costs, [vote.project_ids for vote in election.votes()])
    started = time.process_time()
    winners = count(data, rule, completion).winners
    seconds = time.process_time() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((winners, seconds, rss, len(data.ballots)))


def _pabutools(queue, path, rule, completion, multiprofile=False):
    from pabutools.election import parse_pabulib

    reference = _reference_script()
    instance, profile = parse_pabulib(str(path))
    # Time the rule alone, as for the platform; pabutools_run parses again, so patch it out.
    # Building the multiprofile stays inside the timed part: it is part of that way of counting.
    reference.parse_pabulib = lambda _: (instance, profile)
    started = time.process_time()
    winners = reference.pabutools_run(Path(path), rule, completion, multiprofile=multiprofile)
    seconds = time.process_time() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((winners, seconds, rss, len(profile)))


def _pabutools_multiprofile(queue, path, rule, completion):
    _pabutools(queue, path, rule, completion, multiprofile=True)


def measure(target, path: Path, rule: str, completion: str, timeout: float | None):
    """Run `target` in a child process; return (winners, seconds, MiB, voters) or None."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=target, args=(queue, str(path), rule, completion))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    winners, seconds, rss_kib, voters = queue.get()
    return winners, seconds, rss_kib / 1024, voters


def pabutools_cells(target, path, arguments, winners, seconds) -> list[str]:
    """Return the time, memory and ratio cells of one pabutools run against the platform's."""
    if path.name in arguments.skip_pabutools:
        return ["not run", "", ""]
    theirs = measure(
        target, path, arguments.rule, arguments.completion, arguments.pabutools_timeout
    )
    if theirs is None:
        return [f"> {arguments.pabutools_timeout:.0f} (stopped)", "", ""]
    their_winners, their_seconds, their_memory, _ = theirs
    # pabutools' greedy steps may fund a project without votes; the platform never does.
    extra = [p for p in their_winners if p not in winners]
    same = "" if not extra and len(their_winners) == len(winners) else " (differs)"
    return [f"{their_seconds:.2f}", f"{their_memory:.0f}", f"{their_seconds / seconds:.0f}x{same}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--rule", default="mes-approval")
    parser.add_argument("--completion", default="add1-exhaustive")
    parser.add_argument("--pabutools-timeout", type=float, default=600)
    parser.add_argument("--skip-pabutools", nargs="*", default=[])
    parser.add_argument("--plain-only", action="store_true")
    arguments = parser.parse_args()
    reference = _reference_script()
    paths = [DATA_DIR / name for name in arguments.files] or sorted(DATA_DIR.glob("*.pb"))
    print(f"rule {arguments.rule}, completion {arguments.completion}")
    header = "| file | voters | platform CPU s | MiB | pabutools CPU s | MiB | ratio |"
    if not arguments.plain_only:
        header += " multiprofile CPU s | MiB | ratio |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for path in paths:
        if reference.vote_type(path) not in reference.SUPPORTED_VOTE_TYPES:
            continue
        winners, seconds, memory, voters = measure(
            _platform, path, arguments.rule, arguments.completion, None
        )
        cells = pabutools_cells(_pabutools, path, arguments, winners, seconds)
        if not arguments.plain_only:
            cells += pabutools_cells(_pabutools_multiprofile, path, arguments, winners, seconds)
        print(
            f"| {path.stem} | {voters} | {seconds:.2f} | {memory:.0f} | "
            + " | ".join(cells)
            + " |",
            flush=True,
        )


if __name__ == "__main__":
    main()
