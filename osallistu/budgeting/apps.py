from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "osallistu.budgeting"
    verbose_name = _("participatory budgeting")
