"""Idea services: permissions, staff entry, the point rule, rate limit and status news."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from osallistu.accounts.models import RoleAssignment
from osallistu.events.models import Event
from osallistu.moderation.models import AccountBlock
from osallistu.notifications.models import Notification
from osallistu.organisations.models import Membership, Organisation
from osallistu.participation import services
from osallistu.participation.models import Channel, Idea, Phase, Theme, Visibility

from .ideas_support import (
    default_language_fixture,  # noqa: F401
    ideation_process_fixture,  # noqa: F401
    make_idea,
    media_root_fixture,  # noqa: F401
    suburb_fixture,  # noqa: F401
    theme_fixture,  # noqa: F401
    upload,
    voting_process_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def create(user, process, **fields) -> Idea:
    return services.idea_create(
        user=user, process=process, title="Penkki", description="Puistoon penkki.", **fields
    )


def update(idea, user, **fields) -> Idea:
    return services.idea_update(
        idea, user=user, **{"title": "Uusi", "description": "Uusi kuvaus.", **fields}
    )


def staff(django_user_model, role, email="henkilosto@example.fi"):
    user = django_user_model.objects.create_user(email=email, password="x")
    RoleAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture
def coordinator(django_user_model):
    return staff(django_user_model, RoleAssignment.Role.COORDINATOR)


@pytest.fixture
def sent():
    """Return the in-site notifications sent so far, as a query."""
    return Notification.objects.order_by("pk")


# idea_create


def test_create_sets_every_field(ideation_process, suburb, theme, resident):
    organisation = Organisation.objects.create(name="Seura", slug="seura")
    Membership.objects.create(organisation=organisation, user=resident)
    idea = create(
        resident,
        ideation_process,
        suburb=suburb,
        theme=theme,
        latitude=Decimal("62.885"),
        longitude=Decimal("27.59"),
        location_text="Puisto",
        cost_estimate=Decimal("1200"),
        image=upload(),
        images=[upload(), upload()],
        organisation=organisation,
    )
    idea.refresh_from_db()
    assert idea.author == resident
    assert idea.theme == theme
    assert idea.organisation == organisation
    assert idea.location_text == "Puisto"
    assert idea.cost_estimate == Decimal("1200")
    assert idea.channel == Channel.ONLINE
    assert idea.entered_by is None
    assert list(idea.images.values_list("position", flat=True)) == [1, 2]


def test_create_anonymous_is_denied(ideation_process):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        create(AnonymousUser(), ideation_process)


def test_create_outside_ideation_is_denied(voting_process, resident):
    with pytest.raises(PermissionDenied):
        create(resident, voting_process)


def test_create_blocked_is_denied(ideation_process, resident, other_resident):
    AccountBlock.objects.create(user=resident, reason="Häirintä", blocked_by=other_resident)
    with translation.override("en"), pytest.raises(PermissionDenied) as raised:
        create(resident, ideation_process)
    assert "blocked" in str(raised.value)
    assert Idea.objects.count() == 0


def test_create_pending_under_premoderation(ideation_process, resident):
    ideation_process.premoderation = True
    ideation_process.save()
    assert create(resident, ideation_process).visibility == Visibility.PENDING


def test_create_rejects_foreign_theme(ideation_process, make_process, resident):
    foreign = Theme.objects.create(
        process=make_process(slug="muu"), title="Vieras", status=Theme.Status.ACCEPTED
    )
    with pytest.raises(ValidationError) as raised:
        create(resident, ideation_process, theme=foreign)
    assert raised.value.error_dict["theme"][0].code == "invalid_theme"


def test_create_rejects_suggested_theme(ideation_process, resident):
    suggested = Theme.objects.create(process=ideation_process, title="Ehdotettu")
    with pytest.raises(ValidationError):
        create(resident, ideation_process, theme=suggested)


def test_create_rejects_foreign_suburb(ideation_process, resident):
    from osallistu.areas.models import Suburb

    other = Suburb.objects.create(name="Jynkkä", slug="jynkka")
    with pytest.raises(ValidationError) as raised:
        create(resident, ideation_process, suburb=other)
    assert raised.value.error_dict["suburb"][0].code == "invalid_suburb"


def test_create_rejects_foreign_organisation(ideation_process, resident):
    organisation = Organisation.objects.create(name="Seura", slug="seura")
    with pytest.raises(PermissionDenied):
        create(resident, ideation_process, organisation=organisation)


@pytest.mark.parametrize(
    "point, code",
    [
        ({"latitude": Decimal("62.9")}, "incomplete_point"),
        ({"longitude": Decimal("27.6")}, "incomplete_point"),
        ({"latitude": Decimal("62.9"), "longitude": Decimal("27.6")}, "point_without_text"),
        (
            {"latitude": Decimal("62.9"), "longitude": Decimal("27.6"), "location_text": "  "},
            "point_without_text",
        ),
    ],
)
def test_create_rejects_point_without_text(ideation_process, resident, point, code):
    with pytest.raises(ValidationError) as raised:
        create(resident, ideation_process, **point)
    codes = [error.code for errors in raised.value.error_dict.values() for error in errors]
    assert codes == [code]


def test_database_rejects_point_without_text(ideation_process):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(ideation_process, latitude=Decimal("62.9"), longitude=Decimal("27.6"))


def test_create_rejects_broken_image(ideation_process, resident):
    with pytest.raises(ValidationError) as raised:
        create(resident, ideation_process, images=[upload("x.png", b"rikki")])
    assert raised.value.code == "invalid_image"
    assert Idea.objects.count() == 0


def test_create_rate_limited(ideation_process, resident):
    for _ in range(services.IDEA_RATE_LIMIT):
        create(resident, ideation_process)
    with pytest.raises(ValidationError) as raised:
        create(resident, ideation_process)
    assert raised.value.code == "rate_limited"
    assert Idea.objects.count() == services.IDEA_RATE_LIMIT


def test_staff_entry_on_behalf(voting_process, coordinator):
    event = Event.objects.create(
        process=voting_process,
        kind=Event.Kind.OUTREACH,
        title="Pop-up",
        slug="pop-up",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
        place="Kauppakeskus",
    )
    # Paper ideas arrive after ideation, and many come from one staff member: neither stops them.
    for _ in range(services.IDEA_RATE_LIMIT + 1):
        idea = create(
            None, voting_process, channel=Channel.PAPER, entered_by=coordinator, event=event
        )
    assert idea.author is None
    assert idea.entered_by == coordinator
    assert idea.channel == Channel.PAPER
    assert idea.event == event


def test_staff_entry_needs_role(ideation_process, resident, other_resident):
    with pytest.raises(PermissionDenied):
        create(None, ideation_process, channel=Channel.PAPER, entered_by=other_resident)


def test_offline_channel_needs_staff(ideation_process, resident):
    with pytest.raises(ValueError):
        create(resident, ideation_process, channel=Channel.PHONE)


def test_staff_entry_rejects_foreign_event(ideation_process, make_process, coordinator):
    event = Event.objects.create(
        process=make_process(slug="muu"),
        kind=Event.Kind.WORKSHOP,
        title="Työpaja",
        slug="tyopaja",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        place="Koulu",
    )
    with pytest.raises(ValidationError) as raised:
        create(
            None, ideation_process, channel=Channel.WORKSHOP, entered_by=coordinator, event=event
        )
    assert raised.value.code == "invalid_event"


# idea_update


def test_update_by_author(ideation_process, resident):
    idea = make_idea(ideation_process, author=resident)
    update(idea, resident, cost_estimate=Decimal("99"))
    idea.refresh_from_db()
    assert idea.title == "Uusi"
    assert idea.cost_estimate == Decimal("99")


def test_update_by_other_is_denied(ideation_process, resident, other_resident):
    idea = make_idea(ideation_process, author=resident)
    with pytest.raises(PermissionDenied):
        update(idea, other_resident)


def test_update_of_staff_entry_is_denied(ideation_process, resident):
    idea = make_idea(ideation_process, author=None, channel=Channel.PAPER)
    with pytest.raises(PermissionDenied):
        update(idea, resident)


def test_update_after_ideation_is_denied(ideation_process, resident, today):
    idea = make_idea(ideation_process, author=resident)
    ideation_process.phases.filter(kind=Phase.Kind.IDEATION).update(
        ends_on=today - datetime.timedelta(days=1)
    )
    idea.process.refresh_from_db()
    with pytest.raises(PermissionDenied):
        update(idea, resident)


def test_update_blocked_is_denied(ideation_process, resident, other_resident):
    idea = make_idea(ideation_process, author=resident)
    AccountBlock.objects.create(user=resident, reason="Häirintä", blocked_by=other_resident)
    with pytest.raises(PermissionDenied):
        update(idea, resident)


def test_update_adds_images_after_present(ideation_process, resident):
    idea = create(resident, ideation_process, images=[upload()])
    update(idea, resident, images=[upload(), upload()])
    assert list(idea.images.values_list("position", flat=True)) == [1, 2, 3]


def test_update_keeps_hidden_hidden(ideation_process, resident):
    idea = make_idea(ideation_process, author=resident, visibility=Visibility.HIDDEN)
    ideation_process.premoderation = True
    ideation_process.save()
    update(idea, resident)
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN


# idea_withdraw


def test_withdraw_by_author(ideation_process, resident):
    idea = make_idea(ideation_process, author=resident)
    services.idea_withdraw(idea, user=resident)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN


def test_withdraw_after_ideation_allowed(voting_process, resident):
    idea = make_idea(voting_process, author=resident)
    services.idea_withdraw(idea, user=resident)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN


def test_withdraw_by_other_is_denied(ideation_process, resident, other_resident):
    idea = make_idea(ideation_process, author=resident)
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(idea, user=other_resident)


def test_withdraw_after_decision_race(ideation_process, resident):
    idea = make_idea(ideation_process, author=resident)
    # Staff decide between the page load and the author's click.
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.DECLINED)
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(idea, user=resident)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED


# idea_status_set


def test_status_set_by_coordinator_notifies(
    ideation_process, resident, coordinator, sent, django_capture_on_commit_callbacks
):
    idea = make_idea(ideation_process, author=resident)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.idea_status_set(idea, Idea.Status.ACCEPTED, actor=coordinator)
        assert not sent.exists()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED
    assert len(callbacks) == 1
    notification = sent.get()
    assert notification.user == resident
    assert "Penkki puistoon" in notification.message


def test_status_message_in_author_language(
    ideation_process, resident, coordinator, sent, django_capture_on_commit_callbacks
):
    resident.language = "en"
    resident.save()
    idea = make_idea(ideation_process, author=resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(
            idea, Idea.Status.DECLINED, actor=coordinator, reason="Liian kallis."
        )
    notification = sent.get()
    assert notification.message == (
        "The status of your idea “Penkki puistoon” is now: declined. Reason: Liian kallis."
    )
    assert notification.url == f"/en/processes/ideointi/ideas/{idea.pk}/"


def test_status_same_again_notifies_nobody(
    ideation_process, resident, coordinator, sent, django_capture_on_commit_callbacks
):
    idea = make_idea(ideation_process, author=resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(idea, Idea.Status.PUBLISHED, actor=coordinator)
    assert not sent.exists()


def test_status_without_author_notifies_nobody(
    ideation_process, coordinator, sent, django_capture_on_commit_callbacks
):
    idea = make_idea(ideation_process, author=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(idea, Idea.Status.ACCEPTED, actor=coordinator)
    assert not sent.exists()


def test_status_set_by_resident_is_denied(ideation_process, resident, other_resident, sent):
    idea = make_idea(ideation_process, author=resident)
    with pytest.raises(PermissionDenied):
        services.idea_status_set(idea, Idea.Status.ACCEPTED, actor=other_resident)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PUBLISHED


def test_status_set_by_moderator_is_denied(ideation_process, resident, django_user_model):
    moderator = staff(django_user_model, RoleAssignment.Role.MODERATOR)
    idea = make_idea(ideation_process, author=resident)
    with pytest.raises(PermissionDenied):
        services.idea_status_set(idea, Idea.Status.ACCEPTED, actor=moderator)


@pytest.mark.parametrize("status", [Idea.Status.WITHDRAWN, "hyvaksytty"])
def test_status_invalid_value(ideation_process, resident, coordinator, status):
    idea = make_idea(ideation_process, author=resident)
    with pytest.raises(ValidationError) as raised:
        services.idea_status_set(idea, status, actor=coordinator)
    assert raised.value.code == "invalid_status"


def test_status_of_withdrawn_idea(ideation_process, resident, coordinator):
    idea = make_idea(ideation_process, author=resident, status=Idea.Status.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.idea_status_set(idea, Idea.Status.ACCEPTED, actor=coordinator)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN
