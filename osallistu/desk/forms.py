from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from osallistu.budgeting.models import BudgetArea


class DeskCheckForm(forms.Form):
    """The identity document check at a desk, and how the person will vote."""

    class Kind:
        ASSISTED = "assisted"
        PAPER = "paper"

    national_id = forms.CharField(
        label=_("Personal identity code"),
        max_length=11,
        help_text=_("Type it from the identity document. Only a keyed hash of it is stored."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    municipality_code = forms.CharField(
        label=_("Home municipality code (as the person declares)"),
        max_length=3,
        initial=settings.OSALLISTU_MUNICIPALITY_CODE,
    )
    postal_code = forms.CharField(
        label=_("Postal code (as the person declares)"), max_length=5, required=False
    )
    kind = forms.ChoiceField(
        label=_("How the person votes"),
        choices=[
            (Kind.ASSISTED, _("On this device, now")),
            (Kind.PAPER, _("On a paper ballot")),
        ],
        initial=Kind.ASSISTED,
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(
        label=_("Area of the paper ballot"),
        queryset=BudgetArea.objects.none(),
        required=False,
        help_text=_("Needed for a paper ballot only."),
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        areas = BudgetArea.objects.filter(process=process).order_by("name")
        self.fields["area"].queryset = areas
        if len(areas) == 1:
            self.fields["area"].initial = areas[0].pk

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.Kind.PAPER and not data.get("area"):
            self.add_error("area", _("Choose the area of the paper ballot."))
        return data
