"""The unit dashboard: who sees it, that its numbers are the engine's and the database's, and that
it reads in a fixed number of queries."""

import json
import re

import pytest
from django.db import connection
from django.db.models import Avg, Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import selectors
from evidence.models import Evidence, EvidenceStatus
from plans.models import MonevEntry, MonevPeriod, PlanItem, PlanStatus
from plans.selectors import period_summary
from reports.models import ReportJob
from scoring import engine, predicate
from scoring.models import Answer, Side
from scoring.selectors import assessment_facts, assessment_gaps, engine_instrument, question_sides, score_sides
from tests.conftest import client_for
from tests.dashboards.builders import build_assessment_data, build_evidence, build_monev, build_plans

pytestmark = pytest.mark.django_db


def url(assessment):
    return reverse("dashboards:unit", args=[assessment.code])


# --- access ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "koordinator", "timkerja", "tpi", "pimpinan"])
def test_every_role_of_the_unit_and_admins_see_it(client, realistic, role):
    response = client_for(client, getattr(realistic, role)).get(url(realistic.assessment))
    assert response.status_code == 200
    assert 'id="dasbor-data"' in response.content.decode()


def test_another_units_people_get_404(client, realistic):
    response = client_for(client, realistic.outsider).get(url(realistic.assessment))
    assert response.status_code == 404


def test_a_tpi_sees_only_the_units_it_is_assigned_to(client, realistic):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    other_tpi = MembershipFactory(unit=realistic.other_unit, role=Role.TPI).user
    client_for(client, other_tpi)
    assert client.get(url(realistic.assessment)).status_code == 404
    assert client.get(url(realistic.other_assessment)).status_code == 200


