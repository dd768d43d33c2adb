import pytest

from tests.moderation.fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run background tasks at once, whatever TASKS_IMMEDIATE is, so emails reach the outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
