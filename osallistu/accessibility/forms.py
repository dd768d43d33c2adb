from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["page_address", "message", "contact_email"]
        labels = {
            "page_address": _("Page or service where you found the problem (optional)"),
            "message": _("Describe the problem"),
            "contact_email": _("Your email address, if you want an answer (optional)"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}


class AnswerForm(forms.Form):
    answer_note = forms.CharField(
        label=_("How was the feedback answered?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
