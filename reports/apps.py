from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self):
        from audit import panels

        # Register the Celery tasks in every process (services look the render task up by name).
        from . import tasks  # noqa: F401
        from .audit_export import audit_page_panel

        # The XLSX export on the audit page: audit sits below reports, so reports adds it there.
        panels.register(audit_page_panel)
