"""Writes for development themes: staff draft them, residents suggest them, staff decide.

A theme drafted by staff is accepted at once. A resident's suggestion waits for staff, who accept,
merge or decline it, always with a public reason that the theme page shows. Merging moves the
merged theme's ideas to the target theme.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.moderation import services as moderation_services
from osallistu.notifications import services as notification_services

from .. import rules
from ..comment_forms import clean_plain_text
from ..models import Idea, Process, Theme

__all__ = [
    "THEME_REASON_MAX_LENGTH",
    "ThemeDecision",
    "theme_check_may_manage",
    "theme_check_may_suggest",
    "theme_decide",
    "theme_decisions_for",
    "theme_draft",
    "theme_suggest",
]

logger = logging.getLogger(__name__)

_TITLE_MAX_LENGTH = Theme._meta.get_field("title").max_length
_DESCRIPTION_MAX_LENGTH = Theme._meta.get_field("description").max_length
THEME_REASON_MAX_LENGTH = 2000


class ThemeDecision(models.TextChoices):
    """A staff decision about a theme."""

    ACCEPT = "accept", gettext_lazy("Accept")
    MERGE = "merge", gettext_lazy("Merge into another theme")
    DECLINE = "decline", gettext_lazy("Decline")


# Decisions open to a theme of each status. An accepted theme may still be merged, so that two
# overlapping themes become one; declined and merged themes are final.
_DECISIONS_BY_STATUS = {
    Theme.Status.SUGGESTED: (ThemeDecision.ACCEPT, ThemeDecision.MERGE, ThemeDecision.DECLINE),
    Theme.Status.ACCEPTED: (ThemeDecision.MERGE,),
}

_DECIDED_MESSAGES = {
    ThemeDecision.ACCEPT: gettext_lazy(
        "Your theme suggestion “%(title)s” was accepted. Read the reason on the theme page."
    ),
    ThemeDecision.MERGE: gettext_lazy(
        "Your theme suggestion “%(title)s” was merged into another theme. Read the reason on "
        "the theme page."
    ),
    ThemeDecision.DECLINE: gettext_lazy(
        "Your theme suggestion “%(title)s” was declined. Read the reason on the theme page."
    ),
}


def theme_decisions_for(theme: Theme) -> tuple[str, ...]:
    """Return the decisions staff may still make about `theme`; empty once it is final."""
    return _DECISIONS_BY_STATUS.get(theme.status, ())


def _clean_theme_text(process: Process, title: str, description: str, *, required_description):
    """Return the stripped title and description, or raise ValidationError naming the field."""
    title = clean_plain_text(
        title,
        field="title",
        max_length=_TITLE_MAX_LENGTH,
        required_message=_("Give the theme a title."),
    )
    description = clean_plain_text(
        description,
        field="description",
        max_length=_DESCRIPTION_MAX_LENGTH,
        required_message=required_description,
    )
    # A declined theme may be suggested again, but a live one is not repeated.
    duplicate = (
        Theme.objects.filter(process=process)
        .exclude(status=Theme.Status.DECLINED)
        .annotate(lower_title=Lower("title"))
        .filter(lower_title=title.lower())
        .first()
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "title": ValidationError(
                    _("The process already has a theme called “%(title)s”."),
                    code="duplicate",
                    params={"title": duplicate.title},
                )
            }
        )
    return title, description


def theme_check_may_manage(user, process: Process) -> None:
    """Raise PermissionDenied unless `user` may take rules.Action.MANAGE_THEMES in `process`."""
    if not rules.can(user, rules.Action.MANAGE_THEMES, process):
        raise PermissionDenied(_("You do not have the right to manage the themes of this process."))


def theme_check_may_suggest(user, process: Process) -> None:
    """Raise PermissionDenied, saying why, unless `user` may suggest a theme in `process` now."""
    if rules.can(user, rules.Action.SUGGEST_THEME, process):
        return
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to suggest a theme."))
    if rules.is_blocked(user):
        raise PermissionDenied(_("Your account has been blocked from posting."))
    raise PermissionDenied(_("Themes cannot be suggested in this phase of the process."))


def theme_draft(user, *, process: Process, title: str, description: str = "") -> Theme:
    """Create an accepted theme of `process`, drafted by staff (for example from welfare data).

    Raise PermissionDenied unless `user` may take rules.Action.MANAGE_THEMES in the process, and
    ValidationError (codes required, max_length, html, duplicate) for bad text.
    """
    theme_check_may_manage(user, process)
    title, description = _clean_theme_text(process, title, description, required_description=None)
    with transaction.atomic():
        theme = Theme.objects.create(
            process=process,
            title=title,
            description=description,
            status=Theme.Status.ACCEPTED,
            decided_at=timezone.now(),
        )
    logger.info("theme drafted theme=%s process=%s", theme.pk, process.pk)
    return theme


def theme_suggest(user, *, process: Process, title: str, description: str) -> Theme:
    """Create a resident's suggestion of a theme, which waits for a staff decision.

    Raise PermissionDenied unless `user` may take rules.Action.SUGGEST_THEME in the process now,
    and ValidationError (codes required, max_length, html, duplicate, rate_limited) for bad text
    or too many posts. A suggestion counts against the author's posting limit.
    """
    theme_check_may_suggest(user, process)
    title, description = _clean_theme_text(
        process,
        title,
        description,
        required_description=_("Tell why the theme matters to your area."),
    )
    moderation_services.check_posting_rate(user)
    with transaction.atomic():
        theme = Theme.objects.create(
            process=process,
            title=title,
            description=description,
            status=Theme.Status.SUGGESTED,
            suggested_by=user,
        )
    logger.info("theme suggested theme=%s process=%s", theme.pk, process.pk)
    return theme


def _lock_pair(theme: Theme, target: Theme | None) -> tuple[Theme, Theme | None]:
    """Lock `theme` and `target` in primary-key order, so two merges cannot deadlock."""
    pks = sorted({theme.pk, target.pk} if target is not None else {theme.pk})
    rows = Theme.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    locked = {row.pk: row for row in rows}
    return locked[theme.pk], (locked.get(target.pk) if target is not None else None)


def _check_merge_target(theme: Theme, target: Theme | None) -> None:
    if target is None:
        raise ValidationError(
            {"merge_into": ValidationError(_("Choose the theme to merge into."), code="required")}
        )
    if target.pk == theme.pk or target.process_id != theme.process_id:
        raise ValidationError(
            {
                "merge_into": ValidationError(
                    _("Choose another theme of the same process."), code="invalid_target"
                )
            }
        )
    if target.status != Theme.Status.ACCEPTED:
        raise ValidationError(
            {
                "merge_into": ValidationError(
                    _("A theme can be merged only into an accepted theme."),
                    code="invalid_target",
                )
            }
        )


def _notify_suggester(theme: Theme, decision: str, user) -> None:
    """Tell the resident who suggested `theme` about the decision, after commit."""
    suggester = theme.suggested_by
    if suggester is None or suggester == user:
        return
    url = reverse("participation:theme_list", args=[theme.process.slug]) + f"#theme-{theme.pk}"
    transaction.on_commit(
        lambda: notification_services.notify_user(
            suggester, message=_DECIDED_MESSAGES[decision], url=url, params={"title": theme.title}
        )
    )


def theme_decide(
    user, theme: Theme, *, decision: str, reason: str, merge_into: Theme | None = None
) -> Theme:
    """Accept, merge or decline `theme` with a public `reason`, and return it as decided.

    A suggested theme may be accepted, merged or declined, an accepted one only merged. Merging
    moves the theme's ideas, and the themes merged into it earlier, to `merge_into`, which must
    be another accepted theme of the same process. The resident who suggested the theme hears
    of the decision after commit.

    Raise PermissionDenied unless `user` may take rules.Action.MANAGE_THEMES in the process, and
    ValidationError (codes required, max_length, html, invalid_decision, invalid_target) for a
    missing reason, a decision the theme no longer allows or a bad merge target.
    """
    theme_check_may_manage(user, theme.process)
    reason = clean_plain_text(
        reason,
        field="reason",
        max_length=THEME_REASON_MAX_LENGTH,
        required_message=_("Write the public reason for the decision."),
    )
    if decision not in ThemeDecision.values:
        raise ValidationError(
            {"decision": ValidationError(_("Choose a decision."), code="invalid_decision")}
        )
    if decision != ThemeDecision.MERGE:
        merge_into = None

    with transaction.atomic():
        locked, target = _lock_pair(theme, merge_into)
        if decision not in theme_decisions_for(locked):
            raise ValidationError(
                {
                    "decision": ValidationError(
                        _("This theme has already been decided as “%(status)s”."),
                        code="invalid_decision",
                        params={"status": locked.get_status_display()},
                    )
                }
            )
        if decision == ThemeDecision.MERGE:
            _check_merge_target(locked, target)
            moved = Idea.objects.filter(theme=locked).update(theme=target)
            Theme.objects.filter(merged_into=locked).update(merged_into=target)
            logger.info(
                "theme ideas moved theme=%s target=%s ideas=%s", locked.pk, target.pk, moved
            )
        locked.status = {
            ThemeDecision.ACCEPT: Theme.Status.ACCEPTED,
            ThemeDecision.MERGE: Theme.Status.MERGED,
            ThemeDecision.DECLINE: Theme.Status.DECLINED,
        }[decision]
        locked.merged_into = target
        locked.public_reason = reason
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "merged_into", "public_reason", "decided_at"])
        _notify_suggester(locked, decision, user)
    logger.info("theme decided theme=%s decision=%s", locked.pk, decision)
    return locked
