import datetime

import pytest
from django.utils import timezone

from osallistu.areas.models import Indicator, IndicatorDomain, IndicatorValue, PostalArea, Suburb
from osallistu.events.models import Event
from osallistu.participation.models import Idea, Phase, Visibility


@pytest.fixture
def open_data(make_process, resident):
    """Create public and non-public data of every kind the open data covers."""
    resident.first_name = "Ainomaija"
    resident.save()
    area = PostalArea.objects.create(code="70150", name="Neulamäki", municipality_code="297")
    suburb = Suburb.objects.create(name="Neulamäki", slug="neulamaki")
    suburb.postal_areas.add(area)
    domain = IndicatorDomain.objects.create(
        code="employment", name_fi="Työllisyys", name_sv="Sysselsättning", name_en="Employment"
    )
    indicator = Indicator.objects.create(
        code="unemployment",
        domain=domain,
        name_fi="Työttömyysaste",
        name_sv="Arbetslöshetsgrad",
        name_en="Unemployment rate",
        unit="%",
        formula="pt_tyott / (pt_tyoll + pt_tyott)",
        source="Tilastokeskus, Paavo",
        licence="CC BY 4.0",
        statistics_year=2024,
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        postal_area=area,
        statistics_year=2024,
        value=0.19,
        numerator=487,
        denominator=2569,
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        municipality_code="297",
        statistics_year=2024,
        value=None,
        status=IndicatorValue.Status.SUPPRESSED,
    )
    process = make_process(current=Phase.Kind.IDEATION, slug="lahiobudjetti")
    process.suburbs.add(suburb)
    Idea.objects.create(
        process=process, author=resident, suburb=suburb, title="Penkki puistoon", description="x"
    )
    Idea.objects.create(
        process=process,
        author=resident,
        title="Piilotettu idea",
        description="x",
        visibility=Visibility.HIDDEN,
    )
    Idea.objects.create(
        process=process,
        author=resident,
        title="Peruttu idea",
        description="x",
        status=Idea.Status.WITHDRAWN,
    )
    starts = timezone.now() + datetime.timedelta(days=3)
    Event.objects.create(
        process=process,
        suburb=suburb,
        kind=Event.Kind.WORKSHOP,
        title="Asukasilta",
        slug="asukasilta",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Neulamäen koulu",
    )
    return {"process": process, "suburb": suburb, "indicator": indicator, "resident": resident}
