"""The demo's example evaluations."""

import pytest
from django.urls import reverse

from osallistu.core.demo import demo_load
from osallistu.evaluation.demo import EXAMPLE_CRITERIA
from osallistu.evaluation.models import Consolidation, Criterion
from osallistu.participation.models import Phase, Process

pytestmark = pytest.mark.django_db


def test_demo_proposals_have_answers(client):
    process = demo_load()

    projects = [p for area in process.budget_areas.all() for p in area.projects.all()]
    assert projects
    assert Consolidation.objects.filter(project__in=projects).count() == len(projects)
    assert Criterion.objects.filter(process=process, published_at__isnull=False).count() == 4

    idea = projects[0].idea
    page = client.get(reverse("participation:idea_detail", args=[process.slug, idea.pk]))
    assert 'id="idea-evaluation-heading"' in page.content.decode()


def test_demo_load_twice_adds_nothing():
    demo_load()
    count = Consolidation.objects.count()
    demo_load()
    assert Consolidation.objects.count() == count


IDEATION_SLUG = "lahiobudjetti-ideointi-esimerkki"


def test_demo_ideation_has_criteria(client):
    demo_load()
    process = Process.objects.get(slug=IDEATION_SLUG)
    ideation = process.phases.get(kind=Phase.Kind.IDEATION)

    criteria = list(Criterion.objects.filter(process=process, published_at__isnull=False))
    assert [criterion.text for criterion in criteria] == [text for text, _ in EXAMPLE_CRITERIA]
    assert all(criterion.published_at.date() < ideation.starts_on for criterion in criteria)

    response = client.get(reverse("participation:process_detail", args=[IDEATION_SLUG]))
    for text, _description in EXAMPLE_CRITERIA:
        assert text in response.content.decode()


def test_demo_criteria_added_to_old_database():
    demo_load()
    process = Process.objects.get(slug=IDEATION_SLUG)
    # A database loaded by an earlier demo has the ideation process without criteria.
    process.evaluation_criteria.all().delete()

    demo_load()
    demo_load()

    assert process.evaluation_criteria.count() == len(EXAMPLE_CRITERIA)


def test_demo_keeps_edited_criteria():
    demo_load()
    process = Process.objects.get(slug=IDEATION_SLUG)
    process.evaluation_criteria.exclude(position=1).delete()

    demo_load()

    assert process.evaluation_criteria.count() == 1