def test_the_outsider_sees_their_own_units_dashboard(client, realistic):
    response = client_for(client, realistic.outsider).get(url(realistic.other_assessment))
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client, realistic):
    response = client.get(url(realistic.assessment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_assessment_header_links_to_the_dashboard(client, realistic):
    page = client_for(client, realistic.pimpinan).get(reverse("workspace:overview", args=[realistic.assessment.code]))
    assert f'href="{url(realistic.assessment)}"' in page.content.decode()


# --- numbers equal the engine's and the database's ---------------------------------------


def engine_sides(assessment):
    ins = engine_instrument(assessment.instrument)
    answers = {Side.UNIT: {}, Side.TPI: {}}
    for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
        answers[answer.side][answer.question.path] = answer.value
    scores = {side: engine.score(ins, values) for side, values in answers.items()}
    facts = assessment_facts(assessment)
    return ins, answers, scores, {side: predicate.evaluate(ins, s, facts) for side, s in scores.items()}


def test_scores_and_predicates_are_the_engines(realistic):
    assessment = realistic.assessment
    ins, _answers, scores, results = engine_sides(assessment)
    dashboard = selectors.unit_dashboard(assessment, today=realistic.today)
    sides = dashboard.side_by_name
    assert scores[Side.UNIT].total > scores[Side.TPI].total > 0  # the data disagrees, so this compares something
    for side in (Side.UNIT, Side.TPI):
        assert sides[side].total == scores[side].total
        assert sides[side].answered == sum(1 for v in scores[side].values.values() if v is not None)
        assert [(p.name, p.eligible, p.reasons) for p in sides[side].predicates] == [
            (name, r.eligible, r.reasons) for name, r in results[side].items()]
    assert dashboard.focus == Side.TPI  # reviu, and the TPI has answered
    # Each area part's percentage is exactly what the predicate check compared with 60 % / 75 %.
    parts = [part for area in dashboard.areas for part in area.parts if part]
    assert len(parts) == 12 and dashboard.part_labels == ["Pemenuhan", "Reform"]
    for side in (Side.UNIT, Side.TPI):
        checks = {c.label: c.actual for c in results[side]["WBK"].checks if c.unit == "%"}
        for part in parts:
            shown = part.unit_percent if side == Side.UNIT else part.tpi_percent
            assert shown == checks[predicate.area_label(ins, ins.nodes[part.path])]
    assert dashboard.area_lines == [("WBK", 60.0), ("WBBM", 75.0)]


def test_the_gap_top_ten_is_the_gap_analysis_best_ten(realistic):
    assessment = realistic.assessment
    dashboard = selectors.unit_dashboard(assessment, today=realistic.today)
    sections = assessment_gaps(assessment=assessment, side=Side.TPI, limit=10)
    expected = sorted((row.gap for s in sections for row in s.rows), key=lambda g: g.points, reverse=True)[:10]
    assert [(g.path, g.points) for g in dashboard.gaps] == [(g.path, g.points) for g in expected]
    assert len(dashboard.gaps) == 10
    first = dashboard.gaps[0]
    area = assessment.instrument.questions.get(path=first.path).change_area
    slug = area.code.lower() if area else "hasil"
    assert first.url == f"/penilaian/{assessment.code}/?area={slug}#q-{first.path}"


def test_evidence_counts_are_the_databases(realistic):
    assessment = realistic.assessment
    dashboard = selectors.unit_dashboard(assessment, today=realistic.today)
    active = Evidence.objects.filter(assessment=assessment, withdrawn=False)
    by_code = {row.code: row for row in dashboard.evidence}
    for code, row in by_code.items():
        in_area = active.filter(question__change_area__code=code) if code else active.filter(
            question__change_area=None)
        for status in EvidenceStatus.values:
            assert getattr(row, status) == in_area.filter(status=status).count(), (code, status)
        assert row.with_accepted == in_area.filter(status=EvidenceStatus.DITERIMA).values(
            "question").distinct().count()
        questions = assessment.instrument.questions
        assert row.questions == (questions.filter(change_area__code=code) if code else questions.filter(
            change_area=None)).count()
    total = dashboard.evidence_total
    assert total.items == active.count() == 10  # the withdrawn item is not counted
    assert total.questions == assessment.instrument.questions.count()
    assert total.with_accepted == active.filter(status=EvidenceStatus.DITERIMA).values("question").distinct().count()
    assert total.with_accepted > 0 and total.perlu_perbaikan > 0 and total.draft > 0 and total.diajukan > 0


def test_plan_counts_are_the_databases(realistic):
    assessment, today = realistic.assessment, realistic.today
    dashboard = selectors.unit_dashboard(assessment, today=today)
    items = PlanItem.objects.for_assessment(assessment)
    for row in dashboard.plans:
        in_area = items.filter(indicator__change_area__code=row.code) if row.code else items.filter(
            indicator__change_area=None)
        assert row.late == in_area.late(today).count()
        assert row.done == in_area.filter(status=PlanStatus.SELESAI).count()
        assert row.total == in_area.count()
    total = dashboard.plans_total
    assert (total.done, total.late, total.total) == (
        items.filter(status=PlanStatus.SELESAI).count(), items.late(today).count(), items.count())
    assert total.done and total.late and total.on_time


def test_the_monev_trend_agrees_with_the_period_summary(realistic):
    assessment, today = realistic.assessment, realistic.today
    dashboard = selectors.unit_dashboard(assessment, today=today)
    periods = list(MonevPeriod.objects.filter(assessment=assessment).order_by("start"))
    assert [point.period for point in dashboard.monev] == periods and len(periods) == 2
    for point in dashboard.monev:
        summary = period_summary(point.period, today=today)["rows"]
        assert point.done == sum(r["done"] for r in summary)
        assert point.late == sum(r["late"] for r in summary)
        assert point.on_track == sum(r["on_track"] for r in summary)
        entries = MonevEntry.objects.filter(period=point.period).aggregate(n=Count("pk"), avg=Avg("progress"))
        assert point.reported == entries["n"]
        assert point.average_progress == pytest.approx(entries["avg"])
    first, second = dashboard.monev
    assert second.average_progress > first.average_progress and second.done > first.done  # a trend to show
    assert second.late > 0


def test_deadlines_count_the_days_left(realistic):
    dashboard = selectors.unit_dashboard(realistic.assessment, today=realistic.today)
    rows = {d.stage: d for d in dashboard.deadlines}
    assert [d.state for d in dashboard.deadlines] == ["past", "past", "current", "upcoming"]
    assert rows["reviu"].days_left == 40 and rows["final"].days_left == 70 and not rows["reviu"].overdue
    realistic.assessment.reviu_deadline = realistic.today.replace(day=18)
    overdue = {d.stage: d for d in selectors.unit_dashboard(realistic.assessment, today=realistic.today).deadlines}
    assert overdue["reviu"].overdue and overdue["reviu"].days_overdue == 3


def cell(html, **data):
    """The text of the table cell carrying these data-* attributes."""
    attrs = "".join(f'[^>]*data-{key}="{value}"' for key, value in data.items())
    match = re.search(rf"<td{attrs}[^>]*>([^<]*)<", html)
    assert match, data
    return match.group(1).strip()


def test_the_page_shows_the_numbers_in_indonesian_format(client, realistic):
    _ins, _answers, scores, _results = engine_sides(realistic.assessment)
    html = client_for(client, realistic.pimpinan).get(url(realistic.assessment)).content.decode()
    for side in (Side.UNIT, Side.TPI):
        shown = re.search(rf'data-total="{side}">([^<]+)<', html).group(1)
        assert shown == predicate.format_number(scores[side].total, 2)
        assert "," in shown
    dashboard = selectors.unit_dashboard(realistic.assessment, today=realistic.today)
    area = dashboard.areas[0]
    assert cell(html, area=area.code, part=0, side="unit") == predicate.format_number(
        area.parts[0].unit_percent, 1) + "%"
    total = dashboard.evidence_total
    assert re.search(rf'data-evidence="total">.*?{total.with_accepted} / {total.questions}', html, re.S)
    assert f'href="{dashboard.gaps[0].url}"' in html
    assert "40 hari lagi" in html


def test_chart_data_goes_through_json_script_with_the_same_numbers(client, realistic):
    html = client_for(client, realistic.koordinator).get(url(realistic.assessment)).content.decode()
    data = json.loads(re.search(r'<script id="dasbor-data" type="application/json">(.*?)</script>', html,
                                re.S).group(1))
    dashboard = selectors.unit_dashboard(realistic.assessment, today=realistic.today)
    areas = data["charts"]["area-0"]
    assert areas["datasets"][0]["data"] == [round(a.parts[0].unit_percent, 2) for a in dashboard.areas]
    assert areas["datasets"][1]["color"] == "#E69F00" and [line["value"] for line in areas["lines"]] == [60, 75]
    assert data["charts"]["plans"]["datasets"][2]["data"] == [row.late for row in dashboard.plans]
    assert {f'data-chart="{key}"' in html for key in data["charts"]} == {True}
    assert "<script>" not in html and 'style="' not in html


def test_a_10_2019_assessment_has_one_part_per_area(client, cast, instrument_10, frozen):
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory(unit=cast.unit, instrument=instrument_10, year=2019)
    build_assessment_data(assessment, unit_user=cast.koordinator, tpi_user=None, today=frozen)
    dashboard = selectors.unit_dashboard(assessment, today=frozen)
    assert dashboard.part_labels == ["Nilai area"] and len(dashboard.areas) == 6
    assert dashboard.area_lines == []  # 10/2019 has no minimum per area
    assert client_for(client, cast.koordinator).get(url(assessment)).status_code == 200


# --- the PDF button ----------------------------------------------------------------------


def test_the_dashboard_offers_its_pdf_through_a_report_job(client, realistic):
    page = url(realistic.assessment)
    html = client_for(client, realistic.koordinator).get(page).content.decode()
    assert "Unduh dasbor (PDF)" in html and reverse("reports:request", args=[realistic.assessment.code]) in html
    response = client.post(reverse("reports:request", args=[realistic.assessment.code]),
                           {"kind": "dashboard", "format": "pdf"})
    assert response.status_code == 302
    assert ReportJob.objects.filter(kind="dashboard", format="pdf", requested_by=realistic.koordinator).exists()


# --- query counts ------------------------------------------------------------------------


def queries_for(client, assessment):
    client.get(url(assessment))  # the engine's instrument cache is warm from here on
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(assessment)).status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_data(client, cast, frozen):
    client_for(client, cast.koordinator)
    small = cast.assessment
    build_assessment_data(small, unit_user=cast.koordinator, tpi_user=cast.tpi, today=frozen, evidence=10)
    from tests.factories import AssessmentFactory

    large = AssessmentFactory(unit=cast.unit, instrument=small.instrument, year=frozen.year - 1)
    build_assessment_data(large, unit_user=cast.koordinator, tpi_user=cast.tpi, today=frozen, evidence=5000,
                          plans_per_indicator=6, periods=6)
    assert Evidence.objects.filter(assessment=large).count() == 5001
    assert PlanItem.objects.filter(assessment=large).count() == 6 * PlanItem.objects.filter(assessment=small).count()
    assert queries_for(client, small) == queries_for(client, large)


def test_the_exact_queries(client, realistic, django_assert_num_queries):
    client_for(client, realistic.koordinator).get(url(realistic.assessment))
    # session, user, assessment (+ unit, instrument), membership (+ its areas), thresholds, answers,
    # change areas, evidence counts, plan items, monev periods, monev entries, the bell's unread count;
    # then the persyaratan panel: its thresholds, instansi facts, unit facts, predicate history,
    # assessment years (its LKE checks and the LHKPN/LHKASN counts come from the dashboard's answers)
    with django_assert_num_queries(18):
        client.get(url(realistic.assessment))


def test_more_plans_and_periods_do_not_add_queries(client, realistic):
    client_for(client, realistic.koordinator)
    before = queries_for(client, realistic.assessment)
    items = build_plans(realistic.assessment, user=realistic.koordinator, today=realistic.today, per_indicator=3)
    MonevPeriod.objects.filter(assessment=realistic.assessment).delete()
    build_monev(realistic.assessment, items, user=realistic.koordinator, today=realistic.today, periods=5)
    build_evidence(realistic.assessment, owner=realistic.koordinator, count=300)
    assert queries_for(client, realistic.assessment) == before


def test_one_questions_sides_agree_with_the_whole_assessments(realistic):
    """The question panel reads one question's answers (scoring.selectors.question_sides); for every
    question they give what scoring the whole assessment gives for it: answer, value and flags."""
    assessment = realistic.assessment
    # one inconsistent ratio answer, so that a flag is compared too
    ratio = Answer.objects.filter(assessment=assessment, counts__isnull=False).select_related("question").first()
    Answer.objects.filter(pk=ratio.pk).update(counts=[5, 1] + list(ratio.counts[2:]))
    ins = engine_instrument(assessment.instrument, with_thresholds=False)
    whole = score_sides(assessment=assessment, ins=ins)
    flagged = 0
    for question in assessment.instrument.questions.all():
        one = question_sides(assessment=assessment, ins=ins, question=question)
        for side in (Side.UNIT, Side.TPI):
            assert one[side].answers.get(question.path) == whole[side].answers.get(question.path)
            assert one[side].score.values[question.path] == whole[side].score.values[question.path]
            expected = [f for f in whole[side].score.flags if f.path == question.path]
            assert one[side].score.flags == expected
            flagged += bool(expected)
    assert flagged


def test_the_persyaratan_panel_reads_the_dashboards_answers_as_its_page_reads_them(realistic):
    """On the dashboard the checklist takes the dashboard's scored answers (no second read); its
    recorded values, LHKPN/LHKASN percentages included, are those of the persyaratan page."""
    from portal.selectors import checklist

    assessment = realistic.assessment
    ins = engine_instrument(assessment.instrument)
    sides = score_sides(assessment=assessment, ins=ins)
    alone, reused = checklist(assessment), checklist(assessment, scored=(ins, sides))
    assert reused.prerequisites.recorded == alone.prerequisites.recorded
    assert {name: (c.eligible, c.reasons) for name, c in reused.lke.items()} == {
        name: (c.eligible, c.reasons) for name, c in alone.lke.items()}
    lke_sourced = [kind for kind, value in alone.prerequisites.recorded["WBK"].items()
                   if str(value.source).startswith("LKE")]
    assert lke_sourced  # the realistic data answers the LHKPN/LHKASN ratio questions
