"""Reads of the accessibility app."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import Feedback, StatementDetails


def statement_details() -> StatementDetails | None:
    """Return the newest statement details, or None before staff have entered any."""
    return StatementDetails.objects.first()


def open_feedback() -> QuerySet[Feedback]:
    """Return unanswered feedback, oldest first, since the oldest is due first."""
    return Feedback.objects.filter(answered_at__isnull=True).order_by("created_at")


def answered_feedback(limit: int = 50) -> QuerySet[Feedback]:
    """Return the most recently answered feedback."""
    return (
        Feedback.objects.filter(answered_at__isnull=False)
        .select_related("answered_by")
        .order_by("-answered_at")[:limit]
    )


def feedback_age_days(feedback: Feedback, today: datetime.date | None = None) -> int:
    """Return how many whole days ago the feedback arrived."""
    today = today or timezone.localdate()
    return (today - timezone.localdate(feedback.created_at)).days
