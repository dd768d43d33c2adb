"""Writes for follows and notifications.

A notification is a row in the recipient's in-site list, written in the recipient's language.
Users who opted in also get it by email: the email is queued as a background task only after the
surrounding transaction commits, so a rolled-back change never sends one.
"""

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import Truncator

from osallistu.areas.models import Suburb
from osallistu.implementation.models import ImplementationItem
from osallistu.participation.models import Debate, Idea, Process

from .models import Follow, Notification
from .tasks import send_notification_email

__all__ = [
    "FOLLOW_MODELS",
    "follow",
    "notify_followers",
    "notify_user",
    "unfollow",
]

logger = logging.getLogger(__name__)

# Models that residents may follow, keyed by the name used in URLs.
FOLLOW_MODELS: dict[str, type] = {
    "suburb": Suburb,
    "process": Process,
    "idea": Idea,
    "debate": Debate,
    "implementationitem": ImplementationItem,
}
_MESSAGE_MAX_LENGTH = Notification._meta.get_field("message").max_length


def _content_type(target) -> ContentType:
    if type(target) not in FOLLOW_MODELS.values():
        raise TypeError(f"{type(target).__name__} cannot be followed")
    return ContentType.objects.get_for_model(target)


def follow(user, target) -> Follow:
    """Make `user` follow a suburb, process, idea or debate. Following twice changes nothing."""
    follow, created = Follow.objects.get_or_create(
        user=user, content_type=_content_type(target), object_id=target.pk
    )
    if created:
        logger.info(
            "follow created user=%s target=%s:%s", user.pk, target._meta.model_name, target.pk
        )
    return follow


def unfollow(user, target) -> None:
    """Stop `user` following `target`. Unfollowing what is not followed changes nothing."""
    Follow.objects.filter(
        user=user, content_type=_content_type(target), object_id=target.pk
    ).delete()


def _render(message, params: Mapping | None) -> str:
    """Return `message` in the active language with `params` filled in, cut to fit the model."""
    text = str(message)
    if params:
        text = text % {
            key: str(value) if isinstance(value, Promise) else value
            for key, value in params.items()
        }
    return Truncator(text).chars(_MESSAGE_MAX_LENGTH)


def _localized_url(url: str, language: str) -> str:
    # translate_url resolves the path in the active language, so it runs before any override.
    return translate_url(url, language) if url else ""


def _queue_email(notification: Notification) -> None:
    transaction.on_commit(functools.partial(send_notification_email.enqueue, notification.pk))


def notify_user(user, *, message, url: str = "", params: Mapping | None = None):
    """Tell one user about something that concerns them, in the site and by opt-in email.

    `message` is translated in the user's language: pass a lazy translation such as
    gettext_lazy("...%(title)s...") with its placeholders in `params`, because a string that is
    already formatted stays in the language it was formatted in. `url` is a path on this site.
    Return the Notification, or None for an inactive account.

    Inside a transaction the notification is written with it, and the email is queued only if
    the transaction commits.
    """
    if not user.is_active:
        return None
    language = user.language or translation.get_language()
    localized_url = _localized_url(url, language)
    with translation.override(language):
        text = _render(message, params)
    notification = Notification.objects.create(user=user, message=text, url=localized_url)
    if user.email_notifications and user.email:
        _queue_email(notification)
    return notification


def _targets(target) -> list:
    if isinstance(target, Iterable) and not isinstance(target, str):
        return list(target)
    return [target]


def notify_followers(
    target, *, message, url: str = "", exclude_user=None, params: Mapping | None = None
) -> int:
    """Notify everyone who follows `target` of a change, and return the number notified.

    `target` is a suburb, process, idea or debate, or a list of them: a user who follows several
    of the targets gets one notification. `exclude_user` (usually the user who made the change)
    gets none. `message`, `url` and `params` work as in notify_user.
    """
    condition = Q()
    for item in _targets(target):
        condition |= Q(content_type=_content_type(item), object_id=item.pk)
    if not condition:
        return 0
    followers = get_user_model().objects.filter(
        is_active=True, pk__in=Follow.objects.filter(condition).values("user_id")
    )
    if exclude_user is not None:
        followers = followers.exclude(pk=exclude_user.pk)
    followers = list(followers.only("pk", "email", "language", "email_notifications"))

    by_language: dict[str, list] = defaultdict(list)
    for user in followers:
        by_language[user.language or translation.get_language()].append(user)
    notifications = []
    for language, users in by_language.items():
        localized_url = _localized_url(url, language)
        with translation.override(language):
            text = _render(message, params)
        notifications += [
            Notification(user=user, message=text, url=localized_url) for user in users
        ]
    # Django sets the new primary keys on PostgreSQL and SQLite 3.35+ (see QuerySet.bulk_create),
    # and the email tasks need them.
    Notification.objects.bulk_create(notifications, batch_size=500)

    for notification in notifications:
        if notification.user.email_notifications and notification.user.email:
            _queue_email(notification)
    logger.info("followers notified count=%s", len(notifications))
    return len(notifications)
