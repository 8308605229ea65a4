""""Unduh dasbor (PDF)": the unit dashboard as a report job document (reports app).

`dashboard_pdf` is a renderer as reports/renderers/registry.py defines them; the document is
offered once dashboards/apps.py registers it (kind "dashboard", format "pdf"). The
worker has already re-checked that the requester may see the assessment (reports.services).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import charts, selectors, svg


def dashboard_context(assessment, *, today) -> dict:
    dashboard = selectors.unit_dashboard(assessment, today=today)
    specs = charts.unit_charts(dashboard)
    return {
        "dashboard": dashboard,
        "assessment": assessment,
        "area_charts": [(label, svg.render(specs[f"area-{number}"]))
                        for number, label in enumerate(dashboard.part_labels)],
        "evidence_chart": svg.render(specs["evidence"]),
        "plans_chart": svg.render(specs["plans"]),
        "monev_chart": svg.render(specs["monev"]) if dashboard.monev else "",
    }


def dashboard_pdf(job, out_path, progress) -> None:
    from reports.renderers import pdf  # WeasyPrint: loaded by workers only
    from reports.renderers.common import heading_for

    context = dashboard_context(job.assessment, today=timezone.localdate())
    progress(50)
    context["heading"] = heading_for(job, _("Dasbor Zona Integritas"))
    pdf.write_pdf("dashboards/pdf/dashboard.html", context, out_path)
