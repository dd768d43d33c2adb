"""An idea's author hears of a status change through the notification services."""

import pytest
from django.core import mail
from django.db import transaction

from osallistu.accounts.models import RoleAssignment
from osallistu.notifications.models import Notification
from osallistu.participation import services as participation
from osallistu.participation.models import Idea

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not hasattr(participation, "idea_status_set"),
        reason="participation.services has no idea_status_set",
    ),
]


@pytest.fixture
def coordinator(make_user):
    user = make_user("koordinaattori@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


@pytest.fixture
def author(other_resident):
    other_resident.email_notifications = True
    other_resident.language = "sv"
    other_resident.save()
    return other_resident


def test_status_change_notifies_author(
    idea, author, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participation.idea_status_set(idea, Idea.Status.ACCEPTED, actor=coordinator)

    notification = Notification.objects.get()
    assert notification.user == author
    assert idea.title in notification.message
    assert notification.url.startswith("/sv/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]
    assert mail.outbox[0].extra_headers["Content-Language"] == "sv"
    assert coordinator.email not in mail.outbox[0].message().as_string()


def test_status_change_rolled_back(idea, author, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            participation.idea_status_set(idea, Idea.Status.DECLINED, actor=coordinator)
            raise RuntimeError("a later step failed")

    assert not Notification.objects.exists()
    assert mail.outbox == []
