from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Pengusulan dan PortalRB")

    def ready(self):
        # The evaluator bundle is rendered by the report jobs of the lower `reports` app; it is
        # registered from here so that `reports` never names this app.
        from reports.models import ReportFormat
        from reports.renderers import Document, register

        from .bundle import BUNDLE_KIND, clean_bundle_parameters, evaluator_bundle_zip

        register(Document(BUNDLE_KIND, ReportFormat.ZIP, _("Paket evaluator (usulan)"), evaluator_bundle_zip,
                          order=70, clean=clean_bundle_parameters,
                          description=_("Bukti sesuai snapshot usulan terakhir, dalam folder per kode LKE, "
                                        "dengan manifest SHA-256. Hanya untuk unit yang sedang diusulkan.")))
