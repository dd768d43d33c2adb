"""Retention periods of personal data, set in one place, and the purges that enforce them.

Each kind of data has a default period in days that the setting OSALLISTU_RETENTION_DAYS may
override per kind (for example `{"identity_digests": 60}`). `purge_expired` runs every kind's
purge; with `dry_run` it only counts. Privacy notices quote the same periods, so what residents
read and what the purge does cannot drift apart.
"""

import datetime
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionKind:
    """A kind of personal data, how long it is kept and how expired data is removed.

    `purge(cutoff, dry_run)` removes what expired before `cutoff` and returns how many items it
    removed, or would remove with `dry_run`.
    """

    code: str
    description: str
    default_days: int
    purge: Callable[[datetime.datetime, bool], int]

    @property
    def days(self) -> int:
        return int(
            getattr(settings, "OSALLISTU_RETENTION_DAYS", {}).get(self.code, self.default_days)
        )


def _closed_voting_processes(cutoff: datetime.datetime):
    """Return processes with a voting phase whose last voting day ended before `cutoff`."""
    from osallistu.participation.models import Phase, Process

    last_day = timezone.localtime(cutoff).date() - datetime.timedelta(days=1)
    ended = Phase.objects.filter(kind=Phase.Kind.VOTING, ends_on__lte=last_day)
    still_open = Phase.objects.filter(kind=Phase.Kind.VOTING, ends_on__gt=last_day)
    return Process.objects.filter(pk__in=ended.values("process")).exclude(
        pk__in=still_open.values("process")
    )


# Prefix of a participation record's digest after the purge replaced it with random characters.
PURGED_DIGEST_PREFIX = "purged-"


