"""The assessment page's quick upload counts toward completeness: matched to the expected document
its name names, otherwise counted for the question as "lainnya"."""

import re

from django.urls import reverse

from evidence import services
from evidence.matching import match_expected
from evidence.models import Evidence
from tests.conftest import client_for
from tests.reports.test_evidence_package import manifest_rows, package_for

from .conftest import MP_QUESTION, post_files, question_of, upload_url
from .files import pdf

EXPECTED = ["SK Kepala Unit Kerja tentang Tim Kerja Pembangunan Zona Integritas",
            "Struktur dan uraian tugas Tim Kerja ZI per area perubahan",
            "Undangan, notulen dan daftar hadir rapat pembentukan Tim Kerja ZI"]


def test_names_are_matched_only_when_they_clearly_name_one_document():
    assert match_expected(EXPECTED, ["SK_Tim_Kerja_ZI_2024.pdf"]) == EXPECTED[0]
    assert match_expected(EXPECTED, ["struktur-uraian-tugas.pdf"]) == EXPECTED[1]
    assert match_expected(EXPECTED, ["Notulen rapat pembentukan tim.pdf"]) == EXPECTED[2]
    assert match_expected(EXPECTED, ["Tim Kerja ZI.pdf"]) == ""  # fits several equally
    assert match_expected(EXPECTED, ["scan0001.pdf"]) == ""
    assert match_expected([], ["SK_Tim_Kerja_ZI.pdf"]) == ""


def summary_of(html: str, path: str) -> str:
    return re.search(rf'<div class="evidence-summary[^"]*" data-question="{re.escape(path)}">(.*?)</form>',
                     html, re.S).group(1)


def test_a_quick_upload_named_after_a_document_fills_it(client, cast):
    question = question_of(cast.assessment)
    question.expected_evidence = EXPECTED
    question.save()
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("SK_Tim_Kerja_ZI_2024.pdf", pdf())], xhr=True)
    assert response.status_code == 200
    assert Evidence.objects.get().expected_item == EXPECTED[0]
    page = client.get(reverse("workspace:question", args=[cast.assessment.code, MP_QUESTION])).content.decode()
    assert "1/3 ada · 0 diterima" in summary_of(page, MP_QUESTION)
    detail = client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])).content.decode()
    assert "1 dari 3 dokumen yang diharapkan sudah ada" in detail


def test_an_unnamed_quick_upload_counts_for_the_question_as_lainnya(client, cast):
    question = question_of(cast.assessment)
    question.expected_evidence = EXPECTED
    question.save()
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment), [("scan0001.pdf", pdf())], xhr=True)
    assert Evidence.objects.get().expected_item == ""
    page = client.get(reverse("workspace:question", args=[cast.assessment.code, MP_QUESTION])).content.decode()
    summary = summary_of(page, MP_QUESTION)
    assert "0/3 ada" in summary and "+1 lainnya" in summary
    detail = client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])).content.decode()
    assert "Lainnya (tidak menyebut dokumen di atas): 1 bukti" in detail
    # The question has evidence now: it leaves the team's "without evidence" queue.
    queue = client.get(reverse("queues:questions", args=[cast.assessment.code]),
                       {"status": "tanpa-bukti", "q": MP_QUESTION}).content.decode()
    assert "0 butir" in queue


def test_the_full_form_choosing_lainnya_is_not_second_guessed(client, cast):
    question = question_of(cast.assessment)
    question.expected_evidence = EXPECTED
    question.save()
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment), [("SK_Tim_Kerja_ZI_2024.pdf", pdf())],
               fields={"expected_item": "", "title": "", "description": ""}, xhr=True)
    assert Evidence.objects.get().expected_item == ""


def test_the_evidence_package_names_the_document_each_quick_upload_fills(client, cast):
    question = question_of(cast.assessment)
    question.expected_evidence = EXPECTED
    question.save()
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment),
               [("SK_Tim_Kerja_ZI_2024.pdf", pdf()), ("scan0001.pdf", pdf("lain"))], xhr=True)
    services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.timkerja)
    rows = {row["NAMA BERKAS ASLI"]: row for row in manifest_rows(package_for(cast))}
    assert rows["SK_Tim_Kerja_ZI_2024.pdf"]["BUKTI YANG DIPENUHI"] == EXPECTED[0]
    assert rows["scan0001.pdf"]["BUKTI YANG DIPENUHI"] == "Lainnya"
