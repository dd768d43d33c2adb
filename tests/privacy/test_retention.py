"""The retention purge: what expires is removed, the rest stays, and a dry run removes nothing."""

import datetime
import io
import os

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from osallistu.accessibility.models import Feedback
from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import ImportJob, Suburb
from osallistu.budgeting.models import ParticipationRecord
from osallistu.identity.models import EligibilityRecord
from osallistu.notifications.models import Notification
from osallistu.participation.models import Phase
from osallistu.privacy import retention
from osallistu.privacy.services import is_erased
from osallistu.surveys.models import AnsweredMark, PaperCode, Questionnaire, SurveyRound

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def _voting_ended(process, days_ago: int) -> None:
    phase = process.phases.get(kind=Phase.Kind.VOTING)
    phase.ends_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    phase.starts_on = phase.ends_on - datetime.timedelta(days=14)
    phase.save()


def _record(process, digest: str) -> EligibilityRecord:
    return EligibilityRecord.objects.create(
        process=process, digest=digest, method="desk", municipality_code="297"
    )


def _voted(process, digest: str) -> ParticipationRecord:
    return ParticipationRecord.objects.create(
        process=process,
        area=process.budget_areas.get(),
        digest=digest,
        channel="assisted",
        day=timezone.localdate(),
    )


@pytest.fixture
def expired_and_kept(make_process, resident, other_resident, django_user_model, tmp_path, settings):
    """Create one expired and one kept item of every retention kind."""
    old_vote = make_process(slug="vanha")
    _voting_ended(old_vote, 100)
    recent_vote = make_process(slug="tuore")
    _voting_ended(recent_vote, 10)
    open_vote = make_process(slug="auki")
    _record(old_vote, "a" * 64)
    _record(recent_vote, "b" * 64)
    _record(open_vote, "c" * 64)
    _voted(old_vote, "d" * 64)
    _voted(recent_vote, "e" * 64)

    resident.last_login = _days_ago(4 * 365)
    resident.save()
    other_resident.last_login = _days_ago(30)
    other_resident.save()
    staff = django_user_model.objects.create_user(email="henkilosto@example.fi", password="x")
    staff.last_login = _days_ago(4 * 365)
    staff.save()
    RoleAssignment.objects.create(user=staff, role=RoleAssignment.Role.COORDINATOR)

    expired_session = SessionStore()
    expired_session.create()
    Session.objects.filter(pk=expired_session.session_key).update(expire_date=_days_ago(1))
    live_session = SessionStore()
    live_session.create()

    old_read = Notification.objects.create(user=other_resident, message="vanha")
    Notification.objects.filter(pk=old_read.pk).update(read_at=_days_ago(400))
    Notification.objects.create(user=other_resident, message="lukematon")

    Feedback.objects.create(
        message="vanha", language="fi", contact_email="a@example.fi", answered_at=_days_ago(400)
    )
    Feedback.objects.create(
        message="tuore", language="fi", contact_email="b@example.fi", answered_at=_days_ago(10)
    )
    Feedback.objects.create(message="auki", language="fi", contact_email="c@example.fi")

    settings.MEDIA_ROOT = str(tmp_path / "media")
    old_job = ImportJob(kind=ImportJob.Kind.CITY_CSV, original_name="vanha.csv")
    old_job.file.save("vanha.csv", ContentFile(b"a;b\n"), save=True)
    ImportJob.objects.filter(pk=old_job.pk).update(created_at=_days_ago(100))
    new_job = ImportJob(kind=ImportJob.Kind.CITY_CSV, original_name="uusi.csv")
    new_job.file.save("uusi.csv", ContentFile(b"a;b\n"), save=True)

    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    settings.OSALLISTU_LOG_DIR = str(log_dir)
    for name, age in [("osallistu.log.3", 100), ("osallistu.log.1", 5), ("osallistu.log", 100)]:
        path = log_dir / name
        path.write_text("rivi\n")
        os.utime(path, (_days_ago(age).timestamp(), _days_ago(age).timestamp()))

    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    questionnaire = Questionnaire.objects.create(
        kind=Questionnaire.Kind.GENERIC, code="testi", version="1", name="Testi", text_version="1"
    )
    for label, closed_days_ago in [("vanha", 200), ("tuore", 10)]:
        closes_on = NOW.date() - datetime.timedelta(days=closed_days_ago)
        survey_round = SurveyRound.objects.create(
            questionnaire=questionnaire,
            suburb=suburb,
            label=label,
            measured_on=closes_on,
            opens_on=closes_on,
            closes_on=closes_on,
            text_version="1",
        )
        AnsweredMark.objects.create(round=survey_round, key=label * 8)
        PaperCode.objects.create(round=survey_round, code_hash=label * 8)

    return {
        "old_job": old_job,
        "new_job": new_job,
        "log_dir": log_dir,
        "staff": staff,
        "live_session": live_session.session_key,
    }