def _purge_identity_digests(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Remove identity digests of votes that closed before `cutoff`.

    Eligibility records, online and desk alike, are deleted. Participation records stay, because
    turnout by area and channel is counted from them, but their digest is replaced with random
    characters, so that nothing links a person to having voted. Return the eligibility records
    deleted plus the participation records changed.
    """
    from osallistu.budgeting.models import ParticipationRecord
    from osallistu.identity.models import EligibilityRecord

    closed = _closed_voting_processes(cutoff)
    records = EligibilityRecord.objects.filter(process__in=closed)
    participations = ParticipationRecord.objects.filter(process__in=closed).exclude(
        digest__startswith=PURGED_DIGEST_PREFIX
    )
    count = records.count() + participations.count()
    if not dry_run and count:
        records.delete()
        for participation in participations.only("pk"):
            participation.digest = PURGED_DIGEST_PREFIX + secrets.token_hex(28)
            participation.save(update_fields=["digest"])
    return count


def _purge_inactive_accounts(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Erase resident accounts not signed in to since `cutoff`, keeping contributions pseudonymous.

    Staff accounts and accounts that are already erased are left alone.
    """
    from .services import account_erase

    users = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, role_assignments__isnull=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    count = users.count()
    if not dry_run:
        for user in users:
            account_erase(user=user, actor=None, delete_contributions=False)
    return count


def _purge_sessions(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Delete sessions that expired before `cutoff`."""
    sessions = Session.objects.filter(expire_date__lt=cutoff)
    count = sessions.count()
    if not dry_run and count:
        sessions.delete()
    return count


def _purge_read_notifications(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Delete notifications that were read before `cutoff`; unread ones stay."""
    from osallistu.notifications.models import Notification

    notifications = Notification.objects.filter(read_at__lt=cutoff)
    count = notifications.count()
    if not dry_run and count:
        notifications.delete()
    return count


def _purge_feedback_contacts(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Blank the contact addresses of accessibility feedback answered before `cutoff`."""
    from osallistu.accessibility.models import Feedback

    feedback = Feedback.objects.filter(answered_at__lt=cutoff).exclude(contact_email="")
    count = feedback.count()
    if not dry_run and count:
        feedback.update(contact_email="")
    return count


def _purge_import_files(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Delete uploaded import files older than `cutoff`; the import's record and errors stay."""
    from osallistu.areas.models import ImportJob

    jobs = ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="")
    count = jobs.count()
    if not dry_run:
        for job in jobs:
            job.file.delete(save=False)
            job.file = ""
            job.save(update_fields=["file"])
    return count


def _purge_survey_marks(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Delete the answered marks of survey rounds that closed before `cutoff`.

    A mark only stops a second online answer while its round is open; the answers stay.
    """
    from osallistu.surveys.models import AnsweredMark

    marks = AnsweredMark.objects.filter(round__closes_on__lt=timezone.localtime(cutoff).date())
    count = marks.count()
    if not dry_run and count:
        marks.delete()
    return count


def _purge_survey_paper_codes(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Delete the single-use paper codes, used or not, of survey rounds closed before `cutoff`.

    After this, forms of the round can no longer be entered.
    """
    from osallistu.surveys.models import PaperCode

    codes = PaperCode.objects.filter(round__closes_on__lt=timezone.localtime(cutoff).date())
    count = codes.count()
    if not dry_run and count:
        codes.delete()
    return count


def _purge_log_files(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Delete rotated server log files in OSALLISTU_LOG_DIR last written before `cutoff`.

    Only rotated files (`*.log.*`, such as `osallistu.log.1`) are removed, never the file that a
    process is writing. Without OSALLISTU_LOG_DIR, logs go to the console and the service that
    collects them keeps them for its own period (docs/privacy.md).
    """
    log_dir = getattr(settings, "OSALLISTU_LOG_DIR", "")
    if not log_dir:
        return 0
    expired = [
        path
        for path in Path(log_dir).glob("*.log.*")
        if path.is_file() and path.stat().st_mtime < cutoff.timestamp()
    ]
    if not dry_run:
        for path in expired:
            path.unlink(missing_ok=True)
    return len(expired)


KINDS: tuple[RetentionKind, ...] = (
    RetentionKind(
        "identity_digests",
        _("Identity digests and service desk records, counted from the end of voting"),
        90,
        _purge_identity_digests,
    ),
    RetentionKind(
        "inactive_accounts",
        _("Resident accounts not used since, counted from the last sign-in"),
        3 * 365,
        _purge_inactive_accounts,
    ),
    RetentionKind("sessions", _("Expired sign-in sessions"), 0, _purge_sessions),
    RetentionKind(
        "read_notifications",
        _("Notifications, counted from reading them"),
        365,
        _purge_read_notifications,
    ),
    RetentionKind(
        "feedback_contacts",
        _("Contact addresses of accessibility feedback, counted from the answer"),
        365,
        _purge_feedback_contacts,
    ),
    RetentionKind("import_files", _("Uploaded data files of imports"), 90, _purge_import_files),
    RetentionKind("server_logs", _("Rotated server log files"), 90, _purge_log_files),
    RetentionKind(
        "survey_marks",
        _("Marks that someone has answered a survey, counted from the survey's closing"),
        30,
        _purge_survey_marks,
    ),
    RetentionKind(
        "survey_paper_codes",
        _("Single-use codes of paper survey forms, counted from the survey's closing"),
        90,
        _purge_survey_paper_codes,
    ),
)


def kind(code: str) -> RetentionKind:
    """Return the retention kind `code`; raise KeyError for an unknown code."""
    for retention_kind in KINDS:
        if retention_kind.code == code:
            return retention_kind
    raise KeyError(code)


def purge_expired(*, dry_run: bool = False, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remove every kind of expired data and return how many items each kind removed.

    Each kind runs in its own transaction, so a failure in one kind leaves the others' work in
    place; the failure is logged and raised after the remaining kinds have run.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    failures: list[tuple[str, Exception]] = []
    for retention_kind in KINDS:
        cutoff = now - datetime.timedelta(days=retention_kind.days)
        try:
            with transaction.atomic():
                counts[retention_kind.code] = retention_kind.purge(cutoff, dry_run)
        except Exception as error:
            logger.exception("Purging %s failed", retention_kind.code)
            failures.append((retention_kind.code, error))
    logger.info("Retention purge dry_run=%s removed %s", dry_run, counts)
    if failures:
        raise RuntimeError(f"purging failed for {', '.join(code for code, _ in failures)}")
    return counts
