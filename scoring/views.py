from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from areas.access import get_assessment_for_user

from . import selectors, services
from .access import get_answer_target_for_user
from .forms import AnswerForm, ReturnForm, TPIActionForm
from .models import Side

GAP_LIMIT = 10


def _respond(request, target, *, message, level="success", status=200, draft=None):
    """htmx: the question's answer box and, out of band, the score panel. Otherwise redirect."""
    if not request.htmx:
        messages.add_message(request, messages.SUCCESS if level == "success" else messages.ERROR, message)
        return redirect(reverse("workspace:question", args=[target.assessment.code, target.question.path]))
    question = target.question
    context = selectors.attach_to_questions(assessment=target.assessment, questions=[question], user=request.user)
    state = question.answer_state
    state.message, state.message_level = message, level
    if draft is not None and state.form is not None:
        selectors.keep_draft(state.form, draft.data, question)
    # The question panel of the workspace has no score panel to update out of band.
    context.update({"question": question, "assessment": target.assessment,
                    "with_score_panel": request.POST.get("tanpa_panel_nilai") != "1"})
    return render(request, "scoring/_answer_response.html", context, status=status)


@login_required
@require_POST
def answer_save(request, code, path, side):
    target = get_answer_target_for_user(request, code, path, side)
    form = AnswerForm(request.POST, question=target.question)
    if not form.is_valid():
        return _respond(request, target, message=form.error_text(), level="danger", status=422, draft=form)
    try:
        services.answer_set(
            assessment=target.assessment, question=target.question, side=side, user=request.user,
            value=form.cleaned_data["value"], note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except services.AnswerConflict as exc:
        return _respond(request, target, message=exc.messages[0], level="warning", status=409)
    except ValidationError as exc:
        return _respond(request, target, message=" ".join(exc.messages), level="danger", status=422, draft=form)
    return _respond(request, target, message=_("Jawaban disimpan."))


@login_required
@require_POST
def answer_agree(request, code, path):
    target = get_answer_target_for_user(request, code, path, Side.TPI)
    form = TPIActionForm(request.POST)
    if not form.is_valid():
        return _respond(request, target, message=_("Formulir tidak lengkap; muat ulang halaman."),
                        level="danger", status=422)
    try:
        services.answer_agree(
            assessment=target.assessment, question=target.question, user=request.user,
            expected_version=form.cleaned_data["version"], unit_version=form.cleaned_data["unit_version"],
        )
    except services.AnswerConflict as exc:
        return _respond(request, target, message=exc.messages[0], level="warning", status=409)
    except ValidationError as exc:
        return _respond(request, target, message=" ".join(exc.messages), level="danger", status=422)
    return _respond(request, target, message=_("Jawaban TPI disamakan dengan jawaban unit."))


@login_required
@require_POST
def question_return(request, code, path):
    target = get_answer_target_for_user(request, code, path, Side.TPI)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _respond(request, target, message=" ".join(form.errors["note"]), level="danger", status=422)
    services.question_return(
        assessment=target.assessment, question=target.question, user=request.user, note=form.cleaned_data["note"]
    )
    return _respond(request, target, message=_("Pertanyaan dikembalikan ke unit."))


@login_required
@require_GET
def answer_history(request, code, path):
    target = get_answer_target_for_user(request, code, path, None, write=False)
    rows = selectors.question_history(assessment=target.assessment, question=target.question)
    return render(request, "scoring/history.html", {
        "assessment": target.assessment, "question": target.question, "rows": rows,
    })


@login_required
@require_GET
def gap_analysis(request, code):
    assessment = get_assessment_for_user(request, code)
    side = request.GET.get("sisi", Side.UNIT)
    if side not in Side.values:
        side = Side.UNIT
    sections = selectors.assessment_gaps(assessment=assessment, side=side, limit=GAP_LIMIT)
    return render(request, "scoring/gap.html", {
        "assessment": assessment, "sections": sections, "side": side, "sides": Side.choices, "limit": GAP_LIMIT,
    })
