"""Forms of the selection staff pages; services do the checks that need the database."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb

from .models import (
    DEFAULT_DECIDING_BODY,
    MAX_CHOSEN_SUBURBS,
    NeedIndexConfiguration,
    SelectionRound,
)

NORMALISATION_CHOICES = [
    ("percentile", _("percentile rank")),
    ("robust_z", _("robust z-score (median and MAD)")),
    ("exponential", _("exponential transformation of ranks")),
]
# Choice of a domain for an indicator that the configuration leaves out.
NOT_USED = ""


class ConfigurationForm(forms.Form):
    """A need-index configuration: one weight per domain, one domain and weight per indicator.

    Fields are built from `domains` and `indicators`, the codes the editor offers, so that the
    page works without JavaScript: an indicator is moved between domains with a select.
    """

    name = forms.CharField(label=_("Name"), max_length=200)
    is_default = forms.BooleanField(label=_("Use as the default for new rounds"), required=False)
    normalisation = forms.ChoiceField(label=_("Normalisation"), choices=NORMALISATION_CHOICES)
    min_population = forms.IntegerField(
        label=_("Minimum population"),
        min_value=0,
        initial=500,
        help_text=_("Areas with fewer residents are flagged and left out of the ranking."),
    )

    def __init__(self, *args, domains: list[tuple[str, str]], indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        self.indicators = indicators
        for code, label in domains:
            self.fields[f"domain_{code}"] = forms.FloatField(
                label=_("Weight of domain %(domain)s") % {"domain": label},
                min_value=0,
                initial=1.0,
            )
        domain_choices = [(NOT_USED, _("not used")), *domains]
        for code, label in indicators:
            self.fields[f"indicator_{code}_domain"] = forms.ChoiceField(
                label=_("Domain of %(indicator)s") % {"indicator": label},
                choices=domain_choices,
                required=False,
            )
            self.fields[f"indicator_{code}_weight"] = forms.FloatField(
                label=_("Weight of %(indicator)s") % {"indicator": label},
                min_value=0,
                initial=1.0,
            )

    @classmethod
    def initial_from(cls, instance: NeedIndexConfiguration | None, configuration: dict) -> dict:
        """Return initial values for the form from a stored configuration dictionary."""
        initial = {
            "normalisation": configuration.get("normalisation", "percentile"),
            "min_population": configuration.get("min_population", 500),
        }
        if instance is not None:
            initial["name"] = instance.name
            initial["is_default"] = instance.is_default
        for domain in configuration.get("domains", []):
            initial[f"domain_{domain['code']}"] = domain.get("weight", 1.0)
            for indicator in domain.get("indicators", []):
                initial[f"indicator_{indicator['code']}_domain"] = domain["code"]
                initial[f"indicator_{indicator['code']}_weight"] = indicator.get("weight", 1.0)
        return initial

    def domain_rows(self):
        """Return the bound weight field of each domain, in domain order."""
        return [self[f"domain_{code}"] for code, _label in self.domains]

    def indicator_rows(self):
        """Return (name, domain select, weight field) for each indicator, in editor order."""
        return [
            (label, self[f"indicator_{code}_domain"], self[f"indicator_{code}_weight"])
            for code, label in self.indicators
        ]

    def configuration(self) -> dict:
        """Return the cleaned data as the engine's `IndexConfiguration.to_dict()` dictionary."""
        data = self.cleaned_data
        domains = []
        for code, _label in self.domains:
            members = [
                {"code": indicator, "weight": data[f"indicator_{indicator}_weight"]}
                for indicator, _name in self.indicators
                if data.get(f"indicator_{indicator}_domain") == code
            ]
            if members:
                domains.append(
                    {"code": code, "weight": data[f"domain_{code}"], "indicators": members}
                )
        return {
            "domains": domains,
            "normalisation": data["normalisation"],
            "min_population": data["min_population"],
            "statistics_year": None,
        }


class RoundForm(forms.Form):
    """A new draft round: year, configuration and the selection rule."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    configuration = forms.ModelChoiceField(
        label=_("Need index configuration"), queryset=NeedIndexConfiguration.objects.all()
    )
    statistics_year = forms.IntegerField(
        label=_("Statistics year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Leave empty to use the newest statistics year with data."),
    )
    rule = forms.ChoiceField(label=_("Selection rule"), choices=SelectionRound.Rule.choices)
    top_n = forms.IntegerField(
        label=_("Number of suburbs"), min_value=1, max_value=MAX_CHOSEN_SUBURBS, initial=2
    )
    threshold = forms.FloatField(
        label=_("Threshold"),
        required=False,
        help_text=_("Only for the threshold rule: the lowest index value that qualifies."),
    )
    investment_handling = forms.ChoiceField(
        label=_("Prioritised investments"), choices=SelectionRound.InvestmentHandling.choices
    )
    investment_bonus = forms.FloatField(
        label=_("Investment bonus"),
        required=False,
        min_value=0,
        initial=0,
        help_text=_(
            "Only for the bonus: added to the index value of a suburb with prioritised investments."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("rule") == SelectionRound.Rule.THRESHOLD and data.get("threshold") is None:
            self.add_error("threshold", _("Enter the threshold for the threshold rule."))
        return data


class ProposalForm(forms.Form):
    proposal_text = forms.CharField(
        label=_("Proposal text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The covering text of the proposal to the board."),
    )


class DecisionForm(forms.Form):
    """The board's decision: date, body, minutes reference and the chosen suburbs."""

    decision_date = forms.DateField(
        label=_("Decision date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=datetime.date.today,
    )
    deciding_body = forms.CharField(
        label=_("Deciding body"), max_length=200, initial=DEFAULT_DECIDING_BODY
    )
    minutes_reference = forms.CharField(
        label=_("Minutes reference"),
        max_length=300,
        help_text=_("For example the meeting date and section of the minutes."),
    )
    suburbs = forms.ModelMultipleChoiceField(
        label=_("Chosen suburbs"),
        queryset=Suburb.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or two suburbs."),
    )

    def __init__(self, *args, suburbs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suburbs"].queryset = suburbs

    def clean_suburbs(self):
        suburbs = self.cleaned_data["suburbs"]
        if len(suburbs) > MAX_CHOSEN_SUBURBS:
            raise forms.ValidationError(_("Choose one or two suburbs."), code="suburb_count")
        return suburbs
