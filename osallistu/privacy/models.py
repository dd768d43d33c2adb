from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Processing(models.TextChoices):
    """The processings of personal data that each have their own privacy notice."""

    ACCOUNTS = "accounts", _("User accounts")
    PARTICIPATION = "participation", _("Ideas, comments and events")
    VOTING = "voting", _("Voting in participatory budgeting")
    SURVEYS = "surveys", _("Surveys")
    FEEDBACK = "feedback", _("Feedback")


class PrivacyNotice(models.Model):
    """A privacy notice (tietosuojaseloste) of one processing, as staff last edited it.

    An empty text in a language means the built-in notice text of that language is shown, so a
    fresh installation has complete notices in Finnish, Swedish and English before staff edit.
    """

    processing = models.CharField(
        _("processing"), max_length=20, choices=Processing.choices, unique=True
    )
    text_fi = models.TextField(_("notice in Finnish"), blank=True)
    text_sv = models.TextField(_("notice in Swedish"), blank=True)
    text_en = models.TextField(_("notice in English"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["processing"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return self.processing

    def text(self, language: str) -> str:
        """Return the staff-edited text in `language`, or "" where staff wrote none."""
        return getattr(self, f"text_{language}", "")
