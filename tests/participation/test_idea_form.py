"""Bad input on the idea form: each error names the field and the fix, and the input is kept.

Messages are checked in English, the msgid language; the Finnish catalogue translates the same
msgids.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import translation

from osallistu.participation.models import Idea

from .ideas_support import (
    default_language_fixture,  # noqa: F401
    idea_url,
    ideation_process_fixture,  # noqa: F401
    make_idea,
)

pytestmark = pytest.mark.django_db

VALID = {"title": "Penkki puistoon", "description": "Puistoon tarvitaan penkki."}


def post(client, process, **fields):
    with translation.override("en"):
        return client.post(idea_url("idea_create", process), {**VALID, **fields})


def assert_error(response, field, code: str, text: str) -> str:
    """Assert that the form was shown again with the error; return the page."""
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code), form.errors.as_data()
    content = response.content.decode()
    assert text in content
    assert 'class="error-summary" role="alert"' in content
    assert Idea.objects.count() == 0
    return content


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def test_empty_title_and_description(ideation_process, signed_in):
    response = post(signed_in, ideation_process, title="", description="")
    assert_error(response, "title", "required", "Give the idea a title.")
    assert_error(response, "description", "required", "Describe the idea.")


def test_whitespace_title_is_empty(ideation_process, signed_in):
    response = post(signed_in, ideation_process, title="   ")
    assert_error(response, "title", "required", "Give the idea a title.")


def test_oversized_title_kept(ideation_process, signed_in):
    title = " ".join(["Pitkä"] * 30)
    response = post(signed_in, ideation_process, title=title)
    content = assert_error(response, "title", "max_length", "The text is too long: 179 characters.")
    assert f'value="{title}"' in content


def test_oversized_description_kept(ideation_process, signed_in):
    description = "sana " * 1001
    response = post(signed_in, ideation_process, description=description)
    content = assert_error(response, "description", "max_length", "The maximum is 5000")
    assert description.strip() in content


def test_script_in_title_rejected_and_kept(ideation_process, signed_in):
    response = post(signed_in, ideation_process, title="<script>alert(1)</script>")
    content = assert_error(response, "title", "html", "The text contains HTML markup")
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in content
    assert "<script>alert(1)</script>" not in content


def test_html_in_description_rejected(ideation_process, signed_in):
    response = post(signed_in, ideation_process, description="Hyvä <b>idea</b>")
    content = assert_error(response, "description", "html", "Write plain text without tags.")
    assert "Hyvä &lt;b&gt;idea&lt;/b&gt;" in content


def test_comparison_sign_is_plain_text(ideation_process, signed_in):
    response = post(signed_in, ideation_process, description="Hinta < 500 euroa <3")
    assert response.status_code == 302
    assert Idea.objects.get().description == "Hinta < 500 euroa <3"


def test_coordinate_not_a_number(ideation_process, signed_in):
    response = post(
        signed_in, ideation_process, latitude="pohjoinen", longitude="27.6", location_text="Tori"
    )
    content = assert_error(
        response, "latitude", "invalid", "Enter the coordinate as a number in decimal degrees"
    )
    assert 'value="pohjoinen"' in content
    assert 'value="Tori"' in content


def test_coordinate_infinity(ideation_process, signed_in):
    response = post(
        signed_in, ideation_process, latitude="Infinity", longitude="27.6", location_text="Tori"
    )
    assert_error(response, "latitude", "invalid", "decimal degrees")


def test_coordinate_outside_finland(ideation_process, signed_in):
    response = post(
        signed_in, ideation_process, latitude="48.85", longitude="2.35", location_text="Pariisi"
    )
    assert_error(response, "latitude", "out_of_bounds", "Enter a latitude between 59.4 and 70.1")
    assert_error(response, "longitude", "out_of_bounds", "Enter a longitude between 19.0 and 31.6")


def test_swapped_coordinates_hint(ideation_process, signed_in):
    response = post(
        signed_in, ideation_process, latitude="27.68", longitude="62.89", location_text="Tori"
    )
    assert_error(
        response, NON_FIELD_ERRORS, "swapped_coordinates", "seem to be the wrong way round"
    )


def test_half_a_point(ideation_process, signed_in):
    response = post(signed_in, ideation_process, latitude="62.89", location_text="Tori")
    assert_error(
        response, "longitude", "incomplete_point", "Give both the latitude and the longitude"
    )


def test_point_needs_text_alternative(ideation_process, signed_in):
    response = post(signed_in, ideation_process, latitude="62.89", longitude="27.68")
    content = assert_error(
        response,
        "location_text",
        "point_without_text",
        "A point on the map needs an address or a place name",
    )
    assert 'value="62.89"' in content
    assert 'value="27.68"' in content


def test_place_text_without_point_is_fine(ideation_process, signed_in):
    response = post(signed_in, ideation_process, location_text="Neulamäen koulu")
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.location_text == "Neulamäen koulu"
    assert idea.latitude is None


def test_decimal_comma_and_rounding(ideation_process, signed_in):
    response = post(
        signed_in,
        ideation_process,
        latitude="62,89241234",
        longitude="27,6782",
        location_text="Tori",
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.latitude == Decimal("62.892412")
    assert idea.longitude == Decimal("27.678200")


def test_unicode_minus_is_a_number(ideation_process, signed_in):
    response = post(
        signed_in, ideation_process, latitude="62.89", longitude="\u221227.1", location_text="Tori"
    )
    assert_error(response, "longitude", "out_of_bounds", "the point must be in Finland")


def test_cost_estimate_negative(ideation_process, signed_in):
    response = post(signed_in, ideation_process, cost_estimate="-50")
    content = assert_error(response, "cost_estimate", "min_value", "greater than or equal to 0")
    assert 'value="-50"' in content


def test_cost_estimate_not_a_number(ideation_process, signed_in):
    response = post(signed_in, ideation_process, cost_estimate="paljon")
    assert_error(response, "cost_estimate", "invalid", "Enter a number.")


def test_cost_estimate_finnish_format(ideation_process, signed_in):
    response = post(signed_in, ideation_process, cost_estimate="12\u00a0000,5 €")
    assert response.status_code == 302
    assert Idea.objects.get().cost_estimate == Decimal("12000.50")


def test_edit_errors_keep_input(ideation_process, resident, signed_in):
    idea = make_idea(ideation_process, author=resident)
    with translation.override("en"):
        response = signed_in.post(
            idea_url("idea_update", ideation_process, idea),
            {"title": "", "description": "Uusi kuvaus, joka säilyy."},
        )
    assert response.status_code == 200
    assert response.context["form"].has_error("title", "required")
    assert "Uusi kuvaus, joka säilyy." in response.content.decode()
    idea.refresh_from_db()
    assert idea.description == "Puistoon tarvitaan penkki."
