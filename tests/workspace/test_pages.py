"""The LKE workspace: start, overview, area pages and question panels (pages, numbers, access)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Stage
from evidence.models import Comment, Evidence, EvidenceStatus
from scoring import selectors as scoring_selectors
from scoring.models import Side
from tests.conftest import client_for
from tests.dashboards.builders import build_answers, build_evidence

pytestmark = pytest.mark.django_db

ROLES = ["admin", "koordinator", "timkerja", "tpi", "pimpinan"]
PW_QUESTIONS = 22  # 12 pemenuhan + 10 reform


def area_counts(instrument):
    counts = {}
    for question in instrument.questions.select_related("change_area"):
        slug = question.change_area.code.lower() if question.change_area else "hasil"
        counts[slug] = counts.get(slug, 0) + 1
    return counts


def urls(assessment, path="A.I.1.i.a"):
    return {
        "start": reverse("workspace:start", args=[assessment.code]),
        "overview": reverse("workspace:overview", args=[assessment.code]),
        "area": reverse("workspace:area", args=[assessment.code, "pw"]),
        "question": reverse("workspace:question", args=[assessment.code, path]),
        "row": reverse("workspace:row", args=[assessment.code, path]),
    }


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- access matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["start", "overview", "area", "question", "row"])
def test_anonymous_visitors_are_sent_to_login(client, cast, name):
    response = client.get(urls(cast.assessment)[name])
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["overview", "area", "question", "row"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_of_the_unit_sees_the_workspace(client, cast, role, name):
    client_for(client, getattr(cast, role))
    assert client.get(urls(cast.assessment)[name]).status_code == 200


@pytest.mark.parametrize("name", ["start", "overview", "area", "question", "row"])
def test_an_outsider_gets_404(client, cast, name):
    client_for(client, cast.outsider)
    assert client.get(urls(cast.assessment)[name]).status_code == 404


@pytest.mark.parametrize("name", ["start", "overview", "area", "question", "row"])
def test_the_pages_only_answer_get(client, cast, name):
    client_for(client, cast.koordinator)
    assert client.post(urls(cast.assessment)[name]).status_code == 405


def test_an_unknown_area_or_question_or_assessment_is_404(client, cast):
    client_for(client, cast.admin)
    assert client.get(reverse("workspace:area", args=[cast.assessment.code, "xx"])).status_code == 404
    assert client.get(reverse("workspace:question", args=[cast.assessment.code, "Z.9"])).status_code == 404
    assert client.get(reverse("workspace:row", args=[cast.assessment.code, "Z.9"])).status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("workspace:overview", args=[missing])).status_code == 404


def test_a_forbidden_write_from_the_panel_answers_403(client, cast):
    """Pimpinan reads the panel but may not answer or upload; the tim kerja not outside their areas."""
    client_for(client, cast.pimpinan)
    save = reverse("scoring:save", args=[cast.assessment.code, "A.I.1.i.a", Side.UNIT])
    assert client.post(save, {"option": "Ya", "version": 0}).status_code == 403
    client_for(client, cast.timkerja)
    outside = reverse("evidence:submit", args=[cast.assessment.code, "A.II.5.iii.a.a"])
    assert client.post(outside, {"kembali": "ruang-kerja"}).status_code == 403
    page = text(client.get(urls(cast.assessment, "A.II.5.iii.a.a")["question"]))
    assert "Isi jawaban unit" not in page and "data-evidence-upload" not in page


# --- where each role lands ---------------------------------------------------------------


def test_a_tim_kerja_lands_on_the_first_assigned_area(client, cast):
    client_for(client, cast.timkerja)
    response = client.get(urls(cast.assessment)["start"])
    assert response.status_code == 302
    assert response.url == reverse("workspace:area", args=[cast.assessment.code, "mp"])


@pytest.mark.parametrize("role", ["admin", "koordinator", "tpi", "pimpinan"])
def test_other_roles_land_on_the_overview(client, cast, role):
    client_for(client, getattr(cast, role))
    assert client.get(urls(cast.assessment)["start"]).url == urls(cast.assessment)["overview"]


def test_old_area_links_of_the_assessment_page_still_work(client, cast):
    client_for(client, cast.koordinator)
    response = client.get(urls(cast.assessment)["start"], {"area": "pw"})
    assert response.url == reverse("workspace:area", args=[cast.assessment.code, "pw"])


# --- the numbers are the engine's and the selectors' -------------------------------------


@pytest.fixture
def filled(cast):
    """Both sides answered on most questions (the TPI disagrees on every third), 40 evidence
    items in every review state, one comment."""
    cast.assessment.stage = Stage.REVIU
    cast.assessment.save()
    build_answers(cast.assessment, unit_user=cast.koordinator, tpi_user=cast.tpi)
    build_evidence(cast.assessment, owner=cast.koordinator, count=40)
    question = cast.assessment.instrument.questions.get(path="A.I.1.i.a")
    Comment.objects.create(assessment=cast.assessment, question=question, author=cast.tpi, body="Mohon dilengkapi")
    return cast


def test_the_overview_shows_the_engines_totals_and_every_areas_progress(client, filled):
    client_for(client, filled.pimpinan)
    response = client.get(urls(filled.assessment)["overview"])
    ins = scoring_selectors.engine_instrument(filled.assessment.instrument)
    sides = scoring_selectors.score_sides(assessment=filled.assessment, ins=ins)
    page = text(response)
    for side in (Side.UNIT, Side.TPI):
        assert scoring_selectors.format_score(sides[side].score.total) in page
    areas = {a.slug: a for a in response.context["areas"]}
    assert {slug: a.questions for slug, a in areas.items()} == area_counts(filled.assessment.instrument)
    # Answered counts per area, from the engine's values.
    questions = list(filled.assessment.instrument.questions.select_related("change_area"))
    for slug, area in areas.items():
        paths = [q.path for q in questions if (q.change_area.code.lower() if q.change_area else "hasil") == slug]
        assert area.unit_answered == sum(sides[Side.UNIT].score.values[p] is not None for p in paths)
        assert area.tpi_answered == sum(sides[Side.TPI].score.values[p] is not None for p in paths)
        unit, tpi = sides[Side.UNIT].score.values, sides[Side.TPI].score.values
        differs = sum(1 for p in paths if None not in (unit[p], tpi[p]) and unit[p] != tpi[p])
        assert area.differs == differs
        assert f'data-area="{slug}"' in page
    # Evidence by review state: the active items (the withdrawn one never counts).
    totals = response.context["totals"]
    active = Evidence.objects.filter(assessment=filled.assessment, withdrawn=False)
    for status in EvidenceStatus.values:
        assert totals.evidence.get(status, 0) == active.filter(status=status).count()
    assert totals.with_evidence == active.values("question").distinct().count()
    assert totals.questions == 113


def test_the_overview_lists_deadlines_and_the_users_own_work(client, filled):
    filled.assessment.reviu_deadline = timezone.localdate() + timezone.timedelta(days=5)
    filled.assessment.save()
    client_for(client, filled.tpi)
    response = client.get(urls(filled.assessment)["overview"])
    page = text(response)
    assert "5 hari lagi" in page
    areas = {a.slug: a for a in response.context["areas"]}
    work = {w.area.slug: {label: n for label, n, _url in w.items} for w in response.context["my_work"]}
    assert {slug: counts.get("unit ≠ TPI", 0) for slug, counts in work.items()} == {
        slug: a.differs for slug, a in areas.items() if slug in work}
    assert {slug: counts.get("belum dijawab TPI", 0) for slug, counts in work.items()} == {
        slug: a.questions - a.tpi_answered for slug, a in areas.items() if slug in work}
    assert f'href="{areas["mp"].url}?saring=beda"' in page
    # A tim kerja sees only their own areas, on the unit side.
    client_for(client, filled.timkerja)
    response = client.get(urls(filled.assessment)["overview"])
    work = {w.area.slug: {label: n for label, n, _url in w.items} for w in response.context["my_work"]}
    areas = {a.slug: a for a in response.context["areas"]}
    assert set(work) <= {"mp", "pt"} and work
    for slug, counts in work.items():
        assert counts.get("belum dijawab", 0) == areas[slug].questions - areas[slug].unit_answered


def test_the_area_page_lists_its_pemenuhan_and_reform_questions_with_answers_and_evidence(client, filled):
    client_for(client, filled.koordinator)
    response = client.get(urls(filled.assessment)["area"])
    page = text(response)
    assert page.count('class="ws-question') == PW_QUESTIONS
    assert "Pemenuhan" in page and "Reform" in page
    assert "A.II.5.iii.a.a" in page and "A.I.1.i.a" not in page
    # Each row's numbers are the selectors' for that question.
    rows = [row for part in response.context["groups"] for g in part.indicators for row in g.rows]
    assert len(rows) == PW_QUESTIONS
    for row in rows:
        items = Evidence.objects.filter(assessment=filled.assessment, question=row.question, withdrawn=False)
        assert row.evidence_count == items.count()
        assert f'data-question="{row.question.path}"' in page


@pytest.mark.parametrize("key", ["belum", "tanpa-bukti", "perbaikan", "beda"])
def test_each_filter_shows_exactly_the_matching_questions(client, filled, key):
    client_for(client, filled.tpi)
    everything = client.get(urls(filled.assessment)["area"])
    rows = [row for part in everything.context["groups"] for g in part.indicators for row in g.rows]
    expected = {row.question.path for row in rows if row.matches(key, Side.TPI)}
    response = client.get(urls(filled.assessment)["area"], {"saring": key})
    shown = set(re.findall(r'data-question="([^"]+)"', response.content.decode()))
    assert shown == expected
    counts = {k: n for k, _label, n in response.context["filters"]}
    assert counts[key] == len(expected)


def test_the_unit_not_equal_tpi_filter_matches_the_engines_values(client, filled):
    client_for(client, filled.tpi)
    response = client.get(urls(filled.assessment)["area"], {"saring": "beda"})
    shown = set(re.findall(r'data-question="([^"]+)"', response.content.decode()))
    ins = scoring_selectors.engine_instrument(filled.assessment.instrument)
    sides = scoring_selectors.score_sides(assessment=filled.assessment, ins=ins)
    pw = filled.assessment.instrument.questions.filter(change_area__code="PW").values_list("path", flat=True)
    expected = {p for p in pw if None not in (sides["unit"].score.values[p], sides["tpi"].score.values[p])
                and sides["unit"].score.values[p] != sides["tpi"].score.values[p]}
    assert shown == expected and expected


def test_an_unknown_filter_shows_everything(client, filled):
    client_for(client, filled.tpi)
    page = client.get(urls(filled.assessment)["area"], {"saring": "<script>"}).content.decode()
    assert page.count('class="ws-question') == PW_QUESTIONS
    assert "<script>" not in page.split("</head>")[1].replace('<script src=', '')


def test_the_question_panel_shows_both_answers_notes_history_evidence_dropzone_and_comments(client, filled):
    filled.assessment.stage = Stage.PEMBANGUNAN
    filled.assessment.save()
    client_for(client, filled.timkerja)
    response = client.get(urls(filled.assessment)["question"], headers={"HX-Request": "true"})
    page = text(response)
    assert "<html" not in page  # a fragment
    assert "Jawaban unit" in page and "Jawaban TPI" in page
    assert "Isi jawaban unit" in page  # the form of the side this user answers
    assert reverse("scoring:history", args=[filled.assessment.code, "A.I.1.i.a"]) in page
    assert "data-evidence-upload" in page  # the drop zone
    assert "Mohon dilengkapi" in page
    for item in Evidence.objects.filter(assessment=filled.assessment, question__path="A.I.1.i.a", withdrawn=False):
        assert item.title in page
    assert response.context["question"].evidence_state.count == Evidence.objects.filter(
        assessment=filled.assessment, question__path="A.I.1.i.a", withdrawn=False).count()


def test_the_panel_is_also_a_page_of_its_own(client, filled):
    client_for(client, filled.tpi)
    page = text(client.get(urls(filled.assessment)["question"]))
    assert "<html" in page and "Isi jawaban TPI" in page
    assert "Pertanyaan berikutnya" in page


# --- the no-JavaScript path --------------------------------------------------------------


def test_without_javascript_an_answer_saved_on_the_question_page_returns_to_it(client, cast):
    client_for(client, cast.timkerja)
    question_url = urls(cast.assessment)["question"]
    save = reverse("scoring:save", args=[cast.assessment.code, "A.I.1.i.a", Side.UNIT])
    response = client.post(save, {"option": "Ya", "note": "SK ada", "version": 0})
    assert response.status_code == 302 and response.url == question_url
    page = text(client.get(question_url))
    assert "Jawaban disimpan." in page and "SK ada" in page


def test_without_javascript_submit_and_comment_return_to_the_question_page(client, cast):
    from tests.evidence.conftest import make_evidence

    client_for(client, cast.timkerja)
    make_evidence(cast.assessment, cast.timkerja, path="A.I.1.i.a")
    question_url = urls(cast.assessment)["question"]
    assert "Ajukan 1 bukti untuk direviu" in text(client.get(question_url))
    submit = reverse("evidence:submit", args=[cast.assessment.code, "A.I.1.i.a"])
    response = client.post(submit, {"kembali": "ruang-kerja"})
    assert response.url == question_url
    comment = reverse("evidence:comment", args=[cast.assessment.code, "A.I.1.i.a"])
    response = client.post(comment, {"body": "Sudah diunggah", "kembali": "ruang-kerja"})
    assert response.url == question_url
    page = text(client.get(question_url))
    assert "Sudah diunggah" in page and "Diajukan" in page


def test_with_htmx_an_answer_saved_in_the_panel_sends_no_score_panel(client, cast):
    client_for(client, cast.timkerja)
    save = reverse("scoring:save", args=[cast.assessment.code, "A.I.1.i.a", Side.UNIT])
    panel = client.post(save, {"option": "Ya", "version": 0, "tanpa_panel_nilai": "1"}, headers={"HX-Request": "true"})
    assert panel.status_code == 200 and 'id="score-panel"' not in panel.content.decode()
    page = client.post(save, {"option": "Tidak", "version": 1}, headers={"HX-Request": "true"})
    assert 'id="score-panel"' in page.content.decode()


# --- the structure and flat query counts -------------------------------------------------


def test_the_overview_lists_six_areas_and_hasil_and_marks_the_tim_kerjas_own(client, cast):
    client_for(client, cast.timkerja)
    response = client.get(urls(cast.assessment)["overview"])
    page = text(response)
    for name in ["Manajemen Perubahan", "Penataan Tatalaksana", "Penataan Sistem Manajemen SDM",
                 "Penguatan Akuntabilitas", "Penguatan Pengawasan", "Peningkatan Kualitas Pelayanan Publik", "Hasil"]:
        assert name in page
    assert [a.slug for a in response.context["areas"]] == ["mp", "pt", "sdm", "ak", "pw", "pp", "hasil"]
    assert [a.slug for a in response.context["areas"] if a.mine] == ["mp", "pt"]
    assert sum(a.questions for a in response.context["areas"]) == 113
    mp = text(client.get(reverse("workspace:area", args=[cast.assessment.code, "mp"])))
    assert "Penyusunan Tim Kerja" in mp
    panel = text(client.get(urls(cast.assessment)["question"]))
    assert "SK Kepala Unit Kerja tentang Tim Kerja" in panel  # expected evidence


def test_query_counts_do_not_grow_with_the_users_units(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role
    from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory

    client_for(client, cast.timkerja)
    pages = [urls(cast.assessment)[name] for name in ("overview", "area", "question")]
    before = []
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before.append(len(queries))
    for n in range(5):
        extra = UnitFactory(name=f"Unit Tambahan {n}")
        MembershipFactory(user=cast.timkerja, unit=extra, role=Role.TIM_KERJA, areas=[cast.areas["PW"]])
        AssessmentFactory(unit=extra, instrument=cast.assessment.instrument)
    for url, count in zip(pages, before, strict=True):
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) == count, url
    # The tree itself: nodes, questions, options, inputs, each loaded once per process and
    # instrument version, then read from the cache.
    from areas import selectors as area_selectors

    def tree_queries():
        with CaptureQueriesContext(connection) as overview:
            client.get(pages[0])
        # ("Tugas saya" counts questions without an answer or evidence: COUNT queries, not the tree.)
        return [q["sql"] for q in overview.captured_queries if not q["sql"].startswith("SELECT COUNT(")
                if '"areas_question' in q["sql"].split("FROM")[1][:40]
                or '"areas_instrumentnode"' in q["sql"].split("FROM")[1][:40]]

    assert tree_queries() == []
    area_selectors._SECTIONS_CACHE.clear()
    assert len(tree_queries()) == 4


def test_query_counts_are_the_same_at_10_and_at_5000_evidence_items(client, cast):
    """Overview, area page, panel (fragment and page): evidence grouped in one query, comments in
    one, whatever the number of items."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast.assessment.stage = Stage.REVIU
    cast.assessment.save()
    build_answers(cast.assessment, unit_user=cast.koordinator, tpi_user=cast.tpi)
    client_for(client, cast.tpi)
    pages = [(url, {}) for url in (urls(cast.assessment)[n] for n in ("overview", "area", "question"))]
    pages.append((urls(cast.assessment)["question"], {"HX-Request": "true"}))

    def counts():
        result = []
        for url, headers in pages:
            client.get(url, headers=headers)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, headers=headers).status_code == 200
            result.append(len(queries))
        return result

    build_evidence(cast.assessment, owner=cast.koordinator, count=10)
    small = counts()
    build_evidence(cast.assessment, owner=cast.koordinator, count=4990)
    assert Evidence.objects.filter(assessment=cast.assessment, withdrawn=False).count() == 5000
    large = counts()
    assert large == small
    area = client.get(urls(cast.assessment)["area"])
    rows = [row for part in area.context["groups"] for g in part.indicators for row in g.rows]
    assert sum(row.evidence_count for row in rows) == Evidence.objects.filter(
        assessment=cast.assessment, withdrawn=False, question__change_area__code="PW").count()


