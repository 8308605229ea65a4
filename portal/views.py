from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Instansi
from accounts.views import admin_required
from areas.access import get_assessment_for_user
from areas.models import Assessment, Instrument
from evidence.responses import file_response

from . import mapping, selectors, services
from .access import get_fact_for_user, get_instansi_for_admin, get_proposal_for_user, may_edit_unit_facts
from .bundle import BUNDLE_KIND
from .forms import AwardForm, FactForm, ProposeForm, TokenForm
from .links import evaluator_url
from .models import ApiToken, EvaluatorAccess, PullLog, UnitFact

PULLS_SHOWN = 50


def _year(request) -> int:
    raw = request.GET.get("tahun", "")
    return int(raw) if raw.isdigit() and 2010 <= int(raw) <= 2100 else selectors.current_year()


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
def checklist(request, code):
    assessment = get_assessment_for_user(request, code)
    may_edit = may_edit_unit_facts(request.user, assessment)
    fact_form = FactForm(instansi_level=False)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Hanya koordinator unit atau administrator yang dapat mengisi persyaratan."))
        fact_form = FactForm(request.POST, request.FILES, instansi_level=False)
        if fact_form.is_valid():
            data = fact_form.cleaned_data
            try:
                services.unit_fact_set(assessment=assessment, kind=data["kind"], value=data["value"],
                                       note=data["note"], upload=data["document"], user=request.user,
                                       seen=fact_form.seen_version(data["kind"]))
            except ValidationError as exc:
                fact_form.add_error("value", exc)
            else:
                messages.success(request, _("Persyaratan unit disimpan."))
                return redirect("portal:checklist", code=assessment.code)
    check = selectors.checklist(assessment)
    fact_form.show(fact for fact in check.prerequisites.facts.values() if isinstance(fact, UnitFact))
    return render(request, "portal/checklist.html", {
        "assessment": assessment, "check": check, "may_edit": may_edit,
        "fact_form": fact_form, "award_form": AwardForm(initial={"year": assessment.year - 1}),
        "proposal": selectors.active_proposal(assessment), "propose_form": ProposeForm(),
    }, status=400 if fact_form.errors else 200)


