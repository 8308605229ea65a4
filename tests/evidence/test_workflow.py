"""Review workflow: draft -> diajukan -> diterima | perlu perbaikan (note required) -> diajukan …,
submission per question or per indicator, the positive-answer block, comments and completeness."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from areas.models import Stage
from evidence import services
from evidence.models import AuditAction, Comment, Evidence, EvidenceStatus, ReviewEvent
from scoring import selectors as scoring_selectors
from tests.conftest import client_for
from tests.evidence.conftest import MP_QUESTION, make_evidence

pytestmark = pytest.mark.django_db

INDICATOR = "A.I.1.i"  # Penyusunan Tim Kerja: questions A.I.1.i.a and A.I.1.i.b


def submit_url(cast, path=MP_QUESTION):
    return reverse("evidence:submit", args=[cast.assessment.code, path])


def page_text(response) -> str:
    return response.content.decode().replace("&quot;", '"')


def test_the_tim_kerja_submits_a_question_and_each_transition_is_recorded(client, cast):
    first = make_evidence(cast.assessment, cast.timkerja, name="a.pdf")
    second = make_evidence(cast.assessment, cast.timkerja, name="b.pdf")
    client_for(client, cast.timkerja)
    response = client.post(submit_url(cast), follow=True)
    assert "2 bukti diajukan ke TPI." in page_text(response)
    for item in (first, second):
        item.refresh_from_db()
        assert item.status == EvidenceStatus.DIAJUKAN and item.status_changed_at is not None
        event = item.review_events.get()
        assert (event.from_status, event.to_status, event.actor) == ("draft", "diajukan", cast.timkerja)
        assert item.audit_events.filter(action=AuditAction.STATUS).count() == 1


def test_submitting_with_nothing_open_says_so(client, cast):
    client_for(client, cast.timkerja)
    response = client.post(submit_url(cast), follow=True)
    assert "Tidak ada bukti berstatus draf atau perlu perbaikan untuk diajukan." in page_text(response)


def test_a_positive_answer_without_evidence_blocks_the_submission_and_names_what_is_missing(
        client, cast, monkeypatch):
    monkeypatch.setattr(scoring_selectors, "unit_answer_is_positive",
                        lambda *, assessment, question: question.path == "A.I.1.i.b")
    item = make_evidence(cast.assessment, cast.timkerja)  # on A.I.1.i.a, whose answer is not positive
    client_for(client, cast.timkerja)
    response = client.post(reverse("evidence:submit-indicator", args=[cast.assessment.code, INDICATOR]),
                           follow=True)
    text = page_text(response)
    expected = cast.assessment.instrument.questions.get(path="A.I.1.i.b").expected_evidence
    assert "Pertanyaan A.I.1.i.b dijawab positif oleh unit tetapi belum memiliki bukti." in text
    assert expected and expected[0] in text
    item.refresh_from_db()
    assert item.status == EvidenceStatus.DRAFT  # nothing of the indicator was submitted
    assert ReviewEvent.objects.count() == 0


def test_a_positive_answer_with_evidence_submits(cast, monkeypatch):
    monkeypatch.setattr(scoring_selectors, "unit_answer_is_positive", lambda *, assessment, question: True)
    item = make_evidence(cast.assessment, cast.timkerja)
    question = item.question
    submitted = services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.timkerja)
    assert submitted == [item]


def test_a_positive_answer_without_evidence_blocks_a_single_question(cast, monkeypatch):
    monkeypatch.setattr(scoring_selectors, "unit_answer_is_positive", lambda *, assessment, question: True)
    question = cast.assessment.instrument.questions.get(path="B.I.a.a")  # no expected documents listed
    with pytest.raises(ValidationError) as excinfo:
        services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.koordinator)
    assert excinfo.value.messages == [
        "Pertanyaan B.I.a.a dijawab positif oleh unit tetapi belum memiliki bukti. Unggah minimal satu bukti."]


def test_submitting_an_indicator_covers_all_its_questions_only(client, cast):
    in_indicator = [make_evidence(cast.assessment, cast.timkerja, path=p) for p in ("A.I.1.i.a", "A.I.1.i.b")]
    elsewhere = make_evidence(cast.assessment, cast.timkerja, path="A.I.1.ii.a")
    client_for(client, cast.timkerja)
    response = client.post(reverse("evidence:submit-indicator", args=[cast.assessment.code, INDICATOR]),
                           {"kembali": "A.I.1.i.b"})
    assert response.url == reverse("evidence:question", args=[cast.assessment.code, "A.I.1.i.b"])
    assert {e.status for e in Evidence.objects.filter(pk__in=[e.pk for e in in_indicator])} == {"diajukan"}
    elsewhere.refresh_from_db()
    assert elsewhere.status == EvidenceStatus.DRAFT


def test_the_tpi_accepts_or_asks_for_revision_with_a_required_note(client, cast):
    accepted = make_evidence(cast.assessment, cast.timkerja, name="a.pdf")
    revised = make_evidence(cast.assessment, cast.timkerja, name="b.pdf")
    services.evidence_submit(assessment=cast.assessment, questions=[accepted.question], user=cast.timkerja)
    client_for(client, cast.tpi)
    client.post(reverse("evidence:accept", args=[accepted.code]), {"note": "Sesuai."})
    response = client.post(reverse("evidence:revision", args=[revised.code]), {"note": ""})
    assert response.status_code == 400 and "Catatan perbaikan wajib diisi." in page_text(response)
    revised.refresh_from_db()
    assert revised.status == EvidenceStatus.DIAJUKAN
    client.post(reverse("evidence:revision", args=[revised.code]), {"note": "Tanda tangan pimpinan belum ada."})
    accepted.refresh_from_db()
    revised.refresh_from_db()
    assert accepted.status == EvidenceStatus.DITERIMA and revised.status == EvidenceStatus.PERLU_PERBAIKAN
    last = revised.review_events.last()
    assert (last.actor, last.note) == (cast.tpi, "Tanda tangan pimpinan belum ada.")
    # The tim kerja sees the note on the item, replaces the file and submits again.
    client_for(client, cast.timkerja)
    page = page_text(client.get(reverse("evidence:detail", args=[revised.code])))
    assert "Tanda tangan pimpinan belum ada." in page and "Perlu perbaikan" in page
    services.evidence_submit(assessment=cast.assessment, questions=[revised.question], user=cast.timkerja)
    revised.refresh_from_db()
    assert revised.status == EvidenceStatus.DIAJUKAN
    assert [e.to_status for e in revised.review_events.all()] == ["diajukan", "perlu_perbaikan", "diajukan"]


def test_only_submitted_items_can_be_reviewed(client, cast):
    draft = make_evidence(cast.assessment, cast.timkerja)
    client_for(client, cast.tpi)
    response = client.post(reverse("evidence:accept", args=[draft.code]), follow=True)
    assert "Hanya bukti berstatus diajukan yang dapat direviu." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == EvidenceStatus.DRAFT


def test_the_database_refuses_a_revision_event_without_a_note(cast):
    item = make_evidence(cast.assessment, cast.timkerja)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewEvent.objects.create(evidence=item, from_status="diajukan", to_status="perlu_perbaikan",
                                   actor=cast.tpi, note="")


def test_the_timeline_shows_review_events_to_all_and_the_audit_to_koordinator_and_admin(client, cast):
    item = make_evidence(cast.assessment, cast.timkerja, ip_address="10.1.1.1")
    services.evidence_submit(assessment=cast.assessment, questions=[item.question], user=cast.timkerja,
                             ip_address="10.1.2.3")
    services.evidence_request_revision(evidence=item, user=cast.tpi, note="Kurang lengkap", ip_address="10.9.9.9")
    for user, sees_audit in [(cast.koordinator, True), (cast.admin, True), (cast.timkerja, False),
                             (cast.tpi, False), (cast.pimpinan, False)]:
        client_for(client, user)
        page = page_text(client.get(reverse("evidence:detail", args=[item.code])))
        assert "Diajukan → Perlu perbaikan" in page and "Kurang lengkap" in page, user
        assert ("Unggah berkas: bukti.pdf" in page) is sees_audit, user
        assert ("IP 10.1.1.1" in page) is sees_audit, user


def test_the_audit_address_comes_from_the_configured_proxy_header(client, cast, settings):
    settings.EVIDENCE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    item = make_evidence(cast.assessment, cast.timkerja)
    client_for(client, cast.tpi)
    version = item.versions.get()
    client.get(reverse("evidence:download", args=[version.code]), headers={"X-Real-IP": "203.0.113.7"})
    client.get(reverse("evidence:download", args=[version.code]), headers={"X-Real-IP": "bukan-ip"})
    downloads = item.audit_events.filter(action=AuditAction.DOWNLOAD).order_by("pk")
    assert [e.ip_address for e in downloads] == ["203.0.113.7", None]


def test_comments_form_one_thread_per_question_between_team_and_tpi(client, cast):
    client_for(client, cast.timkerja)
    url = reverse("evidence:comment", args=[cast.assessment.code, MP_QUESTION])
    client.post(url, {"body": "SK sedang ditandatangani."})
    client_for(client, cast.tpi)
    client.post(url, {"body": "Baik, ditunggu."})
    response = client.post(url, {"body": "   "})
    assert response.status_code == 400 and "Komentar tidak boleh kosong." in page_text(response)
    page = page_text(client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])))
    assert page.index("SK sedang ditandatangani.") < page.index("Baik, ditunggu.")
    assert list(Comment.objects.values_list("author__username", flat=True)) == ["timkerja", "tpi"]
    area_page = page_text(client.get(reverse("workspace:area", args=[cast.assessment.code, "mp"])))
    assert "2 komentar" in area_page


def test_completeness_compares_expected_documents_with_what_is_there_and_accepted(client, cast):
    question = cast.assessment.instrument.questions.get(path=MP_QUESTION)
    expected = question.expected_evidence
    assert len(expected) == 3
    first = make_evidence(cast.assessment, cast.timkerja, expected_item=expected[0])
    make_evidence(cast.assessment, cast.timkerja, expected_item=expected[1])
    services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.timkerja)
    services.evidence_accept(evidence=first, user=cast.tpi)
    client_for(client, cast.pimpinan)
    page = page_text(client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])))
    assert "2 dari 3 dokumen yang diharapkan sudah ada, 1 diterima TPI." in page
    assert page.count("expected-item is-accepted") == 1 and page.count("expected-item is-missing") == 1
    panel = page_text(client.get(reverse("workspace:question", args=[cast.assessment.code, MP_QUESTION])))
    assert "2/3 ada · 1 diterima" in panel
    area_page = page_text(client.get(reverse("workspace:area", args=[cast.assessment.code, "mp"])))
    assert "2/3 yang diharapkan" in area_page


def test_nothing_changes_in_a_final_assessment(client, cast):
    # The final-assessment rule lives in evidence.access (403); services trust their callers.
    item = make_evidence(cast.assessment, cast.timkerja)
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    code, path = cast.assessment.code, MP_QUESTION
    for user, url, data in (
        (cast.timkerja, reverse("evidence:submit", args=[code, path]), {}),
        (cast.timkerja, reverse("evidence:withdraw", args=[item.code]), {}),
        (cast.tpi, reverse("evidence:comment", args=[code, path]), {"body": "x"}),
    ):
        client_for(client, user)
        assert client.post(url, data).status_code == 403, url
    item.refresh_from_db()
    assert item.status == EvidenceStatus.DRAFT and not item.withdrawn and not Comment.objects.exists()


def test_a_link_must_be_http_or_https(client, cast):
    client_for(client, cast.timkerja)
    url = reverse("evidence:link", args=[cast.assessment.code, MP_QUESTION])
    for bad in ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.go.id/sk.pdf"]:
        response = client.post(url, {"url": bad, "title": "SK"})
        assert response.status_code == 400, bad
    assert Evidence.objects.count() == 0
    response = client.post(url, {"url": "ppid.example.go.id/sk", "title": "SK di PPID"})
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://ppid.example.go.id/sk"


def test_the_team_edits_title_date_and_description_while_the_item_is_open(client, cast):
    item = make_evidence(cast.assessment, cast.timkerja)
    client_for(client, cast.timkerja)
    url = reverse("evidence:edit", args=[item.code])
    client.post(url, {"title": "SK Tim ZI 2026", "document_date": "2026-01-05", "description": "Ditandatangani",
                      "version": 1})
    item.refresh_from_db()
    assert (item.title, str(item.document_date), item.description) == ("SK Tim ZI 2026", "2026-01-05",
                                                                       "Ditandatangani")
    assert item.audit_events.filter(action=AuditAction.EDIT).count() == 1
    services.evidence_submit(assessment=cast.assessment, questions=[item.question], user=cast.timkerja)
    response = client.post(url, {"title": "Diubah setelah diajukan", "version": 2}, follow=True)
    assert "tidak dapat diubah" in page_text(response)
    item.refresh_from_db()
    assert item.title == "SK Tim ZI 2026"


def test_a_stale_edit_is_refused_names_who_changed_it_and_keeps_the_typed_text(client, cast):
    item = make_evidence(cast.assessment, cast.timkerja)
    services.evidence_update(evidence=item, user=cast.koordinator, title="Judul koordinator", description="",
                             document_date=None, expected_item="", expected_version=1)
    client_for(client, cast.timkerja)
    response = client.post(reverse("evidence:edit", args=[item.code]), {"title": "Judul saya", "version": 1})
    assert response.status_code == 409
    text = page_text(response)
    assert "sudah diubah oleh" in text and cast.koordinator.display_name in text
    assert "Judul saya" in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.version) == ("Judul koordinator", 2)
