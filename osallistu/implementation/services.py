"""Writes of implementation tracking: items, milestones, updates and automatic tracking.

Every staff write checks `rules.can(user, Action.UPDATE_IMPLEMENTATION, item.process)` and records
an audit event in its own transaction. A status change is recorded as
"implementation.change_status" with the old and new status, which is the item's status history.
Followers of an item are notified of updates and status changes after the transaction commits.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from osallistu.audit.services import record
from osallistu.participation import rules
from osallistu.participation.forms import FINLAND_LATITUDE, FINLAND_LONGITUDE
from osallistu.participation.images import clean_image
from osallistu.participation.rules import Action
from osallistu.programmes.models import ProjectPackage

from . import selectors
from .models import (
    FINAL_STATUSES,
    ImplementationItem,
    ImplementationUpdate,
    Milestone,
    Status,
    UpdatePhoto,
)

logger = logging.getLogger(__name__)

# Fields that staff may change through update_item().
EDITABLE_FIELDS = (
    "title",
    "description",
    "suburb",
    "status",
    "progress",
    "budget",
    "actual_cost",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "service_area",
    "location_text",
    "longitude",
    "latitude",
    "is_public",
)

MESSAGES = {
    "final_status": _(
        "The item is already %(status)s, which is final: its status can no longer change."
    ),
    "progress_range": _("Enter a progress from 0 to 100."),
    "full_progress_not_done": _("Progress can reach 100 per cent only when the item is done."),
    "done_not_full": _("A done item has a progress of 100 per cent."),
    "done_without_end": _("Enter the actual completion date: a done item needs one."),
    "end_not_final": _(
        "An actual completion date can be entered only for a done or cancelled item."
    ),
    "end_in_future": _("The actual completion date cannot be in the future."),
    "planned_order": _("The planned completion cannot be before the planned start."),
    "actual_order": _("The actual completion cannot be before the actual start."),
    "negative_amount": _("Enter an amount of zero or more."),
    "point_incomplete": _("Enter both the longitude and the latitude, or neither."),
    "latitude_bounds": _(
        "Enter a latitude between %(min)s and %(max)s: the point must be in Finland."
    ),
    "longitude_bounds": _(
        "Enter a longitude between %(min)s and %(max)s: the point must be in Finland."
    ),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def check_item(item: ImplementationItem, *, previous_status: str) -> dict[str, list]:
    """Return the rule violations of `item`'s unsaved values as {field: [ValidationError]}.

    `previous_status` is the status stored before the change: done and cancelled are final.
    An empty dict means the item may be saved. The database constraints enforce the same rules
    on progress and completion, so a mistake here cannot store an inconsistent item.
    """
    errors: dict[str, list] = {}

    def add(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).append(error)

    if previous_status in FINAL_STATUSES and item.status != previous_status:
        add("status", _error("final_status", status=Status(previous_status).label))
    if item.progress is None or not 0 <= item.progress <= 100:
        add("progress", _error("progress_range"))
    elif item.progress == 100 and item.status != Status.DONE:
        add("progress", _error("full_progress_not_done"))
    elif item.status == Status.DONE and item.progress != 100:
        add("progress", _error("done_not_full"))
    if item.status == Status.DONE and item.actual_end is None:
        add("actual_end", _error("done_without_end"))
    if item.actual_end is not None:
        if item.status not in FINAL_STATUSES:
            add("actual_end", _error("end_not_final"))
        elif item.actual_end > timezone.localdate():
            add("actual_end", _error("end_in_future"))
    if item.planned_start and item.planned_end and item.planned_end < item.planned_start:
        add("planned_end", _error("planned_order"))
    if item.actual_start and item.actual_end and item.actual_end < item.actual_start:
        add("actual_end", _error("actual_order"))
    for field in ("budget", "actual_cost"):
        value = getattr(item, field)
        if value is not None and value < 0:
            add(field, _error("negative_amount"))
    if (item.longitude is None) != (item.latitude is None):
        add("latitude", _error("point_incomplete"))
    for field, (low, high) in (("latitude", FINLAND_LATITUDE), ("longitude", FINLAND_LONGITUDE)):
        value = getattr(item, field)
        if value is not None and not low <= Decimal(value) <= high:
            add(
                field,
                _error(f"{field}_bounds", min=number_format(low), max=number_format(high)),
            )
    return errors


def _require(user, item: ImplementationItem | None) -> None:
    allowed = (
        can_update(user, item)
        if item is not None
        else rules.can(user, Action.UPDATE_IMPLEMENTATION)
    )
    if not allowed:
        raise PermissionDenied(_("You may not update the implementation of this item."))


def can_update(user, item: ImplementationItem) -> bool:
    """Return True if `user` may update `item`.

    Evaluators update only the items of their own service areas, and items that have no
    responsible service area yet. Coordinators and administrators update every item in scope.
    """
    process = item.process
    if not rules.can(user, Action.UPDATE_IMPLEMENTATION, process):
        return False
    if item.service_area_id is None or rules.can(user, Action.CONSOLIDATE, process):
        return True
    return item.service_area_id in rules.service_areas_of(user, process)


def can_update_any(user) -> bool:
    """Return True if `user` may update implementation city-wide or in any process with items."""
    if rules.can(user, Action.UPDATE_IMPLEMENTATION):
        return True
    processes = selectors.item_processes()
    return any(rules.can(user, Action.UPDATE_IMPLEMENTATION, process) for process in processes)


def item_url(item: ImplementationItem) -> str:
    return reverse("implementation:item_detail", kwargs={"pk": item.pk})


def _audit(actor, action: str, item: ImplementationItem, **kwargs) -> None:
    record(actor, action, item, process=item.process, suburb=item.suburb, **kwargs)


def _notify_followers(item: ImplementationItem, message, params: Mapping, actor) -> None:
    # Imported here because the notifications app lists this app's model among followables.
    from osallistu.notifications.services import notify_followers

    if not item.is_public:
        return
    notify_followers(item, message=message, url=item_url(item), exclude_user=actor, params=params)


def apply_changes(actor, item: ImplementationItem, changes: Mapping[str, Any]) -> list[str]:
    """Apply `changes` to the locked `item`, save it and record the audit events.

    Return the names of the fields that changed. The caller has checked the permission, holds
    the row lock and runs this inside its transaction. Raise ValidationError with a dict of
    field errors if a rule of check_item() fails; nothing is saved then.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"fields that cannot be changed: {sorted(unknown)}")
    previous_status = item.status
    changes = dict(changes)
    # Marking an item done completes it, unless the caller gave another progress.
    if changes.get("status") == Status.DONE and "progress" not in changes:
        changes["progress"] = 100
    changed = []
    for field, value in changes.items():
        if getattr(item, field) != value:
            setattr(item, field, value)
            changed.append(field)
    errors = check_item(item, previous_status=previous_status)
    if errors:
        raise ValidationError(errors)
    if not changed:
        return []
    item.save()
    _audit(
        actor,
        "implementation.update_item",
        item,
        summary=", ".join(changed),
        details={"fields": changed},
    )
    if item.status != previous_status:
        _audit(
            actor,
            "implementation.change_status",
            item,
            summary=f"{previous_status} -> {item.status}",
            details={"from": previous_status, "to": item.status},
        )
        _notify_followers(
            item,
            _("%(title)s is now %(status)s."),
            {"title": item.title, "status": Status(item.status).label},
            actor,
        )
    return changed


