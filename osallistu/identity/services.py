"""Establish who may vote: eligibility records from identification or from a service desk."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.budgeting.models import BudgetArea, BudgetingSettings
from osallistu.core.age_groups import configured_age_groups
from osallistu.participation import rules
from osallistu.participation.models import Channel, Process
from osallistu.participation.rules import Action

from . import digest as digests
from .claims import IdentityClaims, Method
from .models import EligibilityRecord

logger = logging.getLogger(__name__)

# A pupil in school year N turns N + 6 during the calendar year at the latest (autumn term) and
# may be a year younger before the birthday; see docs/identification.md.
_SCHOOL_AGE_OFFSET = 5


def budgeting_settings(process: Process) -> BudgetingSettings:
    """Return the process's budgeting settings, or unsaved defaults where it has none."""
    try:
        return process.budgeting_settings
    except BudgetingSettings.DoesNotExist:
        return BudgetingSettings(process=process)


def residence_decides_area(process: Process, rules_: BudgetingSettings) -> bool:
    """Return True if the voter's postal code decides in which areas they may vote.

    It does where the process requires residence, and where residents vote in their own area
    and the process has more than one area: a postal code in no area then leaves no ballot.
    """
    if rules_.require_residence:
        return True
    return (
        rules_.area_choice == BudgetingSettings.AreaChoice.OWN_AREA
        and BudgetArea.objects.filter(process=process).count() > 1
    )


def reference_date(rules_: BudgetingSettings, on: datetime.date) -> datetime.date:
    """Return the day on which the voter's age counts, for a vote cast or identified on `on`."""
    if rules_.age_reference == BudgetingSettings.AgeReference.END_OF_YEAR:
        return datetime.date(on.year, 12, 31)
    return on


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Return the age in whole years on `day` of a person born on `born`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_group(age: int) -> str:
    """Return the key ("13-17", "65+") of the OSALLISTU_AGE_GROUPS group that contains `age`.

    The keys are those of osallistu.core.age_groups, so that turnout tables match voters to the
    population of the same group.
    """
    for group in configured_age_groups():
        if age >= group.start and (group.end is None or age <= group.end):
            return group.key
    return ""


def _check_age(claims: IdentityClaims, rules_: BudgetingSettings, day: datetime.date) -> str:
    """Raise ValidationError "too_young"; return the age group for the record."""
    born = claims.birth_date
    if claims.national_id:
        born = digests.birth_date(claims.national_id)
    if born is not None:
        age = age_on(born, day)
        group = age_group(age)
    elif claims.class_level is not None:
        # Only a lower bound is known, which is enough to admit and too little for a group.
        age = claims.class_level + _SCHOOL_AGE_OFFSET
        group = ""
    else:
        age, group = -1, ""
    if age < rules_.min_age:
        raise ValidationError(
            _(
                "You must be at least %(age)s years old on %(day)s to vote. If you think this is "
                "wrong, ask at a service desk."
            ),
            code="too_young",
            params={"age": rules_.min_age, "day": day.strftime("%d.%m.%Y")},
        )
    return group


def _check_residence(claims: IdentityClaims, process: Process, rules_: BudgetingSettings) -> None:
    if claims.security_denial:
        raise ValidationError(
            _(
                "Your address is not available to us because of a security denial. You can vote "
                "in person with staff assistance."
            ),
            code="security_denial",
        )
    if not claims.municipality_code:
        raise ValidationError(
            _("Your home municipality could not be read. You can vote with staff assistance."),
            code="missing_municipality",
        )
    if claims.municipality_code != rules_.municipality_code:
        raise ValidationError(
            # A bare name avoids case endings, which Finnish would need for "residents of X".
            _("Only people whose home municipality is %(municipality)s can vote in this vote."),
            code="wrong_municipality",
            params={"municipality": settings.OSALLISTU_CITY_NAME},
        )
    if residence_decides_area(process, rules_):
        codes = {
            code
            for area_codes in BudgetArea.objects.filter(process=process).values_list(
                "postal_codes", flat=True
            )
            for code in area_codes or []
        }
        if claims.postal_code not in codes:
            raise ValidationError(
                _(
                    "Only residents of the voting areas can vote. Your postal code is not among "
                    "the postal codes of the areas."
                ),
                code="not_resident_in_area",
            )


def _digest(claims: IdentityClaims) -> str:
    if claims.national_id:
        return digests.identity_digest(claims.national_id)
    if claims.issuer and claims.subject:
        return digests.subject_digest(claims.issuer, claims.subject)
    raise ValidationError(_("The identification gave no identifier."), code="missing_identifier")


@transaction.atomic
def establish_eligibility(
    process: Process,
    identity: IdentityClaims,
    channel: str = Channel.ONLINE,
    *,
    created_by=None,
    on: datetime.date | None = None,
) -> EligibilityRecord:
    """Check that the identified person may vote in `process` and return their record.

    Check the age on the process's reference day (31 December of the year, or the day itself), the
    home municipality and, where the postal code decides the area (`residence_decides_area`), a
    postal code of one of its areas. Each
    failure raises ValidationError with its own code: invalid_national_id, missing_identifier,
    too_young, security_denial, missing_municipality, wrong_municipality, not_resident_in_area.

    One person has one record per process, whichever channel or method they come through: when a
    record exists, it is returned unchanged. `channel` is recorded in the log only.
    """
    day = on or timezone.localdate()
    rules_ = budgeting_settings(process)
    person = _digest(identity)
    group = _check_age(identity, rules_, reference_date(rules_, day))
    _check_residence(identity, process, rules_)
    existing = EligibilityRecord.objects.filter(process=process, digest=person).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            record = EligibilityRecord.objects.create(
                process=process,
                digest=person,
                method=identity.method,
                age_group=group,
                municipality_code=identity.municipality_code,
                postal_code=identity.postal_code,
                is_self_declared=identity.is_self_declared,
                created_by=created_by,
            )
    except IntegrityError:
        # Another request of the same person created it in between.
        return EligibilityRecord.objects.get(process=process, digest=person)
    logger.info(
        "Eligibility record %s created in process %s by %s through %s",
        record.pk,
        process.pk,
        identity.method,
        channel,
    )
    return record


def create_desk_record(
    staff_user,
    process: Process,
    national_id: str,
    municipality_code: str,
    postal_code: str,
    *,
    on: datetime.date | None = None,
) -> EligibilityRecord:
    """Record a person whose identity document staff checked at a service desk.

    The number is read from the document; the municipality and postal code are what the person
    declares, and the record says so. The same checks as online apply. Raise PermissionDenied
    unless the user may assist voting in the process.
    """
    if not rules.can(staff_user, Action.ASSIST_VOTING, process):
        raise PermissionDenied
    claims = IdentityClaims(
        method=Method.DESK,
        national_id=national_id,
        municipality_code=(municipality_code or "").strip(),
        postal_code=(postal_code or "").strip(),
        is_self_declared=True,
    )
    return establish_eligibility(process, claims, Channel.ASSISTED, created_by=staff_user, on=on)
