from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb

from .models import Membership, Organisation


class OrganisationForm(forms.ModelForm):
    """An organisation's public profile."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Optional. The address of the organisation's own website."),
        error_messages={"invalid": _("Enter a full web address, such as https://example.fi.")},
    )

    class Meta:
        model = Organisation
        fields = ["name", "description", "website", "suburbs"]
        widgets = {"suburbs": forms.CheckboxSelectMultiple()}
        help_texts = {
            "description": _(
                "What the organisation does and how to join it. At most 5 000 characters."
            ),
            "suburbs": _("The suburbs where the organisation works."),
        }
        error_messages = {
            "name": {"required": _("Enter the organisation's name.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suburbs"].queryset = Suburb.objects.order_by("name")

    def _post_clean(self):
        # The view saves through the service, which checks the name with its own message.
        pass


class OrganisationCreateForm(OrganisationForm):
    admin_email = forms.EmailField(
        label=_("Email of the first administrator"),
        required=False,
        help_text=_(
            "Optional. The person must already have an account. They can then add the other "
            "members."
        ),
        error_messages={"invalid": _("Enter a valid email address.")},
    )


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The email address of the person's account on this site."),
        error_messages={
            "required": _("Enter the email address of the new member."),
            "invalid": _("Enter a valid email address."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
