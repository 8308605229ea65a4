"""Access to plan items and monev periods (one helper per object type)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import may_see_unit, team_area_ids, team_may_edit
from areas.access import may_manage_assessment

from .models import MonevPeriod, PlanImport, PlanItem


def _check_visible(user, assessment):
    if not may_see_unit(user, assessment.unit):
        raise Http404(_("Tidak ditemukan."))


def get_plan_item_for_user(request, code, write=False) -> PlanItem:
    item = get_object_or_404(
        PlanItem.objects.select_related("assessment__unit", "assessment__instrument", "indicator", "change_area",
                                        "pic__user"),
        code=code,
    )
    _check_visible(request.user, item.assessment)
    if write and not team_may_edit(request.user, item.assessment, item.change_area_id):
        raise PermissionDenied(_("Anda tidak berwenang mengubah rencana aksi ini."))
    return item


def get_period_for_user(request, code, write=False, manage=False) -> MonevPeriod:
    """write: record monev entries (team, open period); manage: close or reopen (koordinator, admin)."""
    period = get_object_or_404(MonevPeriod.objects.select_related("assessment__unit", "assessment__instrument"),
                               code=code)
    _check_visible(request.user, period.assessment)
    if write and (period.is_closed or not team_may_edit(request.user, period.assessment, any_area=True)):
        raise PermissionDenied(_("Periode ini tidak dapat diubah oleh Anda."))
    if manage and not may_manage_assessment(request.user, period.assessment):
        raise PermissionDenied(_("Hanya koordinator yang dapat menutup atau membuka periode."))
    return period


def check_may_import(user, assessment) -> None:
    """PermissionDenied with the reason unless the user may import a rencana aksi into the assessment."""
    if team_may_edit(user, assessment):
        return
    if assessment.is_final and team_area_ids(user, assessment.unit) is None:  # the koordinator, too late
        raise PermissionDenied(_("Penilaian ini sudah final; rencana aksi tidak dapat diimpor."))
    raise PermissionDenied(_("Hanya koordinator yang dapat mengimpor rencana aksi."))


def get_plan_import_for_user(request, code) -> PlanImport:
    plan_import = get_object_or_404(PlanImport.objects.select_related("assessment__unit", "assessment__instrument"),
                                    code=code)
    _check_visible(request.user, plan_import.assessment)
    check_may_import(request.user, plan_import.assessment)
    return plan_import
