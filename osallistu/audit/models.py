from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One staff action, kept as an audit trail that is never edited.

    `action` is a dotted code owned by the app that records it (for example
    `implementation.item_updated`); `summary` is a short English description for the log page
    and the CSV, written without personal data, ballot contents or survey answers. The target is
    named by its model label and primary key as text, so an event outlives what it describes.
    """

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # The account number ("#42"), kept after the account is deleted so the trail still tells
    # staff apart. It holds no name or email, which account deletion must remove everywhere.
    actor_label = models.CharField(_("staff member"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target"), max_length=100, blank=True)
    target_label = models.CharField(_("target name"), max_length=300, blank=True)
    process = models.ForeignKey(
        "participation.Process",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process"),
    )
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suburb"),
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    # Extra facts as JSON (changed field names, counts); never personal data.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"
