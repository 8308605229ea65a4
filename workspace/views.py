from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import membership_in
from areas.access import get_assessment_for_user, may_manage_assessment
from areas.forms import StageForm

from . import selectors


@login_required
@require_GET
def start(request, code):
    """Where an assessment opens: a tim kerja member on their first assigned area, everyone else
    on the overview. The old `?area=` links of the single assessment page land on that area."""
    assessment = get_assessment_for_user(request, code)
    slug = request.GET.get("area", "") or selectors.landing_area(request.user, assessment)
    if slug:
        return redirect("workspace:area", code=assessment.code, slug=slug)
    return redirect("workspace:overview", code=assessment.code)


@login_required
@require_GET
def overview(request, code):
    assessment = get_assessment_for_user(request, code)
    return render(request, "workspace/overview.html", {
        **selectors.overview(assessment=assessment, user=request.user),
        "assessment": assessment,
        "membership": membership_in(request.user, assessment.unit),
        "may_manage": may_manage_assessment(request.user, assessment),
        "stage_form": StageForm(initial={"stage": assessment.stage}),
        "stage_changes": assessment.stage_changes.select_related("changed_by")[:10],
    })


@login_required
@require_GET
def area(request, code, slug):
    assessment = get_assessment_for_user(request, code)
    key = request.GET.get("saring", "semua")
    if key not in selectors.FILTER_KEYS:
        key = "semua"
    context = selectors.area_page(assessment=assessment, user=request.user, slug=slug, key=key)
    if context is None:
        raise Http404(_("Area tidak ditemukan."))
    return render(request, "workspace/area.html", {
        **context, "assessment": assessment, "membership": membership_in(request.user, assessment.unit),
    })


@login_required
@require_GET
def question(request, code, path):
    """One question's panel: a fragment for htmx, a page of its own otherwise (no JavaScript)."""
    assessment = get_assessment_for_user(request, code)
    question = selectors.panel_question(assessment, path)
    if question is None:
        raise Http404(_("Pertanyaan tidak ditemukan."))
    context = {**selectors.question_panel(assessment=assessment, question=question, user=request.user),
               "assessment": assessment}
    if request.htmx:
        return render(request, "workspace/_panel.html", {**context, "fragment": True})
    return render(request, "workspace/question.html", {
        **context, **selectors.neighbours(assessment=assessment, question=question),
    })


@login_required
@require_GET
def question_row(request, code, path):
    """One question's facts on the area page (answers, evidence, comments), fetched again after
    its panel saved something so that the row never shows what the panel has just changed."""
    assessment = get_assessment_for_user(request, code)
    question = selectors.panel_question(assessment, path)
    if question is None:
        raise Http404(_("Pertanyaan tidak ditemukan."))
    return render(request, "workspace/_row_facts.html", {"row": selectors.question_row(assessment, question)})
