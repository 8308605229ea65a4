"""The dashboard's view per PIC (who owns how many open and late plan items), on the page and in
the PDF, which opens with the score and the predicate."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from accounts.formatting import format_number
from accounts.models import Membership
from dashboards import selectors
from plans.models import PlanItem, PlanStatus
from reports import services
from reports.models import JobStatus
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_pics(realistic):
    items = list(PlanItem.objects.for_assessment(realistic.assessment).order_by("pk"))
    koordinator = Membership.objects.get(user=realistic.koordinator, unit=realistic.unit)
    timkerja = Membership.objects.get(user=realistic.timkerja, unit=realistic.unit)
    for index, item in enumerate(items):
        if index % 3 == 0:
            item.pic, item.pic_name = koordinator, ""
        elif index % 3 == 1:
            item.pic, item.pic_name = timkerja, ""
        else:
            item.pic, item.pic_name = None, "Bagian Umum"
    PlanItem.objects.bulk_update(items, ["pic", "pic_name"])
    return realistic


def test_each_pic_row_counts_the_databases_open_late_and_done(with_pics):
    today = with_pics.today
    dashboard = selectors.unit_dashboard(with_pics.assessment, today=today)
    items = PlanItem.objects.for_assessment(with_pics.assessment)
    expected = {}
    for name, subset in [(with_pics.koordinator.display_name, items.filter(pic__user=with_pics.koordinator)),
                         (with_pics.timkerja.display_name, items.filter(pic__user=with_pics.timkerja)),
                         ("Bagian Umum", items.filter(pic=None, pic_name="Bagian Umum"))]:
        expected[name] = (subset.exclude(status=PlanStatus.SELESAI).count(), subset.late(today).count(),
                          subset.filter(status=PlanStatus.SELESAI).count())
    got = {row.name: (row.open, row.late, row.done) for row in dashboard.pics}
    assert got == expected
    lates = [row.late for row in dashboard.pics]
    assert lates == sorted(lates, reverse=True) and sum(lates) == items.late(today).count()


def test_the_page_links_each_account_pic_to_their_filtered_plan_list(client, with_pics):
    client_for(client, with_pics.pimpinan)
    html = client.get(reverse("dashboards:unit", args=[with_pics.assessment.code])).content.decode()
    koordinator = Membership.objects.get(user=with_pics.koordinator, unit=with_pics.unit)
    assert f"?pic={koordinator.code}" in html and "Bagian Umum" in html and 'id="judul-pic"' in html


def test_the_pdf_opens_with_the_score_and_the_predicate_and_has_the_pic_table(with_pics):
    job, _created = services.report_request(user=with_pics.pimpinan, assessment=with_pics.assessment,
                                            kind="dashboard", fmt="pdf", parameters={})
    job = services.report_run(job.pk)
    assert job.status == JobStatus.DONE, job.error
    reader = PdfReader(io.BytesIO(default_storage.open(job.file.name).read()))
    first = " ".join(reader.pages[0].extract_text().split())
    dashboard = selectors.unit_dashboard(with_pics.assessment, today=with_pics.today)
    focus = dashboard.focus_summary
    headline = first.split("A. Nilai total")[0]
    assert format_number(focus.total) in headline and "WBK" in headline and "syarat" in headline
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Per PIC" in text and "Bagian Umum" in text
    assert "Lampiran: syarat predikat yang belum terpenuhi" in text
