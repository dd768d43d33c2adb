"""The demo's voting process accepts a vote from a demo suburb's resident."""

import pytest
from django.core.management import call_command

from osallistu.budgeting import services
from osallistu.budgeting.models import BudgetArea
from osallistu.identity.claims import IdentityClaims, Method
from osallistu.identity.forms import TEST_PEOPLE
from osallistu.identity.services import establish_eligibility
from osallistu.participation.models import Process

pytestmark = pytest.mark.django_db


def test_demo_areas_have_postal_codes():
    call_command("load_demo")

    areas = BudgetArea.objects.filter(process__slug="lahiobudjetti-esimerkki")

    assert {area.slug: area.postal_codes for area in areas} == {
        "jynkka": ["70780"],
        "neulamaki": ["70150"],
    }


def test_demo_test_person_can_vote_in_own_area():
    call_command("load_demo")
    process = Process.objects.get(slug="lahiobudjetti-esimerkki")
    national_id, municipality, postal_code, _label = TEST_PEOPLE[3]
    claims = IdentityClaims(
        method=Method.LOCAL_TEST,
        national_id=national_id,
        municipality_code=municipality,
        postal_code=postal_code,
    )
    record = establish_eligibility(process, claims)
    area = process.budget_areas.get(slug="neulamaki")
    cheapest = area.projects.order_by("cost").first()

    receipt = services.cast_ballot(record, area, [cheapest.pk])

    assert receipt.code
