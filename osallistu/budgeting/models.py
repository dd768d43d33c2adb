import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from osallistu.participation.models import Channel


class BudgetArea(models.Model):
    """One area of a budgeting process, with its own budget, proposals and ballots.

    Amounts are whole or decimal euros (or the currency of an imported election) stored exactly.
    """

    class VoteType(models.TextChoices):
        APPROVAL = "approval", _("approve any proposals within the budget")
        CHOOSE_ONE = "choose-1", _("choose one proposal")

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="budget_areas"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=100)
    suburb = models.ForeignKey(
        "areas.Suburb",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_areas",
        verbose_name=_("suburb"),
    )
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    vote_type = models.CharField(
        _("vote type"), max_length=20, choices=VoteType.choices, default=VoteType.APPROVAL
    )
    # ISO 4217 code of the budget's and the costs' currency; imported elections keep their own.
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        ordering = ["process", "name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="budget_area_unique_slug"),
            models.CheckConstraint(condition=models.Q(budget__gt=0), name="budget_area_positive"),
        ]
        verbose_name = _("budget area")
        verbose_name_plural = _("budget areas")

    def __str__(self) -> str:
        return f"{self.process}: {self.name}"


class Project(models.Model):
    """A budget proposal that residents can vote for."""

    area = models.ForeignKey(BudgetArea, on_delete=models.CASCADE, related_name="projects")
    # The project's identifier in its source, such as a Pabulib project_id; results use it.
    external_id = models.CharField(_("identifier"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2)
    idea = models.ForeignKey(
        "participation.Idea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    is_example = models.BooleanField(_("example content"), default=False)

    class Meta:
        ordering = ["area", "title"]
        constraints = [
            models.UniqueConstraint(fields=["area", "external_id"], name="project_unique_id"),
            models.CheckConstraint(condition=models.Q(cost__gt=0), name="project_cost_positive"),
        ]
        verbose_name = _("budget proposal")
        verbose_name_plural = _("budget proposals")

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """The content of one vote: an area and its chosen projects, with no voter and no time.

    The random primary key and the absence of a timestamp keep a ballot from being linked to the
    participation record of the person who cast it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    area = models.ForeignKey(BudgetArea, on_delete=models.CASCADE, related_name="ballots")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.pk)


class BallotChoice(models.Model):
    """One project chosen on one ballot.

    The composite primary key avoids a sequence, whose order would reveal the order of casting.
    """

    pk = models.CompositePrimaryKey("ballot_id", "project_id")
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.project_id}"


class ParticipationRecord(models.Model):
    """The record that a voter took part: one per voter and process, kept apart from the ballot.

    The database constraint on (process, voter) is what stops a second ballot, whichever channel
    or application process it comes through.
    """

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="participation_records"
    )
    area = models.ForeignKey(BudgetArea, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participation_records"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    day = models.DateField(_("day"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "voter"], name="participation_record_one_per_voter"
            )
        ]
        verbose_name = _("participation record")
        verbose_name_plural = _("participation records")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.voter_id} ({self.day})"
