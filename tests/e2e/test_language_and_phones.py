"""The main pages with an English browser: Indonesian until the person switches, then English
throughout; dates and numbers per language; at 390px no sideways scrolling and the status and main
action of every listed row in view. Every page visited is also audited (axe-core, duplicate IDs,
CSP) by the fixtures in conftest.py."""

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.utils import translation

from accounts.formatting import format_date
from audit.models import AuditAction, AuditEvent
from evidence.services import evidence_add_link
from plans import services as plan_services
from tests.e2e.conftest import PHONE, login, page_overflow, screenshot
from tests.portal.conftest import ensure_thresholds, record_unit_facts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
QUESTION = "A.I.1.i.a"


def _catalogue() -> list[tuple[str, str]]:
    """(Indonesian, English) pairs of plain interface strings worth looking for in a page: at least
    two words, no placeholders, different in the two languages, and not also a phrase of the LKE
    data (question texts are Indonesian in both modes)."""
    data = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "fixtures" / "instruments").glob("*.json"))
    pairs = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        source = re.search(r'^msgid "(.+)"$', block, re.M)
        target = re.search(r'^msgstr "(.+)"$', block, re.M)
        if not source or not target or "msgid_plural" in block:
            continue
        source_text, target_text = json.loads(f'"{source[1]}"'), json.loads(f'"{target[1]}"')
        if "%" in source_text or source_text == target_text or len(source_text.split()) < 2:
            continue
        if source_text in data or target_text in data:
            continue
        pairs.append((source_text, target_text))
    return pairs


def _visible_text(page) -> str:
    return " ".join(page.evaluate("() => document.body.innerText").split())


@pytest.fixture
def filled(cast):
    """A deadline, an evidence item, a plan item, an open monev period, a recorded persyaratan value
    (TLHP 92.5 %) and an audit event of 17 August 2026 in cast's assessment."""
    assessment = cast.assessment
    assessment.year = 2026
    assessment.pembangunan_deadline = date(2026, 6, 30)
    assessment.save()
    question = assessment.instrument.questions.get(path=QUESTION)
    cast.evidence = evidence_add_link(assessment=assessment, question=question, user=cast.koordinator,
                                      url="https://unit.example.go.id/sk-tim-zi", title="SK Tim Kerja ZI 2026")
    indicator = assessment.instrument.nodes.get(path="A.I.1.i")
    cast.item = plan_services.plan_item_create(
        assessment=assessment, indicator=indicator, steps="Menetapkan SK Tim Kerja Pembangunan Zona Integritas",
        output="SK Kepala Unit", target_text="Juni 2026", user=cast.koordinator, progress=40)
    cast.period = plan_services.monev_periods_generate(assessment=assessment, kind="triwulan")[1]
    ensure_thresholds()
    record_unit_facts(assessment, cast.koordinator, tlhp="92.5")
    AuditEvent.objects.create(action=AuditAction.STAGE, actor=cast.koordinator, actor_label="koordinator",
                              unit=cast.unit, object_label="Balai Uji 2026",
                              created_at=datetime(2026, 8, 17, 2, 30, tzinfo=UTC))
    return cast


def _pages(cast, base) -> dict[str, str]:
    code = cast.assessment.code
    return {
        "landing": f"{base}/",
        "overview": f"{base}/penilaian/{code}/ringkasan/",
        "area": f"{base}/penilaian/{code}/area/mp/",
        "question": f"{base}/penilaian/{code}/pertanyaan/{QUESTION}/",
        "evidence-list": f"{base}/bukti/penilaian/{code}/pertanyaan/{QUESTION}/",
        "evidence": f"{base}/bukti/item/{cast.evidence.code}/",
        "plans": f"{base}/rencana/penilaian/{code}/",
        "monev": f"{base}/rencana/penilaian/{code}/monev/",
        "period": f"{base}/rencana/monev/{cast.period.code}/",
        "dashboard": f"{base}/dasbor/penilaian/{code}/",
        "reports": f"{base}/laporan/penilaian/{code}/",
        "gap": f"{base}/nilai/{code}/kesenjangan/",
        "tasks": f"{base}/tugas/",
        "review-queue": f"{base}/tugas/{code}/bukti/",
        "persyaratan": f"{base}/pengusulan/penilaian/{code}/persyaratan/",
        "audit": f"{base}/audit/",
    }


def _assert_only(language: str, page, name: str, pairs) -> None:
    text = _visible_text(page)
    wrong = [(id_, en) for id_, en in pairs if (en if language == "id" else id_) in text]
    assert wrong == [], f"{name} in {language}: {wrong[:8]}"


