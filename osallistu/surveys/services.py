"""Writes of the surveys app: rounds, single-use paper codes and anonymous responses.

A response never stores who answered. Online, the fact of having answered is an AnsweredMark whose
key is an HMAC of the round and the account under OSALLISTU_IDENTITY_HMAC_KEY (SECRET_KEY when
that is unset), so one person answers a round once. On paper, a single-use code printed on the
form does the same. Both checks run under a row lock and a unique constraint.
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.audit.services import record
from osallistu.core.age_groups import configured_age_groups
from osallistu.participation import rules
from osallistu.participation.rules import Action

from .models import AnsweredMark, Item, ItemAnswer, PaperCode, Questionnaire, Response, SurveyRound

logger = logging.getLogger(__name__)

# Paper codes use letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_CODES_PER_REQUEST = 1000


def _hmac_key() -> bytes:
    return (settings.OSALLISTU_IDENTITY_HMAC_KEY or settings.SECRET_KEY).encode()


def mark_key(survey_round: SurveyRound, user) -> str:
    """Return the answered-mark key of `user` in `survey_round`: never the account id itself.

    NOTE: changing the HMAC key while a round is open lets a person answer that round again.
    """
    message = f"surveys.answered:{survey_round.pk}:{user.pk}".encode()
    return hmac.new(_hmac_key(), message, hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    """Return `code` in upper case without spaces and dashes, as printed codes may be typed."""
    return "".join(character for character in (code or "").upper() if character not in " -")


def code_hash(survey_round: SurveyRound, code: str) -> str:
    message = f"surveys.paper:{survey_round.pk}:{normalise_code(code)}".encode()
    return hmac.new(_hmac_key(), message, hashlib.sha256).hexdigest()


def _require_manager(user) -> None:
    if not rules.can(user, Action.MANAGE_SURVEYS):
        raise PermissionDenied


def round_create(
    *,
    user,
    questionnaire: Questionnaire,
    label: str,
    measured_on,
    opens_on,
    closes_on,
    suburb=None,
    event=None,
    time_point: str = SurveyRound.TimePoint.OTHER,
    ask_age_group: bool = False,
) -> SurveyRound:
    """Create a round of `questionnaire` in `suburb` or for `event`, showing its current texts."""
    _require_manager(user)
    if (suburb is None) == (event is None):
        raise ValidationError(_("Choose either a suburb or an event."), code="suburb_or_event")
    if closes_on < opens_on:
        raise ValidationError(
            _("The closing date must not be before the opening date."), code="closes_before_opens"
        )
    with transaction.atomic():
        survey_round = SurveyRound.objects.create(
            questionnaire=questionnaire,
            suburb=suburb,
            event=event,
            label=label,
            time_point=time_point,
            measured_on=measured_on,
            opens_on=opens_on,
            closes_on=closes_on,
            ask_age_group=ask_age_group,
            text_version=questionnaire.text_version,
        )
        record(
            user,
            "surveys.create_round",
            survey_round,
            summary=label,
            suburb=suburb or (event.suburb if event else None),
            details={"questionnaire": questionnaire.code, "version": questionnaire.version},
        )
    return survey_round


def paper_codes_generate(*, user, survey_round: SurveyRound, count: int) -> list[str]:
    """Create `count` single-use codes for paper forms of the round and return them.

    Only keyed hashes are stored, so the codes can be shown and printed only now.
    """
    _require_manager(user)
    if not 1 <= count <= MAX_CODES_PER_REQUEST:
        raise ValidationError(
            _("Give a number of codes from 1 to %(max)s."),
            code="code_count",
            params={"max": MAX_CODES_PER_REQUEST},
        )
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    ordered = sorted(codes)
    with transaction.atomic():
        PaperCode.objects.bulk_create(
            PaperCode(round=survey_round, code_hash=code_hash(survey_round, code))
            for code in ordered
        )
        record(
            user,
            "surveys.generate_paper_codes",
            survey_round,
            summary=survey_round.label,
            details={"count": count},
        )
    return ordered


def _clean_answers(
    survey_round: SurveyRound,
    values: Mapping[int, int | None],
    texts: Mapping[int, str],
    age_group: str,
) -> list[ItemAnswer]:
    """Return unsaved answers for every item of the round, or raise ValidationError."""
    if age_group and (
        not survey_round.ask_age_group
        or age_group not in {group.key for group in configured_age_groups()}
    ):
        raise ValidationError(_("Choose an age group from the list."), code="invalid_age_group")
    answers = []
    for item in Item.objects.filter(questionnaire_id=survey_round.questionnaire_id):
        value = values.get(item.pk) if item.kind == Item.Kind.SCALE else None
        text = (texts.get(item.pk) or "").strip() if item.kind == Item.Kind.TEXT else ""
        if value is not None and not 1 <= value <= 5:
            raise ValidationError(
                _("An answer must be a number from 1 to 5."), code="invalid_value"
            )
        answers.append(ItemAnswer(item=item, value=value, text=text))
    if not any(answer.value is not None or answer.text for answer in answers):
        raise ValidationError(_("Answer at least one question."), code="empty_response")
    return answers


def _response_create(
    survey_round: SurveyRound, answers: list[ItemAnswer], age_group: str, channel: str, today
) -> Response:
    response = Response.objects.create(
        round=survey_round, submitted_on=today, age_group=age_group, channel=channel
    )
    for answer in answers:
        answer.response = response
    ItemAnswer.objects.bulk_create(answers)
    return response


def response_submit_online(
    *,
    user,
    survey_round: SurveyRound,
    values: Mapping[int, int | None],
    texts: Mapping[int, str] | None = None,
    age_group: str = "",
    today=None,
) -> Response:
    """Store a signed-in resident's answers to an open round, once per person and round.

    Raise ValidationError if the round is not open, the answers are invalid or the person has
    already answered. The round's row is locked while the mark is checked and written, and the
    mark's unique key rejects a second answer even without the lock.
    """
    today = today or timezone.localdate()
    if not user.is_authenticated:
        raise PermissionDenied
    if not survey_round.is_open(today):
        raise ValidationError(_("This survey is not open for answers."), code="closed")
    answers = _clean_answers(survey_round, values, texts or {}, age_group)
    key = mark_key(survey_round, user)
    already = ValidationError(
        _("You have already answered this survey. Each person answers once."),
        code="already_answered",
    )
    try:
        with transaction.atomic():
            SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
            if AnsweredMark.objects.filter(round=survey_round, key=key).exists():
                raise already
            AnsweredMark.objects.create(round=survey_round, key=key)
            response = _response_create(
                survey_round, answers, age_group, Response.Channel.ONLINE, today
            )
    except IntegrityError:
        raise already from None
    logger.info("survey response stored round=%s channel=online", survey_round.pk)
    return response


def response_enter_paper(
    *,
    user,
    survey_round: SurveyRound,
    code: str,
    values: Mapping[int, int | None],
    texts: Mapping[int, str] | None = None,
    age_group: str = "",
    today=None,
) -> Response:
    """Enter one paper form of the round with its single-use code, and use the code up.

    Raise ValidationError for an unknown or used code or invalid answers. The code's row is
    locked, so two staff members entering the same form at once store it once.
    """
    _require_manager(user)
    today = today or timezone.localdate()
    answers = _clean_answers(survey_round, values, texts or {}, age_group)
    with transaction.atomic():
        paper_code = (
            PaperCode.objects.select_for_update()
            .filter(round=survey_round, code_hash=code_hash(survey_round, code))
            .first()
        )
        if paper_code is None:
            raise ValidationError(
                _("The code is not a code of this survey. Check the code on the form."),
                code="unknown_code",
            )
        if paper_code.is_used:
            raise ValidationError(
                _("This code has already been used. Each paper form is entered once."),
                code="used_code",
            )
        paper_code.is_used = True
        paper_code.save(update_fields=["is_used"])
        response = _response_create(survey_round, answers, age_group, Response.Channel.PAPER, today)
        # The audit event names the round only: neither the code nor the answers.
        record(user, "surveys.enter_paper_response", survey_round, summary=survey_round.label)
    logger.info("survey response stored round=%s channel=paper", survey_round.pk)
    return response
