from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class NotificationSettingsForm(forms.ModelForm):
    """A user's choice of email copies and of the language of notifications."""

    class Meta:
        model = get_user_model()
        fields = ["email_notifications", "language"]
        labels = {
            "email_notifications": _("Send me my notifications by email as well"),
            "language": _("Language of notifications"),
        }
        help_texts = {
            "email_notifications": _(
                "You always see your notifications on the site. With this on, each one is also "
                "sent to your email address."
            ),
            "language": _("Notifications and emails are written in this language."),
        }
