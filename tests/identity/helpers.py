"""Valid Finnish test identity codes for any birth date, for eligibility tests."""

import datetime

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# The test number of the stored Suomi.fi response; tests show that it is stored nowhere.
SUOMIFI_TEST_HETU = "210281-9988"


def make_hetu(born: datetime.date, individual: int = 902, sign: str | None = None) -> str:
    """Return a valid identity code for `born`, in the 900-999 range that real people never get."""
    if sign is None:
        sign = {1800: "+", 1900: "-", 2000: "A"}[born.year // 100 * 100]
    digits = f"{born:%d%m%y}{individual:03d}"
    return f"{born:%d%m%y}{sign}{individual:03d}{_CHECK[int(digits) % 31]}"
