"""Reads of implementation tracking, for public pages, staff pages and the open data."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from osallistu.areas import maps
from osallistu.audit.models import AuditEvent
from osallistu.budgeting.models import Project
from osallistu.participation.models import Process
from osallistu.programmes.models import ProjectPackage

from .models import (
    ImplementationItem,
    ImplementationUpdate,
    Kind,
    Milestone,
    Status,
    UpdatePhoto,
)


def items_for_update() -> QuerySet[ImplementationItem]:
    """Return all items with what permission checks need (the item's process) loaded."""
    return ImplementationItem.objects.select_related(
        "project__area__process", "package__process", "suburb"
    )


def item_list(
    *, public_only: bool = True, suburb=None, status: str = "", kind: str = ""
) -> QuerySet[ImplementationItem]:
    """Return items for a list page, filtered, with their suburb and service area loaded."""
    items = items_for_update().select_related("service_area")
    if public_only:
        items = items.filter(is_public=True)
    if suburb is not None:
        items = items.filter(suburb=suburb)
    if status:
        items = items.filter(status=status)
    if kind == Kind.PACKAGE:
        items = items.filter(package__isnull=False)
    elif kind == Kind.BUDGETING:
        items = items.filter(project__isnull=False)
    return items.order_by("suburb__name", "title", "pk")


def item_detail(pk: int, *, public_only: bool = True) -> ImplementationItem | None:
    """Return the item with its milestones, updates, photos and map areas, or None."""
    items = (
        items_for_update()
        .select_related("service_area")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "due_on", "pk")),
            Prefetch(
                "updates",
                queryset=ImplementationUpdate.objects.order_by(
                    "-published_on", "-pk"
                ).prefetch_related(
                    Prefetch("photos", queryset=UpdatePhoto.objects.order_by("position", "pk"))
                ),
            ),
            "suburb__postal_areas",
        )
    )
    if public_only:
        items = items.filter(is_public=True)
    return items.filter(pk=pk).first()


def item_processes() -> QuerySet[Process]:
    """Return the processes that items belong to, through their proposal or package."""
    return Process.objects.filter(
        Q(budget_areas__projects__implementation_item__isnull=False)
        | Q(project_package__implementation_item__isnull=False)
    ).distinct()


def item_map(item: ImplementationItem, *, id_prefix: str = "item-map") -> maps.PointMap | None:
    """Return the SVG map of the item's point over its suburb's postal areas, or None."""
    if item.longitude is None or item.latitude is None or item.suburb is None:
        return None
    return maps.render_point_map(
        item.longitude,
        item.latitude,
        item.location_text or item.title,
        list(item.suburb.postal_areas.all()),
        id_prefix=id_prefix,
    )


@dataclass(frozen=True)
class StatusChange:
    """One status change of an item, read from the audit log, without who made it."""

    changed_at: datetime.datetime
    old_status: str
    new_status: str


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def status_history(item: ImplementationItem) -> list[StatusChange]:
    """Return the item's status changes, oldest first, from its audit events."""
    events = AuditEvent.objects.filter(
        action="implementation.change_status",
        target_type=ImplementationItem._meta.label_lower,
        target_id=str(item.pk),
    ).order_by("occurred_at", "pk")
    return [
        StatusChange(
            changed_at=event.occurred_at,
            old_status=_status_label(event.details.get("from", "")),
            new_status=_status_label(event.details.get("to", "")),
        )
        for event in events.only("occurred_at", "details")
    ]


def winners(process: Process) -> list[Project]:
    """Return the proposals that the process's counted results fund, area by area."""
    from osallistu.budgeting import results

    return [
        project
        for area_result in results.process_results(process)
        for project in area_result.winners
    ]


def tracked_processes() -> QuerySet[Process]:
    """Return the budgeting processes whose winners must be tracked.

    These are the processes run on the platform whose results are published. Imported past
    elections (with a `source`, such as a Pabulib file) are reference data of other cities, not
    work the city carries out, so they are left out.
    """
    return Process.objects.filter(
        kind=Process.Kind.PARTICIPATORY_BUDGETING, results_published=True, source=""
    ).select_related("budgeting_settings")


@dataclass(frozen=True)
class Untracked:
    """Project packages and published winners that have no implementation item yet."""

    packages: list[ProjectPackage]
    projects: list[Project]

    def __bool__(self) -> bool:
        return bool(self.packages or self.projects)


def untracked() -> Untracked:
    """Return what is not yet tracked. Counting winners reuses the cached published outcomes."""
    packages = list(
        ProjectPackage.objects.filter(implementation_item__isnull=True).select_related(
            "programme__suburb", "service_area"
        )
    )
    tracked = set(
        ImplementationItem.objects.filter(project__isnull=False).values_list(
            "project_id", flat=True
        )
    )
    projects = [
        project
        for process in tracked_processes()
        for project in winners(process)
        if project.pk not in tracked
    ]
    return Untracked(packages=packages, projects=projects)


def item_links(projects) -> dict[int, int]:
    """Return {project pk: item pk} of the public items of the given proposals."""
    return dict(
        ImplementationItem.objects.filter(
            project__in=[project.pk for project in projects], is_public=True
        ).values_list("project_id", "pk")
    )
