import functools

from .selectors import moderated_processes


def moderation(request):
    """Add `is_moderator`, True for users who moderate any process, checked only if used."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_moderator": False}
    # Templates call a callable when they read the variable; the cache keeps the check to once.
    return {"is_moderator": functools.cache(lambda: moderated_processes(user).exists())}
