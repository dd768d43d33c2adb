import uuid

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
    # Postal codes whose residents may vote here when the process requires residence; staff edit
    # them and voters see them.
    postal_codes = models.JSONField(_("postal codes"), default=list, blank=True)

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
    participation record of the person who cast it. `receipt_mac` is a keyed hash of the voter's
    receipt code, so only someone who holds the code can find the ballot again, to replace it.
    Imported ballots have none.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    area = models.ForeignKey(BudgetArea, on_delete=models.CASCADE, related_name="ballots")
    receipt_mac = models.CharField(max_length=64, unique=True, null=True, blank=True)

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


class Receipt(models.Model):
    """The public trace of one received ballot: the SHA-256 hash of its receipt code and the day.

    A receipt has no key to the ballot or to the participation record. Only the receipt code,
    which the voter alone holds, leads from one to the others (docs/voting.md). A superseded
    receipt belongs to a replaced ballot, which no longer counts.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="receipts"
    )
    code_hash = models.CharField(_("receipt code hash"), max_length=64, unique=True)
    received_on = models.DateField(_("received on"))
    # Assisted and paper ballots are final: their voters cannot replace them.
    is_final = models.BooleanField(_("final"), default=False)
    superseded = models.BooleanField(_("replaced by a newer ballot"), default=False)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.code_hash


class ParticipationRecord(models.Model):
    """The record that a person voted: one per identity and process, kept apart from the ballot.

    `digest` is the HMAC of the national identification number that the eligibility record
    keeps, so the database constraint on (process, digest) stops a second ballot whichever
    channel or application process it comes through. `receipt_mac` is a keyed hash of the current
    receipt code under another purpose than the ballot's, so it proves that a code belongs to this
    person without leading to the ballot.
    """

    process = models.ForeignKey(
        "participation.Process", on_delete=models.CASCADE, related_name="participation_records"
    )
    area = models.ForeignKey(BudgetArea, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(_("identity digest"), max_length=64)
    # The voter's age group (an OSALLISTU_AGE_GROUPS label) copied from the eligibility record,
    # so that published turnout by age survives the retention purge of eligibility records.
    age_group = models.CharField(_("age group"), max_length=10, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    day = models.DateField(_("day"))
    receipt_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "digest"], name="participation_record_one_per_identity"
            )
        ]
        verbose_name = _("participation record")
        verbose_name_plural = _("participation records")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.channel} ({self.day})"


class BudgetingSettings(models.Model):
    """How a participatory budgeting process votes, who may vote and how votes are counted.

    One row per budgeting process, edited by staff before voting opens. Counting rules follow
    docs/counting.md; eligibility and ballot rules follow docs/voting.md.
    """

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("most votes first (greedy)")
        MES_COST = "mes-cost", _("Method of Equal Shares, cost utility")
        MES_APPROVAL = "mes-approval", _("Method of Equal Shares, approval utility")

    class Completion(models.TextChoices):
        NONE = "none", _("no completion")
        ADD1 = "add1", _("raise voters' budgets one unit at a time (add1)")
        ADD1_EXHAUSTIVE = "add1-exhaustive", _("add1, stopping at the first exhaustive outcome")
        ADD1_GREEDY = "add1-greedy", _("add1, then greedy by votes")

    class AreaChoice(models.TextChoices):
        OWN_AREA = "own", _("vote in one's own area only")
        ANY_ONE_AREA = "any", _("vote in any one area the voter chooses")

    class AgeReference(models.TextChoices):
        END_OF_YEAR = "end_of_year", _("age on 31 December of the voting year")
        CASTING_DAY = "casting_day", _("age on the day of casting")

    process = models.OneToOneField(
        "participation.Process", on_delete=models.CASCADE, related_name="budgeting_settings"
    )

    # Counting.
    rule = models.CharField(
        _("counting rule"), max_length=20, choices=Rule.choices, default=Rule.GREEDY
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.NONE
    )
    # Compare the completed MES outcome with greedy and keep the one more voters prefer.
    comparison = models.BooleanField(_("compare with greedy"), default=False)
    # Greedy variants: projects need at least this many votes, and counting may stop at the first
    # project that does not fit instead of trying the next one.
    min_votes = models.PositiveIntegerField(_("minimum votes for funding"), default=1)
    stop_at_first_misfit = models.BooleanField(
        _("stop at the first project that does not fit"), default=False
    )

    # Ballot rules, applied to every area of the process.
    min_budget_share = models.DecimalField(
        _("minimum share of the budget"), max_digits=4, decimal_places=3, default=0
    )
    min_projects = models.PositiveSmallIntegerField(_("minimum number of projects"), default=1)
    max_projects = models.PositiveSmallIntegerField(
        _("maximum number of projects"), null=True, blank=True
    )
    area_choice = models.CharField(
        _("where residents vote"),
        max_length=10,
        choices=AreaChoice.choices,
        default=AreaChoice.OWN_AREA,
    )
    allow_replacement = models.BooleanField(
        _("online voters may replace their ballot until voting closes"), default=False
    )

    # Eligibility.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=12)
    age_reference = models.CharField(
        _("age counted"),
        max_length=20,
        choices=AgeReference.choices,
        default=AgeReference.END_OF_YEAR,
    )
    # Statistics Finland's municipality code of the voters' home municipality; Kuopio is 297.
    municipality_code = models.CharField(_("home municipality code"), max_length=3, default="297")
    # When set, a voter's postal code must be among the area's `postal_codes`, an approximation
    # because suburbs share postal areas.
    require_residence = models.BooleanField(_("require residence in the area"), default=False)

    # Export and turnout tables drop a demographic column where a group is smaller than this.
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size"), default=10)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_budget_share__gte=0, min_budget_share__lte=1),
                name="budgeting_settings_share_range",
            ),
            models.CheckConstraint(
                condition=models.Q(max_projects__isnull=True)
                | models.Q(max_projects__gte=models.F("min_projects")),
                name="budgeting_settings_project_range",
            ),
        ]
        verbose_name = _("budgeting settings")
        verbose_name_plural = _("budgeting settings")

    def __str__(self) -> str:
        return str(self.process)
