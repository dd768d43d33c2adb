"""Writes for moderation: reports, hiding, approval, blocks and the audit log.

TODO: only `initial_visibility` is implemented until the moderation feature lands.
"""

from osallistu.participation.models import Process, Visibility

__all__ = ["initial_visibility"]


def initial_visibility(process: Process) -> str:
    """Return the visibility a new idea or comment gets: pending under pre-moderation."""
    return Visibility.PENDING if process.premoderation else Visibility.VISIBLE
