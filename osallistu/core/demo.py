"""The Kuopio demo: real welfare data and an example participatory-budgeting process.

Loading is idempotent. Objects are found by their slugs, so a second load adds nothing and keeps
what people have added since, such as ideas and ballots.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from osallistu.areas.models import Suburb
from osallistu.budgeting.models import BudgetArea, Project
from osallistu.events.models import Event
from osallistu.organisations.models import Organisation
from osallistu.participation.models import Debate, Idea, Phase, Poll, PollOption, Process, Theme

logger = logging.getLogger(__name__)

# The two demo suburbs and the budget each gets, as in Kuopio's suburb programme.
DEMO_SUBURBS = ["neulamaki", "jynkka"]
DEMO_BUDGET = Decimal(50000)

# Example ideas per suburb slug: (title, description, cost in euros). Finnish, as residents write.
EXAMPLE_IDEAS = {
    "neulamaki": [
        (
            "Valaistus Neulamäen kuntopolulle",
            "Kuntopolun pimeä osuus koulun takana valaistaan, jotta polkua voi käyttää "
            "turvallisesti myös syksyn ja talven iltoina.",
            22000,
        ),
        (
            "Nuorten katettu oleskelupaikka",
            "Ostoskeskuksen lähelle katos ja penkit, joissa nuoret voivat viettää aikaa "
            "sateellakin.",
            15000,
        ),
        (
            "Penkkejä ja roska-astioita puistoon",
            "Lähipuistoon lisää penkkejä ikääntyneille ja roska-astioita.",
            6000,
        ),
        (
            "Ulkokuntosali",
            "Kaikenikäisille sopivat ulkokuntoiluvälineet liikuntapuiston viereen.",
            30000,
        ),
    ],
    "jynkka": [
        (
            "Jynkän uimarannan laituri",
            "Uimarannalle uusi laituri ja esteetön pääsy veteen.",
            25000,
        ),
        (
            "Kirjastoauton pysäkille katos",
            "Katos ja valaistus kirjastoauton pysäkille, jota lapsiperheet käyttävät paljon.",
            8000,
        ),
        (
            "Skeittialueen kunnostus",
            "Vanhat rampit korjataan ja alueelle tuodaan uusi grindauskaide nuorten "
            "toiveiden mukaan.",
            18000,
        ),
        (
            "Yhteisöpuutarha",
            "Kerrostalojen väliselle nurmelle viljelylaatikoita asukkaiden yhteiseen käyttöön.",
            7000,
        ),
    ],
}


def _phase_dates(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """Return dates that put the voting phase around `today`, so the demo ballot is open."""
    day = datetime.timedelta(days=1)
    return [
        (Phase.Kind.INFORMATION, today - 120 * day, today - 91 * day),
        (Phase.Kind.IDEATION, today - 90 * day, today - 46 * day),
        (Phase.Kind.EVALUATION, today - 45 * day, today - 8 * day),
        (Phase.Kind.VOTING, today - 7 * day, today + 21 * day),
        (Phase.Kind.IMPLEMENTATION, today + 60 * day, today + 425 * day),
    ]


def _next_year_phase_dates(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """Return dates that put the ideation phase around `today`."""
    day = datetime.timedelta(days=1)
    return [
        (Phase.Kind.IDEATION, today - 14 * day, today + 45 * day),
        (Phase.Kind.EVALUATION, today + 46 * day, today + 90 * day),
        (Phase.Kind.VOTING, today + 91 * day, today + 120 * day),
    ]


def _example_process(
    *, slug: str, title: str, description: str, phases, suburbs: list[Suburb]
) -> tuple[Process, bool]:
    """Get or create an example process with its phases and a budget area per suburb."""
    process, created = Process.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "kind": Process.Kind.PARTICIPATORY_BUDGETING,
            "description": description,
            "is_example": True,
        },
    )
    if created:
        process.suburbs.set(suburbs)
        for kind, starts, ends in phases:
            Phase.objects.create(process=process, kind=kind, starts_on=starts, ends_on=ends)
        for suburb in suburbs:
            BudgetArea.objects.create(
                process=process,
                name=suburb.name,
                slug=suburb.slug,
                suburb=suburb,
                budget=DEMO_BUDGET,
            )
    # Voters may vote in their own area only, which the area's postal codes define.
    for area in process.budget_areas.filter(postal_codes=[]).exclude(suburb=None):
        area.postal_codes = sorted(code.code for code in area.suburb.postal_areas.all())
        area.save(update_fields=["postal_codes"])
    return process, created


# Development themes of the plan, drafted by staff and accepted.
EXAMPLE_THEMES = [
    (
        "Palveluiden saavutettavuus",
        "Miten lähiön palvelut ovat kaikkien saavutettavissa: kulkuyhteydet, aukioloajat ja "
        "esteettömyys.",
    ),
    (
        "Infrastruktuuri ja sen ylläpito",
        "Katujen, puistojen, valaistuksen ja liikuntapaikkojen kunto ja kehittäminen.",
    ),
    (
        "Asukastoiminta ja alueen omistajuus",
        "Miten asukkaat ja järjestöt voivat toimia yhdessä ja kokea alueen omakseen.",
    ),
]


def _example_participation(process: Process, suburbs: list[Suburb], today) -> None:
    """Add example themes, a debate, a poll, an organisation and two events, once."""
    for title, description in EXAMPLE_THEMES:
        Theme.objects.get_or_create(
            process=process,
            title=title,
            defaults={
                "description": description,
                "status": Theme.Status.ACCEPTED,
                "decided_at": timezone.now(),
            },
        )
    Debate.objects.get_or_create(
        process=process,
        title="Mitä nuoret tarvitsevat lähiössä? (esimerkki)",
        defaults={
            "description": (
                "Nuoret ovat lähiöohjelman tärkein kohderyhmä. Kerro, millaisia paikkoja ja "
                "tekemistä lähiössä pitäisi olla nuorille."
            )
        },
    )
    poll, created = Poll.objects.get_or_create(
        process=process, question="Miten kuulit lähiöbudjetista? (esimerkki)"
    )
    if created:
        for position, text in enumerate(
            ["Koulusta tai nuorisotalolta", "Ilmoitustaululta", "Netistä", "Muuta kautta"]
        ):
            PollOption.objects.create(poll=poll, text=text, position=position)
    organisation, created = Organisation.objects.get_or_create(
        slug="neulamaen-asukasyhdistys-esimerkki",
        defaults={
            "name": "Neulamäen asukasyhdistys (esimerkki)",
            "description": "Esimerkkijärjestö: lähiön asukkaiden yhdistys.",
        },
    )
    if created:
        organisation.suburbs.set([suburb for suburb in suburbs if suburb.slug == "neulamaki"])
    noon = datetime.time(12, 0)
    zone = timezone.get_current_timezone()
    for slug, kind, title, place, offset, hours in [
        (
            "neulamaki-tyopaja-esimerkki",
            Event.Kind.WORKSHOP,
            "Lähiötyöpaja: nuorten paikat (esimerkki)",
            "Neulamäen koulu",
            10,
            2,
        ),
        (
            "jynkka-pop-up-esimerkki",
            Event.Kind.OUTREACH,
            "Pop-up ostoskeskuksessa (esimerkki)",
            "Jynkän ostoskeskus",
            14,
            3,
        ),
    ]:
        starts = datetime.datetime.combine(today + datetime.timedelta(days=offset), noon, zone)
        event, created = Event.objects.get_or_create(
            slug=slug,
            defaults={
                "process": process,
                "kind": kind,
                "title": title,
                "place": place,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=hours),
                "accessibility": "Esteetön sisäänkäynti. Induktiosilmukka pyydettäessä.",
                "registration_required": kind == Event.Kind.WORKSHOP,
                "capacity": 25 if kind == Event.Kind.WORKSHOP else None,
                "is_example": True,
            },
        )
        if created and kind == Event.Kind.WORKSHOP:
            event.co_hosts.add(organisation)


@transaction.atomic
def demo_load() -> Process:
    """Load the Kuopio reference data and the example processes; return the voting process."""
    from osallistu.accounts.services import service_areas_ensure
    from osallistu.areas.services import example_investments_load, kuopio_reference_data_load
    from osallistu.communications.demo import example_communications_load
    from osallistu.evaluation.demo import example_criteria_load, example_evaluations_load
    from osallistu.feedback.demo import example_feedback_load
    from osallistu.implementation.demo import example_implementation_load
    from osallistu.programmes.demo import example_programmes_load
    from osallistu.selection.demo import example_round_load
    from osallistu.surveys.demo import example_surveys_load

    # Also loads the indicator catalogue and the Paavo 2024 indicator values.
    kuopio_reference_data_load()
    example_investments_load()
    suburbs = list(Suburb.objects.filter(slug__in=DEMO_SUBURBS).order_by("name"))
    today = timezone.localdate()

    voting, created = _example_process(
        slug="lahiobudjetti-esimerkki",
        title="Lähiöbudjetti (esimerkki)",
        description=(
            "Esimerkkiprosessi: kummallakin lähiöllä on 50 000 euroa asukkaiden ehdottamiin "
            "toimenpiteisiin. Ideat on arvioitu, ja nyt äänestetään."
        ),
        phases=_phase_dates(today),
        suburbs=suburbs,
    )
    if created:
        for area in voting.budget_areas.all():
            for number, (title, description, cost) in enumerate(
                EXAMPLE_IDEAS.get(area.slug, []), start=1
            ):
                idea = Idea.objects.create(
                    process=voting,
                    suburb=area.suburb,
                    title=title,
                    description=description,
                    status=Idea.Status.ACCEPTED,
                    is_example=True,
                )
                Project.objects.create(
                    area=area,
                    external_id=f"{area.slug}-{number}",
                    title=title,
                    description=description,
                    cost=Decimal(cost),
                    idea=idea,
                    is_example=True,
                )
        example_evaluations_load(voting)

    ideation, _created = _example_process(
        slug="lahiobudjetti-ideointi-esimerkki",
        title="Lähiöbudjetti, ideointi (esimerkki)",
        description=(
            "Esimerkkiprosessi ideointivaiheessa: kirjaudu sisään ja ehdota, mihin "
            "lähiösi 50 000 euroa käytetään."
        ),
        phases=_next_year_phase_dates(today),
        suburbs=suburbs,
    )
    # Criteria are published before ideation, so this also fills in a database where an
    # earlier version of the demo left the ideation process without criteria.
    example_criteria_load(ideation)
    service_areas_ensure()
    _example_participation(ideation, suburbs, today)
    selection_round = example_round_load(suburbs)
    _example_development_themes(suburbs)
    # After the themes, which the example goals and packages link to.
    example_programmes_load(selection_round)
    example_communications_load(suburbs)
    example_surveys_load(suburbs)
    example_feedback_load(suburbs)
    # Last, so that the example project packages loaded before it are tracked too.
    example_implementation_load(suburbs)
    logger.info("demo loaded voting_process=%s ideation_process=%s", voting.pk, ideation.pk)
    return voting


# Example development themes (kehittämisteemat) per demo suburb: (title, description). Finnish,
# as experts draft them for the situational picture.
EXAMPLE_DEVELOPMENT_THEMES = {
    "neulamaki": [
        (
            "Nuorten kohtaamispaikat",
            "Nuorille turvallisia paikkoja olla ja harrastaa koulun jälkeen ja iltaisin.",
        ),
        (
            "Viheralueet ja liikkuminen",
            "Puistojen, polkujen ja valaistuksen kunnostaminen arjen liikkumista varten.",
        ),
    ],
    "jynkka": [
        (
            "Yhteisöllisyys ja asukastoiminta",
            "Asukkaiden omat tapahtumat ja kohtaamiset ostoskeskuksen ympäristössä.",
        ),
        (
            "Turvallinen ja viihtyisä lähiö",
            "Kulkureittien turvallisuus sekä siisteys ja viihtyisyys.",
        ),
    ],
}


def _example_development_themes(suburbs: list[Suburb]) -> None:
    """Give each demo suburb its example development themes, once."""
    from osallistu.areas.models import DevelopmentTheme

    for suburb in suburbs:
        if DevelopmentTheme.objects.filter(suburb=suburb).exists():
            continue
        for position, (title, description) in enumerate(
            EXAMPLE_DEVELOPMENT_THEMES.get(suburb.slug, [])
        ):
            DevelopmentTheme.objects.create(
                suburb=suburb, title=title, description=description, position=position
            )
