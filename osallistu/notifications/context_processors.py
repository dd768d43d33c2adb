import functools

from .selectors import unread_count


def notifications(request):
    """Add `unread_notification_count`, counted only if a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    # Templates call a callable when they read the variable; the cache keeps it to one query.
    return {"unread_notification_count": functools.cache(lambda: unread_count(user))}
