from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import membership_in, team_area_ids
from accounts.models import Role
from areas.access import get_assessment_for_user
from areas.selectors import landing, leader_home_assessment
from evidence.models import EvidenceStatus

from . import selectors

PAGE_SIZE = 25


def _filters(request) -> dict:
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "status": request.GET.get("status", ""),
        "area": request.GET.get("area", ""),
        "mine": request.GET.get("saya") == "1",
    }


def _my_area_ids(request, assessment, mine: bool):
    """With saya=1 a tim kerja member sees only their own areas; everyone else sees the whole unit."""
    return team_area_ids(request.user, assessment.unit) if mine else None


def _render_list(request, assessment, template, items, filters, **extra):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {
        "assessment": assessment, "page": page, "filters": filters, "query_string": query.urlencode(),
        "area_choices": selectors.area_choices(request.user, assessment, mine=filters["mine"]), **extra,
    })


@login_required
def home(request):
    """The landing page (accounts' list of units and assessments) with the "Tugas saya" section."""
    context = landing(request.user, query=request.GET.get("q", ""), page=request.GET.get("page"))
    leading = leader_home_assessment(context)
    if leading is not None and "daftar" not in request.GET:
        return redirect("dashboards:unit", code=leading.code)
    if not context["is_admin"]:
        context["assessment_queues"] = selectors.landing_queues(
            request.user, context["memberships"], today=timezone.localdate())
    return render(request, "queues/home.html", context)


@login_required
@require_GET
def index(request):
    context = landing(request.user)
    queues = selectors.landing_queues(request.user, context["memberships"], today=timezone.localdate())
    return render(request, "queues/index.html", {"assessment_queues": queues})


@login_required
@require_GET
def evidence_list(request, code):
    assessment = get_assessment_for_user(request, code)
    filters = _filters(request)
    items = selectors.evidence_queue(assessment, area_ids=_my_area_ids(request, assessment, filters["mine"]),
                                     status=filters["status"], area=filters["area"], query=filters["q"])
    return _render_list(request, assessment, "queues/evidence_list.html", items, filters,
                        status_choices=EvidenceStatus.choices, allow_any_status=True, title=_("Daftar bukti"),
                        search_placeholder=_("Judul bukti, kode atau teks pertanyaan"))


@login_required
@require_GET
def question_list(request, code):
    assessment = get_assessment_for_user(request, code)
    filters = _filters(request)
    if filters["status"] not in selectors.QUESTION_STATUSES:
        filters["status"] = "tanpa-bukti"
    items = selectors.question_queue(assessment, area_ids=_my_area_ids(request, assessment, filters["mine"]),
                                     status=filters["status"], area=filters["area"], query=filters["q"])
    return _render_list(request, assessment, "queues/question_list.html", items, filters,
                        status_choices=list(selectors.QUESTION_STATUSES.items()), title=_("Daftar pertanyaan"),
                        search_placeholder=_("Kode atau teks pertanyaan"))


@login_required
@require_GET
def plan_list(request, code):
    assessment = get_assessment_for_user(request, code)
    filters = _filters(request)
    if filters["status"] not in selectors.PLAN_STATUSES:
        filters["status"] = "perhatian"
    membership = membership_in(request.user, assessment.unit)
    pic = membership if filters["mine"] and membership and membership.role == Role.TIM_KERJA else None
    today = timezone.localdate()
    items = selectors.plan_queue(assessment, today=today, pic=pic, status=filters["status"], area=filters["area"],
                                 query=filters["q"])
    return _render_list(request, assessment, "queues/plan_list.html", items, filters, today=today,
                        status_choices=list(selectors.PLAN_STATUSES.items()), title=_("Daftar rencana aksi"),
                        search_placeholder=_("Langkah aksi, output atau PIC"))