def test_templates_are_compiled_once_per_process():
    """The cached template loader (Django's default when `loaders` is not set) is in use."""
    from django.template import engines

    loaders = engines["django"].engine.loaders
    assert loaders[0][0] == "django.template.loaders.cached.Loader"


def test_the_workspace_templates_and_script_hold_the_csp():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [*(root / "templates" / "workspace").glob("*.html"), root / "static" / "js" / "workspace.js"]
    assert len(files) >= 6
    for path in files:
        content = path.read_text(encoding="utf-8")
        assert "style=" not in content, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", content), path
        assert not re.search(r"\son[a-z]+=", content), path


# --- a row fetched again after its panel saved ---------------------------------------------


def test_a_row_shows_what_the_panel_just_saved(client, cast, django_assert_num_queries):
    """The area page fetches a question's row again after its panel saved: the row's facts are
    the area page's for that question, before and after an answer and an upload."""
    from scoring.services import answer_set

    client_for(client, cast.tpi)
    question = cast.assessment.instrument.questions.filter(change_area__code="PW", answer_type="abc").first()
    path = question.path
    area_row = re.compile(r'<div class="ws-facts small".*?</div>', re.S)

    def row_on_area_page():
        page = client.get(urls(cast.assessment)["area"]).content.decode()
        item = page[page.index(f'id="q-{path}"'):]
        return re.sub(r"\s+", " ", area_row.search(item).group(0))

    def row_alone():
        return re.sub(r"\s+", " ", client.get(urls(cast.assessment, path)["row"],
                                               headers={"HX-Request": "true"}).content.decode()).strip()

    assert row_alone() == row_on_area_page()
    answer_set(assessment=cast.assessment, question=question, side=Side.UNIT, user=cast.koordinator,
               value="A", note="", expected_version=0)
    build_evidence(cast.assessment, owner=cast.koordinator, count=2)
    fresh = row_alone()
    assert "<strong>A</strong>" in fresh
    assert fresh == row_on_area_page()
    with django_assert_num_queries(8):  # session, user, assessment, membership (+ areas), answers, evidence, comments
        client.get(urls(cast.assessment, path)["row"])


