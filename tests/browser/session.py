"""Sign a user in to a browser page without the sign-in form."""

from django.conf import settings
from django.test import Client


def sign_in_with_session(page, user) -> None:
    """Sign `user` in with a session made by `Client.force_login`, then open the front page.

    Staff members who sign in through the form with a password must set up two-factor
    authentication before any other page opens (docs/staff-access.md). A force_login session
    records no sign-in method, so tests of other pages start from one. tests/accounts and
    tests/browser/test_staff_access.py test the form itself.
    """
    client = Client()
    client.force_login(user)
    page.goto("/")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.url,
            }
        ]
    )
    page.goto("/")
