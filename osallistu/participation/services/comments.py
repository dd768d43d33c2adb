"""Writes for comments: posting, replying and likes, each checking its own permission."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.moderation import services as moderation_services
from osallistu.notifications import services as notification_services

from .. import rules
from ..comment_forms import clean_plain_text
from ..models import Channel, Comment, CommentLike, Debate, Idea, Process, Visibility
from ..selectors.comments import (
    COMMENT_MAX_DEPTH,
    comment_denied_reason,
    comment_url,
    thread_closed_reason,
)

__all__ = [
    "comment_create",
    "comment_depth",
    "comment_like",
    "comment_unlike",
]

logger = logging.getLogger(__name__)

_BODY_MAX_LENGTH = Comment._meta.get_field("body").max_length


def comment_depth(comment: Comment) -> int:
    """Return how deep `comment` sits in its thread: 0 for a top-level comment."""
    depth = 0
    while comment.parent_id is not None:
        depth += 1
        comment = comment.parent
    return depth


def _target_process(idea: Idea | None, debate: Debate | None) -> Process:
    if (idea is None) == (debate is None):
        raise ValueError("A comment belongs to exactly one idea or one debate.")
    return idea.process if idea is not None else debate.process


def _check_may_comment(user, process: Process) -> None:
    reason = comment_denied_reason(user, process)
    if reason:
        raise PermissionDenied(reason)


def _check_takes_comments(idea: Idea | None, debate: Debate | None) -> None:
    reason = thread_closed_reason(idea=idea, debate=debate)
    if reason:
        raise ValidationError(reason, code="closed")


def _check_parent(parent: Comment, idea: Idea | None, debate: Debate | None) -> None:
    same_thread = parent.idea_id == idea.pk if idea is not None else parent.debate_id == debate.pk
    if not same_thread or parent.visibility != Visibility.VISIBLE:
        raise ValidationError(
            _("The comment you replied to is not part of this discussion."),
            code="invalid_parent",
        )
    if comment_depth(parent) >= COMMENT_MAX_DEPTH:
        raise ValidationError(
            _("Replies can go only %(depth)d levels deep. Reply to an earlier comment instead."),
            code="too_deep",
            params={"depth": COMMENT_MAX_DEPTH},
        )


def _notify_after_commit(comment: Comment, user) -> None:
    """Tell the replied-to author and the thread's followers about a visible comment."""

    def send() -> None:
        url = comment_url(comment)
        parent_author = comment.parent.author if comment.parent_id else None
        if parent_author is not None and parent_author != user:
            notification_services.notify_user(
                parent_author, message=gettext_lazy("Someone replied to your comment."), url=url
            )
        if comment.idea_id:
            message = gettext_lazy("There is a new comment on an idea you follow.")
        else:
            message = gettext_lazy("There is a new comment in a debate you follow.")
        notification_services.notify_followers(
            comment.idea or comment.debate, message=message, url=url, exclude_user=user
        )

    transaction.on_commit(send)


def comment_create(
    user,
    *,
    idea: Idea | None = None,
    debate: Debate | None = None,
    parent: Comment | None = None,
    body: str,
    stance: str,
    organisation=None,
    channel: str = Channel.ONLINE,
    entered_by=None,
    event=None,
) -> Comment:
    """Post a comment by `user` on `idea` or in `debate`, as a reply to `parent` if given.

    An online comment needs rules.Action.COMMENT in the process now and counts against the
    author's posting limit (moderation.services.check_posting_rate). A comment collected offline
    is typed in by `entered_by`, who needs rules.Action.ENTER_ON_BEHALF; `user` is then the
    participant's account or None, and neither the phase nor the posting limit applies.

    Raise PermissionDenied if the comment may not be posted, and ValidationError for bad input,
    with the codes required, max_length, html, invalid_stance, closed, invalid_parent, too_deep,
    invalid_event and rate_limited. The comment is pending under pre-moderation; followers hear
    of a visible comment after commit.
    """
    process = _target_process(idea, debate)
    if entered_by is None:
        if channel != Channel.ONLINE:
            raise ValueError(
                "A comment from an offline channel needs the staff member entering it."
            )
        _check_may_comment(user, process)
    elif not rules.can(entered_by, rules.Action.ENTER_ON_BEHALF, process):
        raise PermissionDenied(
            _("You do not have the right to enter comments on someone else's behalf.")
        )
    _check_takes_comments(idea, debate)
    body = clean_plain_text(
        body,
        field="body",
        max_length=_BODY_MAX_LENGTH,
        required_message=_("Write a comment before sending it."),
    )
    if stance not in Comment.Stance.values:
        raise ValidationError(
            {
                "stance": ValidationError(
                    _("Choose your stance: for, against or neutral."), code="invalid_stance"
                )
            }
        )
    if parent is not None:
        _check_parent(parent, idea, debate)
    if organisation is not None and (
        user is None or not organisation.memberships.filter(user=user).exists()
    ):
        raise PermissionDenied(_("You can post only for your own organisations."))
    if event is not None and event.process_id not in (None, process.pk):
        raise ValidationError(_("The event belongs to another process."), code="invalid_event")
    if entered_by is None:
        # One posting limit covers ideas, comments and theme suggestions alike.
        moderation_services.check_posting_rate(user)

    with transaction.atomic():
        if debate is not None:
            # Lock the debate so that a comment cannot slip in while staff close it.
            debate = Debate.objects.select_for_update().get(pk=debate.pk)
            _check_takes_comments(None, debate)
        comment = Comment.objects.create(
            idea=idea,
            debate=debate,
            parent=parent,
            author=user,
            organisation=organisation,
            body=body,
            stance=stance,
            visibility=moderation_services.initial_visibility(process),
            channel=channel,
            entered_by=entered_by,
            event=event,
        )
        if comment.visibility == Visibility.VISIBLE:
            _notify_after_commit(comment, user)
    logger.info("comment created comment=%s process=%s channel=%s", comment.pk, process.pk, channel)
    return comment


def _check_may_like(user, comment: Comment) -> None:
    process = _target_process(comment.idea, comment.debate)
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to like comments."))
    if not rules.can(user, rules.Action.COMMENT, process):
        raise PermissionDenied(_("Comments cannot be liked in this phase of the process."))
    if comment.visibility != Visibility.VISIBLE:
        raise ValidationError(_("This comment cannot be liked."), code="not_visible")
    if comment.debate is not None and comment.debate.is_closed:
        raise ValidationError(_("This debate is closed."), code="closed")
    if comment.author_id == user.pk:
        raise ValidationError(_("You cannot like your own comment."), code="own_comment")


def comment_like(user, comment: Comment) -> bool:
    """Record that `user` likes `comment`, and return False if they already did.

    The like row and `like_count` change in one transaction. Raise PermissionDenied unless the
    user may comment in the process now, and ValidationError (codes not_visible, closed,
    own_comment) for a comment that cannot be liked.
    """
    _check_may_like(user, comment)
    with transaction.atomic():
        # get_or_create retries the read if a concurrent like wins the unique constraint.
        _like, created = CommentLike.objects.get_or_create(comment=comment, user=user)
        if created:
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    return created


def comment_unlike(user, comment: Comment) -> bool:
    """Remove the like of `user` from `comment`, and return False if there was none."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to like comments."))
    with transaction.atomic():
        deleted, _rows = CommentLike.objects.filter(comment=comment, user=user).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)
