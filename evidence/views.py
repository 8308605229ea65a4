from csp.constants import NONE, SELF
from csp.decorators import csp, csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from core.views import call_service

from . import selectors, services
from .access import get_evidence_for_user, get_indicator_for_user, get_question_for_user, get_version_for_user
from .forms import (
    CommentForm,
    EvidenceEditForm,
    LinkForm,
    ReviewForm,
    RevisionForm,
    UploadForm,
    accept_attribute,
)
from .responses import client_ip, file_response

# --------------------------------------------------------------------------
# Question page: the items of one question, uploads, links, submission, comments
# --------------------------------------------------------------------------


@login_required
@require_GET
def question(request, code, path):
    assessment, question = get_question_for_user(request, code, path)
    return _render_question(request, assessment, question)


def _render_question(request, assessment, question, *, link_form=None, comment_form=None, status=200):
    return render(request, "evidence/question.html", {
        **selectors.question_page(assessment=assessment, question=question, user=request.user),
        "assessment": assessment,
        "question": question,
        "upload_form": UploadForm(question=question),
        "link_form": link_form or LinkForm(question=question),
        "comment_form": comment_form or CommentForm(),
        "accept": accept_attribute(),
        "max_size": settings.EVIDENCE_MAX_BYTES,
    }, status=status)


@login_required
@require_POST
def upload(request, code, path):
    assessment, question = get_question_for_user(request, code, path, write=True)
    form = UploadForm(request.POST, question=question)
    files = request.FILES.getlist("berkas")
    if not files:
        results = [_failure(_("Pilih minimal satu berkas."))]
    elif not form.is_valid():
        results = [_failure(_form_errors(form))]
    else:
        # The quick upload on the assessment page sends no expected_item: match it from the name.
        match = "expected_item" not in request.POST
        results = [_upload_one(request, assessment, question, upload, form.cleaned_data, several=len(files) > 1,
                               match=match) for upload in files]
    return _upload_response(request, results, reverse("evidence:question", args=[assessment.code, question.path]))


def _upload_one(request, assessment, question, upload, data, *, several: bool, match: bool = False) -> dict:
    try:
        evidence = services.evidence_upload(
            assessment=assessment, question=question, user=request.user, upload=upload,
            title="" if several else data["title"], description=data["description"],
            document_date=data["document_date"], expected_item=data["expected_item"], match_expected=match,
            ip_address=client_ip(request),
        )
    except ValidationError as exc:
        return _failure(" ".join(exc.messages))
    version = evidence.versions.get()
    result = _success(evidence, version, _('Berkas "%(name)s" diunggah.'))
    same = selectors.same_file_elsewhere(version)
    if same:
        # Allowed on purpose (a document may serve twice), but never silently.
        result["warning"] = _('Berkas yang sama persis (SHA-256 sama) sudah ada pada pertanyaan ini sebagai '
                              '"%(title)s".') % {"title": same[0].title}
        result["message"] = f"{result['message']} {result['warning']}"
    return result


@login_required
@require_POST
def add_link(request, code, path):
    assessment, question = get_question_for_user(request, code, path, write=True)
    form = LinkForm(request.POST, question=question)
    if not form.is_valid():
        return _render_question(request, assessment, question, link_form=form, status=400)
    services.evidence_add_link(assessment=assessment, question=question, user=request.user,
                               ip_address=client_ip(request), **form.cleaned_data)
    messages.success(request, _("Tautan ditambahkan sebagai bukti draf."))
    return redirect("evidence:question", code=assessment.code, path=question.path)


@login_required
@require_POST
def submit(request, code, path):
    assessment, question = get_question_for_user(request, code, path, write=True)
    _submit(request, assessment, [question])
    return redirect(_back(request, assessment, question))


@login_required
@require_POST
def submit_indicator(request, code, path):
    assessment, indicator = get_indicator_for_user(request, code, path, write=True)
    questions = assessment.instrument.questions.filter(path__startswith=f"{indicator.path}.").order_by("order")
    _submit(request, assessment, questions)
    back = request.POST.get("kembali", "")
    if questions.filter(path=back).exists():
        return redirect("evidence:question", code=assessment.code, path=back)
    area = indicator.change_area.code.lower() if indicator.change_area_id else "hasil"
    return redirect(f"{reverse('workspace:area', args=[assessment.code, area])}#n-{indicator.path}")


def _back(request, assessment, question, anchor=""):
    """Back to where the form was: the question's panel in the LKE workspace, or this evidence page."""
    if request.POST.get("kembali") == "ruang-kerja":
        return reverse("workspace:question", args=[assessment.code, question.path])
    return reverse("evidence:question", args=[assessment.code, question.path]) + anchor


