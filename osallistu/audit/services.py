"""Record staff actions in the audit log.

Every service that changes something on a staff member's behalf calls `record()` inside its own
transaction, so an action and its audit event are saved together or not at all.
"""

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from . import context
from .models import AuditEvent

logger = logging.getLogger(__name__)


def record(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    summary: str = "",
    process=None,
    suburb=None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Store one audit event for `actor` taking `action` on `target` and return it.

    `actor` may be None for actions of the system itself (scheduled purges, imports run by a
    command). `details` must be JSON-serialisable and contain no personal data.
    """
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    target_label = str(target)[:300] if target is not None else ""
    if isinstance(target, get_user_model()):
        # An account's name is its email address, which account deletion must remove everywhere.
        target_label = f"#{target.pk}"
    event = AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_label=f"#{actor.pk}" if signed_in else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=target_label,
        process=process,
        suburb=suburb,
        summary=summary[:500],
        details=details or {},
    )
    context.note_recorded()
    logger.info("audit action=%s target=%s:%s", action, event.target_type, event.target_id)
    return event
