"""Forms for development themes: a resident's suggestion, a staff draft and a staff decision.

The forms check what the browser sent. services.theme_suggest, theme_draft and theme_decide check
the same rules again, together with those that need the database, and the views add their errors
to the form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .comment_forms import reject_html
from .models import Theme
from .services.themes import THEME_REASON_MAX_LENGTH, ThemeDecision

__all__ = ["ThemeDecisionForm", "ThemeDraftForm", "ThemeSuggestionForm"]

_TOO_LONG = _(
    "The text is too long: %(show_value)d characters. The maximum is %(limit_value)d characters."
)


class _ThemeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=Theme._meta.get_field("title").max_length,
        validators=[reject_html],
        error_messages={"required": _("Give the theme a title."), "max_length": _TOO_LONG},
        help_text=_("A short name for the theme, at most 150 characters."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=Theme._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_html],
        error_messages={"max_length": _TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # The server reports an over-long text, so the browser must not cut a paste short.
            field.widget.attrs.pop("maxlength", None)


class ThemeSuggestionForm(_ThemeForm):
    """A resident's suggestion of a development theme."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields["description"]
        description.error_messages["required"] = _("Tell why the theme matters to your area.")
        description.help_text = _(
            "What the theme covers and why it matters to your area. At most 5 000 characters."
        )


class ThemeDraftForm(_ThemeForm):
    """Staff form for a new accepted theme, usually drafted from the area's welfare data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields["description"]
        description.required = False
        description.help_text = _(
            "Optional. What the theme covers and which welfare data it rests on, for example the "
            "area's unemployment rate. At most 5 000 characters."
        )


class ThemeDecisionForm(forms.Form):
    """Staff decision about one theme: accept, merge or decline, with a public reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a decision."),
            "invalid_choice": _("Choose a decision."),
        },
    )
    merge_into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Choose a theme"),
        help_text=_("Only for merging. Its ideas move to the chosen theme."),
        error_messages={"invalid_choice": _("Choose another accepted theme of this process.")},
    )
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=THEME_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[reject_html],
        error_messages={
            "required": _("Write the public reason for the decision."),
            "max_length": _TOO_LONG,
        },
        help_text=_(
            "Shown to everyone on the theme page. Say why, in plain language. At most 2 000 "
            "characters."
        ),
    )

    def __init__(self, *args, theme: Theme, decisions, merge_targets, **kwargs):
        """Offer `decisions` (ThemeDecision values) and `merge_targets` (a Theme queryset)."""
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (value, label) for value, label in ThemeDecision.choices if value in decisions
        ]
        self.fields["merge_into"].queryset = merge_targets.exclude(pk=theme.pk)
        self.fields["reason"].widget.attrs.pop("maxlength", None)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == ThemeDecision.MERGE and not cleaned_data.get(
            "merge_into"
        ):
            self.add_error("merge_into", _("Choose the theme to merge into."))
        return cleaned_data
