"""Answering on the assessment page, the score and predicate panel, gap analysis, history."""

import re
from html import escape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Stage
from scoring import engine, gap, predicate, services
from scoring.models import Answer, Side
from scoring.selectors import engine_instrument
from tests.conftest import client_for, load_instrument_data
from tests.scoring.conftest import HTMX, answer, question, set_stage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FORM = 'data-answer-form'


class Page:
    """The workspace overview (score panel) followed by every question's panel, as one text: what
    the single assessment page showed before the workspace split it up."""

    def __init__(self, overview, panels):
        self.context = overview.context
        self.content = (overview.content.decode() + "".join(p.content.decode() for p in panels)).encode()


def page_of(client, assessment):
    overview = client.get(reverse("workspace:overview", args=[assessment.code]))
    assert overview.status_code == 200
    panels = [client.get(reverse("workspace:question", args=[assessment.code, path]), headers={"HX-Request": "true"})
              for path in assessment.instrument.questions.order_by("order").values_list("path", flat=True)]
    assert all(p.status_code == 200 for p in panels)
    return Page(overview, panels)


def file_instrument():
    """The engine's instrument straight from the fixture file: an independent path to the scores."""
    return engine.Instrument.from_dict(load_instrument_data("permenpanrb-90-2021"))


def answer_many(assessment, users, n_unit, n_tpi):
    """Unit answers at their best for the first n_unit questions, TPI answers at their worst for n_tpi."""
    ins = file_instrument()
    paths = list(ins.questions)
    given = {Side.UNIT: {}, Side.TPI: {}}
    for path in paths[:n_unit]:
        given[Side.UNIT][path] = engine.best_answer(ins, path)
        answer(assessment, path, given[Side.UNIT][path], user=users.koordinator)
    for path in paths[:n_tpi]:
        given[Side.TPI][path] = engine.worst_answer(ins, path)
        answer(assessment, path, given[Side.TPI][path], side=Side.TPI, user=users.tpi)
    return given


# --- who sees which form ---------------------------------------------------------------


def test_the_koordinator_gets_a_unit_form_on_every_question(client, cast):
    client_for(client, cast.koordinator)
    page = page_of(client, cast.assessment).content.decode()
    assert page.count(FORM) == 113
    assert page.count("Isi jawaban unit") == 113 and "Isi jawaban TPI" not in page
    assert "Setuju dengan jawaban unit" not in page


def test_the_tim_kerja_gets_forms_for_their_areas_only(client, cast):
    client_for(client, cast.timkerja)
    response = page_of(client, cast.assessment)
    page = response.content.decode()
    own = cast.assessment.instrument.questions.filter(change_area__code__in=["MP", "PT"]).count()
    assert page.count(FORM) == own
    assert page.count("tim kerja area ini") == 113 - own
    assert f'action="/nilai/{cast.assessment.code}/jawaban/A.I.1.i.a/unit/"' in page
    assert f'action="/nilai/{cast.assessment.code}/jawaban/A.I.5.i.a/unit/"' not in page


@pytest.mark.parametrize("role", ["pimpinan", "admin"])
def test_pimpinan_and_admin_only_read(client, cast, role):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator, note="SK tim kerja ada")
    client_for(client, getattr(cast, role))
    page = page_of(client, cast.assessment).content.decode()
    assert FORM not in page
    assert "SK tim kerja ada" in page  # the saved note is shown
    assert "tim kerja area ini" not in page  # no refusal text for readers


def test_the_tpi_waits_for_reviu_then_answers_agrees_and_returns(client, cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator)
    client_for(client, cast.tpi)
    page = page_of(client, cast.assessment).content.decode()
    assert FORM not in page and page.count("Jawaban TPI diisi pada tahap reviu TPI.") == 113

    set_stage(cast.assessment, Stage.REVIU)
    page = page_of(client, cast.assessment).content.decode()
    assert page.count("Isi jawaban TPI") == 113
    assert page.count("Setuju dengan jawaban unit</button>") == 1  # only the answered question
    assert page.count("Kembalikan ke unit</summary>") == 113


