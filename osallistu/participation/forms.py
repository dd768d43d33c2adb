from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb

from .models import Idea


class IdeaForm(forms.ModelForm):
    """Form for a resident's new idea; the suburb list is limited to the process's suburbs."""

    class Meta:
        model = Idea
        fields = ["title", "description", "suburb", "image"]
        help_texts = {
            "title": _("A short name for the idea, at most 150 characters."),
            "description": _("What should be done, where, and why? At most 5 000 characters."),
            "image": _("Optional. A JPEG, PNG or WebP image of at most 5 MB."),
        }

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suburb"].queryset = Suburb.objects.filter(processes=process)
        self.fields["suburb"].empty_label = _("Choose a suburb")
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > settings.OSALLISTU_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The image is too large (%(size)s). The maximum is %(max)s."),
                params={
                    "size": filesizeformat(image.size),
                    "max": filesizeformat(settings.OSALLISTU_MAX_UPLOAD_BYTES),
                },
                code="too_large",
            )
        if image and getattr(image, "image", None) is not None:
            if image.image.format not in {"JPEG", "PNG", "WEBP"}:
                raise forms.ValidationError(
                    _("Use a JPEG, PNG or WebP image."), code="invalid_type"
                )
        return image
