"""The admin overview: admins only, the engine's numbers for every unit, server-side sorting,
filtering and paging, year-over-year change, and a query count independent of the number of units."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from areas.models import Stage
from dashboards import overview
from evidence.models import Evidence, EvidenceStatus
from plans.models import PlanItem
from scoring import engine, predicate
from scoring.models import Answer, Side
from scoring.selectors import assessment_facts, engine_instrument
from tests.conftest import client_for
from tests.dashboards.builders import build_assessment_data
from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:overview")


def answer_all_best(assessment, user, side=Side.UNIT):
    ins = engine_instrument(assessment.instrument, with_thresholds=False)
    questions = {q.path: q for q in assessment.instrument.questions.all()}
    rows = []
    for path in ins.questions:
        value = engine.best_answer(ins, path)
        rows.append(Answer(assessment=assessment, question=questions[path], side=side, updated_by=user, version=1,
                           option=value if isinstance(value, str) else "",
                           counts=list(value) if isinstance(value, tuple) else None,
                           index=value if isinstance(value, float) else None))
    Answer.objects.bulk_create(rows)


def engine_totals(assessment):
    ins = engine_instrument(assessment.instrument)
    answers = {Side.UNIT: {}, Side.TPI: {}}
    for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
        answers[answer.side][answer.question.path] = answer.value
    scores = {side: engine.score(ins, values) for side, values in answers.items()}
    return scores, {side: predicate.evaluate(ins, s, assessment_facts(assessment)) for side, s in scores.items()}


@pytest.fixture
def units(realistic):
    """realistic (Balai Uji, reviu, both sides) + its 2025 assessment, Unit Lain (nothing answered),
    and two more units of another instansi: one ready for WBK, one (holding WBK) ready for WBBM."""
    cast, today = realistic, realistic.today
    cast.previous = AssessmentFactory(unit=cast.unit, instrument=cast.assessment.instrument, year=today.year - 1)
    build_assessment_data(cast.previous, unit_user=cast.koordinator, tpi_user=cast.tpi, today=today, seed=2)
    cast.wbk = AssessmentFactory(unit=UnitFactory(name="Kantor Siap", instansi="Pemkot Uji"),
                                 instrument=cast.assessment.instrument, stage=Stage.MANDIRI)
    answer_all_best(cast.wbk, cast.koordinator)
    cast.wbbm = AssessmentFactory(unit=UnitFactory(name="Dinas Unggul", instansi="Pemkot Uji"),
                                  instrument=cast.assessment.instrument, holds_wbk=True)
    answer_all_best(cast.wbbm, cast.koordinator)
    return cast


def rows_of(html):
    """Unit names in table order."""
    return re.findall(r'<tr data-unit="[^"]+">\s*<td>[^<]*</td>\s*<td><a href="[^"]+">([^<]+)</a>', html)


# --- access ------------------------------------------------------------------------------


def test_admins_see_it(client, cast):
    assert client_for(client, cast.admin).get(URL).status_code == 200


@pytest.mark.parametrize("role", ["koordinator", "timkerja", "tpi", "pimpinan", "outsider"])
def test_everyone_else_gets_403(client, cast, role):
    assert client_for(client, getattr(cast, role)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_only_admins_get_the_link_in_the_navigation(client, cast):
    assert f'href="{URL}"' in client_for(client, cast.admin).get(reverse("home")).content.decode()
    client.logout()
    assert f'href="{URL}"' not in client_for(client, cast.pimpinan).get(reverse("home")).content.decode()


# --- numbers -----------------------------------------------------------------------------


def test_every_row_has_the_engines_scores_and_the_databases_counts(units):
    today = units.today
    result = overview.admin_overview(year=today.year, today=today)
    rows = {row.assessment.pk: row for row in result.rows}
    assert set(rows) == {units.assessment.pk, units.other_assessment.pk, units.wbk.pk, units.wbbm.pk}
    for assessment_pk, row in rows.items():
        assessment = row.assessment
        scores, results = engine_totals(assessment)
        assert row.unit_total == scores[Side.UNIT].total
        tpi_answered = Answer.objects.filter(assessment_id=assessment_pk, side=Side.TPI).exists()
        assert row.tpi_total == (scores[Side.TPI].total if tpi_answered else None)
        focus = Side.TPI if assessment.stage in (Stage.REVIU, Stage.FINAL) and tpi_answered else Side.UNIT
        assert row.focus == focus
        assert (row.wbk, row.wbbm) == (results[focus]["WBK"].eligible, results[focus]["WBBM"].eligible)
        accepted = Evidence.objects.filter(assessment_id=assessment_pk, withdrawn=False,
                                           status=EvidenceStatus.DITERIMA).values("question").distinct().count()
        assert row.accepted_questions == accepted
        assert row.question_count == assessment.instrument.questions.count()
        assert row.late_items == PlanItem.objects.filter(assessment_id=assessment_pk).late(today).count()
    balai = rows[units.assessment.pk]
    assert balai.accepted_questions > 0 and balai.late_items > 0 and balai.tpi_total is not None
    assert balai.next_goal == "WBK" and balai.reasons == engine_totals(units.assessment)[1][Side.TPI]["WBK"].reasons
    assert (rows[units.wbk.pk].ready, rows[units.wbbm.pk].ready, balai.ready) == ("WBK", "WBBM", "")
    assert (result.ready_wbk, result.ready_wbbm) == (2, 1)
    assert result.total_lines == [("WBK", 75.0), ("WBBM", 85.0)]


def test_year_over_year_change_for_units_with_two_years(units):
    result = overview.admin_overview(year=units.today.year, today=units.today)
    rows = {row.assessment.pk: row for row in result.rows}
    balai = rows[units.assessment.pk]
    now, before = engine_totals(units.assessment)[0], engine_totals(units.previous)[0]
    assert balai.previous == units.previous
    assert balai.unit_change == now[Side.UNIT].total - before[Side.UNIT].total != 0
    assert balai.tpi_change == now[Side.TPI].total - before[Side.TPI].total
    assert rows[units.wbk.pk].unit_change is None  # no assessment the year before
    assert result.with_previous == 1


def test_the_page_shows_counts_and_rows(client, units):
    html = client_for(client, units.admin).get(URL).content.decode()
    assert re.search(r'data-count="wbk">2<', html) and re.search(r'data-count="wbbm">1<', html)
    assert rows_of(html) == ["Balai Uji", "Unit Lain", "Dinas Unggul", "Kantor Siap"]  # instansi, then unit
    balai = overview.admin_overview(year=units.today.year, today=units.today).rows[0]
    assert predicate.format_number(balai.unit_total, 2) in html
    assert 'id="dasbor-data"' in html and 'data-chart="overview"' in html
    assert f'href="{reverse("dashboards:unit", args=[units.assessment.code])}"' in html


# --- sorting, filtering, paging (GET parameters, no JavaScript needed) -------------------


def test_sorting_by_a_column_both_ways(client, units):
    client_for(client, units.admin)
    by_score = rows_of(client.get(URL, {"urut": "-nilai_unit"}).content.decode())
    assert by_score[:2] in (["Dinas Unggul", "Kantor Siap"], ["Kantor Siap", "Dinas Unggul"])
    assert by_score[2:] == ["Balai Uji", "Unit Lain"]
    assert rows_of(client.get(URL, {"urut": "nilai_unit"}).content.decode())[:2] == ["Unit Lain", "Balai Uji"]
    # Units the TPI has not scored go last whichever way.
    assert rows_of(client.get(URL, {"urut": "nilai_tpi"}).content.decode())[0] == "Balai Uji"
    assert rows_of(client.get(URL, {"urut": "-nilai_tpi"}).content.decode())[0] == "Balai Uji"
    assert rows_of(client.get(URL, {"urut": "-predikat"}).content.decode())[:2] == ["Dinas Unggul", "Kantor Siap"]
    html = client.get(URL, {"urut": "-terlambat"}).content.decode()
    assert rows_of(html)[0] == "Balai Uji"
    assert 'aria-sort="descending"' in html and "urut=terlambat" in html  # the next click sorts ascending


def test_filters(client, units):
    client_for(client, units.admin)
    assert rows_of(client.get(URL, {"tahap": "reviu"}).content.decode()) == ["Balai Uji"]
    assert rows_of(client.get(URL, {"instansi": "Pemkot Uji"}).content.decode()) == ["Dinas Unggul", "Kantor Siap"]
    assert rows_of(client.get(URL, {"kesiapan": "wbbm"}).content.decode()) == ["Dinas Unggul"]
    assert rows_of(client.get(URL, {"kesiapan": "belum"}).content.decode()) == ["Balai Uji", "Unit Lain"]
    assert rows_of(client.get(URL, {"q": "unggul"}).content.decode()) == ["Dinas Unggul"]
    html = client.get(URL, {"tahun": units.today.year - 1}).content.decode()
    assert rows_of(html) == ["Balai Uji"] and f"Dasbor semua unit — {units.today.year - 1}" in html
    # Nonsense is ignored, not an error.
    response = client.get(URL, {"tahap": "x", "urut": "drop table", "tahun": "abc", "kesiapan": "?"})
    assert response.status_code == 200 and len(rows_of(response.content.decode())) == 4


def test_more_than_50_rows_are_paged(client, cast, frozen):
    for number in range(50):
        AssessmentFactory(unit=UnitFactory(name=f"Unit {number:02d}", instansi="Kementerian Uji"),
                          instrument=cast.assessment.instrument)
    client_for(client, cast.admin)
    first = client.get(URL, {"urut": "unit"}).content.decode()
    assert len(rows_of(first)) == 50 and "Halaman 1 dari 2" in first
    assert "?urut=unit&amp;halaman=2" in first
    second = client.get(URL, {"urut": "unit", "halaman": 2}).content.decode()
    assert rows_of(second) == ["Unit 49", "Unit Lain"]  # 52 rows: Balai Uji, Unit 00 … Unit 49, Unit Lain


# --- query counts ------------------------------------------------------------------------


def make_units(count, instrument, user, today):
    for number in range(count):
        unit = UnitFactory()
        MembershipFactory(unit=unit, role=Role.KOORDINATOR)
        assessment = AssessmentFactory(unit=unit, instrument=instrument, stage=Stage.REVIU)
        build_assessment_data(assessment, unit_user=user, tpi_user=user, today=today, seed=number)
        previous = AssessmentFactory(unit=unit, instrument=instrument, year=today.year - 1)
        build_assessment_data(previous, unit_user=user, tpi_user=None, today=today, evidence=2, periods=0)


def overview_queries(client):
    client.get(URL)  # warm the engine's instrument cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL)
    assert response.status_code == 200
    return len(context.captured_queries), len(rows_of(response.content.decode()))


def test_the_query_count_is_the_same_for_2_units_and_50(client, cast, frozen):
    client_for(client, cast.admin)
    make_units(1, cast.assessment.instrument, cast.koordinator, frozen)
    few, shown = overview_queries(client)
    assert shown == 3
    make_units(48, cast.assessment.instrument, cast.koordinator, frozen)
    many, shown = overview_queries(client)
    assert shown == 50
    assert many == few


def test_the_exact_queries(client, units, django_assert_num_queries):
    client_for(client, units.admin).get(URL)
    # session, user, years, instansi names, assessments (+ unit, instrument), thresholds (prefetch),
    # answers, accepted questions per assessment, late plan items per assessment, the bell's unread count
    with django_assert_num_queries(10):
        client.get(URL, {"urut": "-nilai_unit"})


# --- the score cache (scoring.selectors.side_scores) -------------------------------------


def test_a_saved_answer_changes_the_overview_at_once(units):
    """The scores are cached by a stamp of the answers: a change through the service is seen on the
    next request, not after the cache expires."""
    from scoring.services import answer_set

    today = units.today
    before = {row.assessment.pk: row for row in overview.admin_overview(year=today.year, today=today).rows}
    answer = (Answer.objects.filter(assessment=units.wbk, side=Side.UNIT, question__answer_type="yes_no")
              .select_related("question").first())
    answer_set(assessment=units.wbk, question=answer.question, side=Side.UNIT, user=units.koordinator,
               value="Tidak", note="", expected_version=answer.version)
    after = {row.assessment.pk: row for row in overview.admin_overview(year=today.year, today=today).rows}
    scores, _results = engine_totals(units.wbk)
    assert after[units.wbk.pk].unit_total == scores[Side.UNIT].total < before[units.wbk.pk].unit_total
    assert after[units.assessment.pk].unit_total == before[units.assessment.pk].unit_total


def test_unchanged_answers_are_not_read_again(units, django_assert_num_queries):
    today = units.today
    overview.admin_overview(year=today.year, today=today)
    # assessments, thresholds, the answers' stamps, accepted questions, late plan items: no answers
    with django_assert_num_queries(5):
        overview.admin_overview(year=today.year, today=today)
