"""Reads for comment threads, in a fixed number of queries however many comments there are."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import rules
from ..models import Comment, Debate, Idea, Process, Visibility

__all__ = [
    "COMMENTS_PER_PAGE",
    "COMMENT_MAX_DEPTH",
    "COMMENT_PAGE_PARAM",
    "CommentAccess",
    "CommentSection",
    "comment_access",
    "comment_denied_reason",
    "comment_page_number",
    "comment_section",
    "comment_url",
    "thread_closed_reason",
    "thread_url",
]

COMMENTS_PER_PAGE = 20
# Query parameter of the comment page, so that it does not clash with a page's own list.
COMMENT_PAGE_PARAM = "comments"
# Depth of the deepest reply: 0 is a top-level comment, 1 a reply, 2 a reply to a reply. The
# limit keeps threads readable and lets one query load every reply of a page of comments.
COMMENT_MAX_DEPTH = 2


def _listed_for(user) -> Q:
    """Return the filter of the comments listed to `user` in a thread.

    Everyone sees visible comments, and hidden ones in their place with the moderator's reason.
    Authors also see their own comments that wait for moderation.
    """
    shown = Q(visibility__in=[Visibility.VISIBLE, Visibility.HIDDEN])
    if user is not None and user.is_authenticated:
        shown |= Q(visibility=Visibility.PENDING, author=user)
    return shown


def _thread_filter(idea: Idea | None, debate: Debate | None) -> Q:
    if (idea is None) == (debate is None):
        raise ValueError("A comment thread belongs to exactly one idea or one debate.")
    return Q(idea=idea) if idea is not None else Q(debate=debate)


@dataclass
class CommentSection:
    """The comment section of an idea or a debate: its comments, counts and the user's rights.

    Each comment of `page` and its replies carry `depth`, `thread_replies` (a list) and
    `is_liked` (by this user).
    """

    process: Process
    idea: Idea | None
    debate: Debate | None
    page: Page
    total: int
    stance_counts: list[dict]
    is_signed_in: bool
    can_comment: bool
    is_closed: bool
    # Reason the user may not comment, shown in place of the form; empty when they may.
    closed_reason: str = ""
    organisations: list = field(default_factory=list)
    max_depth: int = COMMENT_MAX_DEPTH

    @property
    def can_like(self) -> bool:
        return self.can_comment

    @property
    def target_url(self) -> str:
        """Return the URL of the page that shows the thread."""
        return thread_url(self.process, idea=self.idea, debate=self.debate)

    @property
    def post_url(self) -> str:
        """Return the URL that new comments and replies are posted to."""
        if self.idea is not None:
            return reverse(
                "participation:idea_comment_create", args=[self.process.slug, self.idea.pk]
            )
        return reverse(
            "participation:debate_comment_create", args=[self.process.slug, self.debate.pk]
        )

    @property
    def page_param(self) -> str:
        return COMMENT_PAGE_PARAM


def thread_url(process: Process, *, idea: Idea | None = None, debate: Debate | None = None) -> str:
    """Return the URL of the page that shows the thread of `idea` or `debate`."""
    if idea is not None:
        return reverse("participation:idea_detail", args=[process.slug, idea.pk])
    return reverse("participation:debate_detail", args=[process.slug, debate.pk])


def _attach_replies(roots: list[Comment], replies: list[Comment], liked: set[int]) -> None:
    by_id = {comment.pk: comment for comment in roots}
    by_id.update((reply.pk, reply) for reply in replies)
    for comment in by_id.values():
        comment.thread_replies = []
        comment.is_liked = comment.pk in liked
    for root in roots:
        root.depth = 0
    # Replies come oldest first, and a parent is always older than its reply, so each parent
    # has its depth before its replies are reached.
    for reply in replies:
        parent = by_id.get(reply.parent_id)
        if parent is None:
            continue
        reply.depth = parent.depth + 1
        parent.thread_replies.append(reply)


def comment_section(
    *,
    idea: Idea | None = None,
    debate: Debate | None = None,
    page: int | str | None = None,
    user=None,
) -> CommentSection:
    """Return one page of the thread of `idea` or `debate`, with replies, likes and counts.

    Top-level comments come oldest first, COMMENTS_PER_PAGE to a page, each with all its replies.
    The number of queries is the same for ten comments as for thousands. They are the page count,
    the page, one query for the replies of its comments, one for the user's likes, one aggregate
    for the stance counts, and the permission checks.
    """
    process = idea.process if idea is not None else debate.process
    thread = _thread_filter(idea, debate)
    shown = _listed_for(user)
    is_signed_in = user is not None and user.is_authenticated

    top_level = (
        Comment.objects.filter(thread, shown, parent__isnull=True)
        .select_related("author", "organisation", "event")
        .order_by("created_at", "pk")
    )
    comment_page = Paginator(top_level, COMMENTS_PER_PAGE).get_page(page)
    roots = list(comment_page.object_list)
    comment_page.object_list = roots

    replies: list[Comment] = []
    if roots:
        root_ids = [root.pk for root in roots]
        replies = list(
            Comment.objects.filter(thread, shown)
            .filter(Q(parent_id__in=root_ids) | Q(parent__parent_id__in=root_ids))
            .select_related("author", "organisation", "event")
            .order_by("created_at", "pk")
        )
    liked: set[int] = set()
    if is_signed_in and roots:
        liked = set(
            user.comment_likes.filter(
                comment_id__in=[comment.pk for comment in roots + replies]
            ).values_list("comment_id", flat=True)
        )
    _attach_replies(roots, replies, liked)

    visible = Q(visibility=Visibility.VISIBLE)
    totals = Comment.objects.filter(thread, visible).aggregate(
        total=Count("pk"),
        **{stance: Count("pk", filter=Q(stance=stance)) for stance in Comment.Stance.values},
    )
    stance_counts = [
        {"value": stance.value, "label": stance.label, "count": totals[stance.value]}
        for stance in Comment.Stance
    ]

    access = comment_access(idea=idea, debate=debate, user=user)
    return CommentSection(
        process=process,
        idea=idea,
        debate=debate,
        page=comment_page,
        total=totals["total"],
        stance_counts=stance_counts,
        is_signed_in=is_signed_in,
        can_comment=access.can_comment,
        is_closed=access.is_closed,
        closed_reason=access.closed_reason,
        organisations=access.organisations,
    )


@dataclass
class CommentAccess:
    """Whether a user may comment in a thread now, why not, and whom they may post for."""

    can_comment: bool
    is_closed: bool
    # Reason the user may not comment, shown in place of the form; empty when they may.
    closed_reason: str
    organisations: list


def thread_closed_reason(*, idea: Idea | None = None, debate: Debate | None = None) -> str:
    """Return why the thread of `idea` or `debate` takes no new comments, or "" if it does."""
    if debate is not None and debate.is_closed:
        return _("This debate is closed and takes no new comments.")
    if idea is not None and (
        idea.visibility != Visibility.VISIBLE or idea.status == Idea.Status.WITHDRAWN
    ):
        return _("This idea takes no new comments.")
    return ""


def comment_denied_reason(user, process: Process) -> str:
    """Return why `user` may not comment in `process` now, or "" if they may."""
    if rules.can(user, rules.Action.COMMENT, process):
        return ""
    if user is None or not user.is_authenticated:
        return _("Sign in to comment.")
    if rules.is_blocked(user):
        return _("Your account has been blocked from posting.")
    return _("Comments cannot be posted in this phase of the process.")


def comment_access(*, idea: Idea | None = None, debate: Debate | None = None, user=None):
    """Return the CommentAccess of `user` to the thread of `idea` or `debate`.

    The organisations are those `user` is a member of, loaded only when they may comment.
    """
    _thread_filter(idea, debate)
    process = idea.process if idea is not None else debate.process
    is_closed = debate is not None and debate.is_closed
    reason = thread_closed_reason(idea=idea, debate=debate) or comment_denied_reason(user, process)
    organisations = []
    if not reason and rules.Role.ORGANISATION_MEMBER in rules.roles_of(user, process):
        organisations = list(user.organisations.order_by("name"))
    return CommentAccess(
        can_comment=not reason,
        is_closed=is_closed,
        closed_reason=reason,
        organisations=organisations,
    )


def comment_page_number(comment: Comment, user=None) -> int:
    """Return the page of the thread, as comment_section() pages it, that shows `comment`."""
    root = comment
    while root.parent_id is not None:
        root = root.parent
    thread = Q(idea_id=root.idea_id) if root.idea_id else Q(debate_id=root.debate_id)
    earlier = Comment.objects.filter(
        thread,
        _listed_for(user),
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk),
        parent__isnull=True,
    ).count()
    return earlier // COMMENTS_PER_PAGE + 1


def comment_url(comment: Comment, user=None) -> str:
    """Return the URL of the page that shows `comment`, with its anchor."""
    target = comment.idea if comment.idea_id else comment.debate
    url = thread_url(
        target.process,
        idea=comment.idea if comment.idea_id else None,
        debate=comment.debate if comment.debate_id else None,
    )
    number = comment_page_number(comment, user)
    query = f"?{COMMENT_PAGE_PARAM}={number}" if number > 1 else ""
    return f"{url}{query}#comment-{comment.pk}"
