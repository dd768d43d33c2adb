from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.core.uploads import UploadValidator

from .models import DecidimRecord


class DecidimImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Contents of the file"),
        choices=DecidimRecord.Kind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Decidim CSV file"),
        help_text=_("A semicolon-separated UTF-8 file exported from Decidim."),
        validators=[UploadValidator("csv")],
        widget=forms.FileInput(attrs={"accept": UploadValidator("csv").accept()}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file without saving"), required=False, initial=True
    )

    def text(self) -> str:
        """Return the uploaded file as text, or raise ValidationError if it is not UTF-8."""
        try:
            return self.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 CSV and try again."),
                code="encoding",
            ) from error
