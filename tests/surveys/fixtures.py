"""Fixtures of the survey tests, shared with the browser tests: ESIS rounds, staff, feedback."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import Suburb
from osallistu.events.models import Event
from osallistu.surveys.models import Item, ItemText, Questionnaire, SurveyRound


@pytest.fixture
def suburb(db):
    return Suburb.objects.create(name="Neulamäki", slug="neulamaki")


@pytest.fixture
def esis(db):
    """Return the ESIS questionnaire, loading it again where a transactional test flushed it."""
    import_module("osallistu.surveys.migrations.0002_esis").load_esis(django_apps, None)
    return Questionnaire.objects.get(code="esis", version="1")


@pytest.fixture
def make_round(esis, suburb, today):
    """Return a factory for an ESIS round of `suburb`, open today unless `days_closed` is given."""

    def factory(*, days_closed: int | None = None, ask_age_group=False, **fields):
        if days_closed is None:
            opens_on = today - datetime.timedelta(days=1)
            closes_on = today + datetime.timedelta(days=1)
        else:
            closes_on = today - datetime.timedelta(days=days_closed)
            opens_on = closes_on - datetime.timedelta(days=14)
        defaults = {
            "questionnaire": esis,
            "suburb": suburb,
            "label": "Alkumittaus",
            "time_point": SurveyRound.TimePoint.START,
            "measured_on": opens_on,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "ask_age_group": ask_age_group,
            "text_version": esis.text_version,
        }
        return SurveyRound.objects.create(**{**defaults, **fields})

    return factory


@pytest.fixture
def esis_round(make_round):
    return make_round(ask_age_group=True)


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        email="koordinaattori@example.fi", password="Salasana-123"
    )
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def feedback_round(db, suburb, today):
    """Return an open workshop feedback round with two scale items and one text item."""
    questionnaire = Questionnaire.objects.create(
        kind=Questionnaire.Kind.GENERIC,
        code="palaute",
        version="1",
        name="Palaute",
        text_version="1",
    )
    for position, (kind, text) in enumerate(
        [
            ("scale", "Työpaja oli hyödyllinen."),
            ("scale", "Sain sanoa mielipiteeni."),
            ("text", "Mitä toivot?"),
        ],
        start=1,
    ):
        item = Item.objects.create(questionnaire=questionnaire, position=position, kind=kind)
        for language in ("fi", "sv", "en"):
            ItemText.objects.create(
                item=item, language=language, version="1", text=text, is_official=True
            )
    starts = datetime.datetime.combine(today, datetime.time(17), tzinfo=datetime.UTC)
    event = Event.objects.create(
        suburb=suburb,
        kind=Event.Kind.WORKSHOP,
        title="Puistotyöpaja",
        slug="puistotyopaja",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Koulu",
    )
    return SurveyRound.objects.create(
        questionnaire=questionnaire,
        event=event,
        label="Puistotyöpajan palaute",
        measured_on=today,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=1),
        text_version="1",
    )


def all_answers(esis_round, value=4) -> dict[int, int]:
    return {item.pk: value for item in esis_round.questionnaire.items.all()}
