"""Work queues: counts, lists, filters, access, and flat query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from evidence.models import Evidence, EvidenceStatus
from queues import selectors
from tests.conftest import client_for

from .builders import bulk_evidence

LISTS = ["queues:evidence", "queues:questions", "queues:plans"]


def counts_on(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(
        r'data-queue="([\w-]+)">\s*<span>[^<]*</span>\s*<span class="[^"]*" data-count>(\d+)</span>', html)}


@pytest.mark.parametrize("name", LISTS)
def test_lists_follow_the_access_matrix(client, cast, name):
    url = reverse(name, args=[cast.assessment.code])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for role in ("admin", "koordinator", "timkerja", "tpi", "pimpinan"):
        client_for(client, getattr(cast, role))
        assert client.get(url).status_code == 200, role
    client_for(client, cast.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name, columns", [
    ("queues:evidence", ["Bukti", "Pertanyaan", "Area", "Status", "Sejak"]),
    ("queues:questions", ["Pertanyaan", "Area", "Tindakan"]),
    ("queues:plans", ["Langkah aksi", "Indikator", "PIC", "Target", "Status"]),
])
def test_each_list_has_its_columns_in_the_table_and_the_page_head_intact(client, cast, make_item, name, columns):
    """The lists share one skeleton template; their column headings belong in the table only, and the
    page's <head> keeps the stylesheets base.html puts there."""
    import lxml.html

    bulk_evidence(cast.assessment, cast.timkerja, 2)
    make_item(target="Januari 2026")
    client_for(client, cast.koordinator)
    document = lxml.html.document_fromstring(client.get(reverse(name, args=[cast.assessment.code]),
                                                        {"status": "semua" if name == "queues:plans" else ""}).content)
    assert [th.text_content().strip() for th in document.xpath("//main//table/thead//th")] == columns
    head = document.head
    assert not head.xpath(".//th") and head.xpath(".//link[@rel='stylesheet']")
    assert columns[0] not in (document.body.text or "")


def test_the_landing_page_shows_each_roles_queues_linking_to_their_lists(client, cast):
    bulk_evidence(cast.assessment, cast.timkerja, 8)
    expected = {
        "timkerja": {"perbaikan", "belum-dijawab", "tanpa-bukti", "rencana"},
        "koordinator": {"perbaikan", "draf", "belum-dijawab", "tanpa-bukti", "rencana"},
        "tpi": {"reviu", "belum-dinilai", "jawaban-berubah"},
        "pimpinan": {"terlambat", "area"},
    }
    for role, keys in expected.items():
        client_for(client, getattr(cast, role))
        html = client.get(reverse("home") + "?daftar=1").content.decode()
        assert "Tugas saya" in html
        assert set(counts_on(html)) == keys, role


def test_the_tim_kerja_queue_counts_only_their_areas(client, cast):
    bulk_evidence(cast.assessment, cast.timkerja, 40)  # MP, PT (theirs) and SDM (not theirs)
    mine = Evidence.objects.filter(status=EvidenceStatus.PERLU_PERBAIKAN, question__change_area__code__in=["MP", "PT"])
    everyone = Evidence.objects.filter(status=EvidenceStatus.PERLU_PERBAIKAN)
    assert 0 < mine.count() < everyone.count()
    client_for(client, cast.timkerja)
    assert counts_on(client.get(reverse("home") + "?daftar=1").content.decode())["perbaikan"] == mine.count()
    client_for(client, cast.koordinator)
    assert counts_on(client.get(reverse("home") + "?daftar=1").content.decode())["perbaikan"] == everyone.count()
    client_for(client, cast.timkerja)
    url = reverse("queues:evidence", args=[cast.assessment.code])
    page = client.get(url, {"status": "perlu_perbaikan", "saya": "1"}).content.decode()
    assert f"{mine.count()} butir" in page


def test_the_evidence_list_searches_filters_and_pages(client, cast):
    bulk_evidence(cast.assessment, cast.timkerja, 60)
    client_for(client, cast.tpi)
    url = reverse("queues:evidence", args=[cast.assessment.code])
    submitted = Evidence.objects.filter(status=EvidenceStatus.DIAJUKAN).count()
    page1 = client.get(url, {"status": "diajukan"}).content.decode()
    assert f"{submitted} butir" in page1
    assert "Halaman 1 dari" not in page1 or submitted > 25
    one = client.get(url, {"q": "Bukti 13"}).content.decode()
    assert "Bukti 13" in one and "1 butir" in one
    sdm = Evidence.objects.filter(question__change_area__code="SDM").count()
    assert f"{sdm} butir" in client.get(url, {"area": "SDM"}).content.decode()
    all_items = client.get(url).content.decode()
    assert "Halaman 1 dari 3" in all_items
    assert "Halaman 3 dari 3" in client.get(url, {"page": 3}).content.decode()


