from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ModerationLogEntry
from .selectors import log_moderators
from .services import REASON_MAX_LENGTH


def _reason_field(*, label, help_text, required_message) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"required": required_message},
    )


class ReportForm(forms.Form):
    reason = _reason_field(
        label=_("What is wrong with this content?"),
        help_text=_(
            "A moderator reads your report. The author is not told who reported. "
            "At most 2 000 characters."
        ),
        required_message=_("Tell the moderators what is wrong with this content."),
    )


class HideForm(forms.Form):
    reason = _reason_field(
        label=_("Reason for hiding"),
        help_text=_(
            "Residents see this reason in place of the hidden content, and the author is told it."
        ),
        required_message=_(
            "Give the reason for hiding. Residents see it in place of the hidden content."
        ),
    )


class RestoreForm(forms.Form):
    reason = _reason_field(
        label=_("Reason for showing the content again"),
        help_text=_("The reason is kept in the moderation log."),
        required_message=_("Give the reason for showing the content again."),
    )


class BlockForm(forms.Form):
    reason = _reason_field(
        label=_("Reason for the block"),
        help_text=_(
            "The account holder is told this reason, and it is kept in the moderation log."
        ),
        required_message=_("Give the reason for the block. The account holder is told it."),
    )


class UnblockForm(forms.Form):
    reason = _reason_field(
        label=_("Reason for lifting the block"),
        help_text=_("The reason is kept in the moderation log."),
        required_message=_("Give the reason for lifting the block."),
    )


class LogFilterForm(forms.Form):
    """Filters of the audit log; every field is optional."""

    moderator = forms.ModelChoiceField(
        label=_("Moderator"), queryset=None, required=False, empty_label=_("All moderators")
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *ModerationLogEntry.Action.choices],
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
        self.fields["moderator"].queryset = log_moderators()

    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The last day is before the first day. Swap the dates."))
        return cleaned_data

    def filters(self) -> dict:
        """Return the valid filters as keyword arguments of selectors.log_entry_list."""
        data = getattr(self, "cleaned_data", {})
        moderator = data.get("moderator")
        return {
            "moderator_id": moderator.pk if moderator else None,
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
