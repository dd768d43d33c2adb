"""Forms of the implementation pages: filters, item editing, milestones, updates, CSV import."""

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb
from osallistu.core.uploads import UploadValidator
from osallistu.participation import images

from . import services
from .models import ImplementationItem, Kind, Milestone, Status

# Photo slots of one update; each slot has its own description field.
PHOTO_SLOTS = 3
# Largest CSV file staff may import: far more rows than the city has items.
MAX_CSV_BYTES = 2 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ItemFilterForm(forms.Form):
    """Filters of the public list; every field is optional."""

    suburb = forms.ModelChoiceField(
        label=_("Suburb"),
        queryset=Suburb.objects.filter(implementation_items__isnull=False)
        .distinct()
        .order_by("name"),
        required=False,
        empty_label=_("All suburbs"),
        to_field_name="slug",
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )


class ItemForm(forms.ModelForm):
    """Edit an item's status, schedule, money and place; the rules of services.check_item apply."""

    class Meta:
        model = ImplementationItem
        fields = list(services.EDITABLE_FIELDS)
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "actual_start": DateInput(),
            "actual_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "progress": _("A whole number from 0 to 100; 100 only when the item is done."),
            "actual_end": _("Needed when the item is done; only for a done or cancelled item."),
            "location_text": _("The address or place name shown with the map point."),
            "longitude": _("WGS84 decimal degrees, for example 27.6053. Optional."),
            "latitude": _("WGS84 decimal degrees, for example 62.8924. Optional."),
            "is_public": _("Residents see public items on the implementation pages."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous_status = self.instance.status

    def clean(self):
        cleaned = super().clean()
        candidate = copy.copy(self.instance)
        for field in services.EDITABLE_FIELDS:
            if field in cleaned:
                setattr(candidate, field, cleaned[field])
            elif field in self.errors:
                return cleaned
        if cleaned.get("status") == Status.DONE and self.instance.status != Status.DONE:
            # services.apply_changes completes a newly done item; the form shows the same.
            if cleaned.get("progress") == self.instance.progress:
                cleaned["progress"] = candidate.progress = 100
        for field, errors in services.check_item(
            candidate, previous_status=self._previous_status
        ).items():
            for error in errors:
                self.add_error(field, error)
        return cleaned

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in services.EDITABLE_FIELDS}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {"due_on": DateInput(), "done_on": DateInput()}


class UpdateForm(forms.Form):
    """Post an update with up to PHOTO_SLOTS photos and an optional invitation to take part."""

    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    published_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    invitation_starts_at = forms.DateTimeField(
        label=_("Time of the event"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Optional. Invite residents to take part in the work, for example to a talkoot."
        ),
    )
    invitation_place = forms.CharField(
        label=_("Place of the event"), max_length=200, required=False
    )
    invitation_how = forms.CharField(
        label=_("How to take part"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_text = _("Optional. A JPEG, PNG or WebP photo of at most %(max)s.") % {
            "max": filesizeformat(settings.OSALLISTU_MAX_UPLOAD_BYTES)
        }
        for slot in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{slot}"] = forms.FileField(
                label=_("Photo %(number)s") % {"number": slot},
                required=False,
                help_text=help_text,
                widget=forms.ClearableFileInput(attrs={"accept": images.ALLOWED_CONTENT_TYPES}),
            )
            self.fields[f"alt_{slot}"] = forms.CharField(
                label=_("Description of photo %(number)s") % {"number": slot},
                max_length=300,
                required=False,
                help_text=_(
                    "Required with a photo: what the photo shows, for those who cannot see it."
                ),
            )

    def clean_published_on(self):
        published_on = self.cleaned_data.get("published_on")
        if published_on is not None and published_on > timezone.localdate():
            raise services.future_update_error()
        return published_on

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, PHOTO_SLOTS + 1):
            upload = cleaned.get(f"photo_{slot}")
            if not upload:
                continue
            try:
                cleaned[f"photo_{slot}"] = images.clean_image(upload)
            except ValidationError as error:
                self.add_error(f"photo_{slot}", error)
                continue
            if not cleaned.get(f"alt_{slot}", "").strip():
                self.add_error(
                    f"alt_{slot}",
                    ValidationError(
                        _("Describe the photo for those who cannot see it."), code="alt_required"
                    ),
                )
        starts_at = cleaned.get("invitation_starts_at")
        if starts_at is None and (cleaned.get("invitation_place") or cleaned.get("invitation_how")):
            self.add_error(
                "invitation_starts_at",
                ValidationError(_("Enter the time of the event you invite to."), code="no_time"),
            )
        if starts_at is not None and not cleaned.get("invitation_place"):
            self.add_error(
                "invitation_place",
                ValidationError(_("Enter where the event takes place."), code="no_place"),
            )
        return cleaned

    def photos(self) -> list[tuple]:
        return [
            (self.cleaned_data[f"photo_{slot}"], self.cleaned_data[f"alt_{slot}"])
            for slot in range(1, PHOTO_SLOTS + 1)
            if self.cleaned_data.get(f"photo_{slot}")
        ]

    def invitation(self) -> services.Invitation | None:
        starts_at = self.cleaned_data.get("invitation_starts_at")
        if starts_at is None:
            return None
        return services.Invitation(
            starts_at=starts_at,
            place=self.cleaned_data["invitation_place"],
            how=self.cleaned_data["invitation_how"],
        )

    def publication_date(self):
        return self.cleaned_data.get("published_on") or timezone.localdate()


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, separated by commas or semicolons, with a header row. Download the template "
            "below for the columns and current values."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        # The shared check rejects other file types and content that is not CSV text.
        validators=[UploadValidator("csv")],
    )
    dry_run = forms.BooleanField(
        label=_("Check only: show what would change without saving"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s). The maximum is %(max)s."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(MAX_CSV_BYTES),
                },
            )
        upload.seek(0)
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."),
                code="not_utf8",
            ) from None
