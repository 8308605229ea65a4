"""The same file (same SHA-256) uploaded twice to one question: allowed, but the person is told
which item already holds it."""

import pytest
from django.urls import reverse

from evidence.models import Evidence
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import MP_QUESTION, post_files, upload_url

pytestmark = pytest.mark.django_db


def test_a_second_copy_is_stored_and_the_warning_names_the_first_item(client, cast):
    client_for(client, cast.timkerja)
    data = files.pdf("SK Tim Kerja")
    first = post_files(client, upload_url(cast.assessment), [("sk-tim.pdf", data)], xhr=True)
    assert "warning" not in first.json()["results"][0]
    Evidence.objects.update(title="SK Tim Kerja ZI 2026")
    second = post_files(client, upload_url(cast.assessment), [("salinan.pdf", data)], xhr=True)
    [result] = second.json()["results"]
    assert second.status_code == 200 and result["ok"] is True
    assert '"SK Tim Kerja ZI 2026"' in result["warning"] and "SHA-256" in result["warning"]
    assert Evidence.objects.count() == 2
    # Without the page's script the form posts normally and the warning waits on the question page.
    third = post_files(client, upload_url(cast.assessment), [("lagi.pdf", data)])
    assert third.status_code == 302 and Evidence.objects.count() == 3
    page = client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])).content.decode()
    assert "alert-warning" in page and "SK Tim Kerja ZI 2026" in page


def test_a_different_file_or_another_question_gets_no_warning(client, cast):
    client_for(client, cast.koordinator)
    post_files(client, upload_url(cast.assessment), [("a.pdf", files.pdf("satu"))], xhr=True)
    other = post_files(client, upload_url(cast.assessment), [("b.pdf", files.pdf("dua"))], xhr=True)
    assert "warning" not in other.json()["results"][0]
    elsewhere = post_files(client, upload_url(cast.assessment, "A.I.1.i.b"), [("a.pdf", files.pdf("satu"))],
                           xhr=True)
    assert "warning" not in elsewhere.json()["results"][0]


def test_a_withdrawn_copy_does_not_count(client, cast):
    client_for(client, cast.timkerja)
    data = files.pdf("ditarik")
    post_files(client, upload_url(cast.assessment), [("a.pdf", data)], xhr=True)
    Evidence.objects.update(withdrawn=True, withdrawn_at="2026-01-01T00:00:00Z")
    again = post_files(client, upload_url(cast.assessment), [("a.pdf", data)], xhr=True)
    assert "warning" not in again.json()["results"][0]
