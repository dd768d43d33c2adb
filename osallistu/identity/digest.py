"""Keyed digests of Finnish national identification numbers (henkilötunnus, HETU).

The number itself is never stored, logged or put in a session: eligibility records keep only
`identity_digest()`, an HMAC-SHA256 under OSALLISTU_IDENTITY_HMAC_KEY. Without the key a digest
cannot be tested against the small space of possible numbers, which a plain hash could.
"""

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.fi import hetu

# Development only, like the fixed SECRET_KEY of DEBUG: digests made with it mean nothing.
DEVELOPMENT_KEY = "development-only-identity-key"

# Century signs: "+" 1800s; "-" and, since 2023, Y X W V U 1900s; "A" and B C D E F 2000s.
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_DATE_PART = re.compile(r"^(\d\d)(\d\d)(\d\d)(.)")


def _key() -> bytes:
    key = settings.OSALLISTU_IDENTITY_HMAC_KEY
    if not key:
        if not settings.DEBUG:
            raise ImproperlyConfigured("OSALLISTU_IDENTITY_HMAC_KEY is required when DEBUG is off.")
        key = DEVELOPMENT_KEY
    return key.encode()


def normalise_national_id(national_id: str) -> str:
    """Return the number in upper case without surrounding space, or raise ValidationError.

    The check digit, the date and the century sign (including the 2023 signs) are checked.
    Individual numbers 900-999, which the test services and temporary numbers use, are accepted.
    The error message never repeats the number.
    """
    try:
        return hetu.validate(national_id or "", allow_temporary=True)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This is not a valid Finnish personal identity code."), code="invalid_national_id"
        ) from None


def birth_date(national_id: str) -> datetime.date:
    """Return the birth date that a valid national identification number encodes."""
    number = normalise_national_id(national_id)
    day, month, year, sign = _DATE_PART.match(number).groups()
    return datetime.date(_CENTURIES[sign] + int(year), int(month), int(day))


def identity_digest(national_id: str) -> str:
    """Return the hex HMAC-SHA256 of the normalised number under OSALLISTU_IDENTITY_HMAC_KEY.

    Raise ValidationError (code "invalid_national_id") for an invalid number, and
    ImproperlyConfigured when the key is missing outside DEBUG.
    """
    number = normalise_national_id(national_id)
    return hmac.new(_key(), number.encode(), hashlib.sha256).hexdigest()


def subject_digest(issuer: str, subject: str) -> str:
    """Return the digest of a provider's own identifier, for identities without a national number.

    School identification gives a pseudonymous identifier instead of a national number; the issuer
    is part of the digested text so that identifiers of two providers never collide with each other
    or with a national number.
    """
    text = f"subject:{issuer}:{subject}"
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()
