"""Pengusulan in Chromium under the strict CSP: the persyaratan checklist, the proposal page and the
evaluator page (no account); screenshots at desktop (1366) and phone (390) widths."""

import pytest

from portal.links import evaluator_path
from tests.e2e.conftest import login, screenshot
from tests.portal.conftest import YES_NO, make_proposed, record_instansi_facts, record_unit_facts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_checklist_proposal_and_evaluator_pages(page, browser, live_server, cast):
    make_proposed(cast)
    record_instansi_facts(cast.unit.instansi, cast.assessment.year, cast.admin, spip="2")
    record_unit_facts(cast.assessment, cast.admin, tlhp="92.5")
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/pengusulan/penilaian/{cast.assessment.code}/persyaratan/")
    table = page.locator("[data-persyaratan]")
    assert table.get_by_text("belum terpenuhi").first.is_visible()
    assert "92,5%" in table.inner_text()
    screenshot(page, "portal-checklist-desktop", full_page=False)
    page.set_viewport_size(PHONE)
    screenshot(page, "portal-checklist-phone", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{live_server.url}/pengusulan/usulan/{cast.proposal.code}/")
    assert page.locator("[data-evaluator-link]").count() == 1
    screenshot(page, "portal-proposal-desktop", full_page=False)
    page.set_viewport_size(PHONE)
    screenshot(page, "portal-proposal-phone", full_page=False)

    anonymous = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    evaluator = anonymous.new_page()
    problems = []
    evaluator.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    evaluator.goto(live_server.url + evaluator_path(cast.proposal.links.get(), YES_NO))
    assert evaluator.get_by_text("SK di situs").is_visible()
    assert evaluator.locator("a[href*='/akun/']").count() == 0
    screenshot(evaluator, "portal-evaluator-desktop")
    evaluator.set_viewport_size(PHONE)
    screenshot(evaluator, "portal-evaluator-phone")
    with evaluator.expect_download() as download:
        evaluator.locator("[data-download]").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    anonymous.close()
    assert problems == []
