"""Permissions to manage events and see participation statistics, decided by participation.rules."""

from osallistu.participation import rules
from osallistu.participation.models import Process


def can_manage_events(user, process: Process | None) -> bool:
    """Return True if `user` may create and edit events of `process` and record their outcomes.

    Events without a process need the role city-wide.
    """
    return rules.can(user, rules.Action.MANAGE_EVENTS, process)


def can_enter_on_behalf(user, process: Process) -> bool:
    """Return True if `user` may type in ideas and comments collected at the process's events."""
    return rules.can(user, rules.Action.ENTER_ON_BEHALF, process)


def can_view_statistics(user, process: Process) -> bool:
    """Return True if `user` may see the process's participation by channel and age group."""
    return rules.can(user, rules.Action.VIEW_STATISTICS, process)


def manageable_processes(user) -> list[Process]:
    """Return the processes in which `user` may create events, newest first.

    This calls rules.can once per process. rules.roles_of caches the account's roles, so the cost
    is at most one query per process (for a suburb-scoped role), which a staff form can afford.
    """
    if not user.is_authenticated:
        return []
    processes = Process.objects.prefetch_related("suburbs").order_by("-created_at", "pk")
    return [process for process in processes if can_manage_events(user, process)]
