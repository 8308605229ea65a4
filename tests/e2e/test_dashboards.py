"""The dashboards in Chromium: charts drawn from json_script under the strict CSP, numbers in
Indonesian format, print view, sorting and filtering without JavaScript; screenshots at desktop
(1366) and phone (390) widths."""

import pytest
from django.utils import timezone

from accounts.models import Role
from areas.models import Stage
from tests.dashboards.builders import build_assessment_data
from tests.e2e.conftest import login, screenshot
from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs before any script of every page the context opens, so violations during load are caught too.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
PHONE = {"width": 390, "height": 844}


def record_csp(page):
    page.add_init_script(CSP_RECORDER)


def csp_violations(page):
    return page.evaluate("() => window.__cspViolations")


def scroll_to(page, selector):
    # "instant": Bootstrap turns on smooth scrolling, which a screenshot would catch half-way.
    page.locator(selector).first.evaluate("element => element.scrollIntoView({behavior: \"instant\"})")


def charts_drawn(page, count):
    page.wait_for_function(f"() => window.Chart && Object.keys(window.Chart.instances).length >= {count}")


def test_unit_dashboard(page, live_server, cast):
    today = timezone.localdate()
    build_assessment_data(cast.assessment, unit_user=cast.koordinator, tpi_user=cast.tpi, today=today)
    cast.assessment.stage = Stage.REVIU
    cast.assessment.save(update_fields=["stage"])
    record_csp(page)
    login(page, live_server, "pimpinan")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/")
    page.get_by_role("link", name="Dasbor", exact=True).click()
    page.wait_for_url(f"**/dasbor/penilaian/{cast.assessment.code}/")
    charts_drawn(page, 5)  # pemenuhan, reform, evidence, plans, monev

    total = page.locator("[data-total=tpi]").inner_text()
    assert "," in total and page.locator("[data-side-card=tpi]").get_by_text("acuan pada tahap ini").is_visible()
    area_chart = page.locator("canvas[data-chart=area-0]")
    assert area_chart.bounding_box()["height"] > 150
    # The charts' labels use the decimal comma.
    tooltip = page.evaluate("""() => {
        const chart = Chart.getChart(document.querySelector("canvas[data-chart=area-0]"));
        return chart.options.plugins.tooltip.callbacks.label({dataset: {label: "Unit"}, parsed: {x: 59.85}});
    }""")
    assert tooltip == "Unit: 59,85%"
    ticks = page.evaluate("""() => Chart.getChart(document.querySelector("canvas[data-chart=monev]"))
        .scales.y.ticks.map(t => t.label)""")
    assert "100%" in ticks
    screenshot(page, "dashboard-unit-desktop", full_page=False)
    scroll_to(page, "[aria-labelledby=judul-area]")
    screenshot(page, "dashboard-unit-desktop-areas", full_page=False)
    scroll_to(page, "[aria-labelledby=judul-bukti]")
    screenshot(page, "dashboard-unit-desktop-evidence-plans", full_page=False)
    scroll_to(page, "[aria-labelledby=judul-monev]")
    screenshot(page, "dashboard-unit-desktop-monev-deadlines", full_page=False)
    scroll_to(page, "[aria-labelledby=judul-kesenjangan]")
    screenshot(page, "dashboard-unit-desktop-gaps", full_page=False)

    # A gap links to its question on the assessment page.
    href = page.locator("[data-gap] a").first.get_attribute("href")
    assert href.startswith(f"/penilaian/{cast.assessment.code}/?area=") and "#q-" in href

    # Printing leaves the charts out; the tables carry the numbers.
    page.emulate_media(media="print")
    assert area_chart.is_hidden() and page.locator("[data-evidence=total]").is_visible()
    page.emulate_media(media="screen")

    page.set_viewport_size(PHONE)
    page.reload()
    charts_drawn(page, 5)
    page.evaluate("() => window.scrollTo(0, 0)")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dashboard-unit-phone", full_page=False)
    scroll_to(page, "[aria-labelledby=judul-area]")
    screenshot(page, "dashboard-unit-phone-areas", full_page=False)
    scroll_to(page, "[aria-labelledby=judul-rencana]")
    screenshot(page, "dashboard-unit-phone-plans", full_page=False)
    assert csp_violations(page) == []


def test_admin_overview(page, live_server, cast):
    today = timezone.localdate()
    build_assessment_data(cast.assessment, unit_user=cast.koordinator, tpi_user=cast.tpi, today=today)
    cast.assessment.stage = Stage.REVIU
    cast.assessment.save(update_fields=["stage"])
    for number, name in enumerate(["Dinas Kesehatan", "Dinas Pendidikan", "Kantor Pertanahan Kota Uji",
                                   "Balai Pelatihan Kerja", "Rumah Sakit Umum Daerah"]):
        unit = UnitFactory(name=name, instansi="Pemerintah Kota Uji")
        MembershipFactory(unit=unit, role=Role.KOORDINATOR)
        assessment = AssessmentFactory(unit=unit, instrument=cast.assessment.instrument,
                                       stage=[Stage.PEMBANGUNAN, Stage.MANDIRI, Stage.REVIU][number % 3])
        build_assessment_data(assessment, unit_user=cast.koordinator,
                              tpi_user=cast.tpi if assessment.stage == Stage.REVIU else None, today=today,
                              seed=number + 1)
        if number < 2:
            previous = AssessmentFactory(unit=unit, instrument=cast.assessment.instrument, year=today.year - 1)
            build_assessment_data(previous, unit_user=cast.koordinator, tpi_user=None, today=today, seed=number + 3)
    record_csp(page)
    login(page, live_server, "admin")
    page.get_by_role("link", name="Dasbor semua unit").click()
    page.wait_for_url(f"{live_server.url}/dasbor/")
    charts_drawn(page, 1)
    rows = page.locator("tbody tr[data-unit]")
    assert rows.count() == 7
    screenshot(page, "dashboard-overview-desktop", full_page=False)
    scroll_to(page, "table.dash-overview")
    screenshot(page, "dashboard-overview-desktop-table", full_page=False)

    # Sorting is a link (works without JavaScript): highest unit score first.
    page.get_by_role("link", name="Nilai unit").click()
    page.wait_for_url("**urut=-nilai_unit**")
    values = [float(v.replace(",", ".")) for v in page.locator("td[data-col=unit]").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    # Filtering is a GET form; the sort is kept.
    page.select_option("#id_tahap", "reviu")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**tahap=reviu**")
    assert "urut=-nilai_unit" in page.url and rows.count() == 2  # Balai Uji and Kantor Pertanahan
    scroll_to(page, "[aria-labelledby=judul-grafik]")
    screenshot(page, "dashboard-overview-desktop-filtered", full_page=False)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dasbor/")
    charts_drawn(page, 1)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dashboard-overview-phone", full_page=False)
    scroll_to(page, "table.dash-overview")
    screenshot(page, "dashboard-overview-phone-table", full_page=False)
    assert csp_violations(page) == []


def test_the_csp_recorder_catches_a_violation(browser, live_server, cast):
    """Control for the two tests above: an inline style is refused and recorded."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    try:
        record_csp(page)
        login(page, live_server, "admin")
        page.goto(f"{live_server.url}/dasbor/")
        page.evaluate("() => document.body.setAttribute('style', 'background: red')")
        page.wait_for_function("() => window.__cspViolations.length > 0")
        assert any(v.startswith("style-src") for v in csp_violations(page))
    finally:
        context.close()
