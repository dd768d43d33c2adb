"""The demo's example implementation content."""

import pytest

from osallistu.implementation import selectors
from osallistu.implementation.demo import example_implementation_load
from osallistu.implementation.models import ImplementationItem, Status

pytestmark = pytest.mark.django_db


def test_demo_tracks_winners_and_packages(suburb, package):
    package.is_example = True
    package.save()

    example_implementation_load([suburb])
    example_implementation_load([suburb])

    winners = ImplementationItem.objects.filter(project__isnull=False)
    assert sorted(item.title for item in winners) == [
        "Frisbeegolfrata Neulamäen liikuntapuistoon",
        "Istutuksia ostoskeskuksen aukiolle",
        "Koirapuiston aita ja penkit",
    ]
    assert ImplementationItem.objects.filter(package=package).exists()
    assert not selectors.untracked()
    assert all(item.milestones.count() == 3 for item in ImplementationItem.objects.all())
    assert ImplementationItem.objects.filter(status=Status.DONE).count() == 1
    assert ImplementationItem.objects.exclude(longitude=None).count() == 1


def test_demo_item_pages_render(client, suburb):
    example_implementation_load([suburb])

    for item in ImplementationItem.objects.all():
        assert client.get(f"/implementation/{item.pk}/").status_code == 200
    assert client.get("/processes/lahiobudjetti-2025-esimerkki/results/").status_code == 200
