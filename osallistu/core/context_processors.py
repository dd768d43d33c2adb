from django.conf import settings


def city(request):
    """Add the city's name, colour and logo, which each installation configures."""
    return {
        "city_name": settings.OSALLISTU_CITY_NAME,
        "city_primary_color": settings.OSALLISTU_PRIMARY_COLOR,
        "city_logo": settings.OSALLISTU_LOGO,
    }
