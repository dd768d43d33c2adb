"""Writes of the privacy app: account erasure and staff edits of privacy notices."""

import logging
import uuid

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef

from osallistu.participation import rules
from osallistu.participation.models import Comment, Idea, Visibility
from osallistu.participation.rules import Action

from .models import PrivacyNotice, Processing

logger = logging.getLogger(__name__)

# Domain of the placeholder address an erased account gets; `.invalid` can never receive mail
# (RFC 2606), and the address contains nothing of the person.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def is_erased(user) -> bool:
    return user.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")


def _open_reports(model) -> Exists:
    from osallistu.moderation.models import Report

    return Exists(
        Report.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            resolved_at__isnull=True,
        )
    )


def _deletable_comments(user):
    """Return the user's comments that moderation allows deleting.

    A comment stays, under the pseudonym, while it is hidden or has an open report, because the
    moderation decision must remain verifiable, and while others have replied to it, because
    deleting it would delete their replies.
    """
    others_replies = Comment.objects.filter(parent=OuterRef("pk")).exclude(author=user)
    return (
        Comment.objects.filter(author=user)
        .exclude(visibility=Visibility.HIDDEN)
        .exclude(_open_reports(Comment))
        .exclude(Exists(others_replies))
    )


def _deletable_ideas(user):
    """Return the user's ideas that moderation allows deleting.

    An idea stays, under the pseudonym, while it is hidden or reported, once it has become a budget
    proposal, and while others have commented on it.
    """
    from osallistu.budgeting.models import Project

    others_comments = Comment.objects.filter(idea=OuterRef("pk")).exclude(author=user)
    return (
        Idea.objects.filter(author=user)
        .exclude(visibility=Visibility.HIDDEN)
        .exclude(_open_reports(Idea))
        .exclude(Exists(others_comments))
        .exclude(Exists(Project.objects.filter(idea=OuterRef("pk"))))
    )


def _delete_sessions(user) -> None:
    # Sessions store the user id only inside their encoded data, so each is decoded; this runs
    # once per erasure and the purge of expired sessions keeps the table small.
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def account_erase(*, user, actor, delete_contributions: bool) -> dict[str, int]:
    """Remove the account's personal data and return counts of what was deleted and kept.

    The account stays as an inactive pseudonym, so that contributions remain readable under
    "resident" and moderation and audit records stay consistent. With `delete_contributions`,
    the ideas and comments that moderation allows deleting are deleted and the rest are kept
    under the pseudonym. `actor` is the user who asked: the user themself, staff with the
    moderate action, or None for the retention purge. Raise PermissionDenied for anyone else.
    """
    if actor is not None and actor.pk != user.pk and not rules.can(actor, Action.MODERATE):
        raise PermissionDenied
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    counts = {"ideas_deleted": 0, "comments_deleted": 0}
    if delete_contributions:
        # Replies first, so that a comment whose only replies were the user's own is deletable.
        while True:
            leaves = _deletable_comments(user).exclude(
                Exists(Comment.objects.filter(parent=OuterRef("pk")))
            )
            deleted = leaves.count()
            if not deleted:
                break
            Comment.objects.filter(pk__in=list(leaves.values_list("pk", flat=True))).delete()
            counts["comments_deleted"] += deleted
        ideas = list(_deletable_ideas(user).values_list("pk", flat=True))
        Idea.objects.filter(pk__in=ideas).delete()
        counts["ideas_deleted"] = len(ideas)
    counts["ideas_kept"] = Idea.objects.filter(author=user).count()
    counts["comments_kept"] = Comment.objects.filter(author=user).count()

    _delete_personal_rows(user)
    user.email = f"{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.verified_at = None
    user.email_notifications = False
    user.set_unusable_password()
    user.save()
    _delete_sessions(user)
    logger.info("Account %s erased; %s", user.pk, counts)
    return counts


def _delete_personal_rows(user) -> None:
    """Delete rows that exist only for the person: addresses, follows, likes and the like."""
    from django.apps import apps

    from osallistu.events.models import Registration
    from osallistu.notifications.models import Follow, Notification
    from osallistu.organisations.models import Membership
    from osallistu.participation.models import CommentLike

    for model in (Notification, Follow, CommentLike, Registration, Membership):
        model.objects.filter(user=user).delete()
    # allauth keeps email addresses, social accounts and second factors in their own tables.
    for label in ("account.EmailAddress", "socialaccount.SocialAccount", "mfa.Authenticator"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model.objects.filter(user=user).delete()


def notice_update(
    *, user, processing: str, text_fi: str, text_sv: str, text_en: str
) -> PrivacyNotice:
    """Save staff's texts of a privacy notice; an empty text restores the built-in one."""
    if not rules.can(user, Action.MANAGE_PRIVACY):
        raise PermissionDenied
    if processing not in Processing.values:
        raise ValueError(f"unknown processing {processing!r}")
    notice, _created = PrivacyNotice.objects.update_or_create(
        processing=processing,
        defaults={
            "text_fi": text_fi.strip(),
            "text_sv": text_sv.strip(),
            "text_en": text_en.strip(),
            "updated_by": user,
        },
    )
    logger.info("Privacy notice %s updated by user %s", processing, user.pk)
    return notice
