"""PortalRB's side of the contract, over real HTTP against a live server: pull the lists, then every
unit's answers, and compare them with the portal's own answers."""

import json
import urllib.request

import pytest

from accounts.models import Instansi
from portal import mapping, services
from scoring.models import Answer
from tests.factories import AssessmentFactory, UnitFactory
from tests.portal.conftest import answer

pytestmark = pytest.mark.django_db(transaction=True)


def pull(url, token):
    request = urllib.request.Request(url, headers=  # noqa: S310 - the live server
        {"Authorization": f"Bearer {token}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test's own live server
        assert response.status == 200
        return json.loads(response.read())


def expected_value(soal, target, stored: Answer | None):
    if stored is None or stored.value is None:
        return None
    if soal.is_count:
        return str(stored.counts[target.input_order])
    if soal.jenis == "0-4":
        return f"{stored.index:.2f}"
    return stored.option


def test_portalrb_pulls_lists_then_every_unit_and_gets_the_portal_answers(live_server, proposed):
    cast = proposed
    second = AssessmentFactory(unit=UnitFactory(name="Dinas Kedua"), instrument=cast.assessment.instrument)
    answer(second, "A.I.1.i.a", "unit", option="Tidak", note="belum")
    answer(second, "A.II.6.i.b", "tpi", counts=[3, 7])
    services.proposal_create(assessment=second, category="WBK-AFIRMASI", reason="afirmasi", user=cast.admin)
    _row, token = services.token_issue(instansi=Instansi.objects.get(name="Kementerian Uji"), user=cast.admin)
    base = f"{live_server.url}/api/portalrb"

    wbk = pull(f"{base}/pengusulan/unit-wbk", token)
    wbbm = pull(f"{base}/pengusulan/unit-wbbm", token)
    units = wbk["units"] + wbbm["units"]
    assert {u["nama"] for u in units} == {"Balai Uji", "Dinas Kedua"}

    _year, soals = mapping.master_list()
    targets = mapping.instrument_targets(cast.assessment.instrument)
    for unit in units:
        body = pull(f"{base}/lke/jawaban-unit/{unit['id']}", token)
        assert body["unit_id"] == unit["id"] and body["nama_unit"] == unit["nama"]
        assert [a["soal_id"] for a in body["answers"]] == [s.id for s in soals]
        assessment = cast.assessment if unit["nama"] == "Balai Uji" else second
        stored = {(a.question.path, a.side): a for a in Answer.objects.filter(assessment=assessment)
                  .select_related("question")}
        compared = 0
        for soal, row in zip(soals, body["answers"], strict=True):
            target = targets[soal.id]
            for side in ("unit", "tpi"):
                mine = stored.get((target.path, side))
                assert row[f"jawaban_{side}"] == expected_value(soal, target, mine), (soal.id, side)
                assert row[f"catatan_{side}"] == ((mine.note or None) if mine else None)
                compared += mine is not None
        assert compared == len(stored) + sum(  # ratio answers appear once per counted soal
            len([s for s in soals if targets[s.id].path == path]) - 1
            for (path, _side) in stored if any(targets[s.id].path == path and s.is_count for s in soals))
        if unit["nama"] == "Balai Uji":
            url = next(a["bukti_dukung_unit"] for a in body["answers"] if a["bukti_dukung_unit"])
            with urllib.request.urlopen(url, timeout=30) as page:  # noqa: S310 - no session, no token
                assert page.status == 200 and "SK di situs" in page.read().decode()
