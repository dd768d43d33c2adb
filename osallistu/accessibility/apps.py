from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "osallistu.accessibility"
    verbose_name = _("accessibility")
