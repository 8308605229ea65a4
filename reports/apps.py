from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self):
        # Register the Celery tasks in every process (services look the render task up by name).
        from . import tasks  # noqa: F401
