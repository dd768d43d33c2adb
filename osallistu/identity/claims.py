"""What an identification adapter hands to the eligibility service."""

import datetime
from dataclasses import dataclass, field


class Method:
    """Identification methods. Values are stored in EligibilityRecord.method."""

    SUOMIFI = "suomifi"
    OIDC = "oidc"
    SCHOOL = "school"
    LOCAL_TEST = "local_test"
    DESK = "desk"

    ONLINE = (SUOMIFI, OIDC, SCHOOL, LOCAL_TEST)


@dataclass(frozen=True)
class IdentityClaims:
    """One identified person, as an adapter read them from its provider; never stored as is.

    `national_id` is the Finnish personal identity code where the provider gives one. A provider
    without it (school identification) gives `issuer` and `subject`, its own pseudonymous
    identifier, and perhaps `birth_date` or `class_level`. `security_denial` is set when the
    population register withholds the person's address (turvakielto), so that no municipality or
    postal code is known. The representation hides the number and the subject, so that logging a
    claims object by mistake leaks neither.
    """

    method: str
    national_id: str = field(default="", repr=False)
    issuer: str = ""
    subject: str = field(default="", repr=False)
    given_names: str = field(default="", repr=False)
    birth_date: datetime.date | None = field(default=None, repr=False)
    # School year (1-10) where no birth date is known; ages are then bounded from below.
    class_level: int | None = None
    municipality_code: str = ""
    postal_code: str = ""
    security_denial: bool = False
    is_self_declared: bool = False
