"""Area selection: saved need-index configurations and the yearly selection rounds.

A round goes draft → proposal → decided. Computing a round stores a snapshot of every input value
and the whole result, so that pages and the proposal document read stored figures, never live
data. Once the board has decided, the round is frozen; recomputing it creates a new version.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb

# The board that decides on the proposal in Kuopio.
DEFAULT_DECIDING_BODY = "kaupunkirakennelautakunta"
# The city develops at most this many suburbs a year.
MAX_CHOSEN_SUBURBS = 2


class NeedIndexConfiguration(models.Model):
    """A saved need-index configuration: domains, indicators, weights, normalisation.

    `configuration` is the dictionary of `IndexConfiguration.to_dict()` from
    osallistu.selection.need_index. At most one configuration is the default; new rounds start
    from it.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    configuration = models.JSONField(_("configuration"), default=dict)
    is_default = models.BooleanField(_("default configuration"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="need_index_configuration_one_default",
            )
        ]
        verbose_name = _("need index configuration")
        verbose_name_plural = _("need index configurations")

    def __str__(self) -> str:
        return self.name

    def as_index_configuration(self):
        """Return the stored dictionary as a need_index.IndexConfiguration."""
        # Imported lazily so that loading the models does not import numpy.
        from osallistu.selection.need_index import IndexConfiguration

        return IndexConfiguration.from_dict(self.configuration)

    # The name the rank_areas command calls.
    index_configuration = as_index_configuration


class SelectionRound(models.Model):
    """One version of one year's selection round.

    `configuration`, `seed`, `inputs` and `result` are frozen copies: `inputs` contains every value
    used (with numerators, denominators and statuses) and `result` the ranking, sensitivity,
    flags and selected suburbs. A decided round never changes; `services.round_recompute` makes
    version n + 1 with `previous_version` pointing here.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSAL = "proposal", _("proposal")
        DECIDED = "decided", _("decided")

    class Rule(models.TextChoices):
        TOP_N = "top_n", _("the highest need index values")
        THRESHOLD = "threshold", _("need index value at or above a threshold")

    class InvestmentHandling(models.TextChoices):
        NONE = "none", _("not taken into account")
        BONUS = "bonus", _("bonus added to the index value")
        TIE_BREAK = "tie_break", _("decides between equal index values")

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("previous version"),
    )
    # The configuration the round was started from; the frozen copy is `configuration`.
    source_configuration = models.ForeignKey(
        NeedIndexConfiguration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("configuration"),
    )
    configuration_name = models.CharField(_("configuration name"), max_length=200, blank=True)
    configuration = models.JSONField(_("configuration"), default=dict)
    # Statistics year of the input data; None takes the newest year with values.
    statistics_year = models.PositiveSmallIntegerField(_("statistics year"), null=True, blank=True)
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)

    rule = models.CharField(_("selection rule"), max_length=10, choices=Rule.choices)
    top_n = models.PositiveSmallIntegerField(_("number of suburbs"), default=MAX_CHOSEN_SUBURBS)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    investment_handling = models.CharField(
        _("prioritised investments"),
        max_length=10,
        choices=InvestmentHandling.choices,
        default=InvestmentHandling.NONE,
    )
    investment_bonus = models.FloatField(_("investment bonus"), default=0.0)

    inputs = models.JSONField(_("input values"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    proposal_text = models.TextField(_("proposal text"), blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    deciding_body = models.CharField(
        _("deciding body"), max_length=200, default=DEFAULT_DECIDING_BODY
    )
    minutes_reference = models.CharField(_("minutes reference"), max_length=300, blank=True)
    chosen_suburbs = models.ManyToManyField(
        Suburb,
        through="ChosenSuburb",
        related_name="selection_rounds",
        blank=True,
        verbose_name=_("chosen suburbs"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"], name="selection_round_year_version"
            ),
            models.CheckConstraint(
                condition=models.Q(top_n__gte=1, top_n__lte=MAX_CHOSEN_SUBURBS),
                name="selection_round_top_n_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(rule="threshold") | models.Q(threshold__isnull=False),
                name="selection_round_threshold_set",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided")
                | (models.Q(decision_date__isnull=False) & ~models.Q(minutes_reference="")),
                name="selection_round_decision_recorded",
            ),
        ]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def is_computed(self) -> bool:
        return bool(self.result)


class ChosenSuburb(models.Model):
    """A suburb the board chose in a round; `position` 1 or 2 caps the choice at two in the DB."""

    selection_round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="chosen"
    )
    suburb = models.ForeignKey(Suburb, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["selection_round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection_round", "position"], name="chosen_suburb_unique_position"
            ),
            models.UniqueConstraint(
                fields=["selection_round", "suburb"], name="chosen_suburb_unique_suburb"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=MAX_CHOSEN_SUBURBS),
                name="chosen_suburb_position_range",
            ),
        ]
        verbose_name = _("chosen suburb")
        verbose_name_plural = _("chosen suburbs")

    def __str__(self) -> str:
        return f"{self.selection_round} {self.suburb_id}"
