"""Receipt codes: generation, normalisation, the public hash and the purpose-bound keyed hashes.

A receipt code has 16 characters of Crockford's Base32 alphabet, so 80 random bits: too many to
guess or to enumerate, which is what keeps its hash and keyed hashes from linking records.
"""

import hashlib
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
# Crockford's Base32 reads these look-alike letters as digits, so a mistyped code still matches.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class Purpose:
    """Domains of the keyed hashes, so a code's hash on one table never equals one on another."""

    BALLOT = "ballot"
    PARTICIPATION = "participation"


def new_code() -> str:
    """Return a new random receipt code in its normalised form, without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """Return the code in groups of four characters separated by hyphens."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str | None:
    """Return the code that `text` spells, or None if it is not a well-formed receipt code.

    Case, spaces, hyphens and the look-alike letters O, I and L do not matter.
    """
    code = "".join(text.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def public_hash(code: str) -> str:
    """Return the SHA-256 hex digest of a normalised code, as published after voting closes."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def keyed_hash(purpose: str, code: str) -> str:
    """Return the HMAC-SHA256 hex digest of a normalised code for one purpose.

    The key is OSALLISTU_IDENTITY_HMAC_KEY, or SECRET_KEY where that is unset, as in development.
    Either must stay the same while voting is open, or replacing a ballot fails.
    """
    secret = settings.OSALLISTU_IDENTITY_HMAC_KEY or settings.SECRET_KEY
    key_salt = f"osallistu.budgeting.receipt.{purpose}"
    return salted_hmac(key_salt, code, secret=secret, algorithm="sha256").hexdigest()
