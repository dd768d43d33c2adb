"""Paper ballots entered twice at a service desk.

A paper ballot belongs to one desk-checked eligibility record. Two different staff members each
enter what the paper says, without seeing the other entry; equal entries cast the ballot through
the voting service, different ones hold it until a coordinator reads the paper and resolves it.
Once the ballot is cast or rejected, the entries lose their chosen projects, so that nothing
here links the person's digest to the contents of their ballot any longer.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperBallot(models.Model):
    """One person's paper ballot, from the identity check until it is cast or rejected."""

    class Status(models.TextChoices):
        ENTERING = "entering", _("waiting for entry")
        HELD = "held", _("held for resolution")
        CAST = "cast", _("cast")
        REJECTED = "rejected", _("rejected")

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="paper_ballots"
    )
    # One paper ballot per person and process: the record is unique per (process, digest). The
    # retention purge deletes eligibility records, and their paper ballots go with them.
    record = models.OneToOneField(
        "identity.EligibilityRecord",
        on_delete=models.CASCADE,
        related_name="paper_ballot",
        verbose_name=_("eligibility record"),
    )
    area = models.ForeignKey(
        "budgeting.BudgetArea",
        on_delete=models.CASCADE,
        related_name="paper_ballots",
        verbose_name=_("area"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENTERING
    )
    # ValidationError codes of the voting service when the ballot was rejected, comma-separated.
    rejection_codes = models.CharField(_("reasons for rejection"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("paper ballot")
        verbose_name_plural = _("paper ballots")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.pk} ({self.status})"


class PaperBallotEntry(models.Model):
    """What one staff member read from a paper ballot."""

    ballot = models.ForeignKey(PaperBallot, on_delete=models.CASCADE, related_name="entries")
    # Empty once the staff member's account is erased.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    projects = models.ManyToManyField(
        "budgeting.Project", blank=True, related_name="+", verbose_name=_("projects")
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # The second entry must come from another person than the first.
            models.UniqueConstraint(
                fields=["ballot", "entered_by"], name="paper_entry_one_per_staff_member"
            )
        ]
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.pk}"
