"""Forms for ideas: the resident's idea form, the list filters and the staff status form.

Idea texts are plain text. The pages escape them, and input that contains HTML tags is rejected
with a message, so that a resident who pasted markup sees why it would not show.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb
from osallistu.organisations.models import Organisation

from . import images, services
from .comment_forms import reject_html
from .models import Idea, Theme

__all__ = [
    "FINLAND_LATITUDE",
    "FINLAND_LONGITUDE",
    "MAX_IMAGES",
    "IdeaFilterForm",
    "IdeaForm",
    "IdeaStatusForm",
]

# WGS84 bounds around Finland, Åland included: a point outside them is a typing error.
FINLAND_LATITUDE = (Decimal("59.4"), Decimal("70.1"))
FINLAND_LONGITUDE = (Decimal("19.0"), Decimal("31.6"))
# Images of one idea in all: the main image and the extra ones.
MAX_IMAGES = 5
_COORDINATE_PLACES = Decimal("0.000001")
# Statuses that staff set and lists filter by; withdrawn ideas leave every list.
_DECIDED_STATUS_CHOICES = [
    (value, capfirst(label))
    for value, label in Idea.Status.choices
    if value != Idea.Status.WITHDRAWN
]


class CoordinateField(forms.Field):
    """A latitude or longitude in decimal degrees, rounded to six decimals (about 10 cm).

    The input is a text box, not type="number": a browser sends an empty value for a number box
    that holds text, so the user would lose what they typed and get no error. A decimal comma
    is accepted.
    """

    widget = forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
    )
    default_error_messages = {
        "invalid": _("Enter the coordinate as a number in decimal degrees, for example 62.8924."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        # U+2212 is the minus sign that some map services copy instead of a hyphen.
        text = str(value).strip().replace(",", ".").replace("\u2212", "-")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number.quantize(_COORDINATE_PLACES, rounding=ROUND_HALF_UP)


class EuroField(forms.DecimalField):
    """An amount in euros that accepts a decimal comma, spaces between thousands and a € sign."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            # Finnish writes "1 500,50 €", often with a no-break or narrow no-break space.
            for character in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(character, "")
            value = value.replace(",", ".")
        return super().to_python(value)


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files from one file input; cleans to a list of images.CleanImage."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        return [
            images.clean_image(upload)
            for upload in (super(MultipleImageField, self).clean(item) for item in uploads)
            if upload
        ]


def _text_error_messages(required):
    return {
        "required": required,
        "max_length": _(
            "The text is too long: %(show_value)d characters. "
            "The maximum is %(limit_value)d characters."
        ),
    }


