import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role
from areas.models import Stage, StageChange
from tests.conftest import client_for
from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = ["admin", "koordinator", "timkerja", "tpi", "pimpinan", "outsider"]


def test_anonymous_visitors_are_sent_to_login(client, cast, instrument_90):
    for url in [
        reverse("areas:instruments"),
        reverse("areas:instrument", args=[instrument_90.uuid]),
        reverse("areas:assessment", args=[cast.assessment.code]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url, url
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.MANDIRI})
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_signed_in_user_browses_the_instruments(client, cast, instrument_90, role):
    client_for(client, getattr(cast, role))
    assert client.get(reverse("areas:instruments")).status_code == 200
    response = client.get(reverse("areas:instrument", args=[instrument_90.uuid]))
    assert response.status_code == 200
    assert "A.I.1.i.a" in response.content.decode()


def test_the_instrument_browser_searches_questions_and_criteria(client, cast, instrument_90):
    client_for(client, cast.timkerja)
    page = client.get(reverse("areas:instrument", args=[instrument_90.uuid]), {"q": "LHKPN"}).content.decode()
    assert "A.II.5.iii.a.a" in page
    assert "A.I.1.i.a" not in page
    assert "pertanyaan cocok" in page
    empty = client.get(reverse("areas:instrument", args=[instrument_90.uuid]), {"q": "zzzzqqq"}).content.decode()
    assert "Tidak ada yang cocok" in empty


def test_the_instrument_browser_shows_weights_types_criteria_and_thresholds(client, cast, instrument_10):
    client_for(client, cast.pimpinan)
    page = client.get(reverse("areas:instrument", args=[instrument_10.uuid])).content.decode()
    assert "Manajemen Perubahan" in page and "bobot 8" in page
    assert "A/B/C/D/E" in page
    assert "asumsi" in page  # inferred answer types and weights are marked
    assert "belum terkonfirmasi" in page


@pytest.mark.parametrize("role, status", [
    ("admin", 200), ("koordinator", 200), ("timkerja", 200), ("tpi", 200), ("pimpinan", 200), ("outsider", 404),
])
def test_assessment_page_access(client, cast, role, status):
    client_for(client, getattr(cast, role))
    assert client.get(reverse("areas:assessment", args=[cast.assessment.code])).status_code == status


def test_an_unknown_assessment_is_404(client, cast):
    client_for(client, cast.admin)
    url = reverse("areas:assessment", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_the_assessment_page_lists_six_areas_indicators_and_questions(client, cast):
    client_for(client, cast.timkerja)
    response = client.get(reverse("areas:assessment", args=[cast.assessment.code]))
    page = response.content.decode()
    for name in ["Manajemen Perubahan", "Penataan Tatalaksana", "Penataan Sistem Manajemen SDM",
                 "Penguatan Akuntabilitas", "Penguatan Pengawasan", "Peningkatan Kualitas Pelayanan Publik", "Hasil"]:
        assert name in page
    assert page.count('class="question assessment-question"') == 113
    assert "Penyusunan Tim Kerja" in page
    assert "SK Kepala Unit Kerja tentang Tim Kerja" in page  # expected evidence
    assert page.count("area Anda") >= 2  # the tim kerja's MP and PT are marked
    sections = {s.slug: s.question_count for s in response.context["sections"]}
    expected = {code.lower(): cast.assessment.instrument.questions.filter(change_area__code=code).count()
                for code in ["MP", "PT", "SDM", "AK", "PW", "PP"]}
    assert sections == {**expected, "hasil": 3}
    assert sum(sections.values()) == 113


def test_the_area_filter_shows_one_area(client, cast):
    client_for(client, cast.koordinator)
    page = client.get(reverse("areas:assessment", args=[cast.assessment.code]), {"area": "pw"}).content.decode()
    assert page.count('class="question assessment-question"') == 22  # 12 pemenuhan + 10 reform
    assert "A.II.5.iii.a.a" in page and "A.I.1.i.a" not in page


def test_the_assessment_page_query_count_does_not_grow_with_the_users_units(client, cast):
    client_for(client, cast.timkerja)
    url = reverse("areas:assessment", args=[cast.assessment.code])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        extra = UnitFactory(name=f"Unit Tambahan {n}")
        MembershipFactory(user=cast.timkerja, unit=extra, role=Role.TIM_KERJA, areas=[cast.areas["PW"]])
        AssessmentFactory(unit=extra, instrument=cast.assessment.instrument)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
    # The tree itself: nodes, questions, options, inputs, each loaded once.
    tree_queries = [q["sql"] for q in after.captured_queries if '"areas_question' in q["sql"].split("FROM")[1][:40]
                    or '"areas_instrumentnode"' in q["sql"].split("FROM")[1][:40]]
    assert len(tree_queries) == 4


@pytest.mark.parametrize("role, status", [
    ("admin", 302), ("koordinator", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404),
])
def test_stage_change_access(client, cast, role, status):
    client_for(client, getattr(cast, role))
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.MANDIRI})
    assert response.status_code == status
    cast.assessment.refresh_from_db()
    assert (cast.assessment.stage == Stage.MANDIRI) == (status == 302)


def test_a_stage_change_is_recorded_with_who_and_when(client, cast):
    client_for(client, cast.koordinator)
    client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.MANDIRI, "note": "Siap"})
    change = StageChange.objects.get(assessment=cast.assessment)
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        Stage.PEMBANGUNAN, Stage.MANDIRI, cast.koordinator, "Siap")
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage_changed_at is not None


def test_a_final_assessment_is_read_only_for_the_koordinator(client, cast):
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    client_for(client, cast.koordinator)
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.REVIU})
    assert response.status_code == 403
    page = client.get(reverse("areas:assessment", args=[cast.assessment.code])).content.decode()
    assert "sudah final" in page and "Ubah tahap penilaian" not in page


def test_reopening_a_final_assessment_needs_a_reason(client, cast):
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    client_for(client, cast.admin)
    client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.REVIU, "note": " "})
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == Stage.FINAL
    client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.REVIU, "note": "Koreksi"})
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == Stage.REVIU


def test_an_unknown_stage_changes_nothing(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": "lompat"}, follow=True)
    assert "Tahap tidak valid" in response.content.decode()
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == Stage.PEMBANGUNAN
    assert not StageChange.objects.exists()


def test_membership_is_required_per_unit_not_per_instance(cast):
    assert Membership.objects.filter(user=cast.outsider, unit=cast.unit).count() == 0
