"""Pages for national evaluators, reached without an account through a signed URL (portal/links.py).

Only the question's evidence from the proposal's newest snapshot is reachable: its files (download)
and its links. A URL whose signature does not match answers 403; a revoked or expired link 410.
Every open and download is logged with time and address.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from areas.models import Question
from evidence.models import EvidenceVersion
from evidence.responses import client_ip, file_response

from . import links, selectors, services
from .models import EvaluatorAction, EvaluatorLink


def _refusal(request, status: int, message: str):
    response = render(request, "portal/evaluator_refused.html", {"message": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _resolve(request, code, path: str, sig: str):
    """(link, snapshot, entries, None) or (None, None, None, refusal response)."""
    if not links.signature_valid(code, path, sig):
        return None, None, None, _refusal(request, 403, _("Tautan tidak sah."))
    link = EvaluatorLink.objects.select_related("proposal__assessment__unit", "proposal__assessment__instrument"
                                                ).filter(code=code).first()
    if link is None:
        return None, None, None, _refusal(request, 403, _("Tautan tidak sah."))
    if not link.is_open(timezone.now()):
        return None, None, None, _refusal(request, 410, _("Tautan ini sudah tidak berlaku (kedaluwarsa atau "
                                                          "dicabut). Mintalah tautan baru kepada instansi."))
    snapshot = selectors.latest_snapshot(link.proposal)
    entries = snapshot.evidence.get(path, []) if snapshot else []
    return link, snapshot, entries, None


@never_cache
def page(request, code, path, sig):
    link, snapshot, entries, refusal = _resolve(request, code, path, sig)
    if refusal:
        return refusal
    assessment = link.proposal.assessment
    question = Question.objects.filter(instrument=assessment.instrument, path=path).first()
    if question is None:
        return _refusal(request, 403, _("Tautan tidak sah."))
    services.evaluator_record(link=link, question_path=path, action=EvaluatorAction.OPEN,
                              ip_address=client_ip(request))
    items = [{**entry, "download": links.download_path(link, path, entry["version"]) if entry["version"] else ""}
             for entry in entries]
    response = render(request, "portal/evaluator.html", {
        "unit": assessment.unit, "year": assessment.year, "question": question, "items": items,
        "snapshot": snapshot, "expires_at": link.expires_at,
    })
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def download(request, code, path, sig, version):
    link, _snapshot, entries, refusal = _resolve(request, code, path, sig)
    if refusal:
        return refusal
    if str(version) not in {entry["version"] for entry in entries if entry["version"]}:
        raise Http404(_("Berkas tidak ditemukan."))
    found = EvidenceVersion.objects.filter(code=version, evidence__assessment=link.proposal.assessment).first()
    if found is None:
        raise Http404(_("Berkas tidak ditemukan."))
    services.evaluator_record(link=link, question_path=path, action=EvaluatorAction.DOWNLOAD,
                              version_code=str(version), ip_address=client_ip(request))
    response = file_response(found, attachment=True)
    response["Referrer-Policy"] = "no-referrer"
    return response
