from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NewsletterIssue, PosterText
from .selectors import Step, active_channels


class PosterTextForm(forms.ModelForm):
    class Meta:
        model = PosterText
        fields = ["heading", "text"]
        labels = {"heading": _("Heading"), "text": _("Short text")}
        help_texts = {
            "heading": _("In Finnish. Leave empty to use the suburb's or event's name."),
            "text": _("In Finnish, at most 600 characters. Printed under the heading."),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class ChannelUseForm(forms.Form):
    """Log one channel use; the step is chosen from the suburb's steps."""

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=active_channels())
    step = forms.ChoiceField(label=_("Step"))
    used_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reach = forms.IntegerField(
        label=_("Reach"),
        min_value=0,
        required=False,
        help_text=_("People reached, if known, for example the circulation of a paper."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, steps: list[Step], **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = {step.key: step for step in steps}
        self.fields["step"].choices = [("", "---------")] + [
            (step.key, step.label) for step in steps
        ]
        self.fields["used_on"].initial = timezone.localdate()

    def clean_step(self) -> Step:
        return self.steps[self.cleaned_data["step"]]

    def clean_used_on(self):
        used_on = self.cleaned_data["used_on"]
        if used_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return used_on


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = NewsletterIssue
        fields = [
            "subject",
            "body",
            "include_upcoming",
            "subject_sv",
            "body_sv",
            "subject_en",
            "body_en",
        ]
        labels = {"subject": _("Subject in Finnish"), "body": _("Text in Finnish")}
        help_texts = {
            "include_upcoming": _(
                "Adds the suburb's next events and open processes with their links at sending."
            ),
            "body_sv": _("Optional. Followers who use Swedish get this text instead of Finnish."),
            "body_en": _("Optional. Followers who use English get this text instead of Finnish."),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "body_sv": forms.Textarea(attrs={"rows": 6}),
            "body_en": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        cleaned = super().clean()
        for language in ("sv", "en"):
            subject, body = cleaned.get(f"subject_{language}"), cleaned.get(f"body_{language}")
            if subject and not body:
                message = _("Write the text too, or remove the subject.")
                self.add_error(f"body_{language}", message)
            elif body and not subject:
                self.add_error(
                    f"subject_{language}", _("Write the subject too, or remove the text.")
                )
        return cleaned