def test_the_tpis_review_queue_is_oldest_first(cast):
    bulk_evidence(cast.assessment, cast.timkerja, 12)
    items = list(Evidence.objects.filter(status=EvidenceStatus.DIAJUKAN).order_by("pk"))
    now = timezone.now()
    for age, item in enumerate(items):
        Evidence.objects.filter(pk=item.pk).update(status_changed_at=now - timezone.timedelta(days=age))
    queue = list(selectors.evidence_queue(cast.assessment, status=EvidenceStatus.DIAJUKAN))
    assert [e.pk for e in queue] == [e.pk for e in reversed(items)]


def test_question_lists_by_status(client, cast):
    bulk_evidence(cast.assessment, cast.timkerja, 4, areas=("MP",))
    client_for(client, cast.koordinator)
    url = reverse("queues:questions", args=[cast.assessment.code])
    total = cast.assessment.instrument.questions.count()
    with_evidence = Evidence.objects.values("question").distinct().count()
    assert f"{total - with_evidence} butir" in client.get(url, {"status": "tanpa-bukti"}).content.decode()
    assert f"{total} butir" in client.get(url, {"status": "belum-dijawab"}).content.decode()


def test_the_plan_queue_of_a_tim_kerja_is_their_own(client, cast, make_item):
    today = timezone.localdate()
    me = Membership.objects.get(user=cast.timkerja)
    mine = make_item(pic=me, steps="Langkah saya")
    theirs = make_item(pic_name="Orang lain", steps="Langkah orang lain")
    from plans.models import PlanItem

    PlanItem.objects.filter(pk__in=[mine.pk, theirs.pk]).update(target_end=today + timezone.timedelta(days=3))
    client_for(client, cast.timkerja)
    assert counts_on(client.get(reverse("home") + "?daftar=1").content.decode())["rencana"] == 1
    page = client.get(reverse("queues:plans", args=[cast.assessment.code]), {"saya": "1"}).content.decode()
    assert "Langkah saya" in page and "Langkah orang lain" not in page
    client_for(client, cast.koordinator)
    assert counts_on(client.get(reverse("home") + "?daftar=1").content.decode())["rencana"] == 2


@pytest.mark.parametrize("role", ["timkerja", "koordinator", "tpi"])
def test_landing_and_lists_run_the_same_queries_for_10_and_5000_evidence_items(
        client, cast, role, django_assert_num_queries):
    client_for(client, getattr(cast, role))
    urls = [reverse("home")] + [reverse(name, args=[cast.assessment.code]) + "?status=perlu_perbaikan"
                                for name in LISTS]
    bulk_evidence(cast.assessment, cast.timkerja, 10)
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    bulk_evidence(cast.assessment, cast.timkerja, 4990)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            client.get(url)
    # landing: session, user, memberships, areas, assessments, bell, one query per queue
    assert counts[reverse("home")] <= 11


def test_the_assessment_page_shows_tugas_saya_for_members_only(client, cast):
    bulk_evidence(cast.assessment, cast.timkerja, 8)
    url = reverse("workspace:overview", args=[cast.assessment.code])
    client_for(client, cast.tpi)
    assert counts_on(client.get(url).content.decode()) == {
        "reviu": Evidence.objects.filter(status=EvidenceStatus.DIAJUKAN).count(),
        "belum-dinilai": cast.assessment.instrument.questions.count(), "jawaban-berubah": 0}
    client_for(client, cast.admin)
    assert "data-testid=\"tugas-saya\"" not in client.get(url).content.decode()


def test_every_dashboard_count_links_to_a_list_of_as_many_rows(client, cast, make_item):
    bulk_evidence(cast.assessment, cast.timkerja, 30, areas=("MP", "SDM"))
    from plans.models import PlanItem

    late = make_item(steps="Terlambat")
    PlanItem.objects.filter(pk=late.pk).update(target_end=timezone.localdate() - timezone.timedelta(days=3))
    client_for(client, cast.pimpinan)
    html = client.get(reverse("dashboards:unit", args=[cast.assessment.code])).content.decode()
    links = re.findall(r'<a href="(/tugas/[^"]+)">(\d+)</a>', html)
    assert len(links) >= 4 * 8 + 8  # four statuses and the late plans, per area and in total
    assert any(n != "0" for _url, n in links)
    for url, number in links:
        page = client.get(url.replace("&amp;", "&")).content.decode()
        assert f"{number} butir" in page, url
