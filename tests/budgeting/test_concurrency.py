"""Casting under concurrency on PostgreSQL, through two gunicorn processes that share the database.

The tests send fixed numbers of requests and assert on what the database contains afterwards, never
on timings. They reuse the production-shaped servers of tests/deployment.
"""

import http.client
import os
import re
import signal
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore

from osallistu.budgeting import receipts
from osallistu.budgeting.models import Ballot, BallotChoice, ParticipationRecord, Receipt
from osallistu.identity.selectors import SESSION_KEY
from tests.deployment import client as client_module
from tests.deployment.client import ProxyClient
from tests.deployment.conftest import (  # noqa: F401 - fixtures for the tests below
    _print_server_logs,
    app_servers,
    production_env,
    running_app_server,
)

from .voting import make_record

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 200
SESSIONS = 10
VOTERS = 60
# Server A is killed once this many casting requests have completed, so some requests are
# still waiting or in progress on it.
KILL_AFTER = 20
THREADS = 12
CHOICES_PER_BALLOT = 2
# Upper bound, in seconds, for connecting to a server and for each read from it.
READ_TIMEOUT = 120

_REVIEW_TOKEN = re.compile(r'name="review" value="([^"]+)"')
_CODE = re.compile(r'class="receipt-code"><strong>([0-9A-Z-]{19})</strong>')


@pytest.fixture
def process(make_process):
    return make_process(slug="rinnakkain", budget=50000, projects=[1000, 2000, 3000])


@pytest.fixture(autouse=True)
def _server_shape(monkeypatch, settings, production_env):  # noqa: F811
    """Sign sessions with the servers' secret key, and wait longer for responses.

    The first requests load the application in each worker, and a loaded test machine serves a
    queue of concurrent requests slowly.
    """
    settings.SECRET_KEY = production_env["SECRET_KEY"]
    monkeypatch.setattr(client_module, "TIMEOUT_SECONDS", READ_TIMEOUT)


def _ballot_path(process) -> str:
    return f"/processes/{process.slug}/vote/testilahio/"


def _identified_client(record) -> ProxyClient:
    """Return a client whose session contains `record`, as after identification."""
    session = SessionStore()
    session[SESSION_KEY] = {str(record.process_id): record.pk}
    session.create()
    client = ProxyClient()
    client.cookies["sessionid"] = session.session_key
    return client


def _reviewed(client: ProxyClient, port: int, process, project_ids) -> dict[str, str]:
    """Go through the ballot and the review step, and return the fields of the cast request."""
    page = client.get(port, _ballot_path(process))
    assert page.status == 200, page.text[:500]
    review = client.post(
        port,
        _ballot_path(process),
        [("csrfmiddlewaretoken", page.csrf_token()), ("action", "review")]
        + [("projects", str(pk)) for pk in project_ids],
    )
    assert review.status == 200
    token = _REVIEW_TOKEN.search(review.text)
    assert token, "the review page has no review token"
    return {
        "csrfmiddlewaretoken": review.csrf_token(),
        "action": "cast",
        "review": token.group(1),
    }


def _project_ids(process) -> list[int]:
    area = process.budget_areas.get()
    return list(area.projects.order_by("pk").values_list("pk", flat=True))[:CHOICES_PER_BALLOT]


def test_one_identity_many_attempts(app_servers, process):  # noqa: F811
    server_a, server_b = app_servers
    record = make_record(process)
    ports = [server_a.port, server_b.port]
    attempts = []
    for number in range(SESSIONS):
        client = _identified_client(record)
        fields = _reviewed(client, ports[number % 2], process, _project_ids(process))
        attempts.append((client, fields))

    def cast(number: int):
        client, fields = attempts[number % SESSIONS]
        return client.post(ports[number % 2], _ballot_path(process), fields)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        responses = list(pool.map(cast, range(ATTEMPTS)))

    assert all(response.status == 200 for response in responses)
    acknowledged = [r for r in responses if _CODE.search(r.text)]
    assert len(acknowledged) == 1
    assert Ballot.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1
    assert Receipt.objects.count() == 1
    assert BallotChoice.objects.count() == CHOICES_PER_BALLOT


def _worker_pids(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


def test_killed_process_loses_no_ballot(production_env, process, tmp_path):  # noqa: F811
    area = process.budget_areas.get()
    area.projects.update(cost=Decimal(100))
    with (
        running_app_server("A", production_env, tmp_path) as server_a,
        running_app_server("B", production_env, tmp_path) as server_b,
    ):
        ports = [server_a.port, server_b.port]
        voters = []
        for number in range(VOTERS):
            client = _identified_client(make_record(process))
            port = ports[number % 2]
            voters.append((client, port, _reviewed(client, port, process, _project_ids(process))))

        answered = 0
        lock = threading.Lock()
        killed = threading.Event()

        def cast(voter):
            client, port, fields = voter
            try:
                response = client.post(port, _ballot_path(process), fields)
            except (OSError, http.client.HTTPException):
                # A request to the killed server fails: the voter got no receipt.
                return None
            return response

        codes = []
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            futures = [pool.submit(cast, voter) for voter in voters]
            for future in as_completed(futures):
                response = future.result()
                with lock:
                    answered += 1
                    if answered == KILL_AFTER and not killed.is_set():
                        # SIGKILL the master and its workers at once, as a crash would.
                        for pid in [*_worker_pids(server_a.process.pid), server_a.process.pid]:
                            os.kill(pid, signal.SIGKILL)
                        killed.set()
                if response is not None and response.status == 200:
                    match = _CODE.search(response.text)
                    if match:
                        codes.append(receipts.normalise(match.group(1)))

    assert killed.is_set()
    # Every acknowledged ballot is stored, with its receipt.
    stored = set(Receipt.objects.values_list("code_hash", flat=True))
    assert {receipts.public_hash(code) for code in codes} <= stored
    # The killed server completed at most its share, and server B completed all of its voters.
    assert len(codes) >= VOTERS // 2
    # No partial ballot: each participation record has exactly one receipt and one whole ballot.
    count = ParticipationRecord.objects.count()
    assert Receipt.objects.count() == count
    assert Ballot.objects.count() == count
    assert BallotChoice.objects.count() == count * CHOICES_PER_BALLOT
    assert count <= VOTERS
