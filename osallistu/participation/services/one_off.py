"""Writes for one-off participation: poll answers and support clicks, with or without an account.

A participant is a keyed hash of the browser session, or of the account when signed in, so one
browser is counted once per poll or process and the stored rows do not say who it was. Answers
without an account are kept apart (`is_signed_in`), because clearing cookies lets a visitor answer
again: the per-IP rate limit bounds how far that goes, and the counts are a signal, not a vote.
"""

import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from osallistu.core.ratelimit import is_rate_limited

from .. import rules
from ..comment_forms import clean_plain_text
from ..models import Channel, OneOffParticipation, Poll, PollOption, Process
from ..selectors.one_off import can_manage_one_off

__all__ = [
    "POLL_MAX_OPTIONS",
    "one_off_record_offline",
    "participant_key",
    "poll_answer",
    "poll_create",
    "poll_set_open",
    "support_click",
]

logger = logging.getLogger(__name__)

# Per client IP: generous, because a library, school or outreach pop-up shares one address.
IP_RATE_LIMIT = 60
# Per participant (session or account): more than every poll and the support click need.
PARTICIPANT_RATE_LIMIT = 20
RATE_PERIOD_SECONDS = 60 * 60
POLL_MIN_OPTIONS = 2
POLL_MAX_OPTIONS = 10
# Maximum offline tally typed in at once: a bigger number is more likely a typing error.
OFFLINE_MAX_COUNT = 10_000
_KEY_SALT = "osallistu.participation.one_off"


def participant_key(*, user_id: int | None = None, session_key: str | None = None) -> str:
    """Return the 64-character keyed hash (HMAC-SHA256 under SECRET_KEY) of a participant.

    A signed-in user is keyed by account, anyone else by session key.
    """
    if user_id is not None:
        value = f"user:{user_id}"
    elif session_key:
        value = f"session:{session_key}"
    else:
        raise ValueError("A participant key needs a user id or a session key.")
    return salted_hmac(_KEY_SALT, value, algorithm="sha256").hexdigest()


def _check_may_support(user, process: Process) -> None:
    if not rules.can(user, rules.Action.SUPPORT, process):
        raise PermissionDenied(_("Polls and support are not open in this phase of the process."))


def _check_rate(participant: str, client_ip: str | None) -> None:
    limited = is_rate_limited(
        f"one_off:participant:{participant}",
        limit=PARTICIPANT_RATE_LIMIT,
        period_seconds=RATE_PERIOD_SECONDS,
    )
    if client_ip:
        # Count the address even when the participant is already limited, so that a client
        # that changes sessions cannot hide behind the participant limit.
        limited = (
            is_rate_limited(
                f"one_off:ip:{client_ip}", limit=IP_RATE_LIMIT, period_seconds=RATE_PERIOD_SECONDS
            )
            or limited
        )
    if limited:
        logger.info("one-off participation rate limit reached")
        raise ValidationError(
            _("Too many answers have come from your connection. Wait an hour and try again."),
            code="rate_limited",
        )


