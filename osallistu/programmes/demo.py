"""The demo's example programmes of the suburbs that the demo's selection round chose.

Neulamäki gets a full programme: a goal per measure kind, key actions from the example
investments, and two project packages, one of them co-designed in an area-development process
with a workshop. Jynkkä gets goals and a key action only. Loading again adds nothing.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from osallistu.accounts.models import ServiceArea
from osallistu.areas.models import DevelopmentTheme, Indicator, InvestmentProject
from osallistu.events.models import Event
from osallistu.participation.models import Debate, Phase, Process
from osallistu.selection.models import SelectionRound

from .models import Goal, GoalMeasurement, KeyAction, Programme, ProjectPackage
from .selectors import goal_progress

logger = logging.getLogger(__name__)

# Indicator of the demo's indicator goal: Paavo's unemployment rate, loaded by the demo.
UNEMPLOYMENT_CODE = "unemployment"
# Titles in Finnish, which inflects the suburb's name.
EXAMPLE_TITLES = {
    "neulamaki": "Neulamäen lähiöohjelma (esimerkki)",
    "jynkka": "Jynkän lähiöohjelma (esimerkki)",
}


@transaction.atomic
def example_programmes_load(selection_round: SelectionRound) -> list[Programme]:
    """Create the example programme of each suburb the round chose that has none; return all.

    The demo has no staff user, so this writes without the permission check of services; only
    load_demo calls it.
    """
    from osallistu.surveys.demo import example_surveys_load

    chosen_suburbs = list(selection_round.chosen.select_related("suburb"))
    # The survey goal's baseline is the first published ESIS score, so the example survey rounds
    # load first; load_demo loading them again adds nothing.
    example_surveys_load([chosen.suburb for chosen in chosen_suburbs])
    programmes = []
    for chosen in chosen_suburbs:
        suburb = chosen.suburb
        programme = Programme.objects.filter(suburb=suburb).first()
        if programme is None:
            programme = Programme.objects.create(
                suburb=suburb,
                title=EXAMPLE_TITLES.get(suburb.slug, f"Lähiöohjelma: {suburb.name} (esimerkki)"),
                slug=suburb.slug,
                description=(
                    "Esimerkkiohjelma: asukkaat ja kaupunki asettivat yhteiset tavoitteet "
                    "strategisessa työpajassa ja jalkautuen. Avaintoimenpiteet tulevat "
                    "kaupungin investointiohjelmasta."
                ),
                starts_year=selection_round.year,
                selection_round=selection_round,
                is_example=True,
            )
            _goals_and_actions(programme)
            if suburb.slug == "neulamaki":
                _packages(programme)
            logger.info("example programme loaded programme=%s", programme.pk)
        programmes.append(programme)
    return programmes


def _goals_and_actions(programme: Programme) -> None:
    suburb = programme.suburb
    themes = list(DevelopmentTheme.objects.filter(suburb=suburb).order_by("position", "pk"))
    first_theme = themes[0] if themes else None
    last_theme = themes[-1] if themes else None
    year = programme.starts_year
    goals = [
        Goal(
            programme=programme,
            theme=first_theme,
            title="Nuoret kokevat lähiön omakseen",
            description="Nuoret kertoivat ostoskeskuksen pop-upissa, että heiltä puuttuu "
            "paikka olla iltaisin.",
            origin=Goal.Origin.OUTREACH,
            measure_kind=Goal.MeasureKind.COUNT,
            measure_label="jalkautumalla tavoitetut nuoret",
            baseline=Decimal(20),
            baseline_year=year - 1,
            target=Decimal(120),
            target_year=year + 3,
            position=0,
        ),
        Goal(
            programme=programme,
            theme=last_theme,
            title="Asukkaat kokevat voivansa vaikuttaa",
            description="Mitataan THL:n osallisuusindikaattorilla (ESIS) joka vuosi.",
            origin=Goal.Origin.BOTH,
            measure_kind=Goal.MeasureKind.SURVEY,
            position=1,
        ),
    ]
    indicator = Indicator.objects.filter(code=UNEMPLOYMENT_CODE).first()
    if indicator is not None:
        goals.append(
            Goal(
                programme=programme,
                theme=first_theme,
                title="Työttömyys vähenee",
                origin=Goal.Origin.WORKSHOP,
                measure_kind=Goal.MeasureKind.INDICATOR,
                indicator=indicator,
                position=2,
            )
        )
    Goal.objects.bulk_create(goals)
    _baselines_from_data(programme)

    count_goal = goals[0]
    GoalMeasurement.objects.create(
        goal=count_goal, year=year, value=Decimal(45), note="Kevään pop-upit (esimerkki)"
    )

    for position, investment in enumerate(
        InvestmentProject.objects.filter(suburb=programme.suburb).order_by("year", "priority")
    ):
        key_action = KeyAction.objects.create(
            programme=programme,
            investment_project=investment,
            title=investment.name,
            starts_year=investment.year,
            position=position,
        )
        key_action.goals.set([count_goal])
    KeyAction.objects.create(
        programme=programme,
        title="Nuorten iltatoiminta ostoskeskuksessa (esimerkki)",
        description="Nuorisopalvelut ja järjestöt avaavat tilan kolmena iltana viikossa.",
        starts_year=year,
        position=programme.key_actions.count(),
    ).goals.set([count_goal])


# Targets of the example goals as changes from the baseline, in the measure's unit: three
# percentage points less unemployment, five points more on the inclusion survey's score.
EXAMPLE_TARGET_CHANGES = {
    Goal.MeasureKind.INDICATOR: Decimal(-3),
    Goal.MeasureKind.SURVEY: Decimal(5),
}


def _baselines_from_data(programme: Programme) -> None:
    """Set the baselines of the indicator and survey goals from the loaded data, if any.

    An indicator goal starts from the newest value; a survey goal from the first published
    score, the start-of-year measurement that later rounds are compared with.
    """
    first_score = _first_survey_score(programme)
    for item in goal_progress(programme):
        change = EXAMPLE_TARGET_CHANGES.get(item.kind)
        baseline, baseline_year = item.current, item.current_year
        if item.kind == Goal.MeasureKind.SURVEY:
            baseline, baseline_year = first_score
        if change is None or baseline is None:
            continue
        goal = item.goal
        goal.baseline = baseline
        goal.baseline_year = baseline_year
        goal.target = baseline + change
        goal.target_year = programme.starts_year + 4
        goal.save(update_fields=["baseline", "baseline_year", "target", "target_year"])


def _first_survey_score(programme: Programme) -> tuple[Decimal | None, int | None]:
    """Return the first published, unsuppressed ESIS score of the suburb and its year."""
    from osallistu.surveys.selectors import inclusion_results

    for result in inclusion_results(programme.suburb):
        if result.is_published and not result.suppressed:
            return Decimal(result.mean).quantize(Decimal("0.01")), result.round.measured_on.year
    return None, None


def _packages(programme: Programme) -> None:
    key_actions = list(programme.key_actions.order_by("position"))
    themes = list(DevelopmentTheme.objects.filter(suburb=programme.suburb))
    city = ServiceArea.objects.filter(slug="kaupunkiympariston-palvelualue").first()
    growth = ServiceArea.objects.filter(slug="kasvun-ja-oppimisen-palvelualue").first()
    if city is None or growth is None:
        return
    school = ProjectPackage.objects.create(
        programme=programme,
        title="Koulun piha ja lähiliikunta (esimerkki)",
        slug="koulun-piha-esimerkki",
        description="Koulun piha kunnostetaan koko lähiön kohtaamis- ja liikuntapaikaksi. "
        "Suunnitelmista keskustellaan asukkaiden kanssa ennen rakentamista.",
        service_area=growth,
        is_example=True,
    )
    school.key_actions.set(key_actions[:1])
    school.themes.set(themes[:1])
    youth = ProjectPackage.objects.create(
        programme=programme,
        title="Nuorten illat (esimerkki)",
        slug="nuorten-illat-esimerkki",
        description="Nuorten iltatoiminta ja sen tilat ostoskeskuksen ympäristössä.",
        service_area=city,
        is_example=True,
    )
    youth.key_actions.set(key_actions[1:])
    youth.themes.set(themes)

    today = timezone.localdate()
    process = Process.objects.create(
        title=school.title,
        slug="neulamaki-koulun-piha-esimerkki",
        kind=Process.Kind.AREA_DEVELOPMENT,
        description=school.description,
        is_example=True,
    )
    process.suburbs.set([programme.suburb])
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.DISCUSSION,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=53),
    )
    school.process = process
    school.save(update_fields=["process"])
    # As services.package_open_co_design opens it; the demo has no staff user to open it as.
    Debate.objects.create(
        process=process,
        title=f"Kommentoi suunnitelmia: {school.title}",
        description=school.description,
    )
    starts = datetime.datetime.combine(
        today + datetime.timedelta(days=12), datetime.time(17, 0), timezone.get_current_timezone()
    )
    Event.objects.get_or_create(
        slug="neulamaki-koulun-piha-tyopaja-esimerkki",
        defaults={
            "process": process,
            "suburb": programme.suburb,
            "kind": Event.Kind.WORKSHOP,
            "title": "Koulun pihan suunnittelutyöpaja (esimerkki)",
            "place": "Neulamäen koulu",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "accessibility": "Esteetön sisäänkäynti.",
            "is_example": True,
        },
    )
