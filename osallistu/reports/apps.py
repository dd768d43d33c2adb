from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "osallistu.reports"
    verbose_name = _("evaluation reports")
