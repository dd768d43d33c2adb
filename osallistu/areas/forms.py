"""Staff forms for area data: the import upload and the suburb's postal areas."""

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from osallistu.core.uploads import UploadValidator

from .importers.base import FileError
from .importers.sotkanet import read_regions
from .models import ImportJob, PostalArea, Suburb

# The file types that each kind of import reads. Sotkanet rows come as CSV or as JSON.
IMPORT_FILE_KINDS = {
    ImportJob.Kind.PAAVO_CSV: ("csv",),
    ImportJob.Kind.PAAVO_GEOJSON: ("json",),
    ImportJob.Kind.SOTKANET: ("csv", "json"),
    ImportJob.Kind.CITY_CSV: ("csv",),
    ImportJob.Kind.INVESTMENTS: ("csv",),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Data to import"),
        choices=ImportJob.Kind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV, JSON or GeoJSON in UTF-8. The formats are described in the guide."),
        # Size and content by the file's extension; clean() then matches it with the kind.
        validators=[UploadValidator("csv", "json")],
        widget=forms.FileInput(attrs={"accept": UploadValidator("csv", "json").accept()}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count the changes without saving"),
        required=False,
        initial=True,
    )
    statistics_year = forms.IntegerField(
        label=_("Statistics year (Paavo only)"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Leave empty to use the Paavo release year minus two."),
    )
    regions = forms.FileField(
        label=_("Sotkanet regions list (Sotkanet only)"),
        required=False,
        help_text=_("The JSON of Sotkanet's /regions, unless the data file already contains it."),
        validators=[UploadValidator("json")],
        widget=forms.FileInput(attrs={"accept": UploadValidator("json").accept()}),
    )

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        upload = cleaned_data.get("file")
        if kind and upload:
            validator = UploadValidator(*IMPORT_FILE_KINDS[kind])
            if validator.kind_of(upload.name) is None:
                self.add_error(
                    "file",
                    forms.ValidationError(
                        _("This import reads %(allowed)s files."),
                        code="wrong_kind",
                        params={"allowed": validator.allowed_extensions()},
                    ),
                )
        return cleaned_data

    def clean_regions(self):
        upload = self.cleaned_data.get("regions")
        if not upload:
            return None
        try:
            return read_regions(upload.read())
        except FileError as error:
            raise forms.ValidationError(error.message) from None

    def options(self) -> dict:
        """Return the importer options that the chosen kind uses."""
        kind = self.cleaned_data["kind"]
        options = {}
        if kind in (ImportJob.Kind.PAAVO_CSV, ImportJob.Kind.PAAVO_GEOJSON):
            if self.cleaned_data.get("statistics_year"):
                options["statistics_year"] = self.cleaned_data["statistics_year"]
        if kind == ImportJob.Kind.SOTKANET and self.cleaned_data.get("regions") is not None:
            options["regions"] = self.cleaned_data["regions"]
        return options


class PostalAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PostalArea) -> str:
        return f"{obj.code} {obj.name}"


class SuburbForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    postal_areas = PostalAreaChoiceField(
        label=_("Postal areas"),
        queryset=PostalArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose every postal area where the suburb lies. Its figures are computed from the "
            "sums of these areas."
        ),
        error_messages={"required": _("Choose at least one postal area.")},
    )

    def __init__(self, *args, suburb: Suburb | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suburb = suburb
        self.fields["postal_areas"].queryset = PostalArea.objects.filter(
            municipality_code=settings.OSALLISTU_MUNICIPALITY_CODE
        ).order_by("code")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Suburb.objects.exclude(pk=self.suburb.pk if self.suburb else None)
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("Another suburb already has this name."))
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError(_("The name must contain letters or digits."))
        if self.suburb is None and Suburb.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another suburb already has this name."))
        self.cleaned_data["slug"] = slug
        return name
