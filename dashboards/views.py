from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.access import admin_required
from areas.access import get_assessment_for_user
from reports.models import ReportFormat, ReportKind
from reports.renderers import get_document

from . import charts, selectors
from .forms import OverviewFilterForm
from .overview import admin_overview, instansi_names, overview_years

PAGE_SIZE = 50


@login_required
def unit_dashboard(request, code):
    assessment = get_assessment_for_user(request, code)
    dashboard = selectors.unit_dashboard(assessment, today=timezone.localdate())
    return render(request, "dashboards/unit.html", {
        "assessment": assessment,
        "dashboard": dashboard,
        "chart_data": {"charts": charts.unit_charts(dashboard)},
        "pdf_offered": get_document(ReportKind.DASHBOARD, ReportFormat.PDF) is not None,
    })


@admin_required
def overview(request):
    today = timezone.localdate()
    form = OverviewFilterForm(request.GET, years=overview_years(today.year),
                              instansi_names=instansi_names(), default_year=today.year)
    data = admin_overview(**form.filters(), today=today)
    page = Paginator(data.rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(request, "dashboards/overview.html", {
        "form": form,
        "overview": data,
        "page": page,
        "columns": form.columns(),
        "chart_data": {"charts": {"overview": charts.overview_chart(page.object_list, data.total_lines)}},
    })