def test_a_question_returned_to_the_unit_is_marked_on_the_area_page_and_its_row(client, cast):
    """Only the returned question is marked, on the area page (answers read without model
    instances) and on the row the page fetches again (the panel's reading)."""
    from scoring.services import answer_set, question_return

    questions = list(cast.assessment.instrument.questions.filter(change_area__code="PW", answer_type="abc")[:2])
    for question in questions:
        answer_set(assessment=cast.assessment, question=question, side=Side.UNIT, user=cast.koordinator,
                   value="A", note="", expected_version=0)
    cast.assessment.stage = Stage.REVIU
    cast.assessment.save(update_fields=["stage"])
    question_return(assessment=cast.assessment, question=questions[0], user=cast.tpi, note="Lengkapi SK.")
    client_for(client, cast.tpi)
    response = client.get(urls(cast.assessment)["area"])
    rows = {row.question.path: row for part in response.context["groups"] for g in part.indicators for row in g.rows}
    assert rows[questions[0].path].returned and not rows[questions[1].path].returned
    page = response.content.decode()
    assert page.count(" is-returned") == 1
    assert re.search(rf'class="ws-question[^"]* is-returned"[^>]*id="q-{re.escape(questions[0].path)}"', page)
    row = client.get(urls(cast.assessment, questions[0].path)["row"], headers={"HX-Request": "true"})
    assert 'data-returned="1"' in row.content.decode()