class IdeaForm(forms.ModelForm):
    """A resident's new or edited idea.

    The lists of themes, suburbs and organisations are limited to the process's accepted themes,
    the process's suburbs and the user's memberships; fields with nothing to choose from are left
    out. `image` is the main image and `more_images` adds further ones; with `instance`, the form
    also offers to remove the current main image.
    """

    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": images.ALLOWED_CONTENT_TYPES}),
    )
    # TODO: authors cannot describe their images yet. Idea has no field for the main image's
    # description and the form does not fill IdeaImage.alt_text, so pages use generated alt texts.
    more_images = MultipleImageField(
        label=_("More images"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": images.ALLOWED_CONTENT_TYPES}),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    latitude = CoordinateField(
        label=_("Latitude"),
        required=False,
        help_text=_(
            "Optional. The point's latitude in decimal degrees, for example 62.8924. "
            "You can copy it from a map service."
        ),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        required=False,
        help_text=_("Optional. The point's longitude in decimal degrees, for example 27.6782."),
    )
    cost_estimate = EuroField(
        label=_("Your cost estimate (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Optional. What do you think the idea would cost, in euros? City experts estimate "
            "the cost later."
        ),
    )

    class Meta:
        model = Idea
        fields = [
            "title",
            "description",
            "theme",
            "suburb",
            "location_text",
            "latitude",
            "longitude",
            "cost_estimate",
            "organisation",
        ]
        labels = {"location_text": _("Address or place name")}
        help_texts = {
            "title": _("A short name for the idea, at most 150 characters."),
            "description": _("What should be done, where, and why? At most 5 000 characters."),
            "location_text": _(
                "Optional. For example a street address or the name of a park. Required if you "
                "give a point on the map, so that everyone can find the place without the map."
            ),
        }
        error_messages = {
            "title": _text_error_messages(_("Give the idea a title.")),
            "description": _text_error_messages(_("Describe the idea.")),
            "location_text": _text_error_messages(_("Enter an address or a place name.")),
        }

    def __init__(self, *args, process, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(reject_html)
        self.fields["description"].validators.append(reject_html)
        self.fields["location_text"].validators.append(reject_html)
        self._limit_choices(process, user)
        # The limits are settings and constants, so the help texts are built per form.
        self.fields["image"].help_text = _(
            "Optional. A JPEG, PNG or WebP image of at most %(max)s. Location and camera details "
            "are removed from the image before it is published."
        ) % {"max": filesizeformat(settings.OSALLISTU_MAX_UPLOAD_BYTES)}
        self.fields["more_images"].help_text = _(
            "Optional. You can choose several images at once, at most %(max)d images in all."
        ) % {"max": MAX_IMAGES}
        if self.instance.pk is None or not self.instance.image:
            del self.fields["remove_image"]
        # The order of `fields` puts the images after the text and the place.
        self.order_fields(["title", "description", "theme", "suburb", "location_text"])

    def _limit_choices(self, process, user) -> None:
        themes = Theme.objects.filter(process=process, status=Theme.Status.ACCEPTED)
        suburbs = Suburb.objects.filter(processes=process)
        organisations = Organisation.objects.filter(memberships__user=user)
        choices = [
            ("theme", themes, _("No theme")),
            ("suburb", suburbs, _("Choose a suburb")),
            ("organisation", organisations, _("Myself, not an organisation")),
        ]
        for name, queryset, empty_label in choices:
            if not queryset.exists():
                del self.fields[name]
                continue
            self.fields[name].queryset = queryset
            self.fields[name].empty_label = empty_label
        if "organisation" in self.fields:
            self.fields["organisation"].label = _("Post as")
            self.fields["organisation"].help_text = _(
                "Choose an organisation you are a member of to post the idea in its name."
            )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return images.clean_image(upload) if upload else None

    def clean_latitude(self):
        return self._clean_in_bounds(
            "latitude",
            FINLAND_LATITUDE,
            _("Enter a latitude between %(min)s and %(max)s: the point must be in Finland."),
        )

    def clean_longitude(self):
        return self._clean_in_bounds(
            "longitude",
            FINLAND_LONGITUDE,
            _("Enter a longitude between %(min)s and %(max)s: the point must be in Finland."),
        )

    def _clean_in_bounds(self, name, bounds, message):
        value = self.cleaned_data.get(name)
        low, high = bounds
        if value is not None and not low <= value <= high:
            raise ValidationError(
                message,
                code="out_of_bounds",
                params={"min": number_format(low), "max": number_format(high)},
            )
        return value

    def clean(self):
        cleaned = super().clean()
        self._check_point()
        self._check_image_count()
        return cleaned

    def _check_point(self) -> None:
        if "latitude" in self.errors or "longitude" in self.errors:
            self._hint_swapped_coordinates()
            return
        try:
            services.idea_point_validate(
                self.cleaned_data.get("latitude"),
                self.cleaned_data.get("longitude"),
                self.cleaned_data.get("location_text") or "",
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                # A location text that was rejected already needs no second message.
                if field not in self.errors:
                    self.add_error(field, errors)

    def _hint_swapped_coordinates(self) -> None:
        """Say so when both coordinates are out of bounds but fit the other way round."""
        try:
            latitude = self.fields["latitude"].to_python(self.data.get("latitude"))
            longitude = self.fields["longitude"].to_python(self.data.get("longitude"))
        except ValidationError:
            return
        if latitude is None or longitude is None:
            return
        if (
            FINLAND_LATITUDE[0] <= longitude <= FINLAND_LATITUDE[1]
            and FINLAND_LONGITUDE[0] <= latitude <= FINLAND_LONGITUDE[1]
        ):
            self.add_error(
                None,
                ValidationError(
                    _(
                        "The latitude and the longitude seem to be the wrong way round. In "
                        "Finland the latitude is the larger number, between 59 and 70."
                    ),
                    code="swapped_coordinates",
                ),
            )

    def _check_image_count(self) -> None:
        kept = 0
        if self.instance.pk is not None:
            kept = self.instance.images.count()
            if self.instance.image and not self.cleaned_data.get("remove_image"):
                kept += 1
        new = len(self.cleaned_data.get("more_images") or [])
        if self.cleaned_data.get("image"):
            # A new main image replaces the current one.
            new += 1
            if self.instance.pk is not None and self.instance.image:
                kept -= 1
        if kept + new > MAX_IMAGES:
            self.add_error(
                "more_images",
                ValidationError(
                    _("An idea can have at most %(max)d images. You chose %(count)d."),
                    code="too_many_images",
                    params={"max": MAX_IMAGES, "count": kept + new},
                ),
            )


class IdeaFilterForm(forms.Form):
    """Search, filters and order of the idea list, read from the query string.

    Random order is the default, so that no idea gains from its place in the list.
    """

    class Order:
        RANDOM = "random"
        NEWEST = "newest"
        OLDEST = "oldest"
        MOST_COMMENTED = "comments"

    ORDER_CHOICES = [
        (Order.RANDOM, _("Random order")),
        (Order.NEWEST, _("Newest first")),
        (Order.OLDEST, _("Oldest first")),
        (Order.MOST_COMMENTED, _("Most comments first")),
    ]
    STATUS_CHOICES = [
        ("", _("All statuses")),
        *_DECIDED_STATUS_CHOICES,
    ]

    q = forms.CharField(label=_("Search"), max_length=200, required=False, widget=forms.SearchInput)
    suburb = forms.ModelChoiceField(
        label=_("Suburb"),
        queryset=Suburb.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All suburbs"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("All themes"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    order = forms.ChoiceField(label=_("Order"), choices=ORDER_CHOICES, required=False)

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suburb"].queryset = Suburb.objects.filter(processes=process)
        self.fields["theme"].queryset = Theme.objects.filter(
            process=process, status=Theme.Status.ACCEPTED
        )

    def filters(self) -> dict:
        """Return the valid filters as keyword arguments of selectors.idea_list().

        An invalid value, as from an edited link, is left out rather than failing the page.
        """
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q") or "",
            "suburb": data.get("suburb"),
            "theme": data.get("theme"),
            "status": data.get("status") or None,
            "order": data.get("order") or self.Order.RANDOM,
        }


class IdeaStatusForm(forms.Form):
    """Staff's decision on an idea: its new status and the reason told to the author."""

    status = forms.ChoiceField(
        label=_("New status"),
        choices=_DECIDED_STATUS_CHOICES,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. The author sees this reason in the notification."),
        error_messages=_text_error_messages(_("Write a reason.")),
    )
