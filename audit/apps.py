from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Jejak audit"

    def ready(self):
        from . import signals  # noqa: F401  (sign-in events)
