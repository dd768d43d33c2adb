"""Fixtures of the programme tests: a chosen suburb with themes, indicators and investments."""

import datetime
from decimal import Decimal

import pytest

from osallistu.accounts.models import RoleAssignment
from osallistu.accounts.services import service_areas_ensure
from osallistu.areas.models import (
    DevelopmentTheme,
    Indicator,
    IndicatorValue,
    InvestmentProject,
    PostalArea,
    Suburb,
)
from osallistu.programmes.models import Programme
from osallistu.selection.models import ChosenSuburb, SelectionRound

PASSWORD = "Salasana-123"


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password=PASSWORD
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def suburb(db):
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    for code, name in (("70150", "Neulamäki"), ("70160", "Kuopion keskusta")):
        suburb.postal_areas.add(
            PostalArea.objects.create(code=code, name=name, municipality_code="297")
        )
    return suburb


@pytest.fixture
def other_suburb(db):
    return Suburb.objects.create(name="Jynkkä", slug="jynkka")


@pytest.fixture
def themes(suburb):
    return [
        DevelopmentTheme.objects.create(suburb=suburb, title="Nuorten paikat", position=0),
        DevelopmentTheme.objects.create(suburb=suburb, title="Viheralueet", position=1),
    ]


@pytest.fixture
def service_area(db):
    return service_areas_ensure()[0]


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        code="tyottomyysaste",
        name_fi="Työttömyysaste",
        name_sv="Arbetslöshetsgrad",
        name_en="Unemployment rate",
        unit="%",
        source="Tilastokeskus, Paavo",
        licence="CC BY 4.0",
        aggregation=Indicator.Aggregation.RATIO,
        scale=100,
    )


def add_postal_values(indicator, suburb, year, parts):
    """Store (numerator, denominator) per postal area of `suburb`, in code order."""
    for area, (numerator, denominator) in zip(
        suburb.postal_areas.order_by("code"), parts, strict=True
    ):
        IndicatorValue.objects.create(
            indicator=indicator,
            postal_area=area,
            statistics_year=year,
            value=100 * numerator / denominator,
            numerator=numerator,
            denominator=denominator,
        )


@pytest.fixture
def investments(suburb, other_suburb):
    return [
        InvestmentProject.objects.create(
            suburb=suburb,
            external_id="inv-1",
            name="Koulun pihan kunnostus",
            year=2027,
            cost=Decimal(350000),
            service_area="Kasvun ja oppimisen palvelualue",
            priority=1,
        ),
        InvestmentProject.objects.create(
            suburb=suburb,
            external_id="inv-2",
            name="Kuntopolun valaistus",
            year=2028,
            cost=Decimal(90000),
            service_area="Kaupunkiympäristön palvelualue",
            priority=2,
        ),
        InvestmentProject.objects.create(
            suburb=other_suburb,
            external_id="inv-3",
            name="Uimarannan laituri",
            year=2027,
            cost=Decimal(40000),
            service_area="Kaupunkiympäristön palvelualue",
            priority=1,
        ),
    ]


@pytest.fixture
def decided_round(suburb):
    selection_round = SelectionRound.objects.create(
        year=2026,
        status=SelectionRound.Status.DECIDED,
        rule=SelectionRound.Rule.TOP_N,
        decision_date=datetime.date(2026, 3, 1),
        minutes_reference="Kaupunkirakennelautakunta 1.3.2026 § 12",
    )
    ChosenSuburb.objects.create(selection_round=selection_round, suburb=suburb, position=1)
    return selection_round


@pytest.fixture
def programme(suburb):
    return Programme.objects.create(
        suburb=suburb, title="Neulamäen lähiöohjelma", slug="neulamaki", starts_year=2026
    )
