"""Reads for follows and notifications."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import Follow, Notification

__all__ = ["follow_list", "is_following", "notification_list", "unread_count"]


def is_following(user, target) -> bool:
    """Return True if `user` follows `target`."""
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).exists()


def follow_list(user) -> QuerySet[Follow]:
    """Return what `user` follows, with each target loaded by one query per target type."""
    return (
        Follow.objects.filter(user=user)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")
    )


def notification_list(user) -> QuerySet[Notification]:
    """Return the user's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """Return how many of the user's notifications are unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
