"""Who may request and fetch reports (one helper per object type, as everywhere).

Anyone who sees an assessment may request its documents (docs/roles.md: exports for the unit's
own people, TPI of the unit, admins); the worker checks the same rule again before rendering.
A job is fetched by its requester (and admins): another unit's job answers 404, a colleague's
job in a visible unit 403. An audit trail export (no assessment) is the requester's alone: 404 for
anyone else but administrators.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import may_see_unit
from audit.selectors import audit_unit_ids

from .models import ReportJob


def may_request(user, assessment) -> bool:
    return may_see_unit(user, assessment.unit)


def may_export_audit(user) -> bool:
    """The audit trail export: whoever may read the audit page (administrators, koordinators)."""
    return audit_unit_ids(user) != []


def get_job_for_user(request, code) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("assessment__unit", "requested_by"), code=code)
    user = request.user
    if job.assessment_id is None:
        # The audit trail export holds what its requester may read: only they (while they may
        # still read the trail) and administrators fetch it; for anyone else it does not exist.
        if not may_export_audit(user) or (job.requested_by_id != user.pk and not user.is_portal_admin):
            raise Http404(_("Laporan tidak ditemukan."))
        return job
    if not may_request(user, job.assessment):
        raise Http404(_("Laporan tidak ditemukan."))
    if job.requested_by_id != user.pk and not user.is_portal_admin:
        raise PermissionDenied(_("Laporan ini diminta oleh pengguna lain."))
    return job
