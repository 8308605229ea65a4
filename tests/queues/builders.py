from evidence.models import Evidence, EvidenceKind, EvidenceStatus

STATUSES = [EvidenceStatus.DRAFT, EvidenceStatus.DIAJUKAN, EvidenceStatus.DITERIMA, EvidenceStatus.PERLU_PERBAIKAN]


def bulk_evidence(assessment, owner, n: int, *, areas=("MP", "PT", "SDM")):
    """n link items spread over the questions of the given areas and every review status (rows only:
    these tests count queries, not uploads)."""
    questions = list(assessment.instrument.questions.filter(change_area__code__in=areas).order_by("order"))
    Evidence.objects.bulk_create([
        Evidence(assessment=assessment, question=questions[i % len(questions)], kind=EvidenceKind.LINK,
                 url=f"https://contoh.go.id/bukti/{i}", title=f"Bukti {i}", status=STATUSES[i % 4], owner=owner)
        for i in range(n)
    ], batch_size=1000)
