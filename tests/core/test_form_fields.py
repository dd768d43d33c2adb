"""The shared form template links each field to its errors and help text for screen readers."""

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(label="Nimi", help_text="Koko nimi.")


def test_describedby_targets_exist():
    form = _Form(data={"name": ""})
    form.is_valid()

    html = render_to_string("includes/form_fields.html", {"form": form})

    described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert described == ["id_name_helptext", "id_name_error"]
    for target in described:
        assert target in ids
