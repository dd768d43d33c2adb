from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb
from osallistu.participation.models import Process

from .models import AuditEvent
from .selectors import action_prefixes


def _prefix_label(prefix: str) -> str:
    """Return the name of the app that records actions with `prefix`, such as "evaluation."."""
    label = prefix.rstrip(".")
    if label == "web":
        return str(_("other changes made on the pages"))
    try:
        return str(apps.get_app_config(label).verbose_name).capitalize()
    except LookupError:
        return label


class AuditFilterForm(forms.Form):
    """Filters of the audit log page and its CSV export; every field is optional."""

    text = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Matches the action, the summary and the name of the target."),
    )
    action = forms.ChoiceField(label=_("Area of the service"), required=False)
    actor = forms.ModelChoiceField(
        label=_("Staff member"), queryset=None, required=False, empty_label=_("All staff")
    )
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=Process.objects.order_by("title"),
        required=False,
        empty_label=_("All processes"),
    )
    suburb = forms.ModelChoiceField(
        label=_("Suburb"),
        queryset=Suburb.objects.order_by("name"),
        required=False,
        empty_label=_("All suburbs"),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("First day to show."),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Last day to show."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            ("", _("All actions")),
            *[(prefix, _prefix_label(prefix)) for prefix in action_prefixes()],
        ]
        actor_ids = AuditEvent.objects.exclude(actor=None).values("actor_id")
        self.fields["actor"].queryset = get_user_model().objects.filter(pk__in=actor_ids)

    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The last day is before the first day. Swap the dates."))
        return cleaned_data

    def filters(self) -> dict:
        """Return the valid filters as keyword arguments of selectors.audit_event_list."""
        data = getattr(self, "cleaned_data", {})
        return {
            "text": data.get("text", ""),
            "action": data.get("action", ""),
            "actor_id": data["actor"].pk if data.get("actor") else None,
            "process_id": data["process"].pk if data.get("process") else None,
            "suburb_id": data["suburb"].pk if data.get("suburb") else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
