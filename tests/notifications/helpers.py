from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import services as evidence_services
from tests.evidence.files import pdf

MP_QUESTION = "A.I.1.i.a"


def give_emails(cast):
    for name in ("koordinator", "timkerja", "tpi", "pimpinan", "outsider"):
        user = getattr(cast, name)
        user.email = f"{name}@zi.example.go.id"
        user.save(update_fields=["email"])


def submitted_evidence(cast, *, title="SK Tim Kerja", path=MP_QUESTION):
    question = cast.assessment.instrument.questions.get(path=path)
    evidence = evidence_services.evidence_upload(
        assessment=cast.assessment, question=question, user=cast.timkerja,
        upload=SimpleUploadedFile(f"{title}.pdf", pdf(title)), title=title)
    evidence_services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.timkerja)
    evidence.refresh_from_db()
    return evidence
