from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dasbor")

    def ready(self):
        # Offer the dashboard PDF on the Laporan page. Registered from here because reports sits
        # below dashboards in the layer order (docs/architecture.md).
        from reports.models import ReportFormat, ReportKind
        from reports.renderers import Document, register

        register(Document(
            ReportKind.DASHBOARD, ReportFormat.PDF, _("Dasbor"), "dashboards.export.dashboard_pdf", order=60,
            description=_("Nilai dan kesiapan predikat, nilai per area, bukti, rencana aksi, monev, batas waktu "
                          "dan sepuluh kesenjangan teratas, dengan grafik."),
        ))
