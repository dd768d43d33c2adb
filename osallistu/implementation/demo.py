"""Example implementation content for the Kuopio demo: last year's budgeting winners under way.

The demo's current budgeting process is still voting, so this adds an example process of the
previous year whose results are published. Its winners are tracked as publication tracks them,
and they and the example project packages get example milestones and updates. Loading twice adds
nothing.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from osallistu.areas.models import Suburb
from osallistu.budgeting.models import Ballot, BallotChoice, BudgetArea, Project
from osallistu.participation.models import Phase, Process
from osallistu.programmes.models import ProjectPackage

from . import services
from .models import ImplementationItem, ImplementationUpdate, Milestone, Status

logger = logging.getLogger(__name__)

PAST_PROCESS_SLUG = "lahiobudjetti-2025-esimerkki"
PAST_BUDGET = Decimal(50000)
# Last year's example proposals per suburb: (title, description, cost in euros, votes). Counted
# greedily on 50 000 €, the first three of each suburb win and the last does not fit.
PAST_PROPOSALS = {
    "neulamaki": [
        (
            "Frisbeegolfrata Neulamäen liikuntapuistoon",
            "Yhdeksän väylän frisbeegolfrata liikuntapuiston metsäiseen reunaan.",
            18000,
            64,
        ),
        (
            "Istutuksia ostoskeskuksen aukiolle",
            "Kukkivia pensaita ja perennoja aukion harmaille reunoille.",
            9000,
            51,
        ),
        ("Koirapuiston aita ja penkit", "Koirapuistoon uusi aita ja kaksi penkkiä.", 12000, 40),
        ("Pulkkamäen valaistus", "Valot koulun pulkkamäelle talven iltoja varten.", 20000, 33),
    ],
    "jynkka": [
        (
            "Lasten pyöräilyrata",
            "Asfaltoitu pieni liikennerata liikennemerkkeineen päiväkodin viereen.",
            24000,
            58,
        ),
        (
            "Jynkän ulkoilureitin opasteet",
            "Reittikartat ja opasteet ulkoilureitin risteyksiin.",
            5000,
            47,
        ),
        (
            "Grillikatos uimarannalle",
            "Katettu grillipaikka ja polttopuuvaja uimarannan nurmelle.",
            15000,
            39,
        ),
        ("Kuntoportaat rinteeseen", "Puiset kuntoportaat harjun rinteeseen.", 30000, 22),
    ],
}
# Example progress of tracked items, in the order they are found: (status, progress, days since
# the actual start, or None before work starts).
EXAMPLE_PROGRESS = [
    (Status.IN_PROGRESS, 60, 45),
    (Status.PROCUREMENT, 10, None),
    (Status.DONE, 100, 120),
    (Status.DESIGN, 20, None),
]
# A Neulamäki point inside postal area 70150, for the example map.
NEULAMAKI_POINT = (Decimal("27.590000"), Decimal("62.887000"), "Neulamäen liikuntapuisto")


def _past_process(suburbs: list[Suburb], today: datetime.date) -> Process:
    """Get or create last year's example process with counted ballots and published results."""
    existing = Process.objects.filter(slug=PAST_PROCESS_SLUG).first()
    if existing is not None:
        return existing
    day = datetime.timedelta(days=1)
    process = Process.objects.create(
        slug=PAST_PROCESS_SLUG,
        title="Lähiöbudjetti 2025 (esimerkki)",
        kind=Process.Kind.PARTICIPATORY_BUDGETING,
        description=(
            "Esimerkkiprosessi: edellisen vuoden äänestyksen tulokset on julkaistu, ja "
            "rahoitettuja ehdotuksia toteutetaan."
        ),
        is_example=True,
    )
    process.suburbs.set(suburbs)
    for kind, starts, ends in [
        (Phase.Kind.IDEATION, today - 400 * day, today - 350 * day),
        (Phase.Kind.EVALUATION, today - 349 * day, today - 300 * day),
        (Phase.Kind.VOTING, today - 299 * day, today - 270 * day),
        (Phase.Kind.IMPLEMENTATION, today - 240 * day, today + 240 * day),
    ]:
        Phase.objects.create(process=process, kind=kind, starts_on=starts, ends_on=ends)
    for suburb in suburbs:
        area = BudgetArea.objects.create(
            process=process, name=suburb.name, slug=suburb.slug, suburb=suburb, budget=PAST_BUDGET
        )
        for number, (title, description, cost, votes) in enumerate(
            PAST_PROPOSALS.get(suburb.slug, []), start=1
        ):
            project = Project.objects.create(
                area=area,
                external_id=f"{suburb.slug}-2025-{number}",
                title=title,
                description=description,
                cost=Decimal(cost),
                is_example=True,
            )
            # One choice per example ballot keeps the counts readable on the results page.
            ballots = Ballot.objects.bulk_create(Ballot(area=area) for _ in range(votes))
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, project=project) for ballot in ballots
            )
    process.results_published = True
    process.save(update_fields=["results_published"])
    services.track_winners(None, process)
    return process


