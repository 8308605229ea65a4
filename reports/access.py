"""Who may request and fetch reports (one helper per object type, as everywhere).

Anyone who sees an assessment may request its documents (docs/roles.md: exports for the unit's
own people, TPI of the unit, admins); the worker checks the same rule again before rendering.
A job is fetched by its requester (and admins): another unit's job answers 404, a colleague's
job in a visible unit 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import may_see_unit

from .models import ReportJob


def may_request(user, assessment) -> bool:
    return may_see_unit(user, assessment.unit)


def get_job_for_user(request, code) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("assessment__unit", "requested_by"), code=code)
    user = request.user
    if not may_request(user, job.assessment):
        raise Http404(_("Laporan tidak ditemukan."))
    if job.requested_by_id != user.pk and not user.is_portal_admin:
        raise PermissionDenied(_("Laporan ini diminta oleh pengguna lain."))
    return job
