"""Writes for moderation: reports, hiding, approval, account blocks and posting limits.

Every moderator action checks the moderator's role through the permission rules and writes a
ModerationLogEntry in the same transaction as the change, so the audit log cannot miss an action
that took effect.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.ratelimit import is_rate_limited
from osallistu.notifications.services import notify_user
from osallistu.participation import rules
from osallistu.participation.models import Comment, Idea, Process, Visibility

from .models import AccountBlock, ModerationLogEntry, Report
from .selectors import content_process, content_url, is_account_moderator, is_moderator

__all__ = [
    "POSTING_LIMIT",
    "POSTING_PERIOD_SECONDS",
    "REASON_MAX_LENGTH",
    "REPORT_LIMIT",
    "REPORT_PERIOD_SECONDS",
    "account_block",
    "account_unblock",
    "check_posting_rate",
    "content_approve",
    "content_hide",
    "content_restore",
    "initial_visibility",
    "report_create",
    "reports_dismiss",
]

logger = logging.getLogger(__name__)

# A resident may post (ideas, comments, theme suggestions) this many times in the period.
POSTING_LIMIT = 10
POSTING_PERIOD_SECONDS = 10 * 60
# A resident may send this many reports in the period.
REPORT_LIMIT = 5
REPORT_PERIOD_SECONDS = 10 * 60
# Same as the max_length of the reason fields of the moderation models.
REASON_MAX_LENGTH = 2000

Content = Idea | Comment


def initial_visibility(process: Process) -> str:
    """Return the visibility a new idea or comment gets: pending under pre-moderation."""
    return Visibility.PENDING if process.premoderation else Visibility.VISIBLE


def check_posting_rate(user) -> None:
    """Count one post by `user` and raise ValidationError once they exceed the posting limit.

    Call it once per idea, comment or theme suggestion, before saving it. Staff entering
    contributions on someone else's behalf should not call it.
    """
    if is_rate_limited(
        f"posting:{user.pk}", limit=POSTING_LIMIT, period_seconds=POSTING_PERIOD_SECONDS
    ):
        logger.info("posting rate limit reached user=%s", user.pk)
        raise ValidationError(
            _(
                "You have posted %(limit)d times in %(minutes)d minutes, which is the maximum. "
                "Wait a few minutes and try again. What you wrote is kept below."
            ),
            params={"limit": POSTING_LIMIT, "minutes": POSTING_PERIOD_SECONDS // 60},
            code="rate_limited",
        )


def _clean_reason(reason: str, *, required_message: str | None) -> str:
    """Return `reason` stripped, or raise ValidationError if it is missing or too long."""
    reason = (reason or "").strip()
    if not reason and required_message:
        raise ValidationError(required_message, code="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason is %(length)d characters long. The maximum is %(max)d characters."),
            params={"length": len(reason), "max": REASON_MAX_LENGTH},
            code="max_length",
        )
    return reason


def _require_moderator(user, process: Process) -> None:
    if not is_moderator(user, process):
        raise PermissionDenied(_("Only the moderators of this process may moderate its content."))


def _log(moderator, action: str, target, reason: str) -> ModerationLogEntry:
    return ModerationLogEntry.objects.create(
        moderator=moderator, action=action, target=target, reason=reason
    )


def _lock(content: Content) -> Content:
    """Return a fresh copy of `content`, locked for the rest of the transaction."""
    return type(content).objects.select_for_update().get(pk=content.pk)


def _open_reports(content: Content):
    return Report.objects.filter(
        content_type=ContentType.objects.get_for_model(content),
        object_id=content.pk,
        resolved_at__isnull=True,
    )


def _resolve_reports(content: Content, moderator) -> int:
    return _open_reports(content).update(resolved_at=timezone.now(), resolved_by=moderator)


def _set_visibility(content: Content, locked: Content, visibility: str, hidden_reason: str) -> None:
    locked.visibility = visibility
    locked.hidden_reason = hidden_reason
    locked.save(update_fields=["visibility", "hidden_reason"])
    # Keep the caller's object in step with the database.
    content.visibility = visibility
    content.hidden_reason = hidden_reason


def _tell_author(content: Content, *, idea_message, comment_message, reason: str = "") -> None:
    if content.author_id is None:
        return
    if isinstance(content, Idea):
        message, params = idea_message, {"title": content.title, "reason": reason}
    else:
        message, params = comment_message, {"reason": reason}
    # Notifications hold at most 500 characters, and the title and reason must both fit.
    params["reason"] = Truncator(reason).chars(300)
    notify_user(content.author, message=message, params=params, url=content_url(content))


def report_create(user, content: Content, *, reason: str) -> Report:
    """Record that `user` reports a visible idea or comment, with the reason they give.

    Raise PermissionDenied for anonymous visitors, and ValidationError for a missing reason,
    content that is not public, a second open report by the same user, or too many reports in a
    short time.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to report content."))
    reason = _clean_reason(
        reason, required_message=_("Tell the moderators what is wrong with this content.")
    )
    if content.visibility != Visibility.VISIBLE:
        raise ValidationError(
            _("This content is not public, so it cannot be reported."), code="not_visible"
        )
    duplicate = ValidationError(
        _("You have already reported this. A moderator will look at your report."),
        code="duplicate",
    )
    if _open_reports(content).filter(reporter=user).exists():
        raise duplicate
    if is_rate_limited(
        f"report:{user.pk}", limit=REPORT_LIMIT, period_seconds=REPORT_PERIOD_SECONDS
    ):
        raise ValidationError(
            _("You have sent many reports in a short time. Wait a few minutes and try again."),
            code="rate_limited",
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(content=content, reporter=user, reason=reason)
    except IntegrityError:
        # A second request of the same user won the race past the check above.
        raise duplicate from None
    logger.info("report created report=%s", report.pk)
    return report


def content_hide(moderator, content: Content, reason: str) -> None:
    """Hide a visible or pending idea or comment, showing `reason` in its place.

    Resolve the content's open reports, tell its author why and write the audit log entry.
    Raise PermissionDenied unless `moderator` moderates the content's process, and
    ValidationError for a missing reason or content that is hidden already.
    """
    _require_moderator(moderator, content_process(content))
    reason = _clean_reason(
        reason,
        required_message=_(
            "Give the reason for hiding. Residents see it in place of the hidden content."
        ),
    )
    with transaction.atomic():
        locked = _lock(content)
        if locked.visibility == Visibility.HIDDEN:
            raise ValidationError(_("This content is hidden already."), code="hidden")
        _set_visibility(content, locked, Visibility.HIDDEN, reason)
        _resolve_reports(locked, moderator)
        _log(moderator, ModerationLogEntry.Action.HIDE, locked, reason)
        _tell_author(
            content,
            idea_message=gettext_lazy('A moderator hid your idea "%(title)s". Reason: %(reason)s'),
            comment_message=gettext_lazy("A moderator hid your comment. Reason: %(reason)s"),
            reason=reason,
        )
    logger.info("content hidden type=%s id=%s", content._meta.model_name, content.pk)


def content_restore(moderator, content: Content, reason: str) -> None:
    """Show a hidden idea or comment again, and write the audit log entry.

    Raise PermissionDenied unless `moderator` moderates the content's process, and
    ValidationError for a missing reason or content that is not hidden.
    """
    _require_moderator(moderator, content_process(content))
    reason = _clean_reason(
        reason, required_message=_("Give the reason for showing the content again.")
    )
    with transaction.atomic():
        locked = _lock(content)
        if locked.visibility != Visibility.HIDDEN:
            raise ValidationError(_("Only hidden content can be restored."), code="not_hidden")
        _set_visibility(content, locked, Visibility.VISIBLE, "")
        _log(moderator, ModerationLogEntry.Action.RESTORE, locked, reason)
        _tell_author(
            content,
            idea_message=gettext_lazy('A moderator restored your idea "%(title)s".'),
            comment_message=gettext_lazy("A moderator restored your comment."),
        )
    logger.info("content restored type=%s id=%s", content._meta.model_name, content.pk)


def content_approve(moderator, content: Content, reason: str = "") -> None:
    """Publish an idea or comment that waits for pre-moderation, and write the audit log entry.

    The reason is optional. Raise PermissionDenied unless `moderator` moderates the content's
    process, and ValidationError for content that is not pending.
    """
    _require_moderator(moderator, content_process(content))
    reason = _clean_reason(reason, required_message=None)
    with transaction.atomic():
        locked = _lock(content)
        if locked.visibility != Visibility.PENDING:
            raise ValidationError(
                _("Only content that waits for moderation can be approved."), code="not_pending"
            )
        _set_visibility(content, locked, Visibility.VISIBLE, "")
        _log(moderator, ModerationLogEntry.Action.APPROVE, locked, reason)
        _tell_author(
            content,
            idea_message=gettext_lazy('Your idea "%(title)s" was approved and is now public.'),
            comment_message=gettext_lazy("Your comment was approved and is now public."),
        )
    logger.info("content approved type=%s id=%s", content._meta.model_name, content.pk)


def reports_dismiss(moderator, content: Content, reason: str = "") -> int:
    """Close every open report of `content`, leaving the content as it is, and return the count.

    The reason is optional. Raise PermissionDenied unless `moderator` moderates the content's
    process, and ValidationError if the content has no open report.
    """
    _require_moderator(moderator, content_process(content))
    reason = _clean_reason(reason, required_message=None)
    with transaction.atomic():
        locked = _lock(content)
        closed = _resolve_reports(locked, moderator)
        if not closed:
            raise ValidationError(_("This content has no open reports."), code="no_reports")
        _log(moderator, ModerationLogEntry.Action.DISMISS_REPORT, locked, reason)
    logger.info(
        "reports dismissed type=%s id=%s count=%s", content._meta.model_name, content.pk, closed
    )
    return closed


def account_block(moderator, user, reason: str) -> AccountBlock:
    """Stop `user` from posting anywhere, tell them why and write the audit log entry.

    Raise PermissionDenied unless `moderator` moderates city-wide, and ValidationError for a
    missing reason, the moderator's own account or an account that is blocked already.
    """
    if not is_account_moderator(moderator):
        raise PermissionDenied(_("Only city-wide moderators may block accounts."))
    reason = _clean_reason(
        reason,
        required_message=_("Give the reason for the block. The account holder is told it."),
    )
    if user.pk == moderator.pk:
        raise ValidationError(_("You cannot block your own account."), code="self")
    already = ValidationError(_("This account is blocked already."), code="blocked")
    try:
        with transaction.atomic():
            if AccountBlock.objects.filter(user=user).exists():
                raise already
            block = AccountBlock.objects.create(user=user, reason=reason, blocked_by=moderator)
            _log(moderator, ModerationLogEntry.Action.BLOCK, user, reason)
            notify_user(
                user,
                message=gettext_lazy(
                    "A moderator has blocked your account from posting. Reason: %(reason)s"
                ),
                params={"reason": Truncator(reason).chars(300)},
            )
    except IntegrityError:
        # Another moderator blocked the account at the same moment.
        raise already from None
    rules.clear_cache(user)
    logger.info("account blocked user=%s", user.pk)
    return block


def account_unblock(moderator, user, reason: str) -> None:
    """Let a blocked `user` post again, tell them and write the audit log entry.

    Raise PermissionDenied unless `moderator` moderates city-wide, and ValidationError for a
    missing reason or an account that is not blocked.
    """
    if not is_account_moderator(moderator):
        raise PermissionDenied(_("Only city-wide moderators may block accounts."))
    reason = _clean_reason(reason, required_message=_("Give the reason for lifting the block."))
    with transaction.atomic():
        deleted, _count = AccountBlock.objects.filter(user=user).delete()
        if not deleted:
            raise ValidationError(_("This account is not blocked."), code="not_blocked")
        _log(moderator, ModerationLogEntry.Action.UNBLOCK, user, reason)
        notify_user(user, message=gettext_lazy("A moderator has lifted the block of your account."))
    rules.clear_cache(user)
    logger.info("account unblocked user=%s", user.pk)
