"""Keyboard only (docs/accessibility.md): the drop zones of the evidence page and of the question
panel, the htmx question panels of the area page and the answer form are reached with Tab, used
with Enter, Space and the arrow keys, and show where the focus is. Only sign-in uses the mouse
helper; everything after it is key presses. The pages are audited like every browser test's."""

import pytest

from evidence.models import Evidence, EvidenceStatus
from scoring.models import Answer, Side
from tests.e2e.conftest import intercept_file_choosers, login, screenshot
from tests.evidence import files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "A.I.1.i.a"
ESCAPED = QUESTION.replace(".", "\\.")
ROW = f"#q-{ESCAPED}"

FOCUSED_MATCHES = "(selector) => Boolean(document.activeElement && document.activeElement.matches(selector))"
FOCUSED_IN_VIEW = """
() => { const box = document.activeElement.getBoundingClientRect();
        return box.top >= -1 && box.bottom <= window.innerHeight + 1; }  // sub-pixel rounding
"""
# The focus ring of the focused element; a visually hidden file input shows it on its label.
FOCUS_RING = """
() => {
  let element = document.activeElement;
  if (element.type === "file") {
    element = document.querySelector(`label[for="${CSS.escape(element.id)}"]`);
  }
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {width: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
          visible: box.width > 0 && box.height > 0, tag: element.tagName};
}
"""


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 150) -> None:
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED_MATCHES, selector):
            return
    raise AssertionError(f"{selector} is never reached with {key}")


def assert_focus_visible(page) -> None:
    ring = page.evaluate(FOCUS_RING)
    assert ring["visible"] and ring["width"] >= 2, f"no visible focus ring on the focused {ring['tag']}: {ring}"


def _document(tmp_path):
    path = tmp_path / "SK Tim Kerja ZI.pdf"
    path.write_bytes(files.pdf("SK Kepala Balai Uji tentang Tim Kerja Pembangunan ZI"))
    return path


def test_the_evidence_page_drop_zone_by_keyboard(page, live_server, cast, tmp_path):
    sk = _document(tmp_path)
    intercept_file_choosers(page)
    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/bukti/penilaian/{cast.assessment.code}/pertanyaan/{QUESTION}/")
    tab_to(page, f"#berkas-{ESCAPED}")  # "Pilih berkas": the file input behind the label
    assert_focus_visible(page)
    screenshot(page, "keyboard-evidence-drop-zone", full_page=False)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(sk))
    page.wait_for_selector("a:has-text('SK Tim Kerja ZI')", timeout=30000)  # uploaded, page reloaded
    assert Evidence.objects.filter(question__path=QUESTION, kind="file").count() == 1


def test_question_panels_answers_and_submission_by_keyboard(page, live_server, cast, tmp_path):
    sk = _document(tmp_path)
    intercept_file_choosers(page)
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/area/mp/")

    # The question's link opens its panel in place; the focus moves into the panel.
    tab_to(page, f"{ROW} .ws-open")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.locator(f"{ROW} [data-panel]").wait_for()
    page.wait_for_function(FOCUSED_MATCHES, arg=f"{ROW} [data-panel]")
    assert page.url.endswith("/area/mp/")

    # The panel's drop zone: Tab reaches "pilih berkas", Space opens the file chooser; the panel
    # reloads with the new item and takes the focus again.
    tab_to(page, f"#cepat-{ESCAPED}")
    assert_focus_visible(page)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(sk))
    page.wait_for_selector(f"{ROW} .evidence-items a:has-text('SK Tim Kerja ZI')", timeout=30000)
    page.wait_for_function(FOCUSED_MATCHES, arg=f"{ROW} [data-panel]")

    # The answer form: Tab to the options, arrows to choose, type the note, Enter on "Simpan".
    tab_to(page, f"{ROW} [data-answer-form] input[type=radio]")
    assert_focus_visible(page)
    checked = f"{ROW} [data-answer-form] input[type=radio]:checked"
    for _ in range(6):
        if page.locator(checked).get_attribute("value") == "Ya":
            break
        page.keyboard.press("ArrowUp")
    assert page.locator(checked).get_attribute("value") == "Ya"
    tab_to(page, f"{ROW} [data-answer-form] textarea[name=note]")
    page.keyboard.type("SK sudah ditandatangani.")
    tab_to(page, f"{ROW} [data-answer-form] button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.locator(f"{ROW} .answer-message", has_text="Jawaban disimpan.").wait_for()
    # The focus lands on the result, not on the page's top.
    page.wait_for_function(FOCUSED_MATCHES, arg=f"{ROW} .answer-message")
    page.wait_for_function(FOCUSED_IN_VIEW, timeout=3000)
    answer = Answer.objects.get(question__path=QUESTION, side=Side.UNIT)
    assert (answer.option, answer.note) == ("Ya", "SK sudah ditandatangani.")

    # Submitting the evidence for review, by keyboard too.
    tab_to(page, f"{ROW} .ws-submit button")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.locator(f"{ROW} [data-panel]", has_text="1 bukti diajukan ke TPI.").wait_for()
    assert list(Evidence.objects.values_list("status", flat=True)) == [EvidenceStatus.DIAJUKAN]

    # Closing the panel with its button returns the focus to the question's link.
    page.wait_for_function(FOCUSED_MATCHES, arg=f"{ROW} [data-panel]")
    tab_to(page, f"{ROW} [data-panel-close]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.locator(f"{ROW} [data-panel]").wait_for(state="detached")
    assert page.evaluate(FOCUSED_MATCHES, f"{ROW} .ws-open")
    assert_focus_visible(page)
    page.wait_for_function(FOCUSED_IN_VIEW, timeout=3000)
    # Last: Playwright's screenshot leaves empty style attributes on form fields, which htmx would
    # then copy while swapping (and the CSP would report).
    screenshot(page, "keyboard-area-focus-back-on-link", full_page=False)
