"""Co-design of project packages: the debate on the plans, and what is example content."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.participation.models import Comment, Debate
from osallistu.participation.services import comment_create
from osallistu.programmes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(coordinator, programme, service_area):
    return services.package_create(
        user=coordinator,
        programme=programme,
        title="Koulun piha",
        description="Piha kunnostetaan kohtaamispaikaksi.",
        service_area=service_area,
    )


def open_co_design(coordinator, package, starts_on=None):
    starts_on = starts_on or timezone.localdate() - datetime.timedelta(days=1)
    return services.package_open_co_design(user=coordinator, package=package, starts_on=starts_on)


def test_opening_co_design_opens_debate_on_plans(coordinator, package):
    process = open_co_design(coordinator, package)

    debate = Debate.objects.get(process=process)
    # In the site's default language (Finnish), whatever the staff user's language.
    with translation.override("fi"):
        expected = translation.gettext("Comment on the plans: %(package)s")
    assert debate.title == expected % {"package": "Koulun piha"}
    assert debate.description == "Piha kunnostetaan kohtaamispaikaksi."
    assert debate.created_by == coordinator
    assert not debate.is_closed


def test_debate_without_description_and_long_title(coordinator, programme, service_area):
    package = services.package_create(
        user=coordinator, programme=programme, title="P" * 300, service_area=service_area
    )
    process = open_co_design(coordinator, package)
    debate = Debate.objects.get(process=process)
    assert len(process.title) == 200
    assert len(debate.title) == 150
    assert debate.description


def test_resident_comments_on_plans_during_discussion(coordinator, package, resident):
    process = open_co_design(coordinator, package)
    debate = Debate.objects.get(process=process)

    comment_create(resident, debate=debate, body="Pihalle penkkejä, kiitos.", stance="for")

    assert Comment.objects.get(debate=debate).author == resident


def test_no_comments_before_discussion(coordinator, package, resident):
    process = open_co_design(coordinator, package, timezone.localdate() + datetime.timedelta(3))
    debate = Debate.objects.get(process=process)
    with pytest.raises(PermissionDenied):
        comment_create(resident, debate=debate, body="Liian aikaisin.", stance="neutral")


def test_package_page_links_debate(client, coordinator, programme, package, resident):
    process = open_co_design(coordinator, package)
    debate = Debate.objects.get(process=process)
    url = reverse("programmes:package_detail", args=[programme.slug, package.slug])

    body = client.get(url).content.decode()

    debate_url = reverse("participation:debate_detail", args=[process.slug, debate.pk])
    assert f'href="{debate_url}"' in body
    client.force_login(resident)
    assert client.get(debate_url).status_code == 200


def test_staff_package_in_example_programme_is_not_example(coordinator, programme, package):
    programme.is_example = True
    programme.save(update_fields=["is_example"])

    created = services.package_create(
        user=coordinator,
        programme=programme,
        title="Oikea kokonaisuus",
        service_area=package.service_area,
    )

    assert not created.is_example
    assert not open_co_design(coordinator, created).is_example


def test_package_page_example_label_follows_package(client, coordinator, programme, package):
    programme.is_example = True
    programme.save(update_fields=["is_example"])
    url = reverse("programmes:package_detail", args=[programme.slug, package.slug])

    assert 'class="badge"' not in client.get(url).content.decode()

    package.is_example = True
    package.save(update_fields=["is_example"])
    assert 'class="badge"' in client.get(url).content.decode()
