""""Unduh dasbor (PDF)": charts drawn as SVG on the server, and the whole dashboard rendered to PDF by
a report job (with the document registered the way reports/renderers/__init__.py registers one)."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from dashboards import charts, selectors, svg
from dashboards.export import dashboard_context
from reports import services
from reports.models import JobStatus
from reports.renderers import registry
from scoring.predicate import format_number

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def parse(drawing) -> ET.Element:
    """Our own SVG output; parsing it proves it is well-formed (nothing unescaped got through)."""
    return ET.fromstring(str(drawing))  # noqa: S314 -- not untrusted input: the renderer under test wrote it


def test_svg_bars_escape_text_and_write_indonesian_numbers():
    spec = charts.spec(title='Judul "<x>"', labels=["Area <b>&</b> panjang sekali namanya"],
                       datasets=[{"label": "Unit", "color": "#0072B2", "data": [63.456]},
                                 {"label": "TPI", "color": "#E69F00", "data": [None]}],
                       max_value=100, unit="%", lines=[("WBK", 60), ("WBBM", 75)])
    drawing = parse(svg.render(spec))
    texts = [t.text for t in drawing.iter(f"{SVG}text")]
    assert "63,46%" in texts and "–" in texts  # a missing value is a dash, not 0
    assert "WBK 60%" in texts and "WBBM 75%" in texts
    assert "Area <b>&</b>" in texts  # the label's first line, as text
    bars = [r for r in drawing.iter(f"{SVG}rect") if r.get("fill") == "#0072B2" and r.get("y") != "6"]  # not the legend
    plot = svg.WIDTH - svg.LABEL_WIDTH - svg.VALUE_WIDTH
    assert len(bars) == 1 and float(bars[0].get("width")) == pytest.approx(plot * 0.63456, abs=0.1)
    lines = [line for line in drawing.iter(f"{SVG}line") if line.get("stroke") == "#D55E00"]
    assert float(lines[0].get("x1")) == pytest.approx(svg.LABEL_WIDTH + plot * 0.6, abs=0.1)


def test_svg_values_follow_the_document_language():
    from django.utils import translation

    spec = charts.spec(title="Nilai", labels=["MP"], datasets=[{"label": "Unit", "color": "#0072B2",
                                                                 "data": [63.456]}], max_value=100, unit="%")
    for language, shown in (("id", "63,46%"), ("en", "63.46%")):
        with translation.override(language):
            texts = [t.text for t in parse(svg.render(spec)).iter(f"{SVG}text")]
        assert shown in texts, (language, texts)


def test_stacked_svg_bars_write_each_segment_and_the_total():
    spec = charts.spec(title="Bukti", labels=["MP"], stacked=True,
                       datasets=[{"label": "Diterima", "color": "#009E73", "data": [30]},
                                 {"label": "Draf", "color": "#999999", "data": [10]}])
    drawing = parse(svg.render(spec))
    widths = [float(r.get("width")) for r in drawing.iter(f"{SVG}rect") if r.get("height") == "14"]
    plot = svg.WIDTH - svg.LABEL_WIDTH - svg.VALUE_WIDTH
    assert widths == pytest.approx([plot * 30 / 40, plot * 10 / 40])  # scaled to the largest total
    assert {"30", "10", "40"} <= {t.text for t in drawing.iter(f"{SVG}text")}


def test_the_pdf_context_draws_every_chart_of_the_page(realistic):
    context = dashboard_context(realistic.assessment, today=realistic.today)
    dashboard = context["dashboard"]
    assert [label for label, _chart in context["area_charts"]] == ["Pemenuhan", "Reform"]
    first = dashboard.areas[0].parts[0]
    assert f">{format_number(first.unit_percent)}%<" in context["area_charts"][0][1]
    plan_texts = {t.text for t in parse(context["plans_chart"]).iter(f"{SVG}text")}
    assert {str(row.total) for row in dashboard.plans} <= plan_texts
    assert context["monev_chart"] and context["evidence_chart"].startswith("<svg")


@pytest.fixture
def dashboard_document():
    """The dashboard PDF as reports/renderers/__init__.py registers it."""
    return registry.get_document("dashboard", "pdf")


def test_the_dashboard_pdf_renders_through_a_report_job(realistic, dashboard_document):
    job, created = services.report_request(user=realistic.pimpinan, assessment=realistic.assessment,
                                           kind="dashboard", fmt="pdf", parameters={})
    assert created
    job = services.report_run(job.pk)
    assert job.status == JobStatus.DONE, job.error
    reader = PdfReader(io.BytesIO(default_storage.open(job.file.name).read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    dashboard = selectors.unit_dashboard(realistic.assessment, today=realistic.today)
    assert "DASBOR ZONA INTEGRITAS" in text and "BALAI UJI" in text and "Tahun 2026" in text
    for side in dashboard.sides:
        assert f"{format_number(side.total, 2)} / 100" in text
    assert "Manajemen Perubahan" in text and "Pemenuhan" in text and "Reform" in text
    first = dashboard.areas[0].parts[0]
    assert format_number(first.unit_percent, 1) + "%" in text  # the table
    assert format_number(first.unit_percent) + "%" in text  # the SVG bar's label (two decimals)
    assert "WBK 60%" in text
    assert dashboard.gaps[0].path in text and "40 hari lagi" in text
    assert f"Halaman 1 dari {len(reader.pages)}" in text
