"""Writes for debates: staff open a debate and close it with a conclusion."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.notifications import services as notification_services

from .. import rules
from ..comment_forms import clean_plain_text
from ..models import Debate, Process

__all__ = ["debate_close", "debate_create"]

logger = logging.getLogger(__name__)

_TITLE_MAX_LENGTH = Debate._meta.get_field("title").max_length
_TEXT_MAX_LENGTH = Debate._meta.get_field("description").max_length


def _check_manager(user, process: Process) -> None:
    if not rules.can(user, rules.Action.MANAGE_DEBATES, process):
        raise PermissionDenied(_("You do not have the right to open or close debates."))


def debate_create(user, *, process: Process, title: str, description: str) -> Debate:
    """Open a debate in `process`.

    Raise PermissionDenied unless `user` may take rules.Action.MANAGE_DEBATES in the process, and
    ValidationError (codes required, max_length, html) for bad text.
    """
    _check_manager(user, process)
    title = clean_plain_text(
        title,
        field="title",
        max_length=_TITLE_MAX_LENGTH,
        required_message=_("Give the debate a title."),
    )
    description = clean_plain_text(
        description,
        field="description",
        max_length=_TEXT_MAX_LENGTH,
        required_message=_("Describe what the debate is about."),
    )
    with transaction.atomic():
        debate = Debate.objects.create(
            process=process, title=title, description=description, created_by=user
        )
    logger.info("debate created debate=%s process=%s", debate.pk, process.pk)
    return debate


def debate_close(user, debate: Debate, *, conclusion: str) -> Debate:
    """Close `debate` with its `conclusion`; a closed debate takes no new comments or likes.

    Raise PermissionDenied unless `user` may take rules.Action.MANAGE_DEBATES in the process, and
    ValidationError (codes required, max_length, html, closed) for a missing or bad conclusion or
    a debate that is already closed. Followers hear of it after commit.
    """
    _check_manager(user, debate.process)
    conclusion = clean_plain_text(
        conclusion,
        field="conclusion",
        max_length=_TEXT_MAX_LENGTH,
        required_message=_("Write the conclusion of the debate before closing it."),
    )
    with transaction.atomic():
        locked = Debate.objects.select_for_update().get(pk=debate.pk)
        if locked.is_closed:
            raise ValidationError(_("This debate is already closed."), code="closed")
        locked.is_closed = True
        locked.conclusion = conclusion
        locked.closed_at = timezone.now()
        locked.save(update_fields=["is_closed", "conclusion", "closed_at"])
        url = reverse("participation:debate_detail", args=[debate.process.slug, debate.pk])
        transaction.on_commit(
            lambda: notification_services.notify_followers(
                locked,
                message=gettext_lazy("A debate you follow has been closed with a conclusion."),
                url=url,
                exclude_user=user,
            )
        )
    debate.is_closed, debate.conclusion, debate.closed_at = (
        locked.is_closed,
        locked.conclusion,
        locked.closed_at,
    )
    logger.info("debate closed debate=%s", debate.pk)
    return debate
