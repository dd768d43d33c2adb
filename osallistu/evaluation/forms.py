"""Forms of the evaluation pages. The services check the same rules again with the database."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import ServiceArea
from osallistu.participation.comment_forms import reject_html

from . import selectors
from .models import Consolidation, CriterionAnswer
from .services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, CostRowInput

__all__ = [
    "AssignForm",
    "ConsolidationForm",
    "CriterionForm",
    "NoteForm",
    "VerdictForm",
    "parse_cost_rows",
]

_YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"


def parse_cost_rows(text: str) -> list[CostRowInput]:
    """Parse one "item; amount" pair a line into cost rows, or raise ValidationError by line.

    Amounts may use a decimal comma and spaces as thousands separators, as Finnish people write
    them. Empty lines are skipped.
    """
    rows = []
    errors = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, separator, amount_text = line.rpartition(";")
        amount_text = amount_text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        amount_text = amount_text.removesuffix("€")
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            amount = None
        if not separator or not label.strip() or amount is None or not amount.is_finite():
            errors.append(
                ValidationError(
                    _("Row %(row)s: write the item, a semicolon and the amount in euros."),
                    code="invalid",
                    params={"row": number},
                )
            )
            continue
        if amount < 0:
            errors.append(
                ValidationError(
                    _("Row %(row)s: the amount cannot be negative."),
                    code="negative",
                    params={"row": number},
                )
            )
            continue
        rows.append(CostRowInput(label=label.strip(), amount=amount.quantize(Decimal("0.01"))))
    if errors:
        raise ValidationError(errors)
    return rows


class MoneyField(forms.DecimalField):
    """A euro amount that also accepts spaces as thousands separators and a decimal comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").removesuffix("€")
        return super().to_python(value)


def _money_field(label, help_text="", required=False) -> MoneyField:
    return MoneyField(
        label=label,
        required=required,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=help_text,
    )


class CriterionForm(forms.Form):
    text = forms.CharField(
        label=_("Criterion"),
        max_length=300,
        validators=[reject_html],
        help_text=_("For example: the site is land owned by the city."),
    )
    description = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        validators=[reject_html],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=ServiceArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = ideas


