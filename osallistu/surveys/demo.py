"""Example survey content of the Kuopio demo: generated answers, marked as example content.

Neulamäki gets participation indicator rounds at the start and at the end of last year, with
generated answers and age groups (small groups suppressed), and a round open now to try
answering. Jynkkä gets last year's end round, so the comparison page has two suburbs. A past
workshop in Neulamäki gets a feedback round. Loading again adds nothing.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from osallistu.areas.models import Suburb
from osallistu.events.models import Event

from .models import Item, ItemAnswer, ItemText, Questionnaire, Response, SurveyRound

# Age groups of generated respondents with their weights; "13-17" stays below the minimum group.
AGE_WEIGHTS = {"13-17": 0.06, "18-29": 0.22, "30-64": 0.45, "65+": 0.20, "": 0.07}

# The city's own workshop feedback questionnaire: (kind, Finnish, Swedish, English).
FEEDBACK_ITEMS = [
    (
        Item.Kind.SCALE,
        "Työpaja oli hyödyllinen.",
        "Workshoppen var nyttig.",
        "The workshop was useful.",
    ),
    (
        Item.Kind.SCALE,
        "Sain sanoa mielipiteeni.",
        "Jag fick säga min åsikt.",
        "I could give my opinion.",
    ),
    (
        Item.Kind.SCALE,
        "Tilaan oli helppo tulla ja liikkua.",
        "Det var lätt att komma till och röra sig i lokalen.",
        "The venue was easy to reach and move around in.",
    ),
    (
        Item.Kind.TEXT,
        "Mitä toivoisit seuraavalta työpajalta?",
        "Vad önskar du av nästa workshop?",
        "What would you like from the next workshop?",
    ),
]


def _generated_values(rng: random.Random, level: float) -> list[int]:
    """Return ten answers 1-5 around `level`, with an occasional item left empty."""
    values = []
    for _position in range(10):
        value = min(5, max(1, round(rng.gauss(level, 0.9))))
        values.append(None if rng.random() < 0.03 else value)
    return values


def _esis_round(suburb, label, time_point, measured_on, opens_on, closes_on, answers, level, seed):
    questionnaire = Questionnaire.objects.get(code="esis", version="1")
    survey_round, created = SurveyRound.objects.get_or_create(
        questionnaire=questionnaire,
        suburb=suburb,
        label=label,
        defaults={
            "time_point": time_point,
            "measured_on": measured_on,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "ask_age_group": True,
            "text_version": questionnaire.text_version,
            "is_example": True,
        },
    )
    if not created:
        return
    rng = random.Random(seed)  # noqa: S311 - repeatable example data, not a secret
    items = list(questionnaire.items.order_by("position"))
    keys, weights = list(AGE_WEIGHTS), list(AGE_WEIGHTS.values())
    for _number in range(answers):
        response = Response.objects.create(
            round=survey_round,
            submitted_on=opens_on + datetime.timedelta(days=rng.randrange(7)),
            age_group=rng.choices(keys, weights)[0],
            channel=rng.choice([Response.Channel.ONLINE, Response.Channel.PAPER]),
        )
        ItemAnswer.objects.bulk_create(
            ItemAnswer(response=response, item=item, value=value)
            for item, value in zip(items, _generated_values(rng, level), strict=True)
        )


def _feedback_questionnaire() -> Questionnaire:
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="tyopajapalaute",
        version="1",
        defaults={
            "kind": Questionnaire.Kind.GENERIC,
            "name": "Työpajapalaute",
            "text_version": "1",
        },
    )
    if created:
        for position, (kind, *texts) in enumerate(FEEDBACK_ITEMS, start=1):
            item = Item.objects.create(questionnaire=questionnaire, position=position, kind=kind)
            for language, text in zip(["fi", "sv", "en"], texts, strict=True):
                ItemText.objects.create(
                    item=item,
                    language=language,
                    version="1",
                    text=text,
                    is_official=True,
                    source="Example questionnaire of the Osallistu demo",
                )
    return questionnaire


def _feedback_round(suburb, today: datetime.date) -> None:
    starts = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=40), datetime.time(17))
    )
    event, _created = Event.objects.get_or_create(
        slug="puistotyopaja-palaute-esimerkki",
        defaults={
            "suburb": suburb,
            "kind": Event.Kind.WORKSHOP,
            "title": "Puistotyöpaja (esimerkki)",
            "description": "Esimerkkityöpaja, jonka osallistujat antoivat palautetta.",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "place": "Neulamäen koulu",
            "is_example": True,
        },
    )
    questionnaire = _feedback_questionnaire()
    survey_round, created = SurveyRound.objects.get_or_create(
        questionnaire=questionnaire,
        event=event,
        defaults={
            "label": "Puistotyöpajan palaute (esimerkki)",
            "measured_on": starts.date(),
            "opens_on": starts.date(),
            "closes_on": starts.date() + datetime.timedelta(days=14),
            "text_version": "1",
            "is_example": True,
        },
    )
    if not created:
        return
    rng = random.Random(7)  # noqa: S311 - repeatable example data, not a secret
    items = list(questionnaire.items.order_by("position"))
    wishes = ["Enemmän aikaa keskustelulle.", "Lapsille oma nurkkaus.", "", "", ""]
    for _number in range(14):
        response = Response.objects.create(
            round=survey_round, submitted_on=starts.date(), channel=Response.Channel.PAPER
        )
        ItemAnswer.objects.bulk_create(
            ItemAnswer(
                response=response,
                item=item,
                value=rng.choice([3, 4, 4, 5, 5]) if item.kind == Item.Kind.SCALE else None,
                text=rng.choice(wishes) if item.kind == Item.Kind.TEXT else "",
            )
            for item in items
        )


@transaction.atomic
def example_surveys_load(suburbs: list[Suburb], today: datetime.date | None = None) -> None:
    """Create the example survey rounds of the demo suburbs with generated answers, once."""
    today = today or timezone.localdate()
    year = today.year - 1
    start, end = SurveyRound.TimePoint.START, SurveyRound.TimePoint.END
    date = datetime.date
    start_dates = (date(year, 1, 15), date(year, 1, 8), date(year, 1, 31))
    end_dates = (date(year, 12, 1), date(year, 11, 24), date(year, 12, 15))
    open_dates = (today, today - datetime.timedelta(days=7), today + datetime.timedelta(days=30))
    # (suburb slug, label, time point, (measured, opens, closes), answers, mean level, seed)
    rounds = [
        ("neulamaki", f"Osallisuuskysely, alkumittaus {year}", start, start_dates, 64, 3.6, 1),
        ("neulamaki", f"Osallisuuskysely, loppumittaus {year}", end, end_dates, 71, 3.8, 2),
        ("neulamaki", "Osallisuuskysely, kokeile vastaamista", "other", open_dates, 0, 3.8, 3),
        ("jynkka", f"Osallisuuskysely, loppumittaus {year}", end, end_dates, 45, 3.5, 4),
    ]
    by_slug = {suburb.slug: suburb for suburb in suburbs}
    for slug, label, time_point, dates, answers, level, seed in rounds:
        if slug in by_slug:
            _esis_round(
                by_slug[slug], f"{label} (esimerkki)", time_point, *dates, answers, level, seed
            )
    if "neulamaki" in by_slug:
        _feedback_round(by_slug["neulamaki"], today)
