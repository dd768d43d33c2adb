"""Staff forms: a source's settings, an Open311 fetch window and a CSV upload."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core.fetch import is_allowed
from osallistu.core.uploads import UploadValidator

from .models import FeedbackSourceConfig

# Maximum days one fetch from a page may cover. Longer windows belong to fetch_feedback.
MAX_FETCH_DAYS = 3 * 366
# Days the fetch form proposes, ending today.
DEFAULT_FETCH_DAYS = 90


class SourceForm(forms.ModelForm):
    endpoint_url = forms.URLField(
        label=FeedbackSourceConfig._meta.get_field("endpoint_url").verbose_name,
        help_text=FeedbackSourceConfig._meta.get_field("endpoint_url").help_text,
        required=False,
        assume_scheme="https",
    )
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the saved key. Reading requests seldom needs a key."),
    )
    clear_api_key = forms.BooleanField(label=_("Remove the saved API key"), required=False)

    class Meta:
        model = FeedbackSourceConfig
        fields = [
            "name",
            "slug",
            "kind",
            "endpoint_url",
            "response_format",
            "jurisdiction_id",
            "locale",
            "max_count",
            "use_extensions",
        ]

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("endpoint_url", "")
        if cleaned.get("kind") == FeedbackSourceConfig.Kind.OPEN311:
            if not url:
                self.add_error("endpoint_url", _("An Open311 source needs its interface address."))
            elif not is_allowed(url):
                self.add_error(
                    "endpoint_url",
                    _(
                        "The host of this address is not on the list of allowed data sources. "
                        "An administrator can add it to OSALLISTU_FETCH_ALLOWED_HOSTS."
                    ),
                )
        return cleaned

    def save(self, commit=True):
        source = super().save(commit=False)
        if self.cleaned_data.get("clear_api_key"):
            source.api_key = ""
        elif self.cleaned_data.get("api_key"):
            source.api_key = self.cleaned_data["api_key"]
        if commit:
            source.save()
        return source


class FetchForm(forms.Form):
    since = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Requests made on this day or later."),
    )
    until = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Requests made on this day or earlier."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["since"].initial = today - datetime.timedelta(days=DEFAULT_FETCH_DAYS)
        self.fields["until"].initial = today

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until:
            if since > until:
                self.add_error("until", _("The end date is before the start date."))
            elif (until - since).days > MAX_FETCH_DAYS:
                self.add_error(
                    "since",
                    _(
                        "The window is longer than %(days)s days. Fetch a shorter window, or run "
                        "the fetch_feedback command."
                    )
                    % {"days": MAX_FETCH_DAYS},
                )
        return cleaned


class CsvUploadForm(forms.Form):
    # The shared upload check limits the size and rejects files that are not CSV text.
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One request a row. The table “Columns of the file” above lists the column names, "
            "their Finnish alternatives and formats."
        ),
        validators=[UploadValidator("csv")],
    )
