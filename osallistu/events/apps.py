from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "osallistu.events"
    verbose_name = _("events")

    def ready(self) -> None:
        from .checks import check_age_groups

        checks.register(check_age_groups)