def update_item(user, item: ImplementationItem, changes: Mapping[str, Any]) -> ImplementationItem:
    """Change fields of `item` for `user` and return the item as saved.

    Raise PermissionDenied unless the user may update implementation in the item's process, and
    ValidationError with field errors if the new values break a rule (see check_item).
    """
    _require(user, item)
    with transaction.atomic():
        locked = selectors.items_for_update().select_for_update(of=("self",)).get(pk=item.pk)
        apply_changes(user, locked, changes)
    logger.info("implementation item %s updated by user %s", locked.pk, user.pk)
    return locked


def add_milestone(
    user,
    item: ImplementationItem,
    *,
    title: str,
    due_on: datetime.date | None = None,
    done_on: datetime.date | None = None,
) -> Milestone:
    """Add a milestone at the end of the item's schedule and return it."""
    _require(user, item)
    with transaction.atomic():
        last = item.milestones.order_by("-position").values_list("position", flat=True).first()
        milestone = Milestone.objects.create(
            item=item,
            title=title,
            due_on=due_on,
            done_on=done_on,
            position=0 if last is None else last + 1,
        )
        _audit(user, "implementation.add_milestone", item, summary=title[:200])
    return milestone


def set_milestone_done(user, milestone: Milestone, done_on: datetime.date | None) -> Milestone:
    """Mark the milestone reached on `done_on`, or not reached with None, and return it."""
    item = milestone.item
    _require(user, item)
    with transaction.atomic():
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        _audit(
            user,
            "implementation.mark_milestone",
            item,
            summary=milestone.title[:200],
            details={
                "milestone": milestone.pk,
                "done_on": done_on.isoformat() if done_on else None,
            },
        )
    return milestone


