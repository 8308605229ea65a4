"""In English mode the texts that come from the instrument (questions, indicators, answer options,
area names) stay Indonesian, and the pages mark them `lang="id"` so a screen reader pronounces them
as Indonesian (docs/i18n.md, docs/accessibility.md)."""

from datetime import date

import lxml.html
import pytest

from evidence.services import evidence_add_link
from plans import services as plan_services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
QUESTION = "A.I.1.i.a"


def _language_of(text_node) -> str:
    """The language in force where a text node sits: the nearest `lang` attribute above it."""
    element = text_node.getparent()
    if text_node.is_tail:
        element = element.getparent()
    while element is not None:
        if element.get("lang"):
            return element.get("lang")
        element = element.getparent()
    return ""


def _places(html: str, text: str) -> list[str]:
    """The language of every place in the page body where `text` appears."""
    body = lxml.html.document_fromstring(html).body
    nodes = body.xpath("//body//text()[contains(., $t)][not(ancestor::script)]", t=text)
    return [_language_of(node) for node in nodes]


@pytest.fixture
def english(client, cast):
    client_for(client, cast.koordinator)
    client.post("/akun/bahasa/", {"language": "en", "next": "/"})
    assessment = cast.assessment
    assessment.pembangunan_deadline = date(2026, 6, 30)
    assessment.save()
    question = assessment.instrument.questions.get(path=QUESTION)
    cast.question = question
    cast.indicator = assessment.instrument.nodes.get(path="A.I.1.i")
    cast.option = max(question.options.all(), key=lambda option: len(option.label))
    cast.evidence = evidence_add_link(assessment=assessment, question=question, user=cast.koordinator,
                                      url="https://unit.example.go.id/sk", title="SK Tim")
    plan_services.plan_item_create(assessment=assessment, indicator=cast.indicator, steps="Menetapkan SK",
                                   output="SK", target_text="Juni 2026", user=cast.koordinator, progress=40)
    return cast


def _get(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'lang="en"' in html.split(">", 2)[1] or headers, "the page is not in English mode"
    return html


def test_question_texts_are_marked_indonesian_on_the_panel_and_evidence_pages(client, english):
    code, path = english.assessment.code, QUESTION
    pages = {
        "question panel (htmx)": _get(client, f"/penilaian/{code}/pertanyaan/{path}/", HTTP_HX_REQUEST="true"),
        "evidence of a question": _get(client, f"/bukti/penilaian/{code}/pertanyaan/{path}/"),
        "evidence item": _get(client, f"/bukti/item/{english.evidence.code}/"),
        "evidence queue": _get(client, f"/tugas/{code}/bukti/"),
    }
    assert "Panel" not in pages["question panel (htmx)"][:20]
    start = english.question.text[:40]
    for name, html in pages.items():
        places = _places(html, start)
        assert places, f"{name}: the question text is not shown"
        assert set(places) == {"id"}, f"{name}: question text outside lang=id: {places}"


@pytest.mark.parametrize("page", ["nilai/{code}/kesenjangan/", "tugas/{code}/pertanyaan/"])
def test_lists_of_questions_mark_every_question_text(client, english, page):
    html = _get(client, "/" + page.format(code=english.assessment.code))
    shown = set(lxml.html.document_fromstring(html).xpath("//main//code/text()"))
    questions = list(english.assessment.instrument.questions.filter(path__in=shown)[:8])
    assert questions, "no question listed"
    for question in questions:
        places = _places(html, question.text[:40])
        assert places and set(places) == {"id"}, (question.path, places)


def test_options_indicators_and_areas_are_marked_indonesian(client, english):
    code = english.assessment.code
    panel = _get(client, f"/penilaian/{code}/pertanyaan/{QUESTION}/", HTTP_HX_REQUEST="true")
    option_places = _places(panel, english.option.label[:30])
    assert len(option_places) >= 2 and set(option_places) == {"id"}  # details table and answer form
    for name, url in {"evidence of a question": f"/bukti/penilaian/{code}/pertanyaan/{QUESTION}/",
                      "action plan": f"/rencana/penilaian/{code}/",
                      "plan queue": f"/tugas/{code}/rencana/"}.items():
        places = _places(_get(client, url), english.indicator.name[:30])
        assert places and set(places) == {"id"}, f"{name}: indicator name {places}"
    area = english.question.change_area.name
    places = _places(_get(client, f"/bukti/penilaian/{code}/pertanyaan/{QUESTION}/"), area)
    assert places and set(places) == {"id"}, places


def test_interface_text_around_them_stays_english(client, english):
    html = _get(client, f"/bukti/penilaian/{english.assessment.code}/pertanyaan/{QUESTION}/")
    assert lxml.html.document_fromstring(html).get("lang") == "en"
    assert set(_places(html, "Criteria")) == {"en"}  # the interface label is not wrapped with the data


def test_the_workspace_and_the_dashboard_mark_them_too(client, english):
    code = english.assessment.code
    area = english.question.change_area
    area_page = _get(client, f"/penilaian/{code}/area/{area.code.lower()}/")
    for text in (english.question.text[:40], english.indicator.name[:30], area.name):
        places = _places(area_page, text)
        assert places and set(places) == {"id"}, (text, places)
    question_page = _get(client, f"/penilaian/{code}/pertanyaan/{QUESTION}/")
    places = _places(question_page, english.question.text[:40])
    assert places and set(places) == {"id"}, places
    dashboard = _get(client, f"/dasbor/penilaian/{code}/")
    places = _places(dashboard, area.name)
    assert len(places) >= 3 and set(places) == {"id"}, places  # area scores, evidence and plan tables
    assert set(_places(dashboard, "All areas")) == {"en"}  # the totals row is interface text
