"""The documents ZI Portal renders. Add a line here to offer a new one on the Laporan page."""

from django.utils.translation import gettext_lazy as _

from reports.models import ReportFormat, ReportKind

from .registry import (
    ACCEPTED_ONLY,
    AUDIT,
    PERIOD,
    Document,
    RenderError,
    document_groups,
    documents,
    get_document,
    register,
)

__all__ = ["Document", "RenderError", "document_groups", "documents", "get_document", "register"]

R = "reports.renderers."
PDF, XLSX, ZIP = ReportFormat.PDF, ReportFormat.XLSX, ReportFormat.ZIP

DOCUMENTS = [
    Document(ReportKind.RENCANA_AKSI, PDF, _("Rencana aksi"), R + "plans.rencana_aksi_pdf", order=10,
             description=_("Tabel rencana aksi per area: langkah aksi, bukti fisik, target, PIC dan status.")),
    Document(ReportKind.RENCANA_AKSI, XLSX, _("Rencana aksi"), R + "plans.rencana_aksi_xlsx", order=10),
    Document(ReportKind.MONEV, PDF, _("Monev per periode"), R + "plans.monev_pdf", (PERIOD,), order=20,
             description=_("Ringkasan per area, lalu realisasi, progres, kendala dan tindak lanjut setiap "
                           "rencana aksi; yang terlambat ditandai.")),
    Document(ReportKind.MONEV, XLSX, _("Monev per periode"), R + "plans.monev_xlsx", (PERIOD,), order=20),
    Document(ReportKind.LKE, PDF, _("LKE: jawaban unit dan TPI"), R + "lke.lke_pdf", order=30,
             button=_("PDF (ringkasan)"),
             description=_("PDF: nilai per area, pemenuhan predikat dan analisis kesenjangan. XLSX: lembar kerja "
                           "lengkap seperti format resmi, dengan tautan bukti.")),
    Document(ReportKind.LKE, XLSX, _("LKE: jawaban unit dan TPI"), R + "lke.lke_xlsx", order=30,
             button=_("XLSX (lengkap)")),
    Document(ReportKind.PORTALRB, XLSX, _("Templat jawaban PortalRB"), R + "portalrb.portalrb_xlsx", order=40,
             description=_("Lembar Jawaban untuk diunggah ke PortalRB: jawaban, catatan dan tautan bukti "
                           "per soal, pada baris templat resmi.")),
    Document(ReportKind.EVIDENCE_PACKAGE, ZIP, _("Paket bukti"), R + "evidence_package.evidence_package_zip",
             (ACCEPTED_ONLY,), order=50,
             description=_("Semua berkas bukti versi terakhir dalam folder area / indikator / pertanyaan, dengan "
                           "manifest XLSX dan CSV (termasuk SHA-256 setiap berkas).")),
    # Requested from the audit page, not from an assessment's Laporan page (reports/audit_export.py).
    Document(ReportKind.AUDIT_TRAIL, XLSX, _("Jejak audit"), R + "audit_trail.audit_trail_xlsx", scope=AUDIT),
]
# Apps above reports add their own documents from their AppConfig.ready() (the dashboard PDF:
# dashboards/apps.py), so reports never names a module of a higher layer.

for document in DOCUMENTS:
    register(document)
