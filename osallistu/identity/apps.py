from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "osallistu.identity"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
