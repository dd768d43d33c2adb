"""Forms for comments and debates.

Comments and debate texts are plain text: the pages escape them, and input that contains HTML tags
is rejected with a message, so that a resident who pasted markup learns why it would not show.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from osallistu.organisations.models import Organisation

from .models import Comment, Debate

__all__ = ["CommentForm", "DebateCloseForm", "DebateForm", "clean_plain_text", "reject_html"]

# A start or end tag, or an HTML comment: "<" directly followed by a letter, "/" and a letter,
# or "!--", as an HTML parser reads them. "<3" or "a < b" pass as plain text.
_HTML_TAG = re.compile(r"<(?:/?[A-Za-z][^<>]*>|!--)")
# Maximum length of the offending tag as quoted in the error message.
_TAG_EXCERPT_LENGTH = 40


def reject_html(value: str) -> None:
    """Raise ValidationError (code "html") if `value` contains an HTML tag or comment."""
    match = _HTML_TAG.search(value or "")
    if match is None:
        return
    raise ValidationError(
        _("The text contains HTML markup (%(tag)s). Write plain text without tags."),
        code="html",
        params={"tag": match.group(0)[:_TAG_EXCERPT_LENGTH]},
    )


_TOO_LONG = _(
    "The text is too long: %(show_value)d characters. The maximum is %(limit_value)d characters."
)


def clean_plain_text(
    value: str, *, field: str, max_length: int, required_message: str | None = None
) -> str:
    """Return `value` stripped, or raise ValidationError for `field` if it is invalid.

    The codes are required (empty while `required_message` is given), max_length and html.
    Services call it, so that they reject bad text that did not come through a form.
    """
    value = (value or "").strip()
    if not value and required_message:
        raise ValidationError({field: ValidationError(required_message, code="required")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: ValidationError(
                    _TOO_LONG,
                    code="max_length",
                    params={"show_value": len(value), "limit_value": max_length},
                )
            }
        )
    try:
        reject_html(value)
    except ValidationError as error:
        raise ValidationError({field: error}) from None
    return value


def _text_error_messages(required: str) -> dict:
    return {"required": required, "max_length": _TOO_LONG}


class CommentForm(forms.Form):
    """A new comment or a reply. `parent` is checked against the thread by the service."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=Comment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[reject_html],
        error_messages=_text_error_messages(_("Write a comment before sending it.")),
        help_text=_("Plain text, at most 3 000 characters."),
    )
    stance = forms.ChoiceField(
        label=_("Your stance"),
        choices=Comment.Stance.choices,
        initial=Comment.Stance.NEUTRAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your stance: for, against or neutral."),
            "invalid_choice": _("Choose your stance: for, against or neutral."),
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    organisation = forms.ModelChoiceField(
        label=_("Post as"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
        error_messages={"invalid_choice": _("You can post only for your own organisations.")},
    )

    def __init__(self, *args, user=None, organisations=None, **kwargs):
        """Offer the organisations of `user`, or the given list, in the "Post as" choice."""
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisations]
            )
        elif user is not None and user.is_authenticated:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                memberships__user=user
            )
        # The server reports an over-long text, so the browser must not cut a paste short.
        self.fields["body"].widget.attrs.pop("maxlength", None)


class DebateForm(forms.ModelForm):
    """Staff form for a new debate."""

    class Meta:
        model = Debate
        fields = ["title", "description"]
        help_texts = {
            "title": _("The question or topic, at most 150 characters."),
            "description": _("Background for the discussion, at most 5 000 characters."),
        }
        error_messages = {
            "title": _text_error_messages(_("Give the debate a title.")),
            "description": _text_error_messages(_("Describe what the debate is about.")),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "description"):
            self.fields[name].validators.append(reject_html)
            # The server reports an over-long text, so the browser must not cut a paste short.
            self.fields[name].widget.attrs.pop("maxlength", None)


class DebateCloseForm(forms.Form):
    """Staff form that closes a debate with its conclusion."""

    conclusion = forms.CharField(
        label=_("Conclusion"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_html],
        error_messages=_text_error_messages(
            _("Write the conclusion of the debate before closing it.")
        ),
        help_text=_(
            "What the debate concluded, shown on the debate page. At most 5 000 characters."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"].widget.attrs.pop("maxlength", None)
