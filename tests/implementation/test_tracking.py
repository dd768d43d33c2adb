"""Nothing after a vote is left untracked: winners on publication, packages on the staff check."""

import pytest
from django.core.management import CommandError, call_command

from osallistu.budgeting import results
from osallistu.budgeting.models import Project
from osallistu.budgeting.services import process_import_pabulib
from osallistu.implementation import selectors, services
from osallistu.implementation.models import ImplementationItem, Status
from tests.budgeting.results_helpers import GREEDY_VOTES, add_ballots, closed_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(make_process, suburb):
    process = closed_process(make_process)
    area = process.budget_areas.get()
    area.suburb = suburb
    area.save()
    add_ballots(area, GREEDY_VOTES)
    return process


def test_publishing_tracks_all_winners_and_only_them(counted, coordinator):
    results.publish_results(coordinator, counted)

    items = ImplementationItem.objects.select_related("project").order_by("project__external_id")
    assert [item.project.external_id for item in items] == ["2", "4"]
    item = items[0]
    assert item.title == "Hanke 2"
    assert item.budget == Project.objects.get(external_id="2").cost
    assert item.suburb.slug == "neulamaki"
    assert item.status == Status.PLANNED
    assert item.process == counted


def test_publishing_twice_tracks_once(counted, coordinator):
    results.publish_results(coordinator, counted)
    results.publish_results(coordinator, counted)

    assert ImplementationItem.objects.count() == 2


def test_results_page_links_winners_to_their_items(client, counted, coordinator):
    results.publish_results(coordinator, counted)
    item = ImplementationItem.objects.get(project__external_id="4")

    page = client.get(f"/en/processes/{counted.slug}/results/")

    assert page.status_code == 200, page
    assert f'href="/en/implementation/{item.pk}/"'.encode() in page.content


def test_untracked_lists_packages_and_unpublished_nothing(counted, package):
    untracked = selectors.untracked()

    assert untracked.packages == [package]
    # The results are not published, so no winner is due yet.
    assert untracked.projects == []


def test_ensure_tracked_creates_missing_items(counted, package, coordinator):
    counted.results_published = True
    counted.save()
    assert len(selectors.untracked().projects) == 2

    created = services.ensure_tracked(coordinator)

    assert len(created) == 3
    assert not selectors.untracked()
    package_item = ImplementationItem.objects.get(package=package)
    assert package_item.service_area == package.service_area
    assert package_item.description == package.description
    assert services.ensure_tracked(coordinator) == []


def test_ensure_tracked_needs_permission(package, resident):
    with pytest.raises(services.PermissionDenied):
        services.ensure_tracked(resident)


def test_imported_elections_are_not_tracked(tmp_path):
    path = tmp_path / "poland_warszawa_2020_test.pb"
    path.write_text(
        "META\nkey;value\ndescription;test\ncountry;Poland\nunit;Warszawa\ninstance;2020\n"
        "num_projects;1\nnum_votes;1\nbudget;100\nvote_type;approval\nrule;greedy\n"
        "PROJECTS\nproject_id;cost;votes;name\n1;50;1;Ławka\n"
        "VOTES\nvoter_id;vote\n1;1\n",
        encoding="utf-8",
    )
    process_import_pabulib(path)

    assert not selectors.untracked()


def test_check_untracked_command(package, capsys):
    with pytest.raises(CommandError):
        call_command("check_untracked")
    assert f"package {package.pk}" in capsys.readouterr().out

    call_command("check_untracked", "--create")
    call_command("check_untracked")
    assert "Everything is tracked." in capsys.readouterr().out
