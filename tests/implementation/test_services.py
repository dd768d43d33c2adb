"""Item updates with their rules, milestones, updates with photos, and follower notifications."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from PIL import Image

from osallistu.accounts.models import RoleAssignment, ServiceArea
from osallistu.audit.models import AuditEvent
from osallistu.implementation import services
from osallistu.implementation.models import ImplementationItem, Status
from osallistu.notifications.models import Notification
from osallistu.notifications.services import follow

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _messages(error: ValidationError) -> dict[str, list[str]]:
    with translation.override("en"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}


def test_update_records_status_history(item, coordinator):
    services.update_item(coordinator, item, {"status": Status.IN_PROGRESS, "progress": 40})
    services.update_item(coordinator, item, {"status": Status.DONE, "actual_end": YESTERDAY})

    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.progress == 100
    history = AuditEvent.objects.filter(
        action="implementation.change_status", target_id=str(item.pk)
    ).order_by("pk")
    assert [event.details for event in history] == [
        {"from": "planned", "to": "in_progress"},
        {"from": "in_progress", "to": "done"},
    ]
    assert all(event.actor == coordinator for event in history)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"progress": 100}, "progress", "only when the item is done"),
        ({"status": Status.DONE}, "actual_end", "a done item needs one"),
        ({"actual_end": YESTERDAY}, "actual_end", "only for a done or cancelled item"),
        ({"progress": 101}, "progress", "from 0 to 100"),
        ({"planned_end": datetime.date(2026, 1, 1)}, "planned_end", "before the planned start"),
        ({"actual_cost": Decimal("-1")}, "actual_cost", "zero or more"),
        ({"latitude": Decimal("62.89")}, "latitude", "both the longitude and the latitude"),
        (
            {"status": Status.DONE, "actual_end": timezone.localdate() + datetime.timedelta(1)},
            "actual_end",
            "cannot be in the future",
        ),
    ],
)
def test_update_rejects_broken_rules(item, coordinator, changes, field, message):
    with pytest.raises(ValidationError) as error:
        services.update_item(coordinator, item, changes)

    assert message in " ".join(_messages(error.value)[field])
    assert not AuditEvent.objects.filter(action="implementation.update_item").exists()


def test_final_status_cannot_change(make_item, coordinator):
    item = make_item(status=Status.CANCELLED)

    with pytest.raises(ValidationError) as error:
        services.update_item(coordinator, item, {"status": Status.IN_PROGRESS})

    assert "final" in _messages(error.value)["status"][0]


def test_residents_may_not_update(item, resident):
    with pytest.raises(PermissionDenied):
        services.update_item(resident, item, {"progress": 10})
    with pytest.raises(PermissionDenied):
        services.add_milestone(resident, item, title="Suunnitelma valmis")


def test_scoped_evaluator_updates_only_items_of_their_process(
    make_item, django_user_model, make_process, service_area
):
    process = make_process(slug="yhteissuunnittelu")
    mine = make_item()
    mine.package.process = process
    mine.package.save()
    other = make_item()
    evaluator = django_user_model.objects.create_user(email="arvioija@example.fi", password="x")
    RoleAssignment.objects.create(
        user=evaluator,
        role=RoleAssignment.Role.EVALUATOR,
        process=process,
        service_area=service_area,
    )

    services.update_item(evaluator, ImplementationItem.objects.get(pk=mine.pk), {"progress": 5})
    with pytest.raises(PermissionDenied):
        services.update_item(evaluator, other, {"progress": 5})


def test_evaluator_updates_own_service_area_only(make_item, django_user_model, service_area):
    other_area = ServiceArea.objects.create(name="Hyvinvoinnin palvelualue", slug="hyve")
    own = make_item(service_area=service_area)
    foreign = make_item(service_area=other_area)
    unassigned = make_item()
    evaluator = django_user_model.objects.create_user(email="arvioija@example.fi", password="x")
    RoleAssignment.objects.create(
        user=evaluator, role=RoleAssignment.Role.EVALUATOR, service_area=service_area
    )

    services.update_item(evaluator, own, {"progress": 5})
    services.update_item(evaluator, unassigned, {"progress": 5})
    with pytest.raises(PermissionDenied):
        services.update_item(evaluator, foreign, {"progress": 5})


@pytest.mark.parametrize(
    "fields",
    [
        {"package": None},
        {"progress": 101},
        {"progress": 100},
        {"status": Status.DONE, "progress": 100},
        {"longitude": Decimal("27.6")},
    ],
)
def test_database_constraints(make_item, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        if fields.get("package", "") is None:
            ImplementationItem.objects.create(title="Ei kohdetta")
        else:
            make_item(**fields)


def test_one_item_per_target(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        ImplementationItem.objects.create(package=item.package, title="Toinen")


def test_milestones(item, coordinator):
    first = services.add_milestone(coordinator, item, title="Suunnitelma hyväksytty")
    second = services.add_milestone(
        coordinator, item, title="Rakentaminen alkaa", due_on=datetime.date(2026, 6, 1)
    )
    services.set_milestone_done(coordinator, first, YESTERDAY)

    assert (first.position, second.position) == (0, 1)
    first.refresh_from_db()
    assert first.done_on == YESTERDAY
    assert AuditEvent.objects.filter(action="implementation.mark_milestone").count() == 1


def _png(name: str = "kuva.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_post_update_with_photo_and_invitation(
    item, coordinator, resident, other_resident, django_capture_on_commit_callbacks, mailoutbox
):
    resident.language = "en"
    resident.email_notifications = True
    resident.save()
    follow(resident, item)
    starts = timezone.now() + datetime.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update = services.post_update(
            coordinator,
            item,
            text="Istutamme puita yhdessä.",
            photos=[(_png(), "Taimet odottavat istutusta")],
            invitation=services.Invitation(
                starts_at=starts, place="Keskuspuisto", how="Ota omat hanskat mukaan."
            ),
        )

    assert update.photos.get().alt_text == "Taimet odottavat istutusta"
    assert update.photos.get().image.name.endswith(".png")
    notification = Notification.objects.get()
    assert notification.user == resident
    assert notification.message.startswith("Keskuspuiston leikkipaikka: you are invited")
    assert notification.url == f"/en/implementation/{item.pk}/"
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    assert not Notification.objects.filter(user=other_resident).exists()


def test_notification_waits_for_commit(
    item, coordinator, resident, django_capture_on_commit_callbacks
):
    resident.email_notifications = True
    resident.save()
    follow(resident, item)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_update(coordinator, item, text="Urakka alkoi.")

    # The in-site notification is written in the transaction; the email waits for the commit.
    assert Notification.objects.filter(user=resident).count() == 1
    assert len(callbacks) == 1


def test_photo_needs_description(item, coordinator):
    with pytest.raises(ValidationError):
        services.post_update(coordinator, item, text="Kuva", photos=[(_png(), " ")])
    assert not item.updates.exists()


def test_photo_checked_by_content(item, coordinator):
    fake = SimpleUploadedFile("kuva.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.post_update(coordinator, item, text="Kuva", photos=[(fake, "Kuva")])
    assert error.value.code == "invalid_image"


def test_post_update_rejects_future_date(item, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        services.post_update(coordinator, item, text="Tuleva", published_on=tomorrow)

    with translation.override("en"):
        assert "cannot be later than today" in error.value.messages[0]

    assert not item.updates.exists()
    assert services.post_update(
        coordinator, item, text="Tänään", published_on=timezone.localdate()
    ).pk
