import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from osallistu.accounts.models import RoleAssignment
from osallistu.events.models import Event, Registration
from osallistu.moderation.models import Report
from osallistu.notifications.models import Follow, Notification
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation.models import Comment, CommentLike, Idea, Phase


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user(email="yllapitaja@example.fi", password="x")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.ADMINISTRATOR)
    return user


@pytest.fixture
def seeded(make_process, resident, other_resident):
    """Give `resident` one row of every kind of personal data, and `other_resident` some too."""
    resident.first_name = "Ainomaija"
    resident.last_name = "Erasmaa"
    resident.save()
    EmailAddress.objects.create(user=resident, email=resident.email, primary=True, verified=True)
    process = make_process(current=Phase.Kind.IDEATION)
    idea = Idea.objects.create(
        process=process, author=resident, title="Penkki puistoon", description="Kuvaus"
    )
    other_idea = Idea.objects.create(
        process=process, author=other_resident, title="Toisen idea", description="Toisen kuvaus"
    )
    comment = Comment.objects.create(idea=other_idea, author=resident, body="Hyvä idea")
    other_comment = Comment.objects.create(idea=idea, author=other_resident, body="Samaa mieltä")
    CommentLike.objects.create(comment=other_comment, user=resident)
    Follow.objects.create(
        user=resident,
        content_type=ContentType.objects.get_for_model(Idea),
        object_id=other_idea.pk,
    )
    Notification.objects.create(user=resident, message="Ideasi sai kommentin")
    Notification.objects.create(user=other_resident, message="Toisen ilmoitus")
    organisation = Organisation.objects.create(name="Neulamäen asukasyhdistys", slug="neulamaki")
    Membership.objects.create(organisation=organisation, user=resident)
    Report.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=other_comment.pk,
        reporter=resident,
        reason="Asiaton",
    )
    starts = timezone.now() + datetime.timedelta(days=7)
    event = Event.objects.create(
        process=process,
        kind=Event.Kind.WORKSHOP,
        title="Asukasilta",
        slug="asukasilta",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Neulamäen koulu",
    )
    Registration.objects.create(event=event, user=resident, status=Registration.Status.CONFIRMED)
    return {"process": process, "idea": idea, "other_idea": other_idea, "comment": comment}
