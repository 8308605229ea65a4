"""The access matrix of every answering view (and the two reading pages).

Allowed: 200 (htmx fragment). Visible but forbidden: 403. Another unit (including a TPI who
is not this unit's TPI): 404. Anonymous: redirect to the login page.
"""

import pytest
from django.urls import reverse

from accounts.models import Role
from areas.models import Stage
from scoring import services
from scoring.models import Answer, AnswerHistory, Side
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.scoring.conftest import HTMX, answer, question, set_stage

pytestmark = pytest.mark.django_db

MP_QUESTION = "A.I.1.i.a"  # Manajemen Perubahan: the tim kerja's area
PW_QUESTION = "A.I.5.i.a"  # Penguatan Pengawasan: not the tim kerja's area
HASIL_QUESTION = "B.I.b.a"  # hasil: no change area, koordinator only


@pytest.fixture
def other_tpi(cast):
    """The TPI of another unit."""
    return MembershipFactory(user__username="tpi_lain", unit=cast.other_unit, role=Role.TPI).user


def user_for(cast, other_tpi, role):
    if role == "anonymous":
        return None
    return other_tpi if role == "other_tpi" else getattr(cast, role)


def save(client, assessment, path, side, **data):
    url = reverse("scoring:save", args=[assessment.code, path, side])
    return client.post(url, {"version": 0, "note": "", **data}, **HTMX)


def assert_status(response, status):
    if status == "login":
        assert response.status_code == 302 and reverse("accounts:login") in response.url
    else:
        assert response.status_code == status, response.content.decode()[:300]


UNIT_ANSWER_ROLES = [
    ("anonymous", "login"), ("admin", 403), ("koordinator", 200), ("timkerja", 200), ("tpi", 403),
    ("pimpinan", 403), ("outsider", 404), ("other_tpi", 404),
]


@pytest.mark.parametrize("stage", [Stage.PEMBANGUNAN, Stage.MANDIRI])
@pytest.mark.parametrize("role, status", UNIT_ANSWER_ROLES)
def test_unit_answers_in_pembangunan_and_mandiri(client, cast, other_tpi, stage, role, status):
    set_stage(cast.assessment, stage)
    client_for(client, user_for(cast, other_tpi, role))
    response = save(client, cast.assessment, MP_QUESTION, Side.UNIT, option="Ya")
    assert_status(response, status)
    saved = Answer.objects.filter(assessment=cast.assessment, side=Side.UNIT, option="Ya").exists()
    assert saved is (status == 200)


@pytest.mark.parametrize("path, role, status", [
    (PW_QUESTION, "timkerja", 403), (PW_QUESTION, "koordinator", 200),
    (HASIL_QUESTION, "timkerja", 403), (HASIL_QUESTION, "koordinator", 200),
])
def test_the_tim_kerja_answers_only_their_own_areas(client, cast, path, role, status):
    client_for(client, getattr(cast, role))
    response = save(client, cast.assessment, path, Side.UNIT, option="A")
    assert_status(response, status)
    assert Answer.objects.exists() is (status == 200)


@pytest.mark.parametrize("stage", [Stage.REVIU, Stage.FINAL])
@pytest.mark.parametrize("role", ["koordinator", "timkerja"])
def test_unit_answers_are_locked_in_reviu_and_final(client, cast, stage, role):
    set_stage(cast.assessment, stage)
    client_for(client, getattr(cast, role))
    assert_status(save(client, cast.assessment, MP_QUESTION, Side.UNIT, option="Ya"), 403)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("role, status", [("koordinator", 200), ("timkerja", 200), ("pimpinan", 403), ("tpi", 403)])
def test_a_returned_question_reopens_the_unit_answer_during_reviu(client, cast, reviu, role, status):
    services.question_return(assessment=reviu, question=question(reviu, MP_QUESTION), user=cast.tpi,
                             note="Lengkapi SK")
    client_for(client, getattr(cast, role))
    assert_status(save(client, reviu, MP_QUESTION, Side.UNIT, option="Ya"), status)
    # Only that question: the next one stays locked.
    assert_status(save(client, reviu, "A.I.1.i.b", Side.UNIT, option="A"), 403)


def test_a_return_does_not_reopen_anything_once_final(client, cast, reviu):
    services.question_return(assessment=reviu, question=question(reviu, MP_QUESTION), user=cast.tpi, note="x")
    set_stage(reviu, Stage.FINAL)
    client_for(client, cast.koordinator)
    assert_status(save(client, reviu, MP_QUESTION, Side.UNIT, option="Ya"), 403)


TPI_ROLES = [
    ("anonymous", "login"), ("admin", 403), ("koordinator", 403), ("timkerja", 403), ("tpi", 200),
    ("pimpinan", 403), ("outsider", 404), ("other_tpi", 404),
]


@pytest.mark.parametrize("role, status", TPI_ROLES)
def test_tpi_answers_in_reviu(client, cast, other_tpi, reviu, role, status):
    client_for(client, user_for(cast, other_tpi, role))
    assert_status(save(client, reviu, MP_QUESTION, Side.TPI, option="Tidak"), status)
    assert Answer.objects.filter(side=Side.TPI, option="Tidak").exists() is (status == 200)


@pytest.mark.parametrize("stage", [Stage.PEMBANGUNAN, Stage.MANDIRI, Stage.FINAL])
def test_the_tpi_answers_only_during_reviu(client, cast, stage):
    set_stage(cast.assessment, stage)
    client_for(client, cast.tpi)
    assert_status(save(client, cast.assessment, MP_QUESTION, Side.TPI, option="Tidak"), 403)


