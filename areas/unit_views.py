"""The administrator's unit page (members and assessments). It lives here, not in accounts,
because it creates assessments (docs/architecture.md, layer order)."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.access import admin_required, get_unit_for_user
from accounts.forms import MembershipForm

from .forms import AssessmentCreateForm
from .services import assessment_create


@admin_required
def manage_unit(request, code):
    unit = get_unit_for_user(request, code, write=True)
    member_form = MembershipForm(request.POST if "add_member" in request.POST else None, unit=unit)
    assessment_form = AssessmentCreateForm(request.POST if "add_assessment" in request.POST else None, unit=unit)
    if "add_member" in request.POST and member_form.is_valid():
        try:
            account_services.membership_add(unit=unit, **member_form.cleaned_data)
        except IntegrityError:
            messages.error(request, _("Pengguna itu sudah memegang peran di unit ini."))
        else:
            messages.success(request, _("Anggota ditambahkan."))
            return redirect("areas:manage-unit", code=unit.code)
    if "add_assessment" in request.POST and assessment_form.is_valid():
        assessment = assessment_create(unit=unit, **assessment_form.cleaned_data)
        messages.success(request, _("Penilaian %(a)s dibuat.") % {"a": assessment})
        return redirect("areas:manage-unit", code=unit.code)
    members = unit.memberships.select_related("user").prefetch_related("areas").order_by("role", "user__username")
    assessments = unit.assessments.select_related("instrument").order_by("-year")
    return render(request, "areas/manage_unit.html", {
        "unit": unit, "members": members, "assessments": assessments,
        "member_form": member_form, "assessment_form": assessment_form,
    })