@dataclass(frozen=True)
class Invitation:
    """An invitation to residents to take part in the work, such as a talkoot."""

    starts_at: datetime.datetime
    place: str
    how: str


def future_update_error() -> ValidationError:
    """Return the error of an update dated later than today."""
    return ValidationError(
        _("The date of an update cannot be later than today, %(today)s."),
        code="future_update",
        params={"today": date_format(timezone.localdate(), "j.n.Y")},
    )


def post_update(
    user,
    item: ImplementationItem,
    *,
    text: str,
    published_on: datetime.date | None = None,
    photos: Iterable[tuple[Any, str]] = (),
    invitation: Invitation | None = None,
) -> ImplementationUpdate:
    """Publish an update of `item` with optional photos and invitation, and return it.

    `photos` are (uploaded file, description) pairs; each file is checked and re-encoded by
    clean_image() and each needs a description, its alt text. Followers of the item are
    notified in their own language once the transaction commits. `published_on` defaults to
    today and cannot be later. Raise PermissionDenied or ValidationError.
    """
    _require(user, item)
    # A future date would sort the update first on the public page as if it were the latest news.
    if published_on is not None and published_on > timezone.localdate():
        raise future_update_error()
    cleaned = []
    for upload, alt_text in photos:
        if not alt_text.strip():
            raise ValidationError(_("Describe every photo for those who cannot see it."))
        cleaned.append((clean_image(upload), alt_text.strip()))
    with transaction.atomic():
        update = ImplementationUpdate.objects.create(
            item=item,
            text=text,
            published_on=published_on or timezone.localdate(),
            author=user,
            invitation_starts_at=invitation.starts_at if invitation else None,
            invitation_place=invitation.place if invitation else "",
            invitation_how=invitation.how if invitation else "",
        )
        for position, (image, alt_text) in enumerate(cleaned):
            UpdatePhoto.objects.create(
                update=update, image=image, alt_text=alt_text, position=position
            )
        _audit(
            user,
            "implementation.post_update",
            item,
            summary=f"update {update.pk}",
            details={"photos": len(cleaned), "invitation": invitation is not None},
        )
        if invitation is not None:
            message = _("%(title)s: you are invited to take part on %(date)s.")
            params = {"title": item.title, "date": invitation.starts_at.date().isoformat()}
        else:
            message = _("News on %(title)s.")
            params = {"title": item.title}
        _notify_followers(item, message, params, user)
    logger.info("implementation update %s posted on item %s", update.pk, item.pk)
    return update


# --- Automatic tracking -------------------------------------------------------------------------


def _create_item(actor, **fields) -> ImplementationItem:
    item = ImplementationItem.objects.create(**fields)
    _audit(actor, "implementation.track", item, summary=item.title[:200])
    return item


def track_package(actor, package: ProjectPackage) -> ImplementationItem:
    """Return the package's item, creating it if the package is not yet tracked."""
    item = ImplementationItem.objects.filter(package=package).first()
    if item is not None:
        return item
    return _create_item(
        actor,
        package=package,
        title=package.title[:300],
        description=package.description,
        suburb=package.programme.suburb,
        service_area=package.service_area,
        is_example=package.is_example,
    )


def track_winners(actor, process) -> list[ImplementationItem]:
    """Create an item for every winner of the process's results that has none; return them.

    Called by budgeting.results.publish_results() inside its transaction, so the results and
    their tracking are saved together. The winners are those the counted results fund.
    """
    created = []
    for project in selectors.winners(process):
        if not ImplementationItem.objects.filter(project=project).exists():
            created.append(
                _create_item(
                    actor,
                    project=project,
                    title=project.title[:300],
                    description=project.description,
                    suburb=project.area.suburb,
                    budget=project.cost,
                    is_example=project.is_example,
                )
            )
    logger.info("process %s: %d winners tracked", process.pk, len(created))
    return created


def ensure_tracked(actor) -> list[ImplementationItem]:
    """Create items for every untracked project package and published winner; return them.

    `actor` is the staff member whose page triggered the check, or None for a command. Raise
    PermissionDenied for a user who may not update implementation city-wide.
    """
    if actor is not None:
        _require(actor, None)
    with transaction.atomic():
        untracked = selectors.untracked()
        created = [track_package(actor, package) for package in untracked.packages]
        for process in {project.area.process for project in untracked.projects}:
            created += track_winners(actor, process)
    return created
