from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from osallistu.core.money import format_money

from . import receipts, services
from .models import Project


class _ListedProjects(ModelChoiceIterator):
    """Choices in the order of the field's `projects` list instead of the queryset's order."""

    def __iter__(self):
        for project in self.field.projects:
            yield self.choice(project)

    def __len__(self):
        return len(self.field.projects)


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    iterator = _ListedProjects

    def __init__(self, *args, **kwargs):
        self.projects: list[Project] = []
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Project) -> str:
        # Translators: a budget proposal on the ballot, with its cost in euros.
        return _("%(title)s – %(cost)s") % {
            "title": obj.title,
            "cost": format_money(obj.cost, obj.area.currency),
        }


class ProjectCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that carry each project's cost for the running total in ballot.js."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-cost"] = str(instance.cost)
        return option


class BallotForm(forms.Form):
    """The choice of proposals on one area's ballot. The ballot rules are checked in services.

    `projects` is the area's projects in the order the voter sees them.
    """

    projects = ProjectChoiceField(
        queryset=Project.objects.none(),
        widget=ProjectCheckboxes,
        required=False,
        label=_("Proposals"),
    )

    def __init__(self, *args, projects: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["projects"]
        field.projects = projects
        field.queryset = Project.objects.filter(pk__in=[p.pk for p in projects]).select_related(
            "area"
        )
        # Re-assign the widget's choices, which were bound before `projects` was set.
        field.widget.choices = field.choices

    def add_rule_errors(self, error: ValidationError) -> None:
        """Show each broken ballot rule as its own error, keeping the message codes."""
        for item in error.error_list:
            self.add_error(None, item)

    def total(self) -> Decimal:
        return sum((p.cost for p in self.cleaned_data["projects"]), Decimal(0))

    def review(self, record, area, options=None) -> dict | None:
        """Validate the choice for `record` in `area` and return the review step's context.

        Return None when the form or a ballot rule is invalid; the rule errors are then on the
        form. Online and assisted voting share this, so both review the same checks.
        """
        if not self.is_valid():
            return None
        chosen = list(self.cleaned_data["projects"])
        try:
            services.voter_area_validate(record=record, area=area, options=options)
            services.ballot_validate(area=area, projects=chosen, options=options)
        except ValidationError as error:
            self.add_rule_errors(error)
            return None
        total = self.total()
        return {"chosen": chosen, "total": total, "remaining": area.budget - total}


class ReceiptCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("16 letters and digits, for example ABCD-EFGH-JKMN-PQRS."),
    )

    def clean_code(self) -> str:
        code = receipts.normalise(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _("Check the receipt code. It has 16 letters and digits."), code="invalid_code"
            )
        return code