@admin_required
@require_POST
def award_add(request, code):
    assessment = get_assessment_for_user(request, code)
    form = AwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Riwayat predikat tidak lengkap: isi tahun, predikat dan nomor SK."))
    else:
        try:
            services.predicate_award_add(unit=assessment.unit, user=request.user, **form.cleaned_data)
            messages.success(request, _("Riwayat predikat dicatat."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("portal:checklist", code=assessment.code)


@admin_required
@require_POST
def propose(request, code):
    assessment = get_assessment_for_user(request, code)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih kategori usulan."))
        return redirect("portal:checklist", code=assessment.code)
    try:
        proposal = services.proposal_create(assessment=assessment, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("portal:checklist", code=assessment.code)
    messages.success(request, _("Unit diusulkan; snapshot LKE dan daftar bukti dibekukan."))
    return redirect("portal:proposal", code=proposal.code)


@login_required
def proposal_detail(request, code):
    proposal = get_proposal_for_user(request, code)
    if request.method == "POST":
        return _proposal_action(request, proposal)
    snapshot = selectors.latest_snapshot(proposal)
    link = proposal.links.filter(revoked_at__isnull=True).first()
    now = timezone.now()
    evidence_links = []
    if snapshot and link and link.is_open(now):
        paths = sorted(snapshot.evidence, key=selectors.path_key)
        evidence_links = [(path, len(snapshot.evidence[path]), evaluator_url(link, path, request)) for path in paths]
    accesses = (proposal.links.values("code").annotate(
        opens=Count("accesses", filter=Q(accesses__action="open")),
        downloads=Count("accesses", filter=Q(accesses__action="download"))))
    return render(request, "portal/proposal.html", {
        "proposal": proposal, "assessment": proposal.assessment, "snapshot": snapshot,
        "snapshots": list(proposal.snapshots.select_related("created_by")),
        "changes": selectors.snapshot_diff(snapshot, proposal.assessment) if snapshot else [],
        "link": link, "link_open": bool(link and link.is_open(now)), "evidence_links": evidence_links,
        "link_counts": {str(row["code"]): row for row in accesses},
        "recent_access": list(_recent_access(proposal)), "bundle_kind": BUNDLE_KIND,
    })


def _recent_access(proposal):
    return EvaluatorAccess.objects.filter(link__proposal=proposal).order_by("-at", "-id")[:20]


def _proposal_action(request, proposal):
    action = request.POST.get("action", "")
    try:
        if action == "snapshot":
            services.snapshot_create(proposal=proposal, user=request.user, note=request.POST.get("note", "")[:500])
            messages.success(request, _("Snapshot baru dibuat; PortalRB akan menerima data ini."))
        elif action == "new-link":
            services.link_create(proposal=proposal, user=request.user)
            messages.success(request, _("Tautan evaluator baru dibuat; tautan lama tidak berlaku lagi."))
        elif action == "revoke-link":
            for link in proposal.links.filter(revoked_at__isnull=True):
                services.link_revoke(link=link)
            messages.success(request, _("Tautan evaluator unit ini dicabut."))
        elif action == "withdraw":
            services.proposal_withdraw(proposal=proposal, user=request.user)
            messages.success(request, _("Usulan ditarik; unit tidak lagi dikirim ke PortalRB."))
            return redirect("portal:checklist", code=proposal.assessment.code)
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("portal:proposal", code=proposal.code)


@admin_required
def index(request):
    year = _year(request)
    instansi = Instansi.objects.annotate(
        n_units=Count("units", distinct=True),
        n_proposed=Count("units__assessments__proposals", distinct=True, filter=Q(
            units__assessments__year=year, units__assessments__proposals__withdrawn_at__isnull=True)),
    ).order_by("name")
    in_use = Instrument.objects.filter(pk__in=Assessment.objects.filter(year=year).values("instrument"))
    warnings = [(instrument, mapping.mapping_problems(instrument)) for instrument in in_use]
    return render(request, "portal/index.html", {
        "year": year, "instansi_list": instansi, "mapping_warnings": [w for w in warnings if w[1]],
        "mapping_checked": [w[0] for w in warnings if not w[1]],
    })


@login_required
def instansi_detail(request, code):
    instansi = get_instansi_for_admin(request, code)
    year = _year(request)
    fact_form = FactForm(instansi_level=True)
    if request.method == "POST":
        response, fact_form = _instansi_action(request, instansi, year)
        if response is not None:
            return response
    tokens = list(ApiToken.objects.filter(instansi=instansi).select_related("created_by"))
    pulls = list(PullLog.objects.filter(instansi=instansi).select_related("token")[:PULLS_SHOWN])
    facts = selectors.instansi_facts(instansi, year)
    fact_form.show(facts.values())
    return render(request, "portal/instansi.html", {
        "instansi": instansi, "year": year, "rows": selectors.instansi_overview(instansi, year),
        "facts": facts, "fact_kinds": selectors.instansi_fact_kinds(),
        "fact_form": fact_form, "token_form": TokenForm(), "tokens": tokens, "pulls": pulls,
        "new_secret": request.session.pop("portalrb_new_token", None),
        "api_base": request.build_absolute_uri(reverse("portalrb:unit-wbk")).rsplit("/pengusulan/", 1)[0],
        "now": timezone.now(),
    }, status=400 if fact_form.errors else 200)


def _instansi_action(request, instansi, year):
    """(redirect or None, the fact form to show)."""
    action = request.POST.get("action", "")
    back = redirect(reverse("portal:instansi", args=[instansi.code]) + f"?tahun={year}")
    if action == "fact":
        form = FactForm(request.POST, request.FILES, instansi_level=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.instansi_fact_set(instansi=instansi, year=year, kind=data["kind"], value=data["value"],
                                           note=data["note"], upload=data["document"], user=request.user,
                                           seen=form.seen_version(data["kind"]))
            except ValidationError as exc:
                form.add_error("value", exc)
                return None, form
            messages.success(request, _("Data instansi disimpan."))
            return back, form
        return None, form
    if action == "token":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, secret = services.token_issue(instansi=instansi, days=form.cleaned_data["days"],
                                                  user=request.user, label=form.cleaned_data["label"])
            # Shown once on the next page, then gone from the session.
            request.session["portalrb_new_token"] = secret
            messages.success(request, _("Token dibuat. Salin sekarang: token tidak akan ditampilkan lagi."))
        else:
            messages.error(request, _("Masa berlaku token 1–3660 hari."))
    elif action == "revoke-token":
        token = ApiToken.objects.filter(instansi=instansi, code=request.POST.get("token") or None).first()
        if token is None:
            raise Http404
        services.token_revoke(token=token)
        messages.success(request, _("Token dicabut."))
    elif action == "revoke-links":
        count = services.links_revoke_all(instansi=instansi)
        messages.success(request, _("%(n)d tautan evaluator dicabut.") % {"n": count})
    else:
        messages.error(request, _("Tindakan tidak dikenal."))
    return back, FactForm(instansi_level=True)


@login_required
def document(request, kind, code):
    fact = get_fact_for_user(request, kind, code)
    if not fact.document:
        raise Http404
    return file_response(fact, attachment=True)
