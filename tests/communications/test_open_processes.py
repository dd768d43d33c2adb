"""Posters and newsletters list as "Open now" only processes residents can take part in today."""

import datetime

import pytest

from osallistu.areas.models import Suburb
from osallistu.communications import selectors, services
from osallistu.participation.models import Phase, Process

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 15)


def _process(suburb, title, phases):
    """Create a process in `suburb` with phases given as (kind, days from TODAY to start, end)."""
    process = Process.objects.create(
        title=title, slug=title.lower(), kind=Process.Kind.PARTICIPATORY_BUDGETING
    )
    process.suburbs.add(suburb)
    for kind, start, end in phases:
        Phase.objects.create(
            process=process,
            kind=kind,
            starts_on=TODAY + datetime.timedelta(days=start),
            ends_on=TODAY + datetime.timedelta(days=end),
        )
    return process


def test_only_processes_with_a_participatory_phase_today(suburb):
    voting = _process(suburb, "Aanestys", [(Phase.Kind.VOTING, -3, 3)])
    ideation = _process(suburb, "Ideointi", [(Phase.Kind.IDEATION, 0, 0)])
    _process(
        suburb,
        "Toteutus",
        [(Phase.Kind.VOTING, -200, -100), (Phase.Kind.IMPLEMENTATION, -99, 300)],
    )
    _process(suburb, "Tulossa", [(Phase.Kind.IDEATION, 10, 40)])
    _process(suburb, "Tauko", [(Phase.Kind.IDEATION, -40, -10), (Phase.Kind.VOTING, 10, 20)])
    other = Suburb.objects.create(name="Petonen", slug="petonen")
    _process(other, "Muualla", [(Phase.Kind.VOTING, -3, 3)])

    assert selectors.open_processes(suburb, today=TODAY) == [voting, ideation]


def test_newsletter_lists_only_open_processes(suburb, make_process):
    open_now = make_process(slug="auki")
    open_now.suburbs.add(suburb)
    # Voting ended long ago; implementation runs on for years, past the real today.
    done = _process(
        suburb,
        "Valmis",
        [(Phase.Kind.VOTING, -400, -300), (Phase.Kind.IMPLEMENTATION, -299, 9999)],
    )
    titles = [item["title"] for item in services.upcoming_snapshot(suburb)]

    assert open_now.title in titles
    assert done.title not in titles
