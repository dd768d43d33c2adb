"""Two staff members acting at once on PostgreSQL: row locks leave one consistent result."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from osallistu.evaluation import services
from osallistu.evaluation.models import ConsolidatedIdea, Consolidation, Verdict

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

THREADS = 4


def _run_together(calls) -> list:
    """Run each call in its own thread and database connection, started together.

    Return each call's result or the ValidationError it raised.
    """
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except ValidationError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_overlapping_answers_one_wins(coordinator, resident_idea, second_idea):
    def answer(primary, merged):
        return lambda: services.consolidate(
            coordinator,
            primary,
            decision=Consolidation.Decision.DECLINED,
            merged_ideas=[merged],
            public_reason="Ei voida toteuttaa.",
        )

    calls = [answer(resident_idea, second_idea), answer(second_idea, resident_idea)] * (
        THREADS // 2
    )
    results = _run_together(calls)

    assert sum(isinstance(result, Consolidation) for result in results) == 1
    assert sum(isinstance(result, ValidationError) for result in results) == THREADS - 1
    assert Consolidation.objects.count() == 1
    assert ConsolidatedIdea.objects.count() == 2


def test_simultaneous_verdicts_leave_one(evaluator, assignment, feasible_verdict):
    arguments = feasible_verdict()
    results = _run_together(
        [lambda: services.verdict_submit(evaluator, assignment, **arguments)] * THREADS
    )

    assert all(isinstance(result, Verdict) for result in results)
    assert Verdict.objects.count() == 1
    assert Verdict.objects.get().cost_rows.count() == 2