class VerdictForm(forms.Form):
    """A service area's verdict. One answer field per published criterion is added."""

    feasible = forms.TypedChoiceField(
        label=_("Is the idea feasible?"),
        choices=_YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    cost_estimate = _money_field(_("Cost estimate (€)"), _("The total cost, VAT included."))
    cost_rows = forms.CharField(
        label=_("Cost breakdown"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One item a line: the item, a semicolon and the amount, for example "
            "“Bench; 1 200”. The rows must add up to the cost estimate."
        ),
    )
    annual_maintenance_cost = _money_field(_("Annual maintenance cost (€)"))
    schedule = forms.CharField(
        label=_("Schedule"),
        required=False,
        max_length=200,
        help_text=_("When the result could be ready, for example “summer 2027”."),
    )
    owning_service_area = forms.ModelChoiceField(
        label=_("Owning service area"),
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        empty_label=_("Choose a service area"),
        help_text=_("The service area that would build and maintain the result."),
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        max_length=REASON_MAX_LENGTH,
        validators=[reject_html],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Residents see this reason on the idea page. Write in plain language."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text,
                choices=CriterionAnswer.Answer.choices,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )

    def clean_cost_rows(self):
        return parse_cost_rows(self.cleaned_data.get("cost_rows", ""))

    def service_arguments(self) -> dict:
        """Return the cleaned data as keyword arguments of services.verdict_submit."""
        data = dict(self.cleaned_data)
        data["answers"] = {
            criterion.pk: data.pop(f"criterion_{criterion.pk}") for criterion in self.criteria
        }
        return data


def cost_rows_text(verdict) -> str:
    """Return the cost rows of `verdict` as the text that VerdictForm.cost_rows parses."""
    return "\n".join(f"{row.label}; {row.amount}" for row in verdict.cost_rows.all())


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=NOTE_MAX_LENGTH,
        validators=[reject_html],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Residents never see notes on the site, but anyone may request them."),
    )
    mentions = forms.ModelMultipleChoiceField(
        label=_("Mention colleagues"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mentioned colleagues get a notification."),
    )
    disclosable_on_request = forms.BooleanField(
        label=_("Disclosable on request"),
        required=False,
        initial=True,
        help_text=_("Clear this only if the note has a legal ground for secrecy."),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentions"].queryset = staff
        self.fields["mentions"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )


class ConsolidationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Consolidation.Decision.choices, widget=forms.RadioSelect
    )
    merged_ideas = forms.ModelMultipleChoiceField(
        label=_("Merge similar ideas into this one"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The merged ideas get the same answer, and their authors are credited."),
    )
    title = forms.CharField(
        label=_("Title of the budget proposal"),
        required=False,
        max_length=300,
        validators=[reject_html],
        help_text=_("Leave empty to use the idea's title."),
    )
    description = forms.CharField(
        label=_("Description of the budget proposal"),
        required=False,
        validators=[reject_html],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to use the idea's description."),
    )
    final_cost = _money_field(_("Final cost (€)"), _("Needed for a budget proposal."))
    owning_service_area = forms.ModelChoiceField(
        label=_("Owning service area"),
        queryset=None,
        required=False,
        empty_label=_("Choose a service area"),
        help_text=_(
            "Only service areas that found this idea or a similar idea feasible and named "
            "themselves the owner are listed. An area that accepted only a similar idea may "
            "own the proposal when you merge that idea into this answer."
        ),
    )
    budget_area = forms.ModelChoiceField(
        label=_("Budget area"),
        queryset=None,
        required=False,
        empty_label=_("Choose a budget area"),
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        max_length=REASON_MAX_LENGTH,
        validators=[reject_html],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Residents and the authors see this answer on the idea page."),
    )

    def __init__(self, *args, idea, merge_candidates, budget_areas, **kwargs):
        """Build the owner choices of `idea` from selectors.accepting_service_areas.

        A coordinator who merges similar ideas publishes one answer to them all, so an area that
        accepted a merge candidate may own the merged proposal. The choices therefore list the
        areas that accepted `idea` or any merge candidate, and an area that accepted only
        candidates is labelled with them. clean() accepts such an area only when one of its
        candidates is merged, which is the same rule that services.consolidate enforces.
        """
        super().__init__(*args, **kwargs)
        self.idea = idea
        candidates = list(merge_candidates)
        self.fields["merged_ideas"].queryset = merge_candidates
        owners = self.fields["owning_service_area"]
        owners.queryset = selectors.accepting_service_areas([idea, *candidates])
        self.needs_merge = selectors.ownership_needs_merge(idea, candidates)
        owners.label_from_instance = self._owner_label
        self.fields["budget_area"].queryset = budget_areas

    def _owner_label(self, area) -> str:
        needed = self.needs_merge.get(area.pk)
        if not needed:
            return area.name
        return _("%(area)s (only when merged with: %(ideas)s)") % {
            "area": area.name,
            "ideas": ", ".join(idea.title for idea in needed),
        }

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owning_service_area")
        if cleaned.get("decision") != Consolidation.Decision.PROPOSAL or owner is None:
            return cleaned
        answered = [self.idea, *cleaned.get("merged_ideas", [])]
        if selectors.accepting_service_areas(answered).filter(pk=owner.pk).exists():
            return cleaned
        needed = self.needs_merge.get(owner.pk)
        if needed:
            error = ValidationError(
                _(
                    "%(area)s found only these similar ideas feasible: %(ideas)s. Merge one of "
                    "them into this answer, or choose another service area."
                ),
                code="owner_needs_merge",
                params={"area": owner.name, "ideas": ", ".join(idea.title for idea in needed)},
            )
        else:
            # The verdicts changed after the page was loaded, so the area no longer qualifies.
            error = ValidationError(
                _(
                    "A budget proposal needs an owning service area that has found the idea "
                    "feasible in its own verdict and named itself the owner."
                ),
                code="owner_not_accepting",
            )
        self.add_error("owning_service_area", error)
        return cleaned
