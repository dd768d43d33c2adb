import functools

from .selectors import moderates_anything


def moderation(request):
    """Add `is_moderator` for a moderation link, checked only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_moderator": False}
    # Templates call a callable when they read the variable; the cache keeps the check to once.
    return {"is_moderator": functools.cache(lambda: moderates_anything(user))}