def _submit(request, assessment, questions):
    try:
        items = services.evidence_submit(assessment=assessment, questions=questions, user=request.user,
                                         ip_address=client_ip(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s bukti diajukan ke TPI.") % {"n": len(items)})


@login_required
@require_POST
def comment(request, code, path):
    assessment, question = get_question_for_user(request, code, path, comment=True)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_question(request, assessment, question, comment_form=form, status=400)
    services.comment_add(assessment=assessment, question=question, user=request.user, body=form.cleaned_data["body"])
    return redirect(_back(request, assessment, question, anchor="#komentar"))


# --------------------------------------------------------------------------
# Item page: preview, versions, timeline, review
# --------------------------------------------------------------------------


@login_required
@require_GET
def detail(request, code):
    evidence = get_evidence_for_user(request, code)
    return _render_detail(request, evidence)


def _render_detail(request, evidence, *, edit_form=None, revision_form=None, status=200):
    return render(request, "evidence/detail.html", {
        **selectors.evidence_page(evidence=evidence, user=request.user),
        "evidence": evidence,
        "assessment": evidence.assessment,
        "question": evidence.question,
        "edit_form": edit_form or EvidenceEditForm(instance=evidence, question=evidence.question),
        "accept_form": ReviewForm(),
        "revision_form": revision_form or RevisionForm(),
        "accept": accept_attribute(),
        "max_size": settings.EVIDENCE_MAX_BYTES,
    }, status=status)


@login_required
@require_POST
def add_version(request, code):
    evidence = get_evidence_for_user(request, code, write=True)
    upload = request.FILES.get("berkas")
    if upload is None:
        results = [_failure(_("Pilih berkas versi baru."))]
    else:
        results = [_version_one(request, evidence, upload)]
    return _upload_response(request, results, reverse("evidence:detail", args=[evidence.code]))


def _version_one(request, evidence, upload) -> dict:
    try:
        version = services.evidence_add_version(evidence=evidence, user=request.user, upload=upload,
                                                ip_address=client_ip(request))
    except ValidationError as exc:
        return _failure(" ".join(exc.messages))
    return _success(evidence, version, _('Versi baru "%(name)s" diunggah.'))


@login_required
@require_POST
def edit(request, code):
    evidence = get_evidence_for_user(request, code, write=True)
    form = EvidenceEditForm(request.POST, instance=evidence, question=evidence.question)
    if not form.is_valid():
        return _render_detail(request, evidence, edit_form=form, status=400)
    fields = dict(form.cleaned_data)
    expected_version = fields.pop("version")
    try:
        services.evidence_update(evidence=evidence, user=request.user, ip_address=client_ip(request),
                                 expected_version=expected_version, **fields)
    except ValidationError as exc:
        if not any(error.code == "conflict" for error in exc.error_list):
            messages.error(request, " ".join(exc.messages))
            return redirect("evidence:detail", code=evidence.code)
        form.add_error(None, exc.messages)  # shown again with what the user typed
        evidence.refresh_from_db()
        return _render_detail(request, evidence, edit_form=form, status=409)
    messages.success(request, _("Keterangan bukti disimpan."))
    return redirect("evidence:detail", code=evidence.code)


@login_required
@require_POST
def withdraw(request, code):
    evidence = get_evidence_for_user(request, code, write=True)
    call_service(request, services.evidence_withdraw, evidence=evidence, user=request.user,
                 ip_address=client_ip(request), success=_("Bukti ditarik. Riwayat dan versinya tetap tersimpan."))
    return redirect("evidence:question", code=evidence.assessment.code, path=evidence.question.path)


@login_required
@require_POST
def accept(request, code):
    evidence = get_evidence_for_user(request, code, review=True)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    call_service(request, services.evidence_accept, evidence=evidence, user=request.user, note=note,
                 ip_address=client_ip(request), success=_("Bukti diterima."))
    return redirect("evidence:detail", code=evidence.code)


@login_required
@require_POST
def request_revision(request, code):
    evidence = get_evidence_for_user(request, code, review=True)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, evidence, revision_form=form, status=400)
    call_service(request, services.evidence_request_revision, evidence=evidence, user=request.user,
                 note=form.cleaned_data["note"], ip_address=client_ip(request),
                 success=_("Perbaikan diminta; tim kerja akan melihat catatan Anda."))
    return redirect("evidence:detail", code=evidence.code)


# --------------------------------------------------------------------------
# Files: only through these views, which check access and record every download
# --------------------------------------------------------------------------


@login_required
@require_GET
@csp({"default-src": [NONE], "frame-ancestors": [NONE], "sandbox": True})
def download(request, code):
    version = get_version_for_user(request, code)
    services.evidence_record_download(version=version, user=request.user, ip_address=client_ip(request))
    return file_response(version, attachment=True)


@login_required
@require_GET
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def preview(request, code):
    """Inline PDF or image for the item page's frame; same access as the download."""
    version = get_version_for_user(request, code)
    if not version.previewable:
        raise Http404(_("Pratinjau tidak tersedia untuk jenis berkas ini."))
    services.evidence_record_download(version=version, user=request.user, ip_address=client_ip(request),
                                      preview=True)
    return file_response(version, attachment=False)


# --------------------------------------------------------------------------
# Upload responses: JSON for the page's script (progress bars), redirect without it
# --------------------------------------------------------------------------


def _success(evidence, version, message: str) -> dict:
    return {"ok": True, "message": message % {"name": version.original_name},
            "url": reverse("evidence:detail", args=[evidence.code])}


def _failure(message: str) -> dict:
    return {"ok": False, "message": message}


def _upload_response(request, results: list[dict], back: str):
    """The page's script shows XHR results itself, so only the form fallback queues flash messages
    (otherwise the next page would repeat one message per file)."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        status = 200 if all(result["ok"] for result in results) else 400
        return JsonResponse({"results": results}, status=status)
    for result in results:
        level = messages.error if not result["ok"] else messages.warning if result.get("warning") else messages.success
        level(request, result["message"])
    return redirect(back)


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
