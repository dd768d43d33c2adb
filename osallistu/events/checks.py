"""System checks of the settings that events rely on."""

from django.core import checks

from osallistu.core.age_groups import AgeGroupError, configured_age_groups


def check_age_groups(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Report an OSALLISTU_AGE_GROUPS setting that is not a contiguous union of Paavo bands."""
    try:
        configured_age_groups()
    except AgeGroupError as error:
        return [
            checks.Error(
                str(error),
                hint=(
                    "List (first age, last age) pairs that start at 0, begin and end on Paavo "
                    "age bands, follow each other without gaps and end with None, for example "
                    "[(0, 12), (13, 17), (18, 29), (30, 64), (65, None)]."
                ),
                id="events.E001",
            )
        ]
    return []