def test_an_english_browser_reads_indonesian_until_switching_then_english_everywhere(new_context, live_server,
                                                                                       filled):
    pairs = _catalogue()
    assert len(pairs) > 300
    context = new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Masuk ke ZI Portal" in _visible_text(page)
    _assert_only("id", page, "sign-in", pairs)
    login(page, live_server, "koordinator")
    pages = _pages(filled, live_server.url)
    for name, url in pages.items():
        page.goto(url)
        _assert_only("id", page, name, pairs)
    page.goto(pages["landing"])
    with translation.override("id"):
        assert format_date(date(2026, 6, 30)) == "30 Juni 2026"
    assert "30 Juni 2026" in _visible_text(page)
    page.goto(pages["dashboard"])
    assert re.search(r"\d,\d\d / 100", _visible_text(page))
    page.goto(pages["persyaratan"])
    assert "92,5%" in page.locator("[data-persyaratan]").inner_text()
    page.goto(pages["audit"])
    assert "17 Agu 2026" in _visible_text(page)

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    for name, url in pages.items():
        page.goto(url)
        _assert_only("en", page, name, pairs)
        if name in ("landing", "dashboard"):
            screenshot(page, f"english-{name}", full_page=False)
    page.goto(pages["landing"])
    assert "30 June 2026" in _visible_text(page) and "Juni" not in _visible_text(page)
    page.goto(pages["dashboard"])
    assert re.search(r"\d\.\d\d / 100", _visible_text(page))
    assert not re.search(r"\d,\d\d / 100", _visible_text(page))
    page.goto(pages["persyaratan"])
    checklist = page.locator("[data-persyaratan]").inner_text()
    assert "92.5%" in checklist and "92,5%" not in checklist
    page.goto(pages["audit"])
    assert "17 Aug 2026" in _visible_text(page) and "Agu" not in _visible_text(page)


def test_the_admin_overview_and_sign_in_follow_the_switch_too(new_context, live_server, filled):
    pairs = _catalogue()
    context = new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US"})
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.click("button[name=language][value=en]")  # before signing in: the session remembers it
    page.wait_for_load_state()
    assert "Sign in to ZI Portal" in _visible_text(page)
    _assert_only("en", page, "sign-in", pairs)
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/dasbor/")
    _assert_only("en", page, "admin overview", pairs)
    filled.admin.refresh_from_db()
    assert filled.admin.language == ""  # the choice made before signing in stays with the browser


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5


@pytest.mark.parametrize("viewport", [PHONE, {"width": 360, "height": 740}])
def test_on_a_phone_no_page_scrolls_sideways_and_lists_show_status_and_action(new_context, live_server, filled,
                                                                             viewport):
    context = new_context(viewport=viewport, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "koordinator")
    pages = _pages(filled, live_server.url)
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("load")
        assert page_overflow(page) <= 0, f"{name} scrolls sideways at {viewport['width']}px"
    if viewport != PHONE:
        return
    checks = {
        "landing": ["table.table-stack td.stack-actions a:has-text('Buka')", "table.table-stack .stage-badge"],
        "evidence-list": ["table.table-stack td.stack-status .evidence-status",
                          "table.table-stack td.stack-title a"],
        "plans": [f"#item-{filled.item.code} td.stack-status", f"#item-{filled.item.code} td.stack-actions a"],
        "monev": ["table.table-stack td.stack-status .badge", "table.table-stack td.stack-title a"],
        "review-queue": ["table.table-stack td.stack-status .evidence-status", "table.table-stack td.stack-title a"],
        "persyaratan": ["[data-persyaratan] td[data-label='WBK'] .badge",
                        "[data-persyaratan] td[data-label='WBBM'] .badge", "main form[enctype] button[type=submit]"],
        "audit": ["table.audit-table td.stack-status", "form.audit-filters button[type=submit]"],
    }
    for name, selectors in checks.items():
        page.goto(pages[name])
        for selector in selectors:
            assert _in_view(page, selector), f"{name}: {selector} is not fully on screen"
        screenshot(page, f"phone-{name}", full_page=False)


def test_the_gap_analysis_shows_every_column_header_whole_at_1366(page, live_server, filled):
    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/nilai/{filled.assessment.code}/kesenjangan/")
    headers = page.locator("table.gap-table").first.locator("thead th")
    assert headers.count() == 4
    for index in range(4):
        clipped = headers.nth(index).evaluate("th => th.scrollWidth > th.clientWidth")
        assert not clipped, headers.nth(index).inner_text()
