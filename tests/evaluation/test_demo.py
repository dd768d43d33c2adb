"""The demo's example evaluations."""

import pytest
from django.urls import reverse

from osallistu.core.demo import demo_load
from osallistu.evaluation.models import Consolidation, Criterion

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
