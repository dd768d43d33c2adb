"""Example communication for the demo: channel uses and one sent newsletter per demo suburb.

The newsletter record is marked sent with example counts, but no email is sent.
"""

import datetime

from django.utils import timezone

from osallistu.areas.models import Suburb
from osallistu.events.models import Event
from osallistu.participation.models import Phase

from .models import ChannelUse, CommunicationChannel, NewsletterIssue

# (channel code, days before today, reach or None, note). Finnish, as staff write.
EXAMPLE_PHASE_USES = [
    ("local-paper", 20, 15000, "Juttu Kuopion Kaupunkilehdessä (esimerkki)"),
    ("social-media", 18, None, "Kaupungin Facebook-julkaisu (esimerkki)"),
    ("website", 21, None, "Uutinen kaupungin verkkosivuilla (esimerkki)"),
]


def _channel(code: str) -> CommunicationChannel | None:
    return CommunicationChannel.objects.filter(code=code).first()


def example_communications_load(suburbs: list[Suburb]) -> None:
    """Add example channel uses and a sent newsletter to each demo suburb, once."""
    today = timezone.localdate()
    for suburb in suburbs:
        if ChannelUse.objects.filter(suburb=suburb, is_example=True).exists():
            continue
        phase = (
            Phase.objects.filter(process__suburbs=suburb, process__is_example=True)
            .select_related("process")
            .order_by("-starts_on")
            .first()
        )
        if phase is not None:
            for code, days, reach, note in EXAMPLE_PHASE_USES:
                channel = _channel(code)
                if channel is None:
                    continue
                ChannelUse.objects.create(
                    channel=channel,
                    suburb=suburb,
                    used_on=today - datetime.timedelta(days=days),
                    step=phase,
                    step_label=str(phase),
                    note=note,
                    reach=reach,
                    is_example=True,
                )
        event = Event.objects.filter(suburb=suburb, is_example=True).order_by("starts_at").first()
        if event is not None and _channel("poster") is not None:
            ChannelUse.objects.create(
                channel=_channel("poster"),
                suburb=suburb,
                used_on=today - datetime.timedelta(days=5),
                step=event,
                step_label=str(event),
                note="Julisteet ostoskeskuksen ja kirjaston ilmoitustauluille (esimerkki)",
                automatic=True,
                is_example=True,
            )
        sent_at = timezone.now() - datetime.timedelta(days=3)
        NewsletterIssue.objects.create(
            suburb=suburb,
            subject=f"{suburb.name}: lähiöbudjetin ideointi alkaa (esimerkki)",
            body=(
                "Hei!\n\nLähiöbudjetin ideointi on alkanut. Kerro, mihin lähiösi 50 000 euroa "
                "kannattaa käyttää, ja tule mukaan työpajaan.\n\nTämä on esimerkkiuutiskirje."
            ),
            include_upcoming=False,
            status=NewsletterIssue.Status.SENT,
            sent_at=sent_at,
            recipient_count=42,
            recipients_by_language={"fi": 38, "sv": 1, "en": 3},
            is_example=True,
        )
        channel = _channel("newsletter")
        if channel is not None:
            ChannelUse.objects.create(
                channel=channel,
                suburb=suburb,
                used_on=timezone.localdate(sent_at),
                step=suburb,
                step_label=str(suburb),
                note="Uutiskirje (esimerkki)",
                reach=42,
                automatic=True,
                is_example=True,
            )
