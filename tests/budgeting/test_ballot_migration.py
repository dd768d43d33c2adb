"""Migration 0004 keys existing participation records by a digest derived from the account."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("budgeting", "0003_budgeting_settings")]
AFTER = [("budgeting", "0004_identity_keyed_voting")]


def _apps_at(targets):
    """Migrate the database to `targets`, and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _create_account_record(apps, user) -> None:
    process = apps.get_model("participation", "Process").objects.create(
        title="Vanha", slug="vanha", kind="participatory_budgeting"
    )
    area = apps.get_model("budgeting", "BudgetArea").objects.create(
        process_id=process.pk, name="Alue", slug="alue", budget=1000
    )
    apps.get_model("budgeting", "ParticipationRecord").objects.create(
        process_id=process.pk,
        area_id=area.pk,
        voter_id=user.pk,
        channel="online",
        day=datetime.date(2025, 5, 1),
    )


def test_account_records_get_digest(django_user_model):
    user = django_user_model.objects.create_user(email="vanha@example.fi", password="x")
    try:
        _create_account_record(_apps_at(BEFORE), user)
        record = _apps_at(AFTER).get_model("budgeting", "ParticipationRecord").objects.get()
    finally:
        # Apply every migration again, so the next test finds the whole schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert record.digest == f"user:{user.pk}"
    assert record.receipt_mac == ""
