"""Who may see and change an assessment. Every view fetches assessments through these helpers.

Rules (docs/roles.md): an assessment is visible to whoever sees its unit (accounts.access); its
stage and deadlines are changed by administrators, and by the unit's koordinator while it is not
final. Another unit's assessment answers 404; a visible one the user may not change answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import may_see_unit, role_in_unit
from accounts.models import Role

from .models import Assessment


def may_manage_assessment(user, assessment) -> bool:
    """Change stage and deadlines: admins, and the unit's koordinator while not final."""
    if user.is_portal_admin:
        return True
    return not assessment.is_final and role_in_unit(user, assessment.unit) == Role.KOORDINATOR


def get_assessment_for_user(request, code, write=False) -> Assessment:
    assessment = get_object_or_404(Assessment.objects.select_related("unit__instansi", "instrument"), code=code)
    user = request.user
    if not may_see_unit(user, assessment.unit):
        raise Http404(_("Penilaian tidak ditemukan."))
    if write and not may_manage_assessment(user, assessment):
        raise PermissionDenied(_("Anda tidak berwenang mengubah penilaian ini."))
    return assessment
