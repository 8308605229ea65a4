"""The audit trail as XLSX: the rows the audit page listed for the requester's filters when the
export was requested (reports/audit_export.py, docs/audit.md). Every recorded text (names as typed,
object labels, details) is user input and is written as text, never as a formula (xlsx.Sheet.text).
"""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.formatting import format_date

from .. import audit_export
from . import xlsx
from .registry import RenderError

MAX_ROWS = 1_000_000  # below Excel's 1,048,576 rows per sheet
PROGRESS_EVERY = 2_000
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
WIDTHS = [20, 22, 22, 14, 38, 44, 44, 28, 18]


def audit_trail_xlsx(job, out_path: Path, progress) -> None:
    events = audit_export.events_for_job(job)
    if events is None:
        raise RenderError(_("Saringan ekspor ini memuat unit yang jejak auditnya tidak dapat Anda lihat lagi."))
    total = events.count()
    if total > MAX_ROWS:
        raise RenderError(_("Terlalu banyak catatan (%(n)d) untuk satu berkas; persempit saringan.") % {"n": total})
    progress(5)
    workbook = xlsx.new_workbook()
    headers = [_("Waktu"), _("Pengguna"), _("Tindakan"), _("Jenis objek"), _("Kode objek"), _("Objek"),
               _("Rincian"), _("Unit"), _("Alamat IP")]
    extra = [_("Saringan: %(f)s") % {"f": job.detail or _("Semua catatan")},
             _("Diekspor oleh %(who)s, %(when)s") % {"who": job.requested_by.get_username(),
                                                      "when": _now_text()}]
    sheet = xlsx.Sheet(workbook, _("Jejak audit")[:31], WIDTHS, header_row=len(extra) + 3)
    sheet.append([sheet.text(_("Jejak audit").upper(), font=xlsx.TITLE, border=False, alignment=None)])
    for line in extra:
        sheet.append([sheet.text(line, border=False, alignment=None)])
    sheet.append([])
    sheet.header_row(headers)
    for number, event in enumerate(events.iterator(chunk_size=PROGRESS_EVERY), start=1):
        sheet.append([
            sheet.number(timezone.localtime(event.created_at).replace(tzinfo=None), DATETIME_FORMAT),
            sheet.text(event.actor_label),
            sheet.text(event.get_action_display()),
            sheet.text(event.object_type),
            sheet.text(event.object_id),
            sheet.text(event.object_label),
            sheet.text(event.detail),
            sheet.text(event.unit.name if event.unit else ""),
            sheet.text(event.ip_address or ""),
        ])
        if number % PROGRESS_EVERY == 0:
            progress(5 + 90 * number // max(total, 1))
    xlsx.save(workbook, out_path)


def _now_text() -> str:
    now = timezone.localtime()
    return f"{format_date(now.date())} {now:%H.%M} {now.tzname()}"
