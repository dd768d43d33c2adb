"""Measure idea list and idea page server time under concurrent load.

Seed a PostgreSQL database with one process of 2 000 ideas and 20 000 comments (5 000 of them on
one idea, to show that a long discussion stays fast), serve it with gunicorn, and send a fixed
number of requests from concurrent client threads over loopback. Print p50/p95/max of the
server time, read from the Server-Timing header, and of the client-side latency.

    .venv/bin/python bench/participation_load.py [--concurrency 8] [--requests 400]

The database named by --database-url is created if missing and reused by later runs.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = "bench-load"
TIMING = re.compile(r"app;dur=([0-9.]+)")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/osallistu_bench"
    )
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--hot-comments", type=int, default=5000, help="comments on one idea")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--requests", type=int, default=400, help="requests per page kind")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--output", type=Path, default=REPO / "bench/results/participation_load.json"
    )
    return parser.parse_args()


def django_environment(database_url: str, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "osallistu.settings",
    }


def ensure_database(database_url: str) -> None:
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=REPO, env=environment, check=True)


def seed(ideas: int, comments: int, hot_comments: int) -> tuple[list[int], int]:
    """Create the benchmark process once; return a sample of idea ids and the hot idea's id."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from osallistu.participation.models import Comment, Idea, Phase, Process

    process = Process.objects.filter(slug=SLUG).first()
    if process is None:
        today = timezone.localdate()
        process = Process.objects.create(
            title="Kuormitustesti", slug=SLUG, kind=Process.Kind.PARTICIPATORY_BUDGETING
        )
        Phase.objects.create(
            process=process,
            kind=Phase.Kind.IDEATION,
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=3650),
        )
        user_model = get_user_model()
        authors = user_model.objects.bulk_create(
            user_model(email=f"kuorma{number}@example.fi") for number in range(200)
        )
        Idea.objects.bulk_create(
            (
                Idea(
                    process=process,
                    author=authors[number % len(authors)],
                    title=f"Idea {number}",
                    description="Kuvaus " * 40,
                )
                for number in range(ideas)
            ),
            batch_size=1000,
        )
        idea_ids = list(Idea.objects.filter(process=process).values_list("pk", flat=True))
        hot = idea_ids[0]
        spread = comments - hot_comments
        Comment.objects.bulk_create(
            (
                Comment(
                    idea_id=hot if number < hot_comments else idea_ids[number % len(idea_ids)],
                    author=authors[number % len(authors)],
                    body="Kommentti " * 20,
                    stance=("for", "against", "neutral")[number % 3],
                )
                for number in range(hot_comments + spread)
            ),
            batch_size=2000,
        )
    idea_ids = list(
        Idea.objects.filter(process=process).order_by("pk").values_list("pk", flat=True)
    )
    return idea_ids[1:51], idea_ids[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(environment: dict[str, str], workers: int):
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "osallistu.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; log in {log.name}") from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str) -> tuple[float, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        header = response.headers.get("Server-Timing", "")
        if response.status != 200:
            raise RuntimeError(f"{url} returned {response.status}")
    client_ms = (time.perf_counter() - started) * 1000
    match = TIMING.search(header)
    if not match:
        raise RuntimeError(f"{url} has no Server-Timing header")
    return float(match.group(1)), client_ms


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def measure(urls: list[str], concurrency: int) -> dict[str, float]:
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(fetch, urls))
        wall = time.perf_counter() - started
    server = [result[0] for result in results]
    client = [result[1] for result in results]
    return {
        "requests": len(urls),
        "server_p50_ms": round(statistics.median(server), 1),
        "server_p95_ms": round(percentile(server, 0.95), 1),
        "server_max_ms": round(max(server), 1),
        "client_p50_ms": round(statistics.median(client), 1),
        "client_p95_ms": round(percentile(client, 0.95), 1),
        "requests_per_second": round(len(urls) / wall, 1),
    }


def main() -> None:
    arguments = parse_args()
    sys.path.insert(0, str(REPO))
    static_root = tempfile.mkdtemp(prefix="osallistu-bench-static-")
    environment = django_environment(arguments.database_url, static_root)
    os.environ.update(environment)
    ensure_database(arguments.database_url)
    manage(environment, "migrate", "--no-input", "-v0")
    manage(environment, "createcachetable")
    manage(environment, "collectstatic", "--no-input", "-v0")
    manage(environment, "compilemessages", "-v0", "--ignore=.venv")
    sample, hot = seed(arguments.ideas, arguments.comments, arguments.hot_comments)

    pages = max(1, arguments.ideas // 20)
    kinds = {
        "idea list": [
            f"/processes/{SLUG}/ideas/?page={1 + number % pages}"
            for number in range(arguments.requests)
        ],
        "idea page": [
            f"/processes/{SLUG}/ideas/{sample[number % len(sample)]}/"
            for number in range(arguments.requests)
        ],
        "idea page, 5 000 comments": [
            f"/processes/{SLUG}/ideas/{hot}/" for _ in range(arguments.requests)
        ],
    }
    report = {
        "date": datetime.datetime.now(tz=datetime.UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "load": (
            f"{arguments.ideas} ideas, {arguments.comments} comments, "
            f"{arguments.concurrency} concurrent clients, {arguments.workers} gunicorn workers, "
            "PostgreSQL on the same machine"
        ),
        "results": {},
    }
    with gunicorn(environment, arguments.workers) as base:
        for kind, paths in kinds.items():
            measure([base + path for path in paths[:20]], arguments.concurrency)  # warm-up
            report["results"][kind] = measure(
                [base + path for path in paths], arguments.concurrency
            )
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
