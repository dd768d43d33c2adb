from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A user's report of an idea, comment or other content for a moderator to look at."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="reports",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            # A user may report the same content again only after a moderator has resolved the
            # earlier report, so one person cannot push content up the queue by repetition.
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                condition=Q(resolved_at__isnull=True),
                name="report_open_once",
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class ModerationLogEntry(models.Model):
    """One moderator action, kept as an audit trail that is never edited."""

    class Action(models.TextChoices):
        HIDE = "hide", _("hid content")
        RESTORE = "restore", _("restored content")
        APPROVE = "approve", _("approved content")
        DISMISS_REPORT = "dismiss_report", _("dismissed a report")
        BLOCK = "block", _("blocked an account")
        UNBLOCK = "unblock", _("unblocked an account")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at"], name="moderation_log_time"),
            models.Index(fields=["moderator", "-created_at"], name="moderation_log_moderator"),
        ]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log entries")

    def __str__(self) -> str:
        return f"{self.action} {self.content_type_id}:{self.object_id}"


class AccountBlock(models.Model):
    """A block that stops an account from posting, with its reason."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="block"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("account block")
        verbose_name_plural = _("account blocks")

    def __str__(self) -> str:
        return str(self.user_id)
