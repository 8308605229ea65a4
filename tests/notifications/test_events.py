"""Each event notifies the right people, in Indonesian, with a link to the object."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from areas.services import assessment_set_stage
from evidence import services as evidence_services
from notifications.models import Kind, Notification
from plans import services as plan_services
from reports.services import report_run
from scoring.models import Side
from tests.reports.conftest import job_for
from tests.scoring.conftest import answer

from .helpers import MP_QUESTION, give_emails, submitted_evidence


def recipients(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def team(cast):
    give_emails(cast)
    return cast


def test_a_revision_request_goes_to_the_uploader_and_the_areas_team(team):
    evidence = submitted_evidence(team)
    evidence_services.evidence_request_revision(evidence=evidence, user=team.tpi, note="Kurang tanda tangan")
    assert recipients(Kind.EVIDENCE_REVISION) == {"timkerja"}  # uploader = the area's tim kerja
    note = Notification.objects.get(kind=Kind.EVIDENCE_REVISION)
    assert note.title == "Bukti perlu perbaikan: SK Tim Kerja"
    assert "Catatan TPI: Kurang tanda tangan" in note.body
    assert note.url == reverse("evidence:detail", args=[evidence.code]) and note.unit == team.unit
    assert note.actor_name == team.tpi.display_name


def test_acceptance_of_a_koordinators_upload_also_reaches_the_areas_tim_kerja(team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.evidence.files import pdf

    question = team.assessment.instrument.questions.get(path=MP_QUESTION)
    evidence = evidence_services.evidence_upload(assessment=team.assessment, question=question,
                                                 user=team.koordinator, upload=SimpleUploadedFile("a.pdf", pdf()))
    evidence_services.evidence_submit(assessment=team.assessment, questions=[question], user=team.koordinator)
    evidence_services.evidence_accept(evidence=evidence, user=team.tpi)
    assert recipients(Kind.EVIDENCE_ACCEPTED) == {"koordinator", "timkerja"}


def test_a_comment_reaches_those_who_uploaded_to_or_answered_the_question(team):
    submitted_evidence(team)
    answer(team.assessment, MP_QUESTION, "Ya", user=team.koordinator)
    question = team.assessment.instrument.questions.get(path=MP_QUESTION)
    evidence_services.comment_add(assessment=team.assessment, question=question, user=team.tpi,
                                  body="Mohon lampirkan notulen.")
    assert recipients(Kind.COMMENT) == {"timkerja", "koordinator"}
    note = Notification.objects.filter(kind=Kind.COMMENT).first()
    assert note.title == f"Komentar baru pada pertanyaan {MP_QUESTION}" and note.body == "Mohon lampirkan notulen."


def test_a_stage_change_reaches_the_whole_unit_but_not_who_changed_it(team):
    assessment_set_stage(assessment=team.assessment, to_stage="mandiri", user=team.koordinator)
    assert recipients(Kind.STAGE_CHANGED) == {"timkerja", "tpi", "pimpinan"}
    assert "Penilaian mandiri" in Notification.objects.filter(kind=Kind.STAGE_CHANGED).first().title


def test_a_finished_report_reaches_its_requester(team):
    job = job_for(team, "rencana_aksi", "xlsx", user=team.pimpinan)
    report_run(job.pk)
    [note] = Notification.objects.filter(kind=Kind.REPORT_READY)
    assert note.recipient == team.pimpinan and note.url == reverse("reports:job", args=[job.code])
    assert note.title.startswith("Laporan siap diunduh")


def test_a_plan_item_assigned_reaches_its_pic_once(team):
    pic = Membership.objects.get(user=team.timkerja)
    indicator = team.assessment.instrument.nodes.get(path="A.I.1.i")
    item = plan_services.plan_item_create(assessment=team.assessment, indicator=indicator, steps="Menyusun SK",
                                          output="SK", target_text="Juni", user=team.koordinator, pic=pic)
    assert recipients(Kind.PLAN_ASSIGNED) == {"timkerja"}
    plan_services.plan_item_update(item=item, user=team.koordinator, expected_version=item.version, steps="Ubah")
    assert Notification.objects.filter(kind=Kind.PLAN_ASSIGNED).count() == 1  # same PIC: no new notification
    item.refresh_from_db()
    other = Membership.objects.get(user=team.koordinator)
    plan_services.plan_item_update(item=item, user=team.timkerja, expected_version=item.version, pic=other)
    assert recipients(Kind.PLAN_ASSIGNED) == {"timkerja", "koordinator"}


def test_a_tpi_answer_that_differs_reaches_the_koordinator(team):
    answer(team.assessment, "A.I.1.i.b", "A", user=team.timkerja)
    answer(team.assessment, "A.I.1.i.b", "A", side=Side.TPI, user=team.tpi)
    assert not Notification.objects.filter(kind=Kind.TPI_DIFFERS).exists()  # same answer
    answer(team.assessment, "A.I.1.i.b", "C", side=Side.TPI, user=team.tpi, note="SK belum ditandatangani")
    [note] = Notification.objects.filter(kind=Kind.TPI_DIFFERS)
    assert note.recipient == team.koordinator
    assert "Jawaban unit: A. Jawaban TPI: C." in note.body and "SK belum ditandatangani" in note.body


def test_nobody_in_another_unit_hears_anything(team):
    evidence = submitted_evidence(team)
    evidence_services.evidence_request_revision(evidence=evidence, user=team.tpi, note="x")
    assessment_set_stage(assessment=team.assessment, to_stage="mandiri", user=team.koordinator)
    assert not Notification.objects.filter(recipient=team.outsider).exists()
