"""Test data shared by the communication tests and their browser tests."""

import datetime

from django.utils import timezone

from osallistu.events.models import Event


def workshop(suburb) -> Event:
    """Create a park workshop in `suburb` a week from now."""
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=7)
    return Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        title="Puistotyöpaja",
        slug="puistotyopaja",
        description="Suunnitellaan yhdessä Neulamäen puistoa.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Neulamäen koulu",
        address="Neulamäentie 1",
        suburb=suburb,
    )
