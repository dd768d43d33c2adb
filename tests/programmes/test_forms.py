"""Form behaviour of the programme staff pages: dates, Finnish numbers and year ranges."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.programmes import services
from osallistu.programmes.forms import (
    CoDesignForm,
    GoalForm,
    KeyActionForm,
    MeasurementForm,
    ProgrammeForm,
)
from osallistu.programmes.models import Goal

pytestmark = pytest.mark.django_db


def test_co_design_date_renders_iso():
    # Browsers discard any other value of <input type="date">, so the required field looks empty.
    with translation.override("fi"):
        form = CoDesignForm(initial={"starts_on": datetime.date(2026, 12, 5)})
        html = str(form["starts_on"])
    assert 'value="2026-12-05"' in html
    assert 'type="date"' in html


def test_co_design_page_renders_iso_date(client, coordinator, programme, service_area):
    package = services.package_create(
        user=coordinator, programme=programme, title="Puisto", service_area=service_area
    )
    client.force_login(coordinator)
    url = reverse("programmes:staff_package_co_design", args=[programme.slug, package.pk])
    body = client.get(url).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in body


GOAL = {
    "title": "Nuoret tavoitetaan",
    "origin": "outreach",
    "measure_kind": "count",
    "measure_label": "tavoitetut nuoret",
    "baseline_year": "2025",
}


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1 000", "1000"), ("1\u00a0000", "1000"), ("1\u202f000", "1000"), ("1 000,5", "1000.5")],
)
def test_goal_number_accepts_finnish_thousands(programme, typed, value):
    with translation.override("fi"):
        form = GoalForm({**GOAL, "baseline": typed}, programme=programme)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["baseline"] == Decimal(value)


def test_goal_number_decimal_comma(programme):
    with translation.override("fi"):
        form = GoalForm({**GOAL, "baseline": "12,5"}, programme=programme)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["baseline"] == Decimal("12.5")


def test_invalid_number_gets_only_its_own_error(programme):
    with translation.override("en"):
        form = GoalForm({**GOAL, "baseline": "tuhat"}, programme=programme)
        assert not form.is_valid()
        errors = [str(message) for message in form.errors["baseline"]]
    assert errors == ["Enter a number."]
    assert "baseline_year" not in form.errors
    assert not Goal.objects.exists()


def test_number_without_year_still_checked(programme):
    with translation.override("en"):
        form = GoalForm({**GOAL, "baseline": "", "baseline_year": "2025"}, programme=programme)
        assert not form.is_valid()
        assert form.errors["baseline"] == ["Enter the number of this year, or remove the year."]


def test_measurement_value_accepts_thousands():
    with translation.override("fi"):
        form = MeasurementForm({"year": "2026", "value": "12 500", "note": ""})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == Decimal(12500)


def test_year_fields_say_the_real_range(programme):
    forms = [
        (ProgrammeForm(creating=False, instance=programme), ("starts_year", "ends_year")),
        (GoalForm(programme=programme), ("baseline_year", "target_year")),
        (MeasurementForm(), ("year",)),
        (KeyActionForm(programme=programme), ("starts_year",)),
    ]
    for form, names in forms:
        for name in names:
            html = str(form[name])
            assert 'min="2000"' in html, name
            assert 'max="2100"' in html, name
            assert "9223372036854775807" not in html


def test_year_out_of_range_error(programme):
    with translation.override("en"):
        form = GoalForm({**GOAL, "baseline": "20", "baseline_year": "1999"}, programme=programme)
        assert not form.is_valid()
        assert form.errors["baseline_year"] == [
            "Ensure this value is greater than or equal to 2000."
        ]
        form = MeasurementForm({"year": "2101", "value": "1"})
        assert not form.is_valid()
        assert form.errors["year"] == ["Ensure this value is less than or equal to 2100."]
