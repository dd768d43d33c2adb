"""Writes of the accessibility app: feedback from users and answers by staff."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.participation import rules
from osallistu.participation.rules import Action

from .models import Feedback

logger = logging.getLogger(__name__)


def feedback_submit(
    *, page_address: str, message: str, contact_email: str, language: str
) -> Feedback:
    """Store accessibility feedback; staff see it on the feedback list with its due date."""
    message = message.strip()
    if not message:
        raise ValidationError(_("Describe the problem."), code="empty")
    feedback = Feedback.objects.create(
        page_address=page_address.strip(),
        message=message,
        contact_email=contact_email.strip(),
        language=language,
    )
    logger.info("Accessibility feedback %s received", feedback.pk)
    return feedback


def feedback_mark_answered(*, user, feedback_id: int, answer_note: str) -> Feedback:
    """Record that staff answered the feedback, and how.

    Raise PermissionDenied unless `user` may answer feedback, and ValidationError when the
    feedback was already answered, so that two staff members do not both answer it.
    """
    if not rules.can(user, Action.ANSWER_FEEDBACK):
        raise PermissionDenied
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
        if feedback.answered_at is not None:
            raise ValidationError(_("This feedback has already been answered."), code="answered")
        feedback.answered_at = timezone.now()
        feedback.answer_note = answer_note.strip()
        feedback.answered_by = user
        feedback.save(update_fields=["answered_at", "answer_note", "answered_by"])
    logger.info("Accessibility feedback %s answered by user %s", feedback.pk, user.pk)
    return feedback
