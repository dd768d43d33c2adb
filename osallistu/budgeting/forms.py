from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.core.money import format_money

from .models import BudgetArea, Project


class ProjectChoiceField(forms.ModelMultipleChoiceField):
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
    """The choice of proposals on one area's ballot. Rule checks happen in the service."""

    projects = ProjectChoiceField(
        queryset=Project.objects.none(),
        widget=ProjectCheckboxes,
        required=False,
        label=_("Proposals"),
    )

    def __init__(self, *args, area: BudgetArea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = (
            Project.objects.filter(area=area).select_related("area").order_by("title", "pk")
        )
