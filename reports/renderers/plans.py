"""Rencana aksi and monev documents (PDF and XLSX), from the plans app's selectors."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.formatting import XLSX_INTEGER, format_date
from evidence.models import Evidence
from plans.models import MonevPeriod
from plans.selectors import group_by_area, period_rows, period_summary, plan_items

from . import pdf, xlsx
from .common import heading_for
from .registry import RenderError

PLAN_HEADERS = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK/OUTPUT", "TARGET", "PIC", "STATUS"]
PLAN_WIDTHS = [6, 24, 32, 48, 36, 16, 20, 16]
SUMMARY_HEADERS = ["AREA", "RENCANA AKSI", "SELESAI", "TERLAMBAT", "SESUAI JADWAL", "PERUBAHAN SELESAI",
                   "PERUBAHAN TERLAMBAT"]
MONEV_HEADERS = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "TARGET", "REALISASI", "PROGRES (%)", "KENDALA",
                 "TINDAK LANJUT", "JUMLAH BUKTI", "KETERANGAN"]
MONEV_WIDTHS = [6, 22, 28, 40, 14, 36, 10, 30, 30, 10, 14]


@dataclass
class PlanRow:
    """One plan item as a table row; area and indicator name are shown on the first row of their group
    (the indicator's path on every row, so a page that continues a group still says where it is)."""

    number: int
    area: str
    indicator: str
    indicator_path: str
    item: object
    late: bool
    area_start: bool
    entry: object = None
    evidence_count: int = 0

    @property
    def target(self) -> str:
        return self.item.target_label or self.item.target_text

    @property
    def status(self) -> str:
        return f"{self.item.get_status_display()} ({self.item.progress}%)"


def plan_rows(items, *, is_late) -> list[PlanRow]:
    rows = []
    for group in group_by_area(items):
        area_start = True
        for indicator_group in group.indicators:
            indicator = indicator_group.indicator
            for index, item in enumerate(indicator_group.items):
                rows.append(PlanRow(
                    number=len(rows) + 1,
                    area=group.title if area_start else "",
                    indicator=(indicator.name if indicator else _("(indikator belum ditentukan)"))
                    if index == 0 else "",
                    indicator_path=indicator.path if indicator else "",
                    item=item,
                    late=is_late(item),
                    area_start=area_start,
                ))
                area_start = False
    return rows


# --- rencana aksi --------------------------------------------------------------------------


def _rencana_aksi(job, progress):
    today = timezone.localdate()
    rows = plan_rows(list(plan_items(job.assessment)), is_late=lambda item: item.is_late_on(today))
    progress(30)
    heading = heading_for(job, _("Rencana Aksi Pembangunan Zona Integritas"))
    return heading, rows


def rencana_aksi_pdf(job, out_path: Path, progress) -> None:
    heading, rows = _rencana_aksi(job, progress)
    pdf.write_pdf("reports/pdf/rencana_aksi.html", {"heading": heading, "rows": rows}, out_path)
    progress(95)


def rencana_aksi_xlsx(job, out_path: Path, progress) -> None:
    heading, rows = _rencana_aksi(job, progress)
    workbook = xlsx.new_workbook()
    sheet = xlsx.Sheet(workbook, "Rencana Aksi", PLAN_WIDTHS, header_row=5)
    sheet.title_rows(heading)
    sheet.header_row(PLAN_HEADERS)
    for row in rows:
        fill = xlsx.LATE_FILL if row.late else None
        sheet.append([
            sheet.number(row.number, XLSX_INTEGER, fill=fill),
            sheet.text(row.area, font=xlsx.BOLD, fill=fill),
            sheet.text(f"{row.indicator_path} {row.indicator}" if row.indicator else "", fill=fill),
            sheet.text(row.item.steps, fill=fill),
            sheet.text(row.item.output, fill=fill),
            sheet.text(row.target, fill=fill),
            sheet.text(row.item.pic_display, fill=fill),
            sheet.text(row.status + (" — " + _("terlambat") if row.late else ""), fill=fill),
        ])
    progress(90)
    xlsx.save(workbook, out_path)


# --- monev ---------------------------------------------------------------------------------


def _evidence_counts(assessment) -> Counter:
    """Active evidence items per question of the assessment (one query)."""
    counts = (Evidence.objects.for_assessment(assessment).active().order_by().values("question_id")
              .annotate(n=Count("pk")).values_list("question_id", "n"))
    return Counter(dict(counts))


def _monev(job, progress):
    assessment = job.assessment
    period = MonevPeriod.objects.filter(assessment=assessment, code=job.parameters.get("period")).first()
    if period is None:
        raise RenderError(_("Periode monev tidak ditemukan pada penilaian ini."))
    period.assessment = assessment
    today = timezone.localdate()
    items = period_rows(period, today=today)
    summary = period_summary(period, today=today)
    counts = _evidence_counts(assessment)
    rows = plan_rows(items, is_late=lambda item: item.late_at_period)
    for row in rows:
        row.entry = row.item.entry
        row.evidence_count = sum(counts[q.pk] for q in row.item.questions.all())
    progress(30)
    subtitle = _("Periode %(label)s (%(start)s – %(end)s)") % {
        "label": period.label, "start": format_date(period.start), "end": format_date(period.end)}
    heading = heading_for(job, _("Laporan Monitoring dan Evaluasi Pembangunan Zona Integritas"), subtitle)
    return heading, period, summary, rows


def _change(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


def monev_pdf(job, out_path: Path, progress) -> None:
    heading, period, summary, rows = _monev(job, progress)
    context = {"heading": heading, "period": period, "summary": summary,
               "summary_rows": [{**r, "done_change": _change(r["done_change"]),
                                 "late_change": _change(r["late_change"])} for r in summary["rows"]],
               "rows": rows, "late_count": sum(1 for r in rows if r.late)}
    pdf.write_pdf("reports/pdf/monev.html", context, out_path)
    progress(95)


def monev_xlsx(job, out_path: Path, progress) -> None:
    heading, period, summary, rows = _monev(job, progress)
    workbook = xlsx.new_workbook()
    totals = xlsx.Sheet(workbook, "Ringkasan", [40, 14, 12, 12, 14, 18, 18], header_row=6)
    totals.title_rows(heading, [heading.subtitle])
    totals.header_row(SUMMARY_HEADERS)
    for r in summary["rows"]:
        totals.append([totals.text(r["area"]), totals.number(r["total"], XLSX_INTEGER),
                       totals.number(r["done"], XLSX_INTEGER), totals.number(r["late"], XLSX_INTEGER),
                       totals.number(r["on_track"], XLSX_INTEGER),
                       totals.text(_change(r["done_change"])), totals.text(_change(r["late_change"]))])
    previous = summary["previous"]
    totals.append([])
    totals.append([totals.text(_("Dibandingkan dengan periode %(label)s.") % {"label": previous.label}
                               if previous else _("Periode pertama: belum ada pembanding."), border=False)])
    detail = xlsx.Sheet(workbook, "Rincian", MONEV_WIDTHS, header_row=6)
    detail.title_rows(heading, [heading.subtitle])
    detail.header_row(MONEV_HEADERS)
    for row in rows:
        fill = xlsx.LATE_FILL if row.late else None
        entry = row.entry
        detail.append([
            detail.number(row.number, XLSX_INTEGER, fill=fill),
            detail.text(row.area, font=xlsx.BOLD, fill=fill),
            detail.text(f"{row.indicator_path} {row.indicator}" if row.indicator else "", fill=fill),
            detail.text(row.item.steps, fill=fill),
            detail.text(row.target, fill=fill),
            detail.text(entry.realisasi if entry else "", fill=fill),
            (detail.number(entry.progress, XLSX_INTEGER, fill=fill) if entry
             else detail.text(_("belum diisi"), fill=fill)),
            detail.text(entry.kendala if entry else "", fill=fill),
            detail.text(entry.tindak_lanjut if entry else "", fill=fill),
            detail.number(row.evidence_count, XLSX_INTEGER, fill=fill),
            detail.text(_("terlambat") if row.late else "", fill=fill),
        ])
    progress(90)
    xlsx.save(workbook, out_path)