def test_in_reviu_the_unit_form_appears_only_on_a_returned_question(client, cast, reviu):
    services.question_return(assessment=reviu, question=question(reviu, "A.I.1.i.b"), user=cast.tpi,
                             note="Lampirkan SK penetapan anggota")
    client_for(client, cast.timkerja)
    page = page_of(client, reviu).content.decode()
    assert page.count(FORM) == 1
    assert f'action="/nilai/{reviu.code}/jawaban/A.I.1.i.b/unit/"' in page
    assert "Dikembalikan ke unit" in page and "Lampirkan SK penetapan anggota" in page


def test_a_final_assessment_shows_no_forms_to_anyone(client, cast):
    set_stage(cast.assessment, Stage.FINAL)
    for user in (cast.koordinator, cast.tpi):
        client_for(client, user)
        page = page_of(client, cast.assessment).content.decode()
        assert FORM not in page and "Penilaian sudah final; jawaban tidak dapat diubah." in page


def test_differences_between_the_sides_are_highlighted(client, cast, reviu):
    answer(reviu, "A.I.1.i.b", "A", user=cast.koordinator)
    answer(reviu, "A.I.1.i.b", "C", side=Side.TPI, user=cast.tpi)
    answer(reviu, "A.I.1.i.a", "Ya", user=cast.koordinator)
    answer(reviu, "A.I.1.i.a", "Ya", side=Side.TPI, user=cast.tpi)
    client_for(client, cast.pimpinan)
    response = page_of(client, reviu)
    page = response.content.decode()
    assert page.count("answer-box-differs") == 1
    assert 'class="badge text-bg-danger">berbeda -1,00</span>' in page
    area = client.get(reverse("workspace:area", args=[reviu.code, "mp"]))
    rows = {row.question.path: row for part in area.context["groups"] for g in part.indicators for row in g.rows}
    assert rows["A.I.1.i.b"].differs and not rows["A.I.1.i.a"].differs


def test_the_panel_marks_differing_scores_once_the_tpi_has_answered(client, cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator)
    client_for(client, cast.pimpinan)
    assert "score-differs" not in page_of(client, cast.assessment).content.decode()  # no TPI answers yet
    answer(cast.assessment, "A.I.1.i.a", "Tidak", side=Side.TPI, user=cast.tpi)
    response = page_of(client, cast.assessment)
    panel = response.context["score_panel"]
    assert [row.path for row in panel.rows if row.differs] == ["A", "A.I", "A.I.1"]
    assert panel.total.differs
    assert response.content.decode().count("score-differs") == 4


def test_inconsistent_counted_inputs_are_shown_to_the_reviewer(client, cast):
    answer(cast.assessment, "A.II.5.iii.a.a", [10, 1, 2, 3, 12], user=cast.koordinator)
    client_for(client, cast.tpi)
    page = page_of(client, cast.assessment).content.decode()
    assert "Jawaban unit: A.II.5.iii.a.a: rincian" in page
    assert "melebihi" in page


# --- the score panel ---------------------------------------------------------------------


def test_the_score_panel_equals_the_engine_for_both_sides(client, cast):
    given = answer_many(cast.assessment, cast, n_unit=40, n_tpi=25)
    answer(cast.assessment, "B.I.a.a", "3,45", user=cast.koordinator)
    given[Side.UNIT]["B.I.a.a"] = 3.45
    ins = file_instrument()
    expected = {side: engine.score(ins, answers) for side, answers in given.items()}
    client_for(client, cast.pimpinan)
    response = page_of(client, cast.assessment)
    panel = response.context["score_panel"]
    for row in panel.rows:
        assert row.unit == expected[Side.UNIT].nodes[row.path], row.path
        assert row.unit_strict == expected[Side.UNIT].strict_nodes[row.path], row.path
        assert row.tpi == expected[Side.TPI].nodes[row.path], row.path
        assert row.tpi_strict == expected[Side.TPI].strict_nodes[row.path], row.path
    assert [row.path for row in panel.rows] == [
        "A", "A.I", *[f"A.I.{i}" for i in range(1, 7)], "A.II", *[f"A.II.{i}" for i in range(1, 7)],
        "B", "B.I", "B.I.a", "B.I.b", "B.II", "B.II.a"]
    assert (panel.total.unit, panel.total.unit_strict) == (expected[Side.UNIT].total, expected[Side.UNIT].strict_total)
    assert (panel.total.tpi, panel.total.tpi_strict) == (expected[Side.TPI].total, expected[Side.TPI].strict_total)
    page = response.content.decode()
    shown_total = re.search(r'id="nilai-total-unit">([^<]+)<', page).group(1)
    assert shown_total == f"{expected[Side.UNIT].total:.2f}".replace(".", ",")
    assert expected[Side.UNIT].total != expected[Side.UNIT].strict_total  # the two columns really differ


