import pytest

from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role, landmark", [
    ("admin", "Anda administrator"),
    ("koordinator", "Anda mengoordinasikan seluruh area"),
    ("timkerja", "Area Anda:"),
    ("tpi", "menilai unit ini secara independen"),
    ("pimpinan", "Sekilas"),  # pimpinan of one unit land on its dashboard
    ("outsider", "Unit Lain"),
])
def test_every_role_signs_in_and_reaches_its_landing_page(page, live_server, cast, role, landmark):
    login(page, live_server, role)
    assert landmark in page.content()
    if role in ("admin", "koordinator"):
        screenshot(page, f"landing-{role}")


def test_the_instrument_browser_expands_and_searches(page, live_server, cast, instrument_90):
    login(page, live_server, "timkerja")
    page.click("text=Instrumen LKE")
    page.click(f"a[href='/instrumen/{instrument_90.uuid}/']")
    page.click("#q-A\\.I\\.1\\.i\\.b summary")
    assert page.is_visible("text=Jika dengan prosedur/mekanisme yang jelas")
    screenshot(page, "instrument-browser", full_page=False)
    page.fill("input[name=q]", "LHKPN")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("text=pertanyaan cocok")
    assert page.locator("li.question").count() >= 1
    assert page.locator("#q-A\\.I\\.1\\.i\\.a").count() == 0
    screenshot(page, "instrument-search")


def test_the_assessment_page_shows_the_areas_and_the_koordinator_changes_the_stage(page, live_server, cast):
    login(page, live_server, "koordinator")
    page.click(f"a[href='/penilaian/{cast.assessment.code}/'] >> nth=0")
    page.wait_for_url(f"**/penilaian/{cast.assessment.code}/ringkasan/")
    page.wait_for_load_state()
    assert page.locator(".progress-table tbody tr").count() == 7  # six change areas and hasil
    page.click("text=1. Manajemen Perubahan >> nth=0")
    page.click("#q-A\\.I\\.1\\.i\\.a .ws-open")
    page.click("#q-A\\.I\\.1\\.i\\.a summary")
    assert page.is_visible("text=SK Kepala Unit Kerja tentang Tim Kerja")
    page.click("text=Ringkasan")
    screenshot(page, "assessment-page", full_page=False)
    # The stage control is in view for those who may use it, not folded away.
    assert page.locator("select[name=stage]").is_visible()
    page.select_option("select[name=stage]", "mandiri")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("text=Simpan tahap")
    page.wait_for_selector("text=Tahap penilaian diubah")
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == "mandiri"


def test_the_tim_kerja_filters_to_one_area_on_a_phone(browser, live_server, cast):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/")
    page.wait_for_url(f"**/penilaian/{cast.assessment.code}/area/mp/")  # the first of their areas
    assert page.locator("li.ws-question").count() == cast.assessment.instrument.questions.filter(
        change_area__code="MP").count()
    screenshot(page, "assessment-phone-mp", full_page=False)
    context.close()
