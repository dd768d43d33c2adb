"""Staff forms for one-off participation: new polls and answers collected offline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .comment_forms import reject_html
from .models import Channel, Poll

__all__ = ["OfflineTallyForm", "PollForm"]

SUPPORT_TARGET = "support"


class PollForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=Poll._meta.get_field("question").max_length,
        validators=[reject_html],
        error_messages={
            "required": _("Write the question of the poll."),
            "max_length": _(
                "The text is too long: %(show_value)d characters. "
                "The maximum is %(limit_value)d characters."
            ),
        },
    )
    options = forms.CharField(
        label=_("Answers"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One answer on each line, from 2 to 10 answers."),
        error_messages={"required": _("Give from 2 to 10 answers, one on each line.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The server reports an over-long text, so the browser must not cut a paste short.
        self.fields["question"].widget.attrs.pop("maxlength", None)

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class OfflineTallyForm(forms.Form):
    """Answers or support collected on paper, by phone or at an event, typed in as a count."""

    target = forms.ChoiceField(
        label=_("What was answered"),
        error_messages={"invalid_choice": _("Choose the support button or one poll answer.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
        error_messages={"required": _("Choose the channel where the answers were collected.")},
    )
    # The service checks the range, so that its message names both limits.
    count = forms.IntegerField(
        label=_("Number of answers"),
        error_messages={
            "required": _("Give the number of answers."),
            "invalid": _("Give the number of answers as a whole number."),
        },
    )

    def __init__(self, *args, polls=(), **kwargs):
        """Offer the support button and the options of each poll in `polls` as targets."""
        super().__init__(*args, **kwargs)
        choices = [(SUPPORT_TARGET, _("Support for the process"))]
        for poll in polls:
            choices.append(
                (
                    poll.question,
                    [(f"option-{option.pk}", option.text) for option in poll.options.all()],
                )
            )
        self.fields["target"].choices = choices