def test_the_predicate_panel_gives_the_engines_reasons_for_both_sides(client, cast):
    given = answer_many(cast.assessment, cast, n_unit=113, n_tpi=113)
    answer(cast.assessment, "B.I.a.a", "3,5", user=cast.koordinator)  # IPAK below 3,6
    given[Side.UNIT]["B.I.a.a"] = 3.5
    ins = file_instrument()
    client_for(client, cast.koordinator)
    page = page_of(client, cast.assessment).content.decode()
    unit_wbk = predicate.evaluate(ins, engine.score(ins, given[Side.UNIT]), {"holds_wbk": False})["WBK"]
    assert unit_wbk.reasons == ["Nilai survei persepsi korupsi (IPAK, indeks 3,6) 15,31 < 15,75"]
    assert escape(unit_wbk.reasons[0]) in page
    tpi_wbk = predicate.evaluate(ins, engine.score(ins, given[Side.TPI]), {"holds_wbk": False})["WBK"]
    assert len(tpi_wbk.reasons) > 10
    for reason in tpi_wbk.reasons:
        assert escape(reason) in page
    assert "Unit telah berpredikat WBK: tidak terpenuhi" in page
    assert "ambang belum terkonfirmasi" in page  # WBBM thresholds marked unconfirmed in the data


def test_the_holds_wbk_fact_comes_from_the_assessment(client, cast):
    cast.assessment.holds_wbk = True
    cast.assessment.save()
    answer_many(cast.assessment, cast, n_unit=113, n_tpi=0)
    client_for(client, cast.koordinator)
    panel = page_of(client, cast.assessment).context["score_panel"]
    unit = panel.predicates[0]
    assert unit.side == Side.UNIT
    assert [(item.name, item.result.eligible) for item in unit.items] == [("WBK", True), ("WBBM", True)]


def test_a_corrected_threshold_shows_without_a_restart(client, cast):
    answer_many(cast.assessment, cast, n_unit=113, n_tpi=0)
    client_for(client, cast.koordinator)
    page_of(client, cast.assessment)  # the engine instrument is cached now
    cast.assessment.instrument.thresholds.filter(predicate="WBK", kind="node_min", path="").update(minimum=101)
    panel = page_of(client, cast.assessment).context["score_panel"]
    assert panel.predicates[0].items[0].result.reasons == ["Total nilai (pengungkit + hasil) 100,00 < 101"]


def test_the_workspace_query_counts_do_not_grow_with_answers(client, cast):
    client_for(client, cast.koordinator)
    urls = [reverse("workspace:overview", args=[cast.assessment.code]),
            reverse("workspace:area", args=[cast.assessment.code, "mp"]),
            reverse("workspace:question", args=[cast.assessment.code, "A.I.1.i.a"])]
    for url in urls:
        client.get(url)  # warm the engine instrument cache
    empty = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        empty.append(len(queries))
    answer_many(cast.assessment, cast, n_unit=60, n_tpi=30)
    services.question_return(assessment=cast.assessment, question=question(cast.assessment, "A.I.1.i.a"),
                             user=cast.tpi, note="periksa lagi")
    for url, before in zip(urls, empty, strict=True):
        with CaptureQueriesContext(connection) as answered:
            client.get(url)
        assert len(answered) == before, url
        # (the overview's "Tugas saya" counts unanswered questions: a COUNT, not a second load)
        assert len([q for q in answered.captured_queries if '"scoring_answer"' in q["sql"]
                    and not q["sql"].startswith("SELECT COUNT(")]) == 1
    page = page_of(client, cast.assessment).content.decode()
    assert page.count('class="answer-value fw-semibold"') == 90  # the answers are in the panels


# --- saving through the page (htmx) ------------------------------------------------------


def save_url(assessment, path, side=Side.UNIT):
    return reverse("scoring:save", args=[assessment.code, path, side])


