"""Expert evaluation of ideas: criteria, service-area verdicts, internal notes and public answers.

Staff publish the criteria of a process before ideation. They assign each idea to one or more
service areas, and each area gives its own verdict against the criteria. The participation
coordinator then consolidates the verdicts into one public answer: the idea, possibly merged with
similar ones, becomes a budget proposal or is declined with a public reason. Every change writes
an AuditEntry.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.Model):
    """A public evaluation criterion of a process, such as "the site is city land"."""

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="evaluation_criteria"
    )
    text = models.CharField(_("criterion"), max_length=300)
    description = models.TextField(_("explanation"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Set when staff publish the criteria; residents see only published criteria.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["process", "position", "pk"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self) -> str:
        return self.text


class Assignment(models.Model):
    """An idea given to one service area for evaluation, with a deadline."""

    idea = models.ForeignKey(
        "participation.Idea", on_delete=models.CASCADE, related_name="evaluation_assignments"
    )
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
        verbose_name=_("service area"),
    )
    deadline = models.DateField(_("deadline"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "service_area"], name="assignment_once")
        ]
        indexes = [models.Index(fields=["service_area", "deadline"])]
        verbose_name = _("evaluation assignment")
        verbose_name_plural = _("evaluation assignments")

    def __str__(self) -> str:
        return f"{self.idea_id} → {self.service_area_id}"


class Verdict(models.Model):
    """A service area's public verdict on an idea. A resubmission replaces it until the answer."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="verdict")
    feasible = models.BooleanField(_("feasible"))
    # Euros, including VAT, as in the city's budget proposals.
    cost_estimate = models.DecimalField(
        _("cost estimate"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    annual_maintenance_cost = models.DecimalField(
        _("annual maintenance cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    # The service area that would build and maintain the result.
    owning_service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        related_name="owned_verdicts",
        null=True,
        blank=True,
        verbose_name=_("owning service area"),
    )
    public_reason = models.TextField(_("public reason"), max_length=3000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_estimate__isnull=True) | models.Q(cost_estimate__gte=0),
                name="verdict_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_maintenance_cost__isnull=True)
                | models.Q(annual_maintenance_cost__gte=0),
                name="verdict_maintenance_not_negative",
            ),
        ]
        verbose_name = _("evaluation verdict")
        verbose_name_plural = _("evaluation verdicts")

    def __str__(self) -> str:
        return f"verdict on assignment {self.assignment_id}"


class CostRow(models.Model):
    """One row of the cost breakdown of a verdict."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="cost_rows")
    label = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["verdict", "position", "pk"]
        verbose_name = _("cost row")
        verbose_name_plural = _("cost rows")

    def __str__(self) -> str:
        return self.label


class CriterionAnswer(models.Model):
    """A verdict's answer to one criterion."""

    class Answer(models.TextChoices):
        MET = "met", _("meets the criterion")
        NOT_MET = "not_met", _("does not meet the criterion")
        NOT_APPLICABLE = "not_applicable", _("does not apply")

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices)

    class Meta:
        ordering = ["verdict", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["verdict", "criterion"], name="criterion_answer_once")
        ]
        verbose_name = _("criterion answer")
        verbose_name_plural = _("criterion answers")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.answer}"


class InternalNote(models.Model):
    """A staff note on an idea under evaluation.

    Notes never appear on public pages. They are public documents all the same, so each is
    disclosable on request unless its author clears the flag, and coordinators export them to
    answer a request.
    """

    idea = models.ForeignKey(
        "participation.Idea", on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    text = models.TextField(_("note"), max_length=5000)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="evaluation_mentions", blank=True
    )
    disclosable_on_request = models.BooleanField(_("disclosable on request"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["idea", "created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return self.text[:50]


class Consolidation(models.Model):
    """The coordinator's public answer to one or more ideas: a budget proposal or a decline."""

    class Decision(models.TextChoices):
        PROPOSAL = "proposal", _("becomes a budget proposal")
        DECLINED = "declined", _("declined")

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="consolidations"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    ideas = models.ManyToManyField(
        "participation.Idea", through="ConsolidatedIdea", related_name="consolidations"
    )
    final_cost = models.DecimalField(
        _("final cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    owning_service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owning service area"),
    )
    public_reason = models.TextField(_("public reason"), max_length=3000)
    project = models.OneToOneField(
        "budgeting.Project",
        on_delete=models.SET_NULL,
        related_name="consolidation",
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="declined")
                | models.Q(final_cost__gt=0, owning_service_area__isnull=False),
                name="proposal_has_cost_and_owner",
            )
        ]
        verbose_name = _("public answer")
        verbose_name_plural = _("public answers")

    def __str__(self) -> str:
        return f"{self.decision} {self.pk}"


class ConsolidatedIdea(models.Model):
    """An idea answered by a consolidation. An idea gets one public answer only."""

    consolidation = models.ForeignKey(
        Consolidation, on_delete=models.CASCADE, related_name="idea_links"
    )
    idea = models.OneToOneField(
        "participation.Idea", on_delete=models.CASCADE, related_name="consolidation_link"
    )
    # The idea whose page the answer was made from; the others were merged into it.
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["consolidation", "-is_primary", "idea_id"]
        verbose_name = _("answered idea")
        verbose_name_plural = _("answered ideas")

    def __str__(self) -> str:
        return f"{self.consolidation_id}: {self.idea_id}"


class AuditEntry(models.Model):
    """One evaluation action, kept as an audit trail that is never edited."""

    class Action(models.TextChoices):
        CRITERION_ADD = "criterion_add", _("added a criterion")
        CRITERION_REMOVE = "criterion_remove", _("removed a criterion")
        CRITERIA_PUBLISH = "criteria_publish", _("published the criteria")
        ASSIGN = "assign", _("assigned an idea")
        UNASSIGN = "unassign", _("removed an assignment")
        VERDICT = "verdict", _("submitted a verdict")
        NOTE = "note", _("wrote an internal note")
        NOTES_EXPORT = "notes_export", _("exported internal notes")
        CONSOLIDATE = "consolidate", _("published a public answer")

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="evaluation_audit"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    idea = models.ForeignKey(
        "participation.Idea", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    # What changed, as ids and codes only: never note text or personal data.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["process", "-created_at"])]
        verbose_name = _("evaluation audit entry")
        verbose_name_plural = _("evaluation audit entries")

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"
