"""The demo's decided selection round: this year's round that chose the two demo suburbs."""

import logging

from django.db import transaction
from django.utils import timezone

from osallistu.areas.models import Suburb

from . import engine
from .models import ChosenSuburb, NeedIndexConfiguration, SelectionRound
from .services import compute_snapshot

logger = logging.getLogger(__name__)

EXAMPLE_CONFIGURATION_NAME = "Oletus (esimerkki)"
EXAMPLE_MINUTES = "Esimerkki: kaupunkirakennelautakunta, pöytäkirja § 1"


@transaction.atomic
def example_round_load(suburbs: list[Suburb], year: int | None = None) -> SelectionRound:
    """Return this year's decided round, creating one that chose `suburbs` if there is none.

    Loading again finds the year's decided round and adds nothing. The demo has no staff user,
    so this writes without the permission check of services; only load_demo calls it.
    """
    today = timezone.localdate()
    year = year or today.year
    existing = SelectionRound.objects.filter(
        year=year, status=SelectionRound.Status.DECIDED
    ).first()
    if existing is not None:
        return existing
    configuration, _created = NeedIndexConfiguration.objects.get_or_create(
        name=EXAMPLE_CONFIGURATION_NAME,
        defaults={
            "configuration": engine.default_configuration(),
            "is_default": not NeedIndexConfiguration.objects.filter(is_default=True).exists(),
        },
    )
    versions = SelectionRound.objects.filter(year=year).values_list("version", flat=True)
    selection_round = SelectionRound(
        year=year,
        version=max(versions, default=0) + 1,
        source_configuration=configuration,
        configuration_name=configuration.name,
        configuration=configuration.configuration,
        rule=SelectionRound.Rule.TOP_N,
        investment_handling=SelectionRound.InvestmentHandling.TIE_BREAK,
        proposal_text=(
            "Esimerkkiesitys: kaupunkiympäristön palvelualue ja hyvinvoinnin edistämisen "
            "palvelualue esittävät kehitettäviksi lähiöiksi tarveindeksin perusteella "
            "seuraavia lähiöitä."
        ),
    )
    compute_snapshot(selection_round)
    selection_round.status = SelectionRound.Status.DECIDED
    selection_round.proposed_at = timezone.now()
    selection_round.decision_date = today
    selection_round.minutes_reference = EXAMPLE_MINUTES
    selection_round.decided_at = timezone.now()
    selection_round.save()
    ChosenSuburb.objects.bulk_create(
        ChosenSuburb(selection_round=selection_round, suburb=suburb, position=position)
        for position, suburb in enumerate(suburbs[:2], start=1)
    )
    logger.info("example selection round loaded round=%s year=%s", selection_round.pk, year)
    return selection_round