def test_dry_run_removes_nothing(expired_and_kept, resident):
    counts = retention.purge_expired(dry_run=True, now=NOW)

    assert counts == {
        "identity_digests": 2,
        "inactive_accounts": 1,
        "sessions": 1,
        "read_notifications": 1,
        "feedback_contacts": 1,
        "import_files": 1,
        "server_logs": 1,
        "survey_marks": 1,
        "survey_paper_codes": 1,
    }
    assert EligibilityRecord.objects.count() == 3
    resident.refresh_from_db()
    assert resident.is_active
    assert Session.objects.count() == 2
    assert (expired_and_kept["log_dir"] / "osallistu.log.3").exists()


def test_purge_removes_expired_keeps_rest(expired_and_kept, resident, other_resident):
    retention.purge_expired(now=NOW)

    assert sorted(EligibilityRecord.objects.values_list("digest", flat=True)) == [
        "b" * 64,
        "c" * 64,
    ]
    digests = dict(ParticipationRecord.objects.values_list("process__slug", "digest"))
    assert digests["vanha"].startswith("purged-")
    assert len(digests["vanha"]) == 63
    assert digests["tuore"] == "e" * 64
    resident.refresh_from_db()
    other_resident.refresh_from_db()
    expired_and_kept["staff"].refresh_from_db()
    assert is_erased(resident)
    assert not is_erased(other_resident)
    assert expired_and_kept["staff"].is_active
    assert list(Session.objects.values_list("pk", flat=True)) == [expired_and_kept["live_session"]]
    assert list(Notification.objects.values_list("message", flat=True)) == ["lukematon"]
    assert sorted(Feedback.objects.exclude(contact_email="").values_list("message", flat=True)) == [
        "auki",
        "tuore",
    ]
    expired_and_kept["old_job"].refresh_from_db()
    expired_and_kept["new_job"].refresh_from_db()
    assert not expired_and_kept["old_job"].file
    assert expired_and_kept["new_job"].file
    log_dir = expired_and_kept["log_dir"]
    assert not (log_dir / "osallistu.log.3").exists()
    assert (log_dir / "osallistu.log.1").exists()
    # The file a process writes is never removed, however old.
    assert (log_dir / "osallistu.log").exists()
    assert list(AnsweredMark.objects.values_list("round__label", flat=True)) == ["tuore"]
    assert list(PaperCode.objects.values_list("round__label", flat=True)) == ["tuore"]


def test_setting_overrides_period(expired_and_kept, settings):
    settings.OSALLISTU_RETENTION_DAYS = {"identity_digests": 5}

    counts = retention.purge_expired(dry_run=True, now=NOW)

    assert counts["identity_digests"] == 4


def test_command_dry_run(expired_and_kept):
    output = io.StringIO()

    call_command("purge_expired", "--dry-run", stdout=output)

    assert "identity_digests: would remove 2 (kept 90 days)" in output.getvalue()
    assert EligibilityRecord.objects.count() == 3


def test_command_purges(expired_and_kept):
    output = io.StringIO()

    call_command("purge_expired", stdout=output)

    assert "identity_digests: removed 2" in output.getvalue()
    assert EligibilityRecord.objects.count() == 2
