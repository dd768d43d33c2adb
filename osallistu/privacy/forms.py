from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput,
        help_text=_("Confirms that you are the account's owner."),
    )
    delete_contributions = forms.BooleanField(
        label=_("Delete my ideas and comments too"),
        required=False,
        help_text=_(
            "Without this choice they stay on the site under the name “resident”. Ideas and "
            "comments that moderation must keep, that others have answered or that have become "
            "budget proposals stay in any case."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is incorrect."), code="password")
        return password


class NoticeForm(forms.Form):
    text_fi = forms.CharField(
        label=_("Notice in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    text_sv = forms.CharField(
        label=_("Notice in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    text_en = forms.CharField(
        label=_("Notice in English"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
