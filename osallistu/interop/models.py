from django.db import models
from django.utils.translation import gettext_lazy as _


class DecidimRecord(models.Model):
    """Link a row of a Decidim CSV file to what its import created, so re-imports update it.

    Ideas have no external identifier of their own, so this mapping keeps imports idempotent.
    The title, status and cost are kept as imported, also for results that have no budget area.
    """

    class Kind(models.TextChoices):
        PROPOSAL = "proposals", _("proposals")
        RESULT = "results", _("results")

    process = models.ForeignKey("participation.Process", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    decidim_id = models.CharField(_("Decidim identifier"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    status_key = models.CharField(_("status"), max_length=100, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    idea = models.ForeignKey(
        "participation.Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "budgeting.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "kind", "decidim_id"], name="decidim_record_unique_id"
            )
        ]
        verbose_name = _("imported Decidim row")
        verbose_name_plural = _("imported Decidim rows")

    def __str__(self) -> str:
        return self.title
