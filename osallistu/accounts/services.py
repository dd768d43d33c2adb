"""Writes for accounts: reference data that staff roles need."""

import logging

from django.db import transaction

from .models import ServiceArea

__all__ = ["KUOPIO_SERVICE_AREAS", "service_areas_ensure"]

logger = logging.getLogger(__name__)

# Kuopio's service areas (palvelualueet) as (slug, abbreviation, name). Names are the city's own
# Finnish names; no abbreviation is stored for growth and learning services, because none was
# confirmed from a city source.
KUOPIO_SERVICE_AREAS = [
    ("kaupunkiympariston-palvelualue", "KYP", "Kaupunkiympäristön palvelualue"),
    ("hyvinvoinnin-edistamisen-palvelualue", "HEP", "Hyvinvoinnin edistämisen palvelualue"),
    ("kasvun-ja-oppimisen-palvelualue", "", "Kasvun ja oppimisen palvelualue"),
]


@transaction.atomic
def service_areas_ensure() -> list[ServiceArea]:
    """Create Kuopio's service areas that do not exist yet and return all three.

    An area is found by its slug, or else by its name, so running this again adds nothing and
    keeps any abbreviation or name that staff have since edited.
    """
    areas = []
    for slug, short_name, name in KUOPIO_SERVICE_AREAS:
        area = (
            ServiceArea.objects.filter(slug=slug).first()
            or ServiceArea.objects.filter(name=name).first()
        )
        if area is None:
            area = ServiceArea.objects.create(slug=slug, short_name=short_name, name=name)
            logger.info("service area created slug=%s", slug)
        areas.append(area)
    return areas
