"""Access matrix of every pengusulan page, the pages' content, and query counts."""

import pytest
from django.urls import reverse

from portal import services
from portal.models import ApiToken, InstansiFact, PredicateAward, UnitFact
from tests.conftest import client_for
from tests.factories import AssessmentFactory, UnitFactory
from tests.portal.conftest import pdf_upload

pytestmark = pytest.mark.django_db
ROLES = ["admin", "koordinator", "timkerja", "tpi", "pimpinan", "outsider", None]


def status_for(client, cast, who, url, method="get", data=None):
    client.logout()
    client_for(client, getattr(cast, who) if who else None)
    return getattr(client, method)(url, data or {}).status_code


def test_checklist_page_access(client, cast):
    url = reverse("portal:checklist", args=[cast.assessment.code])
    expected = {"admin": 200, "koordinator": 200, "timkerja": 200, "tpi": 200, "pimpinan": 200, "outsider": 404}
    for who, status in expected.items():
        assert status_for(client, cast, who, url) == status, who
    assert status_for(client, cast, None, url) == 302


def test_unit_facts_are_recorded_by_the_koordinator_and_admin_only(client, cast):
    url = reverse("portal:checklist", args=[cast.assessment.code])
    data = {"kind": "tlhp", "value": "100", "note": ""}
    for who, status in {"timkerja": 403, "tpi": 403, "pimpinan": 403, "outsider": 404}.items():
        assert status_for(client, cast, who, url, "post", data) == status, who
    assert not UnitFact.objects.exists()
    client_for(client, cast.koordinator)
    response = client.post(url, {**data, "document": pdf_upload()})
    assert response.status_code == 302
    fact = UnitFact.objects.get()
    assert fact.value == "100" and fact.recorded_by == cast.koordinator and fact.document_sha256
    assert not fact.document.name.startswith("/") and "persyaratan/" in fact.document.name
    doc = reverse("portal:document", args=["unit", fact.code])
    assert status_for(client, cast, "pimpinan", doc) == 200
    assert status_for(client, cast, "outsider", doc) == 404


