"""The PortalRB API against its contract (docs/portalrb.md)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Instansi
from portal import mapping, services
from portal.models import ApiToken, PullLog
from tests.factories import AssessmentFactory, UnitFactory
from tests.portal.conftest import YES_NO

pytestmark = pytest.mark.django_db
BASE = "/api/portalrb"


@pytest.fixture
def token(proposed):
    _row, secret = services.token_issue(instansi=proposed.unit.instansi, days=30, user=proposed.admin)
    return secret


def get(client, path, secret=None, **extra):
    if secret:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client.get(BASE + path, **extra)


def assert_envelope(response, status, code=None):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] is True and body["message"]
    assert body["code"] == body["code"].upper()
    if code:
        assert body["code"] == code
    return body


def test_the_wbk_list_names_the_proposed_unit(client, proposed, token):
    response = get(client, "/pengusulan/unit-wbk", token)
    assert response.status_code == 200
    assert response.json() == {"tahun": proposed.assessment.year, "units": [
        {"id": str(proposed.unit.code), "nama": "Balai Uji", "kategori": "WBK", "afirmasi": False}]}
    assert get(client, "/pengusulan/unit-wbbm", token).json()["units"] == []


def test_an_afirmasi_proposal_is_flagged_and_wbbm_goes_to_its_own_list(client, proposed, token):
    extra = UnitFactory(name="Loka Afirmasi")
    services.proposal_create(assessment=AssessmentFactory(unit=extra, instrument=proposed.assessment.instrument),
                             category="WBK-AFIRMASI", reason="uji", user=proposed.admin)
    top = UnitFactory(name="Balai Unggul")
    services.proposal_create(assessment=AssessmentFactory(unit=top, instrument=proposed.assessment.instrument),
                             category="WBBM", reason="uji", user=proposed.admin)
    units = get(client, "/pengusulan/unit-wbk", token).json()["units"]
    assert [(u["nama"], u["kategori"], u["afirmasi"]) for u in units] == [
        ("Balai Uji", "WBK", False), ("Loka Afirmasi", "WBK-AFIRMASI", True)]
    assert [u["nama"] for u in get(client, "/pengusulan/unit-wbbm", token).json()["units"]] == ["Balai Unggul"]


def test_answers_hold_all_127_soal_once_in_master_order_with_every_encoding(client, proposed, token):
    response = get(client, f"/lke/jawaban-unit/{proposed.unit.code}", token)
    assert response.status_code == 200
    body = response.json()
    assert (body["unit_id"], body["nama_unit"], body["tahun"]) == (str(proposed.unit.code), "Balai Uji",
                                                                    proposed.assessment.year)
    answers = body["answers"]
    _year, soals = mapping.master_list()
    assert [a["soal_id"] for a in answers] == [s.id for s in soals] == list(range(1, 128))
    assert all(set(a) == {"soal_id", "jawaban_unit", "jawaban_tpi", "catatan_unit", "bukti_dukung_unit",
                          "catatan_tpi"} for a in answers)
    by_id = {a["soal_id"]: a for a in answers}
    assert by_id[1]["jawaban_unit"] == "Ya" and by_id[1]["jawaban_tpi"] == "Tidak"  # YA_TIDAK: the skema key
    assert by_id[1]["catatan_unit"] == "Tim dibentuk dengan SK"
    assert by_id[1]["catatan_tpi"] == "SK belum ditandatangani"
    assert by_id[2]["jawaban_unit"] == "B" and by_id[2]["jawaban_tpi"] is None  # letters; unanswered → null
    assert by_id[2]["catatan_unit"] is None
    assert [by_id[i]["jawaban_unit"] for i in (113, 114, 115, 116)] == ["10", "1", "4", "5"]  # counts as strings
    assert by_id[125]["jawaban_tpi"] == "3.62" and by_id[125]["jawaban_unit"] is None  # index: decimal string
    assert by_id[127]["jawaban_unit"] is None
    assert by_id[1]["bukti_dukung_unit"].startswith("http://testserver/evaluasi/")
    assert by_id[2]["bukti_dukung_unit"] is None  # no evidence for that question
    assert all(isinstance(a["soal_id"], int) for a in answers)
    assert all(v is None or isinstance(v, str) for a in answers for k, v in a.items() if k != "soal_id")


def test_the_snapshot_is_served_not_the_live_answers(client, proposed, token):
    from tests.portal.conftest import answer

    answer(proposed.assessment, YES_NO, "unit", option="Tidak", note="diubah")
    first = {a["soal_id"]: a for a in get(client, f"/lke/jawaban-unit/{proposed.unit.code}", token).json()["answers"]}
    assert first[1]["jawaban_unit"] == "Ya"
    services.snapshot_create(proposal=proposed.proposal, user=proposed.admin)
    second = {a["soal_id"]: a for a in get(client, f"/lke/jawaban-unit/{proposed.unit.code}", token).json()["answers"]}
    assert second[1]["jawaban_unit"] == "Tidak" and second[1]["catatan_unit"] == "diubah"


def test_a_unit_not_proposed_is_404_data_not_found(client, proposed, token):
    other = UnitFactory(name="Belum Diusulkan")
    AssessmentFactory(unit=other, instrument=proposed.assessment.instrument)
    assert_envelope(get(client, f"/lke/jawaban-unit/{other.code}", token), 404, "DATA_NOT_FOUND")
    services.proposal_withdraw(proposal=proposed.proposal, user=proposed.admin)
    assert_envelope(get(client, f"/lke/jawaban-unit/{proposed.unit.code}", token), 404, "DATA_NOT_FOUND")
    assert get(client, "/pengusulan/unit-wbk", token).json()["units"] == []


def test_a_unit_of_another_instansi_is_403(client, proposed):
    other = Instansi.objects.create(name="Pemerintah Kota Lain", type="pemda")
    _row, secret = services.token_issue(instansi=other, user=proposed.admin)
    assert_envelope(get(client, f"/lke/jawaban-unit/{proposed.unit.code}", secret), 403, "FORBIDDEN")
    assert get(client, "/pengusulan/unit-wbk", secret).json()["units"] == []


def test_unknown_unit_404_and_malformed_unit_id_422(client, proposed, token):
    assert_envelope(get(client, "/lke/jawaban-unit/00000000-0000-0000-0000-000000000000", token), 404, "NOT_FOUND")
    assert_envelope(get(client, "/lke/jawaban-unit/1", token), 422, "INVALID_UNIT_ID")
    assert_envelope(get(client, "/pengusulan/unit-wbk?tahun=2025", token), 422, "INVALID_REQUEST")
    assert_envelope(get(client, "/pengusulan/tidak-ada", token), 404, "NOT_FOUND")


def test_missing_wrong_revoked_and_expired_tokens_are_401(client, proposed, token):
    assert_envelope(get(client, "/pengusulan/unit-wbk"), 401, "UNAUTHORIZED")
    assert_envelope(get(client, "/pengusulan/unit-wbk", token[:-2] + "xx"), 401, "INVALID_TOKEN")
    assert_envelope(get(client, "/pengusulan/unit-wbk", "zip_nope_nope"), 401, "INVALID_TOKEN")
    assert_envelope(client.get(BASE + "/pengusulan/unit-wbk", HTTP_AUTHORIZATION=f"Basic {token}"), 401)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert_envelope(get(client, "/pengusulan/unit-wbk", token), 401, "TOKEN_EXPIRED")
    row = ApiToken.objects.get()
    services.token_revoke(token=row)
    assert_envelope(get(client, "/pengusulan/unit-wbk", token), 401, "TOKEN_REVOKED")


def test_the_token_is_stored_hashed_and_records_its_last_use(client, proposed, token):
    row = ApiToken.objects.get()
    assert token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert row.last_used_at is None
    get(client, "/pengusulan/unit-wbk", token)
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405_with_the_envelope(client, proposed, token, method):
    response = getattr(client, method)(BASE + "/pengusulan/unit-wbk", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "GET"


def test_the_rate_limit_answers_429(client, proposed, token, settings):
    settings.PORTALRB_RATE_LIMIT = 3
    for _i in range(3):
        assert get(client, "/pengusulan/unit-wbk", token).status_code == 200
    response = get(client, "/pengusulan/unit-wbk", token)
    assert_envelope(response, 429, "RATE_LIMITED")
    assert response["Retry-After"] == "60"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert get(client, "/pengusulan/unit-wbk", token).status_code == 200


def test_a_server_error_is_500_with_the_envelope(client, proposed, token, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("portal.api.answers_payload", broken)
    body = assert_envelope(get(client, f"/lke/jawaban-unit/{proposed.unit.code}", token), 500, "INTERNAL_ERROR")
    assert "boom" not in body["message"]


def test_every_pull_is_logged_with_token_endpoint_unit_and_status(client, proposed, token):
    get(client, "/pengusulan/unit-wbk", token)
    get(client, f"/lke/jawaban-unit/{proposed.unit.code}", token)
    get(client, "/pengusulan/unit-wbk")
    logs = list(PullLog.objects.order_by("id"))
    assert [(p.endpoint, p.unit_id, p.status) for p in logs] == [
        ("unit-wbk", "", 200), ("jawaban-unit", str(proposed.unit.code), 200), ("unit-wbk", "", 401)]
    assert logs[0].token == ApiToken.objects.get() and logs[2].token is None
    assert logs[0].instansi == proposed.unit.instansi and logs[0].ip_address == "127.0.0.1"


def test_list_queries_stay_flat(client, proposed, token, django_assert_max_num_queries):
    # token, rate-limit count, proposals, last-used update, pull log insert (+ savepoints)
    with django_assert_max_num_queries(8):
        get(client, "/pengusulan/unit-wbk", token)
    for number in range(5):
        unit = UnitFactory(name=f"Unit Tambahan {number}")
        services.proposal_create(assessment=AssessmentFactory(unit=unit, instrument=proposed.assessment.instrument),
                                 category="WBK", reason="uji", user=proposed.admin)
    with django_assert_max_num_queries(8):
        assert len(get(client, "/pengusulan/unit-wbk", token).json()["units"]) == 6


def test_the_instrument_mapping_matches_the_master_list(instrument_90):
    assert mapping.mapping_problems(instrument_90) == []


def test_a_broken_mapping_is_reported(instrument_90):
    from areas.models import Question

    question = Question.objects.get(instrument=instrument_90, portalrb_soal_id=2)
    Question.objects.filter(pk=question.pk).update(portalrb_soal_id=None)
    try:
        problems = mapping.mapping_problems(instrument_90)
        assert any("Soal 2 " in p for p in problems)
    finally:
        Question.objects.filter(pk=question.pk).update(portalrb_soal_id=2)
