"""Reads for moderation: who moderates what, the moderation queue and the audit log."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from osallistu.participation import rules
from osallistu.participation.models import Comment, Idea, Process, Visibility

from .models import AccountBlock, ModerationLogEntry, Report

__all__ = [
    "CONTENT_MODELS",
    "QueueItem",
    "account_block_list",
    "content_process",
    "content_type_name",
    "content_url",
    "get_content",
    "is_account_moderator",
    "is_moderator",
    "log_entry_list",
    "log_moderators",
    "moderated_processes",
    "moderates_anything",
    "moderation_queue",
]

# Content that residents post and moderators hide, by the name used in URLs.
CONTENT_MODELS: dict[str, type[Idea] | type[Comment]] = {"idea": Idea, "comment": Comment}


def content_type_name(content) -> str:
    """Return the URL name of a moderated object's type, for example "idea"."""
    return content._meta.model_name


def get_content(kind: str, pk: int) -> Idea | Comment:
    """Return the idea or comment `kind` `pk` with its process loaded.

    Raise LookupError for an unknown kind and the model's DoesNotExist for an unknown pk.
    """
    try:
        model = CONTENT_MODELS[kind]
    except KeyError:
        raise LookupError(kind) from None
    if model is Idea:
        return Idea.objects.select_related("process", "author").get(pk=pk)
    return Comment.objects.select_related("idea__process", "debate__process", "author").get(pk=pk)


def content_process(content: Idea | Comment) -> Process:
    """Return the process that an idea or comment belongs to."""
    if isinstance(content, Idea):
        return content.process
    return content.idea.process if content.idea_id else content.debate.process


def content_url(content: Idea | Comment) -> str:
    """Return the path of the page that shows an idea or comment."""
    if isinstance(content, Idea):
        return reverse("participation:idea_detail", args=[content.process.slug, content.pk])
    if content.idea_id:
        page = reverse(
            "participation:idea_detail", args=[content.idea.process.slug, content.idea_id]
        )
    else:
        page = reverse(
            "participation:debate_detail", args=[content.debate.process.slug, content.debate_id]
        )
    return f"{page}#comment-{content.pk}"


def is_moderator(user, process: Process | None = None) -> bool:
    """Return True if `user` moderates `process`, or moderates city-wide when process is None."""
    return rules.can(user, rules.Action.MODERATE, process)


def is_account_moderator(user) -> bool:
    """Return True if `user` may block accounts and read the audit log.

    A block stops an account everywhere, so only city-wide moderators and administrators may
    set one. A moderator scoped to a suburb or a process moderates content only.
    """
    return is_moderator(user, None)


def moderated_processes(user) -> QuerySet[Process]:
    """Return the processes whose content `user` may moderate."""
    if not user.is_authenticated:
        return Process.objects.none()
    if is_account_moderator(user):
        return Process.objects.all()
    # Narrow the candidates to processes that one of the user's role assignments touches, then
    # let the permission rules decide each of them.
    roles = rules.STAFF_PERMISSIONS[rules.Action.MODERATE]
    candidates = Process.objects.filter(
        Q(role_assignments__user=user, role_assignments__role__in=roles)
        | Q(
            suburbs__role_assignments__user=user,
            suburbs__role_assignments__role__in=roles,
        )
    ).distinct()
    allowed = [process.pk for process in candidates if is_moderator(user, process)]
    return Process.objects.filter(pk__in=allowed)


def moderates_anything(user) -> bool:
    """Return True if `user` moderates city-wide or in at least one process."""
    if not user.is_authenticated:
        return False
    return is_account_moderator(user) or moderated_processes(user).exists()


@dataclass
class QueueItem:
    """An idea or comment waiting for a moderator: reported, pending, or both."""

    content: Idea | Comment
    kind: str
    queued_at: datetime.datetime
    reports: list[Report] = field(default_factory=list)

    @property
    def is_pending(self) -> bool:
        return self.content.visibility == Visibility.PENDING


def _queued(queryset: QuerySet, content_type: ContentType) -> QuerySet:
    open_reports = Report.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), resolved_at__isnull=True
    )
    first_report = (
        open_reports.order_by()
        .values("object_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    return queryset.annotate(
        has_open_report=Exists(open_reports), first_reported_at=Subquery(first_report)
    ).filter(
        Q(visibility=Visibility.PENDING) | Q(has_open_report=True, visibility=Visibility.VISIBLE)
    )


def moderation_queue(user) -> list[QueueItem]:
    """Return the reported and pending ideas and comments that `user` moderates, oldest first.

    An item's place is the time of its first open report, or its own creation time when it only
    waits for pre-moderation. The query count does not depend on the queue's length.
    """
    processes = moderated_processes(user)
    idea_type = ContentType.objects.get_for_model(Idea)
    comment_type = ContentType.objects.get_for_model(Comment)
    ideas = _queued(Idea.objects.filter(process__in=processes), idea_type).select_related(
        "process", "suburb"
    )
    comments = _queued(
        Comment.objects.filter(Q(idea__process__in=processes) | Q(debate__process__in=processes)),
        comment_type,
    ).select_related("idea__process", "debate__process")
    items = [
        QueueItem(content=idea, kind="idea", queued_at=idea.first_reported_at or idea.created_at)
        for idea in ideas
    ] + [
        QueueItem(
            content=comment,
            kind="comment",
            queued_at=comment.first_reported_at or comment.created_at,
        )
        for comment in comments
    ]
    if not items:
        return []

    by_key = {(item.kind, item.content.pk): item for item in items}
    reports = Report.objects.filter(resolved_at__isnull=True).filter(
        Q(content_type=idea_type, object_id__in=[i.content.pk for i in items if i.kind == "idea"])
        | Q(
            content_type=comment_type,
            object_id__in=[i.content.pk for i in items if i.kind == "comment"],
        )
    )
    kinds = {idea_type.pk: "idea", comment_type.pk: "comment"}
    for report in reports:
        by_key[(kinds[report.content_type_id], report.object_id)].reports.append(report)

    items.sort(key=lambda item: (item.queued_at, item.kind, item.content.pk))
    return items


def log_entry_list(
    *,
    moderator_id: int | None = None,
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    with_targets: bool = True,
) -> QuerySet[ModerationLogEntry]:
    """Return audit log entries, newest first, filtered and with the moderator loaded.

    Dates are days in the site's time zone, both ends included. With `with_targets`, each entry's
    hidden idea or comment, or blocked user, is prefetched as well.
    """
    entries = ModerationLogEntry.objects.select_related("moderator", "content_type")
    if with_targets:
        # One query per target type, so a page costs the same whatever its entries point to.
        entries = entries.prefetch_related(
            GenericPrefetch(
                "target",
                [
                    Idea.objects.select_related("process"),
                    Comment.objects.select_related("idea__process", "debate__process"),
                    get_user_model().objects.all(),
                ],
            )
        )
    if moderator_id:
        entries = entries.filter(moderator_id=moderator_id)
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(created_at__gte=_start_of_day(date_from))
    if date_to:
        entries = entries.filter(created_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
    return entries.order_by("-created_at", "-pk")


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def log_moderators():
    """Return the users who appear as moderators in the audit log, for the log's filter."""
    user_model = get_user_model()
    moderator_ids = ModerationLogEntry.objects.values("moderator_id")
    return user_model.objects.filter(pk__in=moderator_ids).order_by("email")


def account_block_list() -> QuerySet[AccountBlock]:
    """Return the blocked accounts with the blocking moderator, newest first."""
    return AccountBlock.objects.select_related("user", "blocked_by").order_by("-created_at", "-pk")
