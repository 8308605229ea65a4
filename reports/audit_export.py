"""The audit trail as an XLSX report job (docs/audit.md, "Export").

The audit page (audit app, below reports in the layer order) knows nothing of report jobs: reports
adds the export panel to it from ReportsConfig.ready() through audit.panels. The job carries no
assessment; its parameters are the page's filters, cleaned here with the page's own form, plus the
id of the newest audit event when it was requested, so the file holds exactly the rows the page
listed at that moment (not the export's own event, nor anything later). The worker re-applies the
requester's visibility when it renders (a koordinator: their units, as on the page).
"""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.formatting import format_date
from audit import selectors as audit_selectors
from audit.forms import AuditFilterForm
from audit.models import AuditAction, AuditEvent

from .access import may_export_audit
from .models import ReportJob, ReportKind

FILTERS = ("person", "obj", "action", "unit", "start", "end")
UNTIL = "until_event"  # the newest event id when the export was requested
PANEL_JOBS = 5  # the requester's latest exports shown on the audit page


def may_export(user) -> bool:
    """The audit page's own rule: administrators and koordinators of an active unit."""
    return may_export_audit(user)


def _form(user, raw: Mapping) -> AuditFilterForm:
    data = {name: raw.get(name) for name in FILTERS if raw.get(name) not in (None, "")}
    return AuditFilterForm(data, units=audit_selectors.unit_choices(user))


def clean_filters(user, raw: Mapping) -> tuple[dict, object]:
    """The page's filters as JSON values, and the unit chosen (or None).

    ValidationError for a value the page would ignore (a unit the user may not read, a date that is
    not one, a NUL byte), so an export never holds more rows than the person meant."""
    form = _form(user, raw)
    if not form.is_valid():
        raise ValidationError(_("Saringan jejak audit tidak sah: periksa isian saringan, lalu ekspor lagi."))
    data = form.cleaned_data
    return {
        "person": data["person"], "obj": data["obj"], "action": data["action"],
        "unit": data["unit"].pk if data["unit"] else None,
        "start": data["start"].isoformat() if data["start"] else "",
        "end": data["end"].isoformat() if data["end"] else "",
    }, data["unit"]


def newest_event_id() -> int:
    return AuditEvent.objects.aggregate(newest=Max("id"))["newest"] or 0


def events_for_job(job):
    """The rows of this export, or None when the requester may no longer read the filters' unit."""
    user = job.requested_by
    parameters = job.parameters or {}
    form = _form(user, parameters)
    if not form.is_valid():
        return None
    events = audit_selectors.filter_events(audit_selectors.visible_events(user), form.cleaned_data)
    return events.filter(id__lte=int(parameters.get(UNTIL) or 0))


def describe(parameters: Mapping, unit_name: str = "") -> str:
    """The filters in words, for the job list ("Tindakan: Unduh bukti, sejak 1 November 2026")."""
    parts = []
    if parameters.get("person"):
        parts.append(_("Pengguna: %(v)s") % {"v": parameters["person"]})
    if parameters.get("obj"):
        parts.append(_("Objek: %(v)s") % {"v": parameters["obj"]})
    if parameters.get("action"):
        parts.append(_("Tindakan: %(v)s") % {"v": AuditAction(parameters["action"]).label})
    if unit_name:
        parts.append(_("Unit: %(v)s") % {"v": unit_name})
    if parameters.get("start"):
        parts.append(_("sejak %(v)s") % {"v": format_date(date.fromisoformat(parameters["start"]))})
    if parameters.get("end"):
        parts.append(_("sampai %(v)s") % {"v": format_date(date.fromisoformat(parameters["end"]))})
    return ", ".join(parts) or _("Semua catatan")


def audit_page_panel(request):
    """The export button and the requester's latest exports on the audit page (audit.panels).
    One query: the jobs (their rows need nothing else)."""
    query = request.GET
    jobs = list(ReportJob.objects.for_user(request.user).filter(kind=ReportKind.AUDIT_TRAIL)
                .order_by("-created_at", "-id")[:PANEL_JOBS])
    return {
        "template": "reports/_audit_export.html",
        "filters": [(name, query.get(name)) for name in FILTERS if query.get(name)],
        "jobs": jobs,
    }
