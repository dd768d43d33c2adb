"""Writes for follows and notifications.

TODO: the follow, notify and email functions are stubs until the notifications feature lands.
"""

import logging

__all__ = ["notify_followers", "notify_user"]

logger = logging.getLogger(__name__)


def notify_user(user, *, message: str, url: str = "") -> None:
    """Tell one user about something that concerns them, in the site and by opt-in email."""
    logger.debug("notification skipped user=%s", getattr(user, "pk", None))


def notify_followers(target, *, message: str, url: str = "", exclude_user=None) -> None:
    """Tell everyone who follows `target` (a suburb, process, idea or debate) about a change."""
    logger.debug("follower notification skipped target=%s", getattr(target, "pk", None))
