"""Test data for the situational picture: a chosen suburb of two postal areas.

The tests give the two areas rates whose mean differs from the pooled rate, because the page must
show the pooled rate.
"""

import datetime

from osallistu.areas.models import (
    DevelopmentTheme,
    Indicator,
    IndicatorDomain,
    IndicatorValue,
    PostalArea,
    Suburb,
)
from osallistu.selection.models import ChosenSuburb, SelectionRound

MUNICIPALITY = "297"
SQUARE_A = {
    "type": "Polygon",
    "coordinates": [
        [[27.60, 62.88], [27.62, 62.88], [27.62, 62.89], [27.60, 62.89], [27.60, 62.88]]
    ],
}
SQUARE_B = {
    "type": "Polygon",
    "coordinates": [
        [[27.62, 62.88], [27.64, 62.88], [27.64, 62.89], [27.62, 62.89], [27.62, 62.88]]
    ],
}


def make_suburb(slug="testila", name="Testilä", *, development_data=True) -> Suburb:
    """Create a suburb of postal areas 70901 and 70902 with square polygons."""
    first = PostalArea.objects.create(
        code="70901",
        name="Ensilä",
        municipality_code=MUNICIPALITY,
        geometry=SQUARE_A,
        geometry_is_development_data=development_data,
    )
    second = PostalArea.objects.create(
        code="70902",
        name="Toisela",
        municipality_code=MUNICIPALITY,
        geometry=SQUARE_B,
        geometry_is_development_data=development_data,
    )
    suburb = Suburb.objects.create(name=name, slug=slug)
    suburb.postal_areas.set([first, second])
    return suburb


def make_indicator(code="unemployment", *, direction=Indicator.Direction.HIGHER) -> Indicator:
    domain, _created = IndicatorDomain.objects.get_or_create(
        code="work", defaults={"name_fi": "Työ", "name_sv": "Arbete", "name_en": "Work"}
    )
    return Indicator.objects.create(
        code=code,
        domain=domain,
        name_fi=f"Mittari {code}",
        name_sv=f"Indikator {code}",
        name_en=f"Indicator {code}",
        unit="%",
        scale=100.0,
        direction=direction,
        source="Tilastokeskus, Paavo",
        licence="CC BY 4.0",
    )


def add_area_value(indicator, code, year, numerator, denominator, status="ok"):
    """Store a postal area's rate in percent from its numerator and denominator."""
    value = None
    if status == "ok" and numerator is not None and denominator:
        value = numerator / denominator * 100
    return IndicatorValue.objects.create(
        indicator=indicator,
        postal_area=PostalArea.objects.get(code=code),
        statistics_year=year,
        value=value,
        numerator=numerator if status == "ok" else None,
        denominator=denominator if status == "ok" else None,
        status=status,
    )


def add_municipality_value(indicator, year, numerator, denominator):
    return IndicatorValue.objects.create(
        indicator=indicator,
        municipality_code=MUNICIPALITY,
        statistics_year=year,
        value=numerator / denominator * 100,
        numerator=numerator,
        denominator=denominator,
    )


def choose(*suburbs, year=2026) -> SelectionRound:
    """Record a decided selection round that chose the suburbs."""
    selection_round = SelectionRound.objects.create(
        year=year,
        status=SelectionRound.Status.DECIDED,
        rule=SelectionRound.Rule.TOP_N,
        decision_date=datetime.date(year, 3, 1),
        minutes_reference="§ 12",
    )
    for position, suburb in enumerate(suburbs, start=1):
        ChosenSuburb.objects.create(
            selection_round=selection_round, suburb=suburb, position=position
        )
    return selection_round


def add_theme(suburb, title, position=0):
    return DevelopmentTheme.objects.create(
        suburb=suburb, title=title, description="Kuvaus", position=position
    )
