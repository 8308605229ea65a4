"""The pages that list evidence run a fixed number of queries, however much evidence there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import Comment, Evidence, EvidenceKind, EvidenceStatus, EvidenceVersion
from tests.conftest import client_for
from tests.evidence.conftest import MP_QUESTION

pytestmark = pytest.mark.django_db

STATUSES = [EvidenceStatus.DRAFT, EvidenceStatus.DIAJUKAN, EvidenceStatus.DITERIMA]


def add_evidence(cast, questions, per_question):
    """Rows only (the pages do not read the files): per_question items and one comment per question."""
    items = [
        Evidence(assessment=cast.assessment, question=question, kind=EvidenceKind.LINK, owner=cast.timkerja,
                 title=f"Bukti {question.path} #{n}", url="https://zi.example.go.id/", status=STATUSES[n % 3],
                 expected_item=(question.expected_evidence or [""])[0])
        for question in questions for n in range(per_question)
    ]
    Evidence.objects.bulk_create(items)
    Comment.objects.bulk_create(
        Comment(assessment=cast.assessment, question=q, author=cast.tpi, body="Cek") for q in questions)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_workspace_pages_run_as_many_queries_with_300_items_as_with_30(client, cast):
    # Evidence queries on the overview and area pages: items grouped by question and status, comment
    # counts per question, and the user's membership (cached for the request); whatever else the
    # pages run is the same in both measurements.
    questions = list(cast.assessment.instrument.questions.filter(change_area__code="MP").order_by("order"))
    urls = [reverse("workspace:overview", args=[cast.assessment.code]),
            reverse("workspace:area", args=[cast.assessment.code, "mp"])]
    client_for(client, cast.timkerja)
    for url in urls:
        client.get(url)  # warm caches (content types, sessions) outside the measurement

    add_evidence(cast, questions[:2], 3)
    small = [count_queries(client, url) for url in urls]
    page = client.get(urls[1]).content.decode()
    assert page.count('data-evidence="3"') == 2

    add_evidence(cast, questions[2:], 20)
    large = [count_queries(client, url) for url in urls]
    page = client.get(urls[1]).content.decode()
    assert page.count('data-evidence="20"') == len(questions) - 2

    assert large == small


def test_the_question_page_runs_as_many_queries_with_30_items_as_with_3(client, cast):
    question = cast.assessment.instrument.questions.get(path=MP_QUESTION)
    url = reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])
    client_for(client, cast.timkerja)
    client.get(url)

    add_evidence(cast, [question], 3)
    small = count_queries(client, url)
    Evidence.objects.bulk_create(
        Evidence(assessment=cast.assessment, question=question, kind=EvidenceKind.FILE, owner=cast.timkerja,
                 title=f"Berkas {n}") for n in range(27))
    EvidenceVersion.objects.bulk_create(
        EvidenceVersion(evidence=item, number=1, file=f"evidence/x/{item.pk}.pdf", original_name=f"{item.pk}.pdf",
                        size=10, sha256="0" * 64, content_type="application/pdf", uploaded_by=cast.timkerja)
        for item in Evidence.objects.filter(kind=EvidenceKind.FILE))
    large = count_queries(client, url)
    assert client.get(url).content.decode().count("/unduh/") == 27  # one download link per file item
    assert large == small