def test_a_bad_value_or_a_bad_document_changes_nothing(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_for(client, cast.koordinator)
    url = reverse("portal:checklist", args=[cast.assessment.code])
    response = client.post(url, {"kind": "tlhp", "value": "seratus"})
    assert response.status_code == 400 and "0–100" in response.content.decode()
    html = SimpleUploadedFile("palsu.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(url, {"kind": "tlhp", "value": "100", "document": html})
    assert response.status_code == 400
    assert not UnitFact.objects.exists()


def test_admin_only_pages_answer_403_to_members_and_redirect_anonymous(client, proposed):
    cast = proposed
    pages = [reverse("portal:index"), reverse("portal:instansi", args=[cast.unit.instansi.code]),
             reverse("portal:proposal", args=[cast.proposal.code])]
    for url in pages:
        assert status_for(client, cast, "admin", url) == 200, url
        for who in ("koordinator", "timkerja", "tpi", "pimpinan"):
            assert status_for(client, cast, who, url) == 403, (who, url)
        assert status_for(client, cast, None, url) == 302
    # The outsider is in another unit: the proposal is not visible to them at all.
    assert status_for(client, cast, "outsider", pages[2]) == 404
    assert status_for(client, cast, "outsider", pages[1]) == 403


def test_propose_and_award_are_admin_actions(client, cast):
    propose = reverse("portal:propose", args=[cast.assessment.code])
    award = reverse("portal:award-add", args=[cast.assessment.code])
    for who in ("koordinator", "tpi", "pimpinan", "timkerja"):
        assert status_for(client, cast, who, propose, "post", {"category": "WBK", "reason": "x"}) == 403
        assert status_for(client, cast, who, award, "post", {"year": 2024, "predicate": "WBK", "sk_number": "1"}) == 403
    client_for(client, cast.admin)
    response = client.post(propose, {"category": "WBK"})
    assert response.status_code == 302 and not cast.assessment.proposals.exists()  # reason required
    response = client.post(propose, {"category": "WBK", "reason": "Prioritas daerah"})
    proposal = cast.assessment.proposals.get()
    assert response.url == reverse("portal:proposal", args=[proposal.code])
    client.post(award, {"year": 2024, "predicate": "WBK", "sk_number": "SK 12/2024"})
    assert PredicateAward.objects.get().sk_number == "SK 12/2024"


def test_the_admin_issues_a_token_shown_once_and_records_instansi_facts(client, cast):
    client_for(client, cast.admin)
    url = reverse("portal:instansi", args=[cast.unit.instansi.code])
    client.post(url + "?tahun=2026", {"action": "token", "label": "PortalRB", "days": 30})
    first = client.get(url + "?tahun=2026").content.decode()
    token = ApiToken.objects.get()
    secret = first.split("data-new-token")[1].split("<code")[1].split(">")[1].split("<")[0]
    assert services.token_find(secret) == token
    assert secret not in client.get(url + "?tahun=2026").content.decode()  # shown once
    client.post(url + "?tahun=2026", {"action": "fact", "kind": "bpk_opinion", "value": "wtp",
                                      "document": pdf_upload()})
    fact = InstansiFact.objects.get()
    assert (fact.value, fact.year, fact.recorded_by) == ("WTP", 2026, cast.admin)
    doc = reverse("portal:document", args=["instansi", fact.code])
    assert status_for(client, cast, "pimpinan", doc) == 200  # a member of a unit of that instansi
    assert status_for(client, cast, "outsider", doc) == 200  # the outsider's unit is in the same instansi
    client_for(client, cast.admin)
    client.post(url, {"action": "revoke-token", "token": token.code})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_dashboard_includes_the_checklist(client, cast):
    client_for(client, cast.pimpinan)
    html = client.get(reverse("dashboards:unit", args=[cast.assessment.code])).content.decode()
    assert "data-persyaratan" in html and "Opini BPK" in html
    # The LKE row names the side it reads as the rest of the page does ("TPI" stays an acronym).
    assert "(Jawaban unit)" in html and "jawaban unit)" not in html


def test_the_instansi_page_shows_the_last_successful_pull_per_unit(client, proposed):
    _row, secret = services.token_issue(instansi=proposed.unit.instansi, user=proposed.admin)
    client.get(f"/api/portalrb/lke/jawaban-unit/{proposed.unit.code}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    client_for(client, proposed.admin)
    html = client.get(reverse("portal:instansi", args=[proposed.unit.instansi.code])).content.decode()
    row = html.split('data-unit-row="Balai Uji"')[1].split("</tr>")[0]
    assert "belum pernah" not in row
    assert html.count("data-pull") == 1


def test_the_instansi_page_queries_grow_per_unit_only_through_the_checklist(client, cast,
                                                                             django_assert_max_num_queries):
    client_for(client, cast.admin)
    url = reverse("portal:instansi", args=[cast.unit.instansi.code])
    client.get(url)
    for number in range(3):
        AssessmentFactory(unit=UnitFactory(name=f"Unit Beban {number}"), instrument=cast.assessment.instrument)
    # Each unit's checklist reads its own facts and answers (about 12 queries per unit); pulls, tokens,
    # proposals and facts of the instansi are one query each.
    with django_assert_max_num_queries(30 + 5 * 14):
        assert client.get(url).status_code == 200


def test_the_checklist_page_queries_do_not_grow_with_answers_or_evidence(client, proposed,
                                                                         django_assert_max_num_queries):
    from tests.evidence.conftest import make_evidence
    from tests.portal.conftest import answer

    client_for(client, proposed.admin)
    url = reverse("portal:checklist", args=[proposed.assessment.code])
    client.get(url)  # warm the engine cache
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    questions = list(proposed.assessment.instrument.questions.filter(answer_type="abc")[:20])
    for question in questions:
        answer(proposed.assessment, question.path, "unit", option="A")
        make_evidence(proposed.assessment, proposed.koordinator, path=question.path)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
