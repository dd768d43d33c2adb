"""Fixtures for the moderation and notification tests: content, moderators and a local cache.

Test modules of other packages import them with `from tests.moderation.fixtures import *`.
"""

import pytest
from django.core.cache import cache

from osallistu.accounts.models import RoleAssignment
from osallistu.participation.models import Comment, Debate, Idea, Phase, Visibility

__all__ = [
    "city_moderator",
    "debate",
    "idea",
    "local_cache",
    "make_comment",
    "make_idea",
    "make_user",
    "moderator",
    "other_process",
    "process",
]


@pytest.fixture(autouse=True)
def local_cache(settings):
    """Count rate limits in a per-process memory cache, emptied for each test.

    The site's database cache needs a table that only `createcachetable` makes.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "osallistu-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(django_user_model):
    def factory(email: str, **fields):
        return django_user_model.objects.create_user(email=email, password="Salasana-123", **fields)

    return factory


@pytest.fixture
def process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="ideointi")


@pytest.fixture
def other_process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="toinen")


@pytest.fixture
def moderator(make_user, process):
    """Return a moderator of `process` only."""
    user = make_user("moderaattori@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.MODERATOR, process=process)
    return user


@pytest.fixture
def city_moderator(make_user):
    """Return a moderator of every process, who may also block accounts."""
    user = make_user("kaupunki@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.MODERATOR)
    return user


@pytest.fixture
def make_idea():
    def factory(process, author, title="Penkki puistoon", **fields):
        return Idea.objects.create(
            process=process,
            author=author,
            title=title,
            description="Puistoon tarvitaan penkki.",
            **fields,
        )

    return factory


@pytest.fixture
def make_comment():
    def factory(author, *, idea=None, debate=None, body="Hyvä idea.", **fields):
        return Comment.objects.create(idea=idea, debate=debate, author=author, body=body, **fields)

    return factory


@pytest.fixture
def idea(make_idea, process, other_resident):
    return make_idea(process, other_resident, visibility=Visibility.VISIBLE)


@pytest.fixture
def debate(process, city_moderator):
    return Debate.objects.create(
        process=process,
        title="Millainen puisto?",
        description="Keskustellaan puistosta.",
        created_by=city_moderator,
    )
