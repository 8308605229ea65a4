"""The PortalRB 2026 API: three GET endpoints under /api/portalrb/ serving frozen snapshots.

Contract and our choices for what it leaves open: docs/portalrb.md. Every response that is not 2xx
has the JSON error envelope; every call is logged (PullLog), including refused ones.
"""

import functools
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Unit
from evidence.responses import client_ip

from . import mapping, selectors, services
from .links import evaluator_url
from .models import Proposal, ProposalCategory, PullLog

logger = logging.getLogger(__name__)

WBK_CATEGORIES = (ProposalCategory.WBK, ProposalCategory.WBK_AFIRMASI)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": True, "code": code, "message": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _authenticate(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "UNAUTHORIZED", "Token tidak ada. Kirim header Authorization: Bearer <token>.")
    token = services.token_find(secret.strip())
    if token is None:
        raise ApiError(401, "INVALID_TOKEN", "Token tidak valid.")
    if token.revoked_at is not None:
        raise ApiError(401, "TOKEN_REVOKED", "Token sudah dicabut.")
    if token.expires_at <= timezone.now():
        raise ApiError(401, "TOKEN_EXPIRED", "Token sudah kedaluwarsa.")
    return token


def _rate_limited(token) -> bool:
    since = timezone.now() - timedelta(seconds=60)
    return PullLog.objects.filter(token=token, at__gte=since).count() >= settings.PORTALRB_RATE_LIMIT


def api_endpoint(endpoint: str):
    """GET only, bearer token, rate limit, no query or body, JSON errors, one PullLog row per call."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            token = None
            unit_id = str(kwargs.get("unit_id", ""))
            try:
                if request.method != "GET":
                    raise ApiError(405, "METHOD_NOT_ALLOWED", "Hanya metode GET yang didukung.")
                token = _authenticate(request)
                if _rate_limited(token):
                    raise ApiError(429, "RATE_LIMITED", "Terlalu banyak permintaan; coba lagi dalam satu menit.")
                if request.GET or request.body:
                    raise ApiError(422, "INVALID_REQUEST", "Permintaan tidak boleh memuat parameter atau isi.")
                response = JsonResponse(view(request, token, **kwargs), json_dumps_params={"ensure_ascii": False})
                response["Cache-Control"] = "no-store"
                services.token_touch(token)
            except ApiError as exc:
                response = error_response(exc.status, exc.code, exc.message)
                if exc.status == 405:
                    response["Allow"] = "GET"
                if exc.status == 429:
                    response["Retry-After"] = "60"
            except Exception:
                logger.exception("PortalRB API %s failed", endpoint)
                response = error_response(500, "INTERNAL_ERROR", "Terjadi kesalahan pada server instansi.")
            try:
                services.pull_record(token=token, instansi=token.instansi if token else None, endpoint=endpoint,
                                     unit_id=unit_id, status=response.status_code,
                                     error_code="" if response.status_code < 400 else _code_of(response),
                                     ip_address=client_ip(request))
            except Exception:
                logger.exception("PortalRB API pull log failed")
            return response

        return wrapper

    return decorate


def _code_of(response) -> str:
    import json

    try:
        return json.loads(response.content).get("code", "")
    except ValueError:
        return ""


def _unit_list(token, categories) -> dict:
    year = selectors.current_year()
    proposals = (Proposal.objects.active().for_instansi_year(token.instansi, year)
                 .filter(category__in=categories, snapshots__isnull=False).distinct()
                 .select_related("assessment__unit").order_by("assessment__unit__name"))
    return {"tahun": year, "units": [
        {"id": str(p.assessment.unit.code), "nama": p.assessment.unit.name, "kategori": p.category,
         "afirmasi": p.is_afirmasi}
        for p in proposals
    ]}


@api_endpoint("unit-wbk")
def unit_wbk(request, token):
    return _unit_list(token, WBK_CATEGORIES)


@api_endpoint("unit-wbbm")
def unit_wbbm(request, token):
    return _unit_list(token, (ProposalCategory.WBBM,))


@api_endpoint("jawaban-unit")
def jawaban_unit(request, token, unit_id):
    try:
        code = uuid.UUID(unit_id)
    except ValueError:
        raise ApiError(422, "INVALID_UNIT_ID", "unit_id tidak valid.") from None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ApiError(404, "NOT_FOUND", "Unit tidak ditemukan.")
    if unit.instansi_id != token.instansi_id:
        raise ApiError(403, "FORBIDDEN", "Token ini tidak berhak atas unit tersebut.")
    year = selectors.current_year()
    proposal = (Proposal.objects.active().filter(assessment__unit=unit, assessment__year=year)
                .select_related("assessment__instrument").first())
    snapshot = selectors.latest_snapshot(proposal) if proposal else None
    if snapshot is None:
        raise ApiError(404, "DATA_NOT_FOUND", "Data pengusulan untuk unit ini belum tersedia.")
    return {"unit_id": str(unit.code), "nama_unit": unit.name, "tahun": year,
            "answers": answers_payload(proposal, snapshot, request)}


def answers_payload(proposal, snapshot, request=None) -> list[dict]:
    """All soal of the master list, in its order, from the snapshot."""
    _year, soals = mapping.master_list()
    targets = mapping.instrument_targets(proposal.assessment.instrument)
    link = proposal.links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).first()
    urls: dict[str, str] = {}
    rows = []
    for soal in soals:
        target = targets.get(soal.id)
        sides = snapshot.answers.get(target.path, {}) if target else {}
        unit_side, tpi_side = sides.get("unit"), sides.get("tpi")
        evidence_url = None
        if target and link and snapshot.evidence.get(target.path):
            if target.path not in urls:
                urls[target.path] = evaluator_url(link, target.path, request)
            evidence_url = urls[target.path]
        order = target.input_order if target else None
        rows.append({
            "soal_id": soal.id,
            "jawaban_unit": mapping.encode(soal, unit_side, order),
            "jawaban_tpi": mapping.encode(soal, tpi_side, order),
            "catatan_unit": (unit_side or {}).get("note") or None,
            "bukti_dukung_unit": evidence_url,
            "catatan_tpi": (tpi_side or {}).get("note") or None,
        })
    return rows


@api_endpoint("unknown")
def not_found(request, token, rest=""):
    raise ApiError(404, "NOT_FOUND", "Alamat tidak dikenal.")
