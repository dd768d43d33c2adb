import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The Act on the Provision of Digital Services (306/2019) gives a public body 14 days to answer
# accessibility feedback.
ANSWER_DUE_DAYS = 14


class StatementDetails(models.Model):
    """The facts of the accessibility statement that staff keep up to date.

    The statement page renders the sections that the Act on the Provision of Digital Services
    (306/2019) and the EU model statement (Implementing Decision 2018/1523) require; this row
    holds what changes: the compliance status, the known gaps and the dates of the assessment.
    The newest row is the one shown.
    """

    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    class Method(models.TextChoices):
        SELF = "self", _("self-assessment")
        THIRD_PARTY = "third_party", _("assessment by a third party")

    compliance = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    known_issues_fi = models.TextField(_("known accessibility gaps in Finnish"), blank=True)
    known_issues_sv = models.TextField(_("known accessibility gaps in Swedish"), blank=True)
    known_issues_en = models.TextField(_("known accessibility gaps in English"), blank=True)
    prepared_on = models.DateField(_("statement prepared on"))
    reviewed_on = models.DateField(_("statement last reviewed on"))
    method = models.CharField(
        _("assessment method"), max_length=12, choices=Method.choices, default=Method.SELF
    )
    contact_email = models.EmailField(_("contact email for accessibility"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("accessibility statement details")
        verbose_name_plural = _("accessibility statement details")

    def __str__(self) -> str:
        return f"{self.reviewed_on}"

    def known_issues(self, language: str) -> str:
        """Return the known gaps in `language`, falling back to Finnish."""
        return getattr(self, f"known_issues_{language}", "") or self.known_issues_fi


class Feedback(models.Model):
    """Accessibility feedback from a user, with the staff's answer.

    The contact address is optional, because feedback may be anonymous, and it is used only to
    answer the feedback.
    """

    page_address = models.CharField(_("page address"), max_length=500, blank=True)
    message = models.TextField(_("feedback"))
    contact_email = models.EmailField(_("email address for the answer"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_note = models.TextField(_("how the feedback was answered"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d}"

    @property
    def due_on(self) -> datetime.date:
        """Return the last day for the answer: 14 days after the feedback arrived."""
        return self.created_at.date() + datetime.timedelta(days=ANSWER_DUE_DAYS)