def test_saving_returns_the_answer_box_and_the_score_panel_out_of_band(client, cast):
    client_for(client, cast.timkerja)
    response = client.post(save_url(cast.assessment, "A.I.1.i.a"), {"option": "Ya", "note": "SK ada", "version": 0},
                           **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="answer-box')
    assert 'id="score-panel"' in body and 'hx-swap-oob="true"' in body
    # A.I.1.i (weight 0.5) has one of two questions answered: official 0,50, strict 0,25.
    assert 'id="nilai-total-unit">0,50<' in body
    assert "Jawaban disimpan." in body and 'name="version" value="1"' in body
    assert Answer.objects.get(side=Side.UNIT).note == "SK ada"


def test_without_htmx_saving_redirects_back_to_the_question(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(save_url(cast.assessment, "A.I.1.i.b"), {"option": "B", "version": 0})
    assert response.status_code == 302
    assert response.url == reverse("workspace:question", args=[cast.assessment.code, "A.I.1.i.b"])


def test_counted_inputs_and_the_index_are_saved_from_the_form(client, cast):
    client_for(client, cast.koordinator)
    client.post(save_url(cast.assessment, "A.II.1.i.a"), {"inputs": ["10", " 7 "], "version": 0}, **HTMX)
    client.post(save_url(cast.assessment, "B.I.a.a"), {"index": "3,6", "version": 0}, **HTMX)
    values = {a.question.path: a.value for a in Answer.objects.select_related("question")}
    assert values == {"A.II.1.i.a": [10, 7], "B.I.a.a": 3.6}


def test_a_refused_value_keeps_what_the_user_typed(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(save_url(cast.assessment, "A.II.1.i.a"), {"inputs": ["10", "-2"], "version": 0}, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "jumlah harus bilangan bulat tidak negatif" in body
    assert 'value="-2"' in body
    assert not Answer.objects.exclude(version=0).exists()


def test_a_stale_save_through_the_page_is_refused_with_the_newer_answer_shown(client, cast):
    answer(cast.assessment, "A.I.1.i.b", "A", user=cast.timkerja)
    client_for(client, cast.koordinator)
    response = client.post(save_url(cast.assessment, "A.I.1.i.b"), {"option": "C", "version": 0}, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert f"sudah diubah oleh {cast.timkerja.display_name}" in body
    assert 'value="A" data-value="1.0000"\n               id="pilihan-unit-A.I.1.i.b-A" checked' in body
    assert 'name="version" value="1"' in body
    assert Answer.objects.get().option == "A"


def test_agree_and_return_through_the_page(client, cast, reviu):
    unit = answer(reviu, "A.I.1.i.b", "B", user=cast.koordinator)
    client_for(client, cast.tpi)
    url = reverse("scoring:agree", args=[reviu.code, "A.I.1.i.b"])
    body = client.post(url, {"version": 0, "unit_version": unit.version}, **HTMX).content.decode()
    assert "Jawaban TPI disamakan dengan jawaban unit." in body
    assert 'id="nilai-total-tpi">0,25<' in body
    url = reverse("scoring:return", args=[reviu.code, "A.I.1.i.b"])
    refused = client.post(url, {"note": ""}, **HTMX)
    assert refused.status_code == 422 and "Catatan wajib diisi" in refused.content.decode()
    body = client.post(url, {"note": "Lampirkan daftar hadir"}, **HTMX).content.decode()
    assert "Dikembalikan ke unit" in body and "Lampirkan daftar hadir" in body


def test_my_templates_and_script_hold_the_csp(client, cast):
    files = [*(ROOT / "templates" / "scoring").glob("*.html"), ROOT / "static" / "js" / "scoring.js"]
    assert len(files) >= 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "style=" not in text, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert "eval(" not in text and "innerHTML" not in text, path


# --- gap analysis and history ------------------------------------------------------------


def test_the_gap_page_lists_the_engines_gaps_with_links(client, cast, django_assert_num_queries):
    given = answer_many(cast.assessment, cast, n_unit=30, n_tpi=0)
    answer(cast.assessment, "A.I.1.i.b", "C", user=cast.koordinator)
    given[Side.UNIT]["A.I.1.i.b"] = "C"
    engine_instrument(cast.assessment.instrument)  # warm cache, as on any page after the first
    client_for(client, cast.pimpinan)
    url = reverse("scoring:gap", args=[cast.assessment.code])
    # session, user, assessment, membership, its areas, the side's answers, change areas, the bell's
    # unread count
    with django_assert_num_queries(8):
        response = client.get(url)
    page = response.content.decode()
    expected = gap.gap_analysis(file_instrument(), given[Side.UNIT], limit_per_area=10)
    mp = [row.gap for row in response.context["sections"][0].rows]
    assert mp == expected["MP"]
    assert [s.title for s in response.context["sections"]] == [
        "Manajemen Perubahan", "Penataan Tatalaksana", "Penataan Sistem Manajemen SDM", "Penguatan Akuntabilitas",
        "Penguatan Pengawasan", "Peningkatan Kualitas Pelayanan Publik", "Hasil"]
    top = expected["MP"][0]
    assert f'href="/penilaian/{cast.assessment.code}/pertanyaan/{top.path}/"' in page
    assert f"+{top.points:.2f}".replace(".", ",") in page
    # The IPAK survey is unanswered and alone in its indicator: at its best it adds the whole weight.
    hasil = {row.gap.path: row.gap.points for row in response.context["sections"][-1].rows}
    assert hasil["B.I.a.a"] == pytest.approx(17.5)


def test_the_gap_page_can_show_the_tpi_side(client, cast):
    answer_many(cast.assessment, cast, n_unit=113, n_tpi=0)
    client_for(client, cast.koordinator)
    unit = client.get(reverse("scoring:gap", args=[cast.assessment.code])).context["sections"]
    tpi = client.get(reverse("scoring:gap", args=[cast.assessment.code]), {"sisi": "tpi"}).context["sections"]
    assert all(not s.rows for s in unit)  # everything at its best: nothing to gain
    assert sum(len(s.rows) for s in tpi) > 0


def test_the_history_page_shows_every_change(client, cast, reviu, django_assert_num_queries):
    set_stage(reviu, Stage.PEMBANGUNAN)
    answer(reviu, "A.II.1.i.a", [10, 7], user=cast.timkerja, note="data Januari")
    answer(reviu, "A.II.1.i.a", [10, 9], user=cast.koordinator, note="data Maret")
    set_stage(reviu, Stage.REVIU)
    answer(reviu, "A.II.1.i.a", [10, 8], side=Side.TPI, user=cast.tpi, note="dua belum terintegrasi")
    services.question_return(assessment=reviu, question=question(reviu, "A.II.1.i.a"), user=cast.tpi,
                             note="cek lagi daftar perubahan")
    client_for(client, cast.pimpinan)
    url = reverse("scoring:history", args=[reviu.code, "A.II.1.i.a"])
    # session, user, assessment, membership, its areas, question, its options, its inputs, history,
    # the bell's unread count
    with django_assert_num_queries(10):
        response = client.get(url)
    page = response.content.decode()
    rows = response.context["rows"]
    assert [(r.entry.get_action_display(), r.old, r.new) for r in rows] == [
        ("Dikembalikan ke unit", "10; 9", "10; 9"),
        ("Jawaban disimpan", "", "10; 8"),
        ("Jawaban disimpan", "10; 7", "10; 9"),
        ("Jawaban disimpan", "", "10; 7"),
    ]
    assert "10; 7 → 10; 9" in page and "— → 10; 7" in page
    assert "data Maret" in page and "cek lagi daftar perubahan" in page
    assert cast.timkerja.display_name in page and "Jawaban TPI" in page


def test_the_history_page_of_an_unanswered_question_says_so(client, cast):
    client_for(client, cast.tpi)
    page = client.get(reverse("scoring:history", args=[cast.assessment.code, "A.I.1.i.a"])).content.decode()
    assert "Belum ada perubahan jawaban" in page


def test_a_note_that_is_too_long_is_refused_with_the_reason(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(save_url(cast.assessment, "A.I.1.i.a"), {"option": "Ya", "note": "x" * 4001, "version": 0},
                           **HTMX)
    assert response.status_code == 422
    assert "Catatan: " in response.content.decode() and "4000" in response.content.decode()
    assert not Answer.objects.exists()
