"""Simultaneous submissions on PostgreSQL: one answer per person, one use per paper code."""

import threading

import pytest
from django.db import connection

from osallistu.surveys import services
from osallistu.surveys.models import AnsweredMark, PaperCode, Response

from .fixtures import all_answers

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _run_at_once(task, count: int = 4) -> tuple[list, list]:
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(task())
        except Exception as error:  # reported by the caller's asserts
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_simultaneous_answers_store_one(resident, esis_round):
    results, errors = _run_at_once(
        lambda: services.response_submit_online(
            user=resident, survey_round=esis_round, values=all_answers(esis_round)
        )
    )

    assert len(results) == 1
    assert [error.code for error in errors] == ["already_answered"] * 3
    assert Response.objects.count() == 1
    assert AnsweredMark.objects.count() == 1


def test_simultaneous_code_use_stores_one(coordinator, esis_round):
    [code] = services.paper_codes_generate(user=coordinator, survey_round=esis_round, count=1)

    results, errors = _run_at_once(
        lambda: services.response_enter_paper(
            user=coordinator, survey_round=esis_round, code=code, values=all_answers(esis_round)
        )
    )

    assert len(results) == 1
    assert [error.code for error in errors] == ["used_code"] * 3
    assert Response.objects.count() == 1
    assert PaperCode.objects.get().is_used