@pytest.mark.parametrize("role, status", TPI_ROLES)
def test_agree_access(client, cast, other_tpi, reviu, role, status):
    unit = answer(reviu, MP_QUESTION, "Ya", user=cast.koordinator)
    client_for(client, user_for(cast, other_tpi, role))
    url = reverse("scoring:agree", args=[reviu.code, MP_QUESTION])
    assert_status(client.post(url, {"version": 0, "unit_version": unit.version}, **HTMX), status)
    assert Answer.objects.filter(side=Side.TPI, option="Ya").exists() is (status == 200)


@pytest.mark.parametrize("role, status", TPI_ROLES)
def test_return_access(client, cast, other_tpi, reviu, role, status):
    client_for(client, user_for(cast, other_tpi, role))
    url = reverse("scoring:return", args=[reviu.code, MP_QUESTION])
    assert_status(client.post(url, {"note": "Lengkapi SK"}, **HTMX), status)
    assert Answer.objects.filter(side=Side.UNIT, returned_at__isnull=False).exists() is (status == 200)


@pytest.mark.parametrize("view", ["agree", "return"])
@pytest.mark.parametrize("stage", [Stage.MANDIRI, Stage.FINAL])
def test_agree_and_return_only_during_reviu(client, cast, view, stage):
    answer(cast.assessment, MP_QUESTION, "Ya", user=cast.koordinator)
    set_stage(cast.assessment, stage)
    client_for(client, cast.tpi)
    url = reverse(f"scoring:{view}", args=[cast.assessment.code, MP_QUESTION])
    assert_status(client.post(url, {"version": 0, "unit_version": 1, "note": "x"}, **HTMX), 403)
    assert AnswerHistory.objects.count() == 1


READ_ROLES = [
    ("anonymous", "login"), ("admin", 200), ("koordinator", 200), ("timkerja", 200), ("tpi", 200),
    ("pimpinan", 200), ("outsider", 404), ("other_tpi", 404),
]


@pytest.mark.parametrize("role, status", READ_ROLES)
def test_history_access(client, cast, other_tpi, role, status):
    client_for(client, user_for(cast, other_tpi, role))
    assert_status(client.get(reverse("scoring:history", args=[cast.assessment.code, PW_QUESTION])), status)


@pytest.mark.parametrize("role, status", READ_ROLES)
def test_gap_analysis_access(client, cast, other_tpi, role, status):
    client_for(client, user_for(cast, other_tpi, role))
    assert_status(client.get(reverse("scoring:gap", args=[cast.assessment.code])), status)


def test_reading_pages_stay_open_in_a_final_assessment(client, cast):
    set_stage(cast.assessment, Stage.FINAL)
    client_for(client, cast.timkerja)
    assert client.get(reverse("scoring:history", args=[cast.assessment.code, MP_QUESTION])).status_code == 200
    assert client.get(reverse("scoring:gap", args=[cast.assessment.code])).status_code == 200


def test_an_unknown_question_side_or_assessment_is_404(client, cast):
    client_for(client, cast.koordinator)
    assert save(client, cast.assessment, "A.I.9.z.z", Side.UNIT, option="Ya").status_code == 404
    assert save(client, cast.assessment, MP_QUESTION, "pimpinan", option="Ya").status_code == 404
    cast.assessment.code = "00000000-0000-0000-0000-000000000000"
    assert save(client, cast.assessment, MP_QUESTION, Side.UNIT, option="Ya").status_code == 404


def test_the_answering_views_only_accept_post(client, cast):
    client_for(client, cast.koordinator)
    for name, args in [("save", [MP_QUESTION, Side.UNIT]), ("agree", [MP_QUESTION]), ("return", [MP_QUESTION])]:
        assert client.get(reverse(f"scoring:{name}", args=[cast.assessment.code, *args])).status_code == 405


def test_another_units_question_path_cannot_reach_this_unit(client, cast):
    """The outsider coordinates the other unit: their own assessment works, this one is 404."""
    client_for(client, cast.outsider)
    assert save(client, cast.other_assessment, MP_QUESTION, Side.UNIT, option="Ya").status_code == 200
    assert save(client, cast.assessment, MP_QUESTION, Side.UNIT, option="Ya").status_code == 404
    assert list(Answer.objects.values_list("assessment", flat=True)) == [cast.other_assessment.pk]


# --- the helpers themselves (docs/roles.md) -------------------------------------------------


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_is_returned_looks_at_this_assessment_only(cast):
    from django.utils import timezone

    from scoring import access

    path = "A.I.1.i.a"
    Answer.objects.create(assessment=cast.other_assessment, question=question(cast.other_assessment, path),
                          side=Side.UNIT, option="Ya", returned_at=timezone.now(), return_note="Lengkapi SK")
    assert access.is_returned(assessment=cast.other_assessment, question=question(cast.assessment, path)) is True
    assert access.is_returned(assessment=cast.assessment, question=question(cast.assessment, path)) is False


def test_writing_needs_a_side(cast):
    from scoring import access

    with pytest.raises(ValueError, match=r"^write access needs a side$"):
        access.get_answer_target_for_user(_request(cast.koordinator), cast.assessment.code, "A.I.1.i.a", None)


def test_the_answer_target_comes_with_its_options_and_inputs(cast, django_assert_num_queries):
    from accounts.access import team_area_ids
    from scoring import access

    request = _request(cast.koordinator)
    team_area_ids(cast.koordinator, cast.unit)  # the membership is cached on the user
    target = access.get_answer_target_for_user(request, cast.assessment.code, "A.II.1.i.a", None, write=False)
    with django_assert_num_queries(0):
        assert [o.key for o in target.question.options.all()] == []
        assert len(target.question.inputs.all()) == 2
        assert target.question.change_area.code == "MP"
