"""Rate limits for posting and one-off participation, counted in the shared cache.

The cache is the database or Redis (see settings), so every application process sees the same
counts.
"""

from django.core.cache import cache

__all__ = ["is_rate_limited"]


def is_rate_limited(key: str, *, limit: int, period_seconds: int) -> bool:
    """Count one event for `key` and return True if more than `limit` fell in the period.

    The window is fixed: it starts with the first event and lasts `period_seconds`.
    """
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=period_seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The entry expired between add() and incr(); this event starts a new window.
        cache.set(cache_key, 1, timeout=period_seconds)
        return False
    return count > limit
