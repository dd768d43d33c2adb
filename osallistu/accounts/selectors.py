from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from .adapters import CITY_PROVIDER_ID


@dataclass(frozen=True)
class SecurityStatus:
    """Sign-in methods of an account: an authenticator app, recovery codes, the city's sign-in."""

    has_totp: bool
    unused_recovery_codes: int
    uses_city_sign_in: bool


def security_status(user) -> SecurityStatus:
    """Return the sign-in methods of `user` for the security section of the account page."""
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    recovery_codes = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    return SecurityStatus(
        has_totp=Authenticator.Type.TOTP in authenticators,
        unused_recovery_codes=(
            len(recovery_codes.wrap().get_unused_codes()) if recovery_codes else 0
        ),
        uses_city_sign_in=SocialAccount.objects.filter(
            user=user, provider=CITY_PROVIDER_ID
        ).exists(),
    )
