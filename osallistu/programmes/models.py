from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Years that a programme, goal or reading may name; anything else is a typing error.
MIN_YEAR = 2000
MAX_YEAR = 2100
# Programme slugs that would hide the staff pages under /programmes/.
RESERVED_SLUGS = frozenset({"staff"})


def _check_year(errors: dict, field: str, year: int | None) -> None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        errors[field] = _("Enter a year from %(min)s to %(max)s.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }


class Programme(models.Model):
    """The development programme of one chosen suburb, spanning several years.

    A suburb chosen in a selection round gets one programme. Its key actions start when the
    city's investment programme schedules them, so a programme stays open until its last project
    package is done; `ends_year` is empty while that is not known.
    """

    suburb = models.OneToOneField(
        "areas.Suburb",
        on_delete=models.PROTECT,
        related_name="programme",
        verbose_name=_("suburb"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_year = models.PositiveSmallIntegerField(_("first year"))
    ends_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    # The selection round whose board decision chose the suburb, where the platform ran it.
    selection_round = models.ForeignKey(
        "selection.SelectionRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("selection round"),
    )
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_year", "suburb__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_year__isnull=True)
                | models.Q(ends_year__gte=models.F("starts_year")),
                name="programme_ends_after_start",
            ),
        ]
        verbose_name = _("suburb programme")
        verbose_name_plural = _("suburb programmes")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This identifier is reserved. Choose another one.")
        _check_year(errors, "starts_year", self.starts_year)
        _check_year(errors, "ends_year", self.ends_year)
        if (
            not errors
            and self.ends_year is not None
            and self.starts_year is not None
            and self.ends_year < self.starts_year
        ):
            errors["ends_year"] = _("The last year cannot be before the first year.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        """True while the programme runs: it has no last year, or its last year is not over."""
        return self.ends_year is None or self.ends_year >= timezone.localdate().year


class Goal(models.Model):
    """A shared goal set with residents at a strategic workshop or in outreach.

    A goal may have one measure: an indicator of the area data, the inclusion survey's score, or
    a count that staff enter (for example the number of young people reached). Baseline and
    target are in the measure's unit; a goal without a measure has neither.
    """

    class Origin(models.TextChoices):
        WORKSHOP = "workshop", _("strategic workshop")
        OUTREACH = "outreach", _("outreach")
        BOTH = "both", _("workshop and outreach")

    class MeasureKind(models.TextChoices):
        NONE = "", _("no measure")
        INDICATOR = "indicator", _("indicator")
        SURVEY = "survey", _("inclusion survey score")
        COUNT = "count", _("count")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="goals")
    theme = models.ForeignKey(
        "areas.DevelopmentTheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("development theme"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(
        _("set at"), max_length=20, choices=Origin.choices, default=Origin.WORKSHOP
    )
    measure_kind = models.CharField(
        _("measure"), max_length=20, choices=MeasureKind.choices, default="", blank=True
    )
    indicator = models.ForeignKey(
        "areas.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("indicator"),
    )
    # For a count: what is counted, for example "young people reached by outreach".
    measure_label = models.CharField(_("what is measured"), max_length=200, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(measure_kind="indicator") | models.Q(indicator__isnull=False),
                name="goal_indicator_measure_names_indicator",
            ),
        ]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Check that the measure fields fit the measure kind and the theme fits the suburb.

        An indicator is dropped when another kind is chosen, so switching the kind on a form
        does not leave a stale indicator behind.
        """
        errors: dict = {}
        kind = self.measure_kind
        if kind != self.MeasureKind.INDICATOR:
            self.indicator = None
        elif self.indicator_id is None:
            errors["indicator"] = _("Choose the indicator that measures the goal.")
        if kind == self.MeasureKind.COUNT and not self.measure_label.strip():
            errors["measure_label"] = _("Say what is counted, for example “young people reached”.")
        if kind == self.MeasureKind.NONE:
            for field in ("baseline", "baseline_year", "target", "target_year"):
                if getattr(self, field) is not None:
                    errors[field] = _(
                        "A goal without a measure has no baseline or target. Choose a measure "
                        "or leave this empty."
                    )
        else:
            pairs = (("baseline", "baseline_year"), ("target", "target_year"))
            for value_field, year_field in pairs:
                value, year = getattr(self, value_field), getattr(self, year_field)
                if value is not None and year is None:
                    errors[year_field] = _("Enter the year of this number.")
                elif value is None and year is not None:
                    errors[value_field] = _("Enter the number of this year, or remove the year.")
        _check_year(errors, "baseline_year", self.baseline_year)
        _check_year(errors, "target_year", self.target_year)
        if (
            "baseline_year" not in errors
            and "target_year" not in errors
            and self.baseline_year is not None
            and self.target_year is not None
            and self.target_year < self.baseline_year
        ):
            errors["target_year"] = _("The target year cannot be before the baseline year.")
        if (
            self.theme_id is not None
            and self.programme_id is not None
            and self.theme.suburb_id != self.programme.suburb_id
        ):
            errors["theme"] = _("Choose a development theme of this programme's suburb.")
        if errors:
            raise ValidationError(errors)


class GoalMeasurement(models.Model):
    """One reading of a goal's count measure, entered by staff for a year.

    Indicator and survey measures are read from their own data, so only counts are stored here.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["goal", "year"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "year"], name="goal_measurement_unique_year"),
        ]
        verbose_name = _("goal measurement")
        verbose_name_plural = _("goal measurements")

    def __str__(self) -> str:
        return f"{self.goal_id} {self.year}"

    def clean(self) -> None:
        errors: dict = {}
        _check_year(errors, "year", self.year)
        if errors:
            raise ValidationError(errors)


class KeyAction(models.Model):
    """A key action (avaintoimenpide) of a programme, usually from the investment programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="key_actions")
    investment_project = models.ForeignKey(
        "areas.InvestmentProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_actions",
        verbose_name=_("investment project"),
    )
    goals = models.ManyToManyField(
        Goal, related_name="key_actions", blank=True, verbose_name=_("goals")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # The year the investment programme schedules the action to start.
    starts_year = models.PositiveSmallIntegerField(_("starts in"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("key action")
        verbose_name_plural = _("key actions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict = {}
        _check_year(errors, "starts_year", self.starts_year)
        if (
            self.investment_project_id is not None
            and self.programme_id is not None
            and self.investment_project.suburb_id != self.programme.suburb_id
        ):
            errors["investment_project"] = _(
                "Choose an investment project of this programme's suburb."
            )
        if errors:
            raise ValidationError(errors)


class ProjectPackage(models.Model):
    """A project package (hankekokonaisuus) derived from key actions and themes.

    Each package is co-designed again: its own workshops, outreach and comments on the concrete
    plans happen in `process`, an area-development process whose events, debates and comments
    the participation and events apps already provide.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="project_packages"
    )
    key_actions = models.ManyToManyField(
        KeyAction, related_name="project_packages", blank=True, verbose_name=_("key actions")
    )
    themes = models.ManyToManyField(
        "areas.DevelopmentTheme",
        related_name="project_packages",
        blank=True,
        verbose_name=_("development themes"),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("identifier"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        related_name="project_packages",
        verbose_name=_("responsible service area"),
    )
    process = models.OneToOneField(
        "participation.Process",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_package",
        verbose_name=_("co-design process"),
    )
    is_example = models.BooleanField(_("example content"), default=False)

    class Meta:
        ordering = ["programme", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="project_package_unique_slug"
            ),
        ]
        verbose_name = _("project package")
        verbose_name_plural = _("project packages")

    def __str__(self) -> str:
        return self.title
