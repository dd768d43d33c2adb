"""Forms of the surveys app: the answer form (online and paper) and the staff forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb
from osallistu.core.age_groups import age_group_label, configured_age_groups
from osallistu.events.models import Event

from .models import Item, Questionnaire, SurveyRound
from .selectors import FormItem

SCALE_CHOICES = [(str(value), str(value)) for value in range(1, 6)]


class ResponseForm(forms.Form):
    """One field per item: a 1-5 radio group or a text area; every item may be left empty."""

    def __init__(self, *args, items: list[FormItem], ask_age_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for form_item in items:
            if form_item.item.kind == Item.Kind.SCALE:
                field = forms.TypedChoiceField(
                    label=form_item.text.text,
                    choices=SCALE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    label=form_item.text.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            self.fields[form_item.field_name] = field
        if ask_age_group:
            self.fields["age_group"] = forms.ChoiceField(
                label=_("Age group"),
                required=False,
                choices=[("", _("I prefer not to say"))]
                + [(group.key, age_group_label(group.key)) for group in configured_age_groups()],
                help_text=_("Optional. Results by age group are shown only for large groups."),
            )

    def item_fields(self):
        """Return (form item, bound field) pairs in item order, for the template."""
        return [(form_item, self[form_item.field_name]) for form_item in self.items]

    def answer_data(self) -> dict:
        """Return the cleaned answers as the keyword arguments of the response services."""
        return {
            "values": self.values(),
            "texts": self.texts(),
            "age_group": self.cleaned_data.get("age_group", ""),
        }

    def values(self) -> dict[int, int | None]:
        return {
            form_item.item.pk: self.cleaned_data.get(form_item.field_name)
            for form_item in self.items
            if form_item.item.kind == Item.Kind.SCALE
        }

    def texts(self) -> dict[int, str]:
        return {
            form_item.item.pk: self.cleaned_data.get(form_item.field_name) or ""
            for form_item in self.items
            if form_item.item.kind == Item.Kind.TEXT
        }


class PaperResponseForm(ResponseForm):
    """The answer form with the single-use code printed on the paper form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = forms.CharField(
            label=_("Code on the form"),
            max_length=20,
            help_text=_("The single-use code printed on the paper form, such as 7KQ4-MZ29-XR."),
        )
        self.order_fields(["code"])


class RoundForm(forms.ModelForm):
    """The staff form that creates a round in a suburb or for an event."""

    class Meta:
        model = SurveyRound
        fields = [
            "questionnaire",
            "suburb",
            "event",
            "label",
            "time_point",
            "measured_on",
            "opens_on",
            "closes_on",
            "ask_age_group",
        ]
        # type=date inputs accept only ISO dates, so a localized value would be discarded.
        widgets = {
            "measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "suburb": _("For the participation indicator. Leave empty for an event's feedback."),
            "event": _("For workshop feedback. Leave empty for a suburb's round."),
            "measured_on": _("The date that the time point describes."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.all()
        self.fields["suburb"].queryset = Suburb.objects.order_by("name")
        self.fields["event"].queryset = Event.objects.order_by("-starts_at")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("suburb")) == bool(cleaned.get("event")):
            raise forms.ValidationError(_("Choose either a suburb or an event."))
        return cleaned


class CodeCountForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=1000,
        help_text=_("One code per paper form. The codes are shown once; print them right away."),
    )
