"""Writes for ideas: one function per action, each checking its own permission."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from osallistu.areas.models import Suburb

from .. import rules
from ..models import Idea, Process

__all__ = ["idea_create"]

logger = logging.getLogger(__name__)


def idea_create(
    *,
    user,
    process: Process,
    title: str,
    description: str,
    suburb: Suburb | None = None,
    image=None,
) -> Idea:
    """Create a published idea by `user` in `process`.

    Raise PermissionDenied unless the user is signed in and ideation is open.
    """
    if not rules.can_submit_idea(user, process):
        raise PermissionDenied(_("Ideas can be submitted only while ideation is open."))
    with transaction.atomic():
        idea = Idea(
            process=process, author=user, title=title, description=description, suburb=suburb
        )
        if image:
            idea.image = image
        idea.save()
    logger.info("idea created idea=%s process=%s", idea.pk, process.pk)
    return idea
