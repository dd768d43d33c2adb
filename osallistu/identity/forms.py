from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .digest import normalise_national_id

# Test identities only: the 900-999 individual numbers are never given to real people.
TEST_PEOPLE = [
    ("210281-9988", "297", "70100", _("Adult in Kuopio centre")),
    ("010114A9025", "297", "70820", _("Pupil in Kuopio")),
    ("010170-902L", "853", "20100", _("Adult in Turku")),
    # Residents of the demo's budgeting areas, who may vote where voting is limited to one's area.
    ("150585-904T", "297", "70150", _("Adult in Neulamäki")),
    ("120310A906Y", "297", "70780", _("Pupil in Jynkkä")),
]


class LocalTestPersonForm(forms.Form):
    """The test person whom the local test identity provider vouches for."""

    national_id = forms.CharField(
        label=_("Personal identity code"),
        max_length=11,
        initial=TEST_PEOPLE[0][0],
        help_text=_("Use a test code with an individual number from 900 to 999."),
    )
    given_names = forms.CharField(label=_("Given names"), max_length=100, required=False)
    municipality_code = forms.RegexField(
        label=_("Home municipality code"),
        regex=r"^\d{3}$",
        initial=TEST_PEOPLE[0][1],
        help_text=_("Three digits, for example 297 for Kuopio."),
        error_messages={"invalid": _("Enter three digits.")},
    )
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{5}$",
        initial=TEST_PEOPLE[0][2],
        required=False,
        error_messages={"invalid": _("Enter five digits.")},
    )
    security_denial = forms.BooleanField(
        label=_("Security denial: the register gives no address"), required=False
    )

    def clean_national_id(self):
        try:
            number = normalise_national_id(self.cleaned_data["national_id"])
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid_national_id") from None
        if not 900 <= int(number[7:10]) <= 999:
            raise ValidationError(
                _("Use a test code: its individual number must be from 900 to 999."),
                code="not_a_test_code",
            )
        return number
