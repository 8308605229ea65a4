"""Who may see and change pengusulan data (docs/persyaratan.md, "Who does what").

The checklist is visible to whoever sees the unit; unit prerequisites are recorded by the unit's
koordinator or an administrator; instansi facts, proposals, tokens and links are for
administrators. Outside the unit: 404; visible but not allowed: 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import may_see_unit, role_in_unit
from accounts.models import Instansi, Role

from .models import InstansiFact, Proposal, UnitFact


def may_edit_unit_facts(user, assessment) -> bool:
    if user.is_portal_admin:
        return True
    return not assessment.is_final and role_in_unit(user, assessment.unit) == Role.KOORDINATOR


def get_proposal_for_user(request, code) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("assessment__unit__instansi",
                                                                 "assessment__instrument"), code=code)
    if not may_see_unit(request.user, proposal.assessment.unit):
        raise Http404(_("Usulan tidak ditemukan."))
    if not request.user.is_portal_admin:
        raise PermissionDenied(_("Usulan dikelola oleh administrator."))
    return proposal


def get_instansi_for_admin(request, code) -> Instansi:
    if not request.user.is_portal_admin:
        raise PermissionDenied(_("Halaman ini khusus administrator."))
    return get_object_or_404(Instansi, code=code)


def get_fact_for_user(request, kind: str, code):
    """A supporting document: unit facts for whoever sees the unit; instansi facts for administrators
    and members of a unit of that instansi."""
    user = request.user
    if kind == "unit":
        fact = get_object_or_404(UnitFact.objects.select_related("assessment__unit"), code=code)
        if not may_see_unit(user, fact.assessment.unit):
            raise Http404
        return fact
    if kind == "instansi":
        fact = get_object_or_404(InstansiFact, code=code)
        if user.is_portal_admin or user.memberships.filter(unit__instansi_id=fact.instansi_id).exists():
            return fact
    raise Http404