def _example_progress(
    item: ImplementationItem, index: int, today: datetime.date, *, with_point: bool
) -> None:
    """Give an example item a status, schedule, milestones and updates, once."""
    if item.milestones.exists() or item.updates.exists():
        return
    status, progress, started_days_ago = EXAMPLE_PROGRESS[index % len(EXAMPLE_PROGRESS)]
    day = datetime.timedelta(days=1)
    item.status = status
    item.progress = progress
    item.planned_start = today - 60 * day
    item.planned_end = today + 90 * day
    if started_days_ago is not None:
        item.actual_start = today - started_days_ago * day
    if status == Status.DONE:
        item.actual_end = today - 10 * day
        item.actual_cost = (item.budget or Decimal(10000)) * Decimal("0.94")
    if with_point:
        item.longitude, item.latitude, item.location_text = NEULAMAKI_POINT
    item.save()
    for position, (title, offset, done) in enumerate(
        [
            ("Suunnitelma hyväksytty", -40, True),
            ("Urakoitsija valittu", -10, status in (Status.IN_PROGRESS, Status.DONE)),
            ("Työt valmiina", 90, status == Status.DONE),
        ]
    ):
        Milestone.objects.create(
            item=item,
            title=title,
            due_on=today + offset * day,
            done_on=today + min(offset, -1) * day if done else None,
            position=position,
        )
    ImplementationUpdate.objects.create(
        item=item,
        text=(
            "Esimerkkitiedote: suunnitelma on hyväksytty, ja työt alkavat urakoitsijan "
            "valinnan jälkeen. Kerromme täällä, kun työ etenee."
        ),
        published_on=today - 30 * day,
    )
    if status == Status.IN_PROGRESS:
        ImplementationUpdate.objects.create(
            item=item,
            text="Esimerkkitiedote: tervetuloa istutustalkoisiin! Kaupunki tarjoaa taimet ja "
            "työkalut.",
            published_on=today - 2 * day,
            invitation_starts_at=timezone.make_aware(
                datetime.datetime.combine(today + 12 * day, datetime.time(17, 0))
            ),
            invitation_place="Ostoskeskuksen aukio",
            invitation_how="Tule paikalle omin hanskoin. Ilmoittautumista ei tarvita.",
        )


@transaction.atomic
def example_implementation_load(suburbs: list[Suburb], today: datetime.date | None = None) -> None:
    """Track last year's example winners and the example packages, with example progress."""
    today = today or timezone.localdate()
    _past_process(suburbs, today)
    for package in ProjectPackage.objects.filter(is_example=True):
        services.track_package(None, package)
    items = ImplementationItem.objects.filter(is_example=True).select_related("suburb")
    pointed = False
    for index, item in enumerate(items.order_by("pk")):
        # The example point lies in Neulamäki, so it marks the first Neulamäki item.
        with_point = not pointed and item.suburb is not None and item.suburb.slug == "neulamaki"
        pointed = pointed or with_point
        _example_progress(item, index, today, with_point=with_point)
    logger.info("demo implementation items=%d", items.count())
