"""Forms of the programme staff pages.

The model forms run the models' clean() checks, so errors show beside their fields; the services
check again, because they are also called from elsewhere.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import ServiceArea
from osallistu.areas.models import DevelopmentTheme, Indicator, InvestmentProject, Suburb
from osallistu.selection.models import SelectionRound

from .models import MAX_YEAR, MIN_YEAR, Goal, GoalMeasurement, KeyAction, Programme, ProjectPackage
from .services import DEFAULT_CO_DESIGN_DAYS

# Any white space, the no-break spaces included, which Finnish writes between thousands: "1 000".
THOUSANDS_SPACE = re.compile(r"\s")


class NumberField(forms.DecimalField):
    """A decimal field that reads "1 000" and "12,5" as Finnish writes them."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, **kwargs):
        kwargs["localize"] = True
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = THOUSANDS_SPACE.sub("", value)
        return super().to_python(value)


class YearMixin:
    """Limit the year fields to MIN_YEAR to MAX_YEAR, and keep form errors from model errors."""

    year_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.year_fields:
            field = self.fields[name]
            # The model's small integer column would offer 0 to the database's maximum.
            self.fields[name] = forms.IntegerField(
                label=field.label,
                help_text=field.help_text,
                required=field.required,
                min_value=MIN_YEAR,
                max_value=MAX_YEAR,
            )

    def add_error(self, field, error):
        # A field whose input was rejected already says why; the model's checks, which saw it
        # as empty, would only add a misleading second error such as a missing number.
        if field is None and hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    name: errors
                    for name, errors in error.error_dict.items()
                    if name not in self._errors
                }
            )
            if not error.error_dict:
                return
        super().add_error(field, error)


SLUG_HELP = _(
    "Part of the page address: lower-case letters, numbers and hyphens. Leave empty to make one "
    "from the name."
)


class ProgrammeForm(YearMixin, forms.ModelForm):
    """A programme's own fields; on creation also its suburb."""

    year_fields = ("starts_year", "ends_year")

    class Meta:
        model = Programme
        fields = [
            "suburb",
            "title",
            "slug",
            "description",
            "starts_year",
            "ends_year",
            "selection_round",
        ]
        help_texts = {
            "ends_year": _("Leave empty while the last project package is not scheduled."),
            "selection_round": _(
                "The decided selection round whose board decision chose the suburb."
            ),
        }

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["suburb"].queryset = Suburb.objects.filter(programme__isnull=True)
        else:
            del self.fields["suburb"]
        # A new programme takes the suburb's identifier where none is given.
        self.fields["slug"].required = not creating
        if creating:
            self.fields["slug"].help_text = SLUG_HELP
        self.fields["selection_round"].queryset = SelectionRound.objects.filter(
            status=SelectionRound.Status.DECIDED
        ).order_by("-year", "-version")


class GoalForm(YearMixin, forms.ModelForm):
    """A shared goal with its optional measure, baseline and target."""

    year_fields = ("baseline_year", "target_year")

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "theme",
            "origin",
            "measure_kind",
            "indicator",
            "measure_label",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
        ]
        field_classes = {"baseline": NumberField, "target": NumberField}
        help_texts = {
            "measure_kind": _(
                "An indicator of the area data, the inclusion survey's score, or a count that "
                "staff enter each year."
            ),
            "indicator": _("Only for a goal measured by an indicator."),
            "measure_label": _(
                "Only for a count: what is counted, for example “young people reached”."
            ),
            "baseline": _("In the measure's unit, for example percent for a rate."),
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault("instance", Goal(programme=programme))
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = DevelopmentTheme.objects.filter(
            suburb=programme.suburb
        ).order_by("position", "pk")
        self.fields["indicator"].queryset = Indicator.objects.order_by("domain__position", "code")
        self.fields["indicator"].label_from_instance = _indicator_label


def _indicator_label(indicator: Indicator) -> str:
    from osallistu.areas.picture import indicator_name

    return f"{indicator_name(indicator)} ({indicator.unit})"


class MeasurementForm(YearMixin, forms.ModelForm):
    """One year's reading of a count goal."""

    year_fields = ("year",)

    class Meta:
        model = GoalMeasurement
        fields = ["year", "value", "note"]
        field_classes = {"value": NumberField}
        help_texts = {"year": _("A reading entered again for the same year replaces it.")}

    def validate_unique(self) -> None:
        # The service replaces an earlier reading of the same year instead of rejecting it.
        pass


class KeyActionForm(YearMixin, forms.ModelForm):
    """A key action entered by hand, with the goals it serves."""

    year_fields = ("starts_year",)

    class Meta:
        model = KeyAction
        fields = ["title", "description", "starts_year", "goals"]
        widgets = {"goals": forms.CheckboxSelectMultiple}
        help_texts = {
            "starts_year": _("The year the investment programme schedules the action to start.")
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault("instance", KeyAction(programme=programme))
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = programme.goals.order_by("position", "pk")


class InvestmentChoiceForm(forms.Form):
    """Investment projects of the suburb to turn into key actions."""

    investments = forms.ModelMultipleChoiceField(
        label=_("Investment projects"),
        queryset=InvestmentProject.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one investment project.")},
    )

    def __init__(self, *args, investments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["investments"]
        field.queryset = investments
        field.label_from_instance = _investment_label


def _investment_label(project: InvestmentProject) -> str:
    return _("%(name)s – %(year)s, %(service_area)s") % {
        "name": project.name,
        "year": project.year,
        "service_area": project.service_area,
    }


class PackageForm(forms.ModelForm):
    """A project package (hankekokonaisuus) with its key actions and themes."""

    class Meta:
        model = ProjectPackage
        fields = ["title", "slug", "description", "service_area", "key_actions", "themes"]
        widgets = {
            "key_actions": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault("instance", ProjectPackage(programme=programme))
        super().__init__(*args, **kwargs)
        # A new package takes an identifier made from its title where none is given.
        self.fields["slug"].required = self.instance.pk is not None
        if self.instance.pk is None:
            self.fields["slug"].help_text = SLUG_HELP
        self.fields["service_area"].queryset = ServiceArea.objects.order_by("name")
        self.fields["key_actions"].queryset = programme.key_actions.order_by("position", "pk")
        self.fields["themes"].queryset = DevelopmentTheme.objects.filter(
            suburb=programme.suburb
        ).order_by("position", "pk")


# A date input renders ISO dates: browsers discard any other value of <input type="date">.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CoDesignForm(forms.Form):
    """Dates of the discussion phase of a package's co-design process."""

    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].help_text = gettext(
            "Residents comment on the plans until this day. Leave empty for %(days)s days."
        ) % {"days": DEFAULT_CO_DESIGN_DAYS}