def _insert_once(row: OneOffParticipation) -> bool:
    """Save `row` and return True, or return False if the participant was counted already."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # Only the unique constraints can fail here: the caller built a valid row.
        return False
    return True


def poll_answer(
    *,
    user=None,
    process: Process,
    poll: Poll,
    option: PollOption,
    participant_key: str,
    is_signed_in: bool,
    channel: str = Channel.ONLINE,
    client_ip: str | None = None,
) -> bool:
    """Count an answer to `poll` once per participant; return False if it was counted already.

    Raise PermissionDenied unless rules.Action.SUPPORT is open to `user` in the process now, and
    ValidationError for a closed poll (code poll_closed), an option of another poll
    (invalid_option) or too many attempts from the participant or `client_ip` (rate_limited).
    """
    _check_may_support(user, process)
    if poll.process_id != process.pk or not poll.is_open:
        raise ValidationError(_("This poll is closed."), code="poll_closed")
    if option is None or option.poll_id != poll.pk:
        raise ValidationError(_("Choose one of the answers."), code="invalid_option")
    _check_rate(participant_key, client_ip)
    counted = _insert_once(
        OneOffParticipation(
            process=process,
            kind=OneOffParticipation.Kind.POLL_ANSWER,
            poll=poll,
            option=option,
            participant_key=participant_key,
            is_signed_in=is_signed_in,
            channel=channel,
            day=timezone.localdate(),
        )
    )
    logger.info("poll answer poll=%s counted=%s channel=%s", poll.pk, counted, channel)
    return counted


def support_click(
    *,
    user=None,
    process: Process,
    participant_key: str,
    is_signed_in: bool,
    channel: str = Channel.ONLINE,
    client_ip: str | None = None,
) -> bool:
    """Count support for `process` once per participant, and return False if counted already.

    Raise PermissionDenied unless rules.Action.SUPPORT is open to `user` in the process now, and
    ValidationError (code rate_limited) for too many attempts.
    """
    _check_may_support(user, process)
    _check_rate(participant_key, client_ip)
    counted = _insert_once(
        OneOffParticipation(
            process=process,
            kind=OneOffParticipation.Kind.SUPPORT,
            participant_key=participant_key,
            is_signed_in=is_signed_in,
            channel=channel,
            day=timezone.localdate(),
        )
    )
    logger.info("support click process=%s counted=%s channel=%s", process.pk, counted, channel)
    return counted


def _check_staff(user, process: Process) -> None:
    if not can_manage_one_off(user, process):
        raise PermissionDenied(_("You do not have the right to manage polls."))


def poll_create(user, *, process: Process, question: str, options: list[str]) -> Poll:
    """Create an open poll in `process` with `options` in the given order.

    Raise PermissionDenied unless `user` may manage polls in the process (can_manage_one_off), and
    ValidationError for a missing question (code required), too few, too many or repeated options
    (options_count, duplicate_option), or bad text (max_length, html).
    """
    _check_staff(user, process)
    question = clean_plain_text(
        question,
        field="question",
        max_length=Poll._meta.get_field("question").max_length,
        required_message=_("Write the question of the poll."),
    )
    option_max = PollOption._meta.get_field("text").max_length
    cleaned = [clean_plain_text(text, field="options", max_length=option_max) for text in options]
    cleaned = [text for text in cleaned if text]
    if not POLL_MIN_OPTIONS <= len(cleaned) <= POLL_MAX_OPTIONS:
        raise ValidationError(
            {
                "options": ValidationError(
                    _("Give from %(min)d to %(max)d answers, one on each line."),
                    code="options_count",
                    params={"min": POLL_MIN_OPTIONS, "max": POLL_MAX_OPTIONS},
                )
            }
        )
    if len({text.casefold() for text in cleaned}) != len(cleaned):
        raise ValidationError(
            {
                "options": ValidationError(
                    _("Each answer must differ from the others."), code="duplicate_option"
                )
            }
        )
    with transaction.atomic():
        poll = Poll.objects.create(process=process, question=question)
        PollOption.objects.bulk_create(
            PollOption(poll=poll, text=text, position=position)
            for position, text in enumerate(cleaned)
        )
    logger.info("poll created poll=%s process=%s", poll.pk, process.pk)
    return poll


def poll_set_open(user, poll: Poll, *, is_open: bool) -> Poll:
    """Open or close `poll`; raise PermissionDenied unless can_manage_one_off() allows `user`."""
    _check_staff(user, poll.process)
    Poll.objects.filter(pk=poll.pk).update(is_open=is_open)
    poll.is_open = is_open
    logger.info("poll %s poll=%s", "opened" if is_open else "closed", poll.pk)
    return poll


def one_off_record_offline(
    user,
    *,
    process: Process,
    channel: str,
    count: int,
    poll: Poll | None = None,
    option: PollOption | None = None,
) -> int:
    """Record `count` support clicks, or answers `option` to `poll`, collected offline.

    Staff type in tallies from paper, phone or an outreach pop-up. Each answer gets its own random
    participant key, so the rows count like online ones but tie to nobody. Return the number of
    rows written. Raise PermissionDenied unless can_manage_one_off() allows `user`, and
    ValidationError for an online channel (code invalid_channel), a count out of range
    (invalid_count) or an option of another poll (invalid_option).
    """
    _check_staff(user, process)
    if channel == Channel.ONLINE or channel not in Channel.values:
        raise ValidationError(
            {
                "channel": ValidationError(
                    _("Choose the channel where the answers were collected."),
                    code="invalid_channel",
                )
            }
        )
    if not 1 <= count <= OFFLINE_MAX_COUNT:
        raise ValidationError(
            {
                "count": ValidationError(
                    _("Give a number from 1 to %(max)d."),
                    code="invalid_count",
                    params={"max": OFFLINE_MAX_COUNT},
                )
            }
        )
    if poll is not None and (
        poll.process_id != process.pk or option is None or option.poll_id != poll.pk
    ):
        raise ValidationError(
            {"option": ValidationError(_("Choose one of the answers."), code="invalid_option")}
        )
    kind = OneOffParticipation.Kind.POLL_ANSWER if poll else OneOffParticipation.Kind.SUPPORT
    today = timezone.localdate()
    with transaction.atomic():
        OneOffParticipation.objects.bulk_create(
            OneOffParticipation(
                process=process,
                kind=kind,
                poll=poll,
                option=option,
                participant_key=secrets.token_hex(32),
                is_signed_in=False,
                channel=channel,
                day=today,
            )
            for _index in range(count)
        )
    logger.info(
        "offline one-off participation recorded process=%s poll=%s channel=%s count=%s",
        process.pk,
        getattr(poll, "pk", None),
        channel,
        count,
    )
    return count
