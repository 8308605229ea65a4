
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.access import get_assessment_for_user
from audit import services as audit
from audit.models import AuditAction
from core.files import private_file_response
from core.views import call_service

from . import selectors, services
from .access import get_job_for_user
from .audit_export import FILTERS
from .forms import ReportRequestForm
from .models import ReportFormat
from .renderers import document_groups
from .renderers.common import safe_name

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.ZIP: "application/zip",
}
HISTORY_PAGE_SIZE = 25


@login_required
def assessment_reports(request, code):
    assessment = get_assessment_for_user(request, code)
    periods = list(assessment.monev_periods.all())
    return render(request, "reports/index.html", {
        "assessment": assessment, "groups": document_groups(), "periods": periods,
        "default_period": selectors.latest_started_period(periods, timezone.localdate()),
        "jobs": selectors.assessment_jobs(request.user, assessment),
    })


@login_required
@require_POST
def request_report(request, code):
    assessment = get_assessment_for_user(request, code)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan laporan tidak lengkap."))
        return redirect("reports:index", code=assessment.code)
    ok, result = call_service(request, services.report_request, user=request.user, assessment=assessment,
                              kind=form.cleaned_data["kind"], fmt=form.cleaned_data["format"],
                              parameters=form.parameters(), language=translation.get_language() or "",
                              site_url=request.build_absolute_uri("/").rstrip("/"))
    if not ok:
        return redirect("reports:index", code=assessment.code)
    job, created = result
    _queued_message(request, job, created)
    return redirect(reverse("reports:index", args=[assessment.code]) + f"#tugas-{job.code}")


@login_required
@require_POST
def audit_export(request):
    """Queue an XLSX of the audit trail with the audit page's current filters (posted as hidden
    fields); back to the audit page, where the job's row shows its progress."""
    ok, result = call_service(request, services.audit_export_request, user=request.user, filters=request.POST,
                              language=translation.get_language() or "",
                              site_url=request.build_absolute_uri("/").rstrip("/"))
    # Back to the page with its filters; a value with control characters (refused above) is dropped.
    query = urlencode([(name, request.POST[name]) for name in FILTERS
                       if request.POST.get(name) and request.POST[name].isprintable()])
    back = reverse("audit:trail") + (f"?{query}" if query else "")
    if not ok:
        return redirect(back)
    job, created = result
    _queued_message(request, job, created)
    return redirect(back + f"#tugas-{job.code}")


def _queued_message(request, job, created) -> None:
    job.refresh_from_db(fields=["status", "enqueued_at"])
    if created and job.is_unsent:
        messages.warning(request, _("Antrean laporan sedang tidak dapat dihubungi. Permintaan Anda tersimpan dan "
                                    "akan diproses otomatis begitu antrean pulih; tidak perlu meminta ulang."))
    elif created:
        messages.success(request, _("Laporan sedang disiapkan. Halaman ini memperbarui statusnya sendiri."))
    else:
        messages.info(request, _("Laporan yang sama sedang disiapkan; permintaan Anda digabungkan dengannya."))


@login_required
def job_status(request, code):
    """The job's row (htmx polls it every 2 s while the job waits or runs)."""
    job = get_job_for_user(request, code)
    return render(request, "reports/_job_row.html", {"job": job, "show_unit": request.GET.get("unit") == "1"})


@login_required
def download(request, code):
    job = get_job_for_user(request, code)
    if not job.is_downloadable():
        raise Http404(_("Berkas laporan ini sudah tidak tersedia."))
    unit_id = job.assessment.unit_id if job.assessment_id else (job.parameters or {}).get("unit")
    audit.record(action=AuditAction.REPORT_DOWNLOAD, request=request, unit_id=unit_id,
                 object_type="report", object_id=str(job.code), object_label=_download_name(job))
    return private_file_response(job.file.name, content_type=CONTENT_TYPES[job.format],
                                 download_name=_download_name(job))


def _download_name(job) -> str:
    """E.g. "Monev - Balai Uji 2026 - Periode Oktober 2026.pdf" (sent as RFC 6266 filename*)."""
    about = f"{job.assessment.unit.name} {job.assessment.year}" if job.assessment_id else ""
    parts = [job.get_kind_display(), about, job.detail]
    return safe_name(" - ".join(p for p in parts if p), limit=150) + f".{job.extension}"


@login_required
def my_reports(request):
    page = Paginator(selectors.user_jobs(request.user), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/mine.html", {"page": page})
