"""Turnout by age group stays publishable after the retention purge removes identity data."""

import datetime

import pytest
from django.utils import timezone

from osallistu.budgeting import exports, services
from osallistu.budgeting.models import ParticipationRecord
from osallistu.identity.models import EligibilityRecord
from osallistu.participation.models import Phase
from osallistu.privacy import retention

pytestmark = pytest.mark.django_db


def test_cast_ballot_keeps_age_group(make_process):
    process = make_process(projects=[1000])
    area = process.budget_areas.get()
    record = EligibilityRecord.objects.create(
        process=process,
        digest="a" * 64,
        method=EligibilityRecord.MethodChoice.LOCAL_TEST,
        municipality_code="297",
        age_group="13-17",
    )

    services.cast_ballot(record, area, [area.projects.get().pk])

    assert ParticipationRecord.objects.get().age_group == "13-17"


def test_turnout_by_age_survives_purge(make_process):
    process = make_process(projects=[1000])
    area = process.budget_areas.get()
    for number in range(3):
        record = EligibilityRecord.objects.create(
            process=process,
            digest=f"{number}" * 64,
            method=EligibilityRecord.MethodChoice.LOCAL_TEST,
            municipality_code="297",
            age_group="13-17",
        )
        services.cast_ballot(record, area, [area.projects.get().pk])
    voting = process.phases.get(kind=Phase.Kind.VOTING)
    voting.ends_on = timezone.localdate() - datetime.timedelta(days=200)
    voting.starts_on = voting.ends_on - datetime.timedelta(days=10)
    voting.save()

    retention.purge_expired()
    rows = exports.turnout(process, min_group_size=1)[0].by_age

    assert not EligibilityRecord.objects.exists()
    assert {row.age_group: row.voters for row in rows}["13-17"] == 3
