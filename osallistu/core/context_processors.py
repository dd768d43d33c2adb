import functools

from django.conf import settings


def city(request):
    """Add the city's name, colour and logo, which each installation configures."""
    return {
        "city_name": settings.OSALLISTU_CITY_NAME,
        "city_primary_color": settings.OSALLISTU_PRIMARY_COLOR,
        "city_logo": settings.OSALLISTU_LOGO,
    }


def staff(request):
    """Add `is_staff_member` for the staff link, checked only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_staff_member": False}
    from .staff import is_staff_member

    # Templates call a callable when they read the variable; the cache keeps the check to once.
    return {"is_staff_member": functools.cache(lambda: is_staff_member(user))}
