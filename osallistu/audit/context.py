"""Count the audit events recorded while one request runs.

The middleware records a generic event for a staff member's successful POST only when the view's
own services recorded none, so each action appears once, with the richer summary where a
service wrote one.
"""

from contextvars import ContextVar

_recorded_in_request: ContextVar[int | None] = ContextVar("audit_recorded_in_request", default=None)


def start_request() -> object:
    """Start counting for the current request and return the token that `end_request` takes."""
    return _recorded_in_request.set(0)


def end_request(token) -> int:
    """Stop counting and return how many events were recorded since `start_request`."""
    count = _recorded_in_request.get() or 0
    _recorded_in_request.reset(token)
    return count


def note_recorded() -> None:
    """Count one event recorded by a service, if a request is being counted."""
    current = _recorded_in_request.get()
    if current is not None:
        _recorded_in_request.set(current + 1)
