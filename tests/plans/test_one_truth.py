"""One truth for progress: a monev entry sets its plan item's progress and status, so the rencana
aksi page, its PDF and XLSX, the monev summary and the dashboard agree."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from plans import services
from plans.models import PlanItem, PlanStatus
from reports.services import report_run
from tests.conftest import client_for
from tests.reports.conftest import job_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _august_2026():
    with time_machine.travel(date(2026, 8, 20), tick=False):
        yield


@pytest.fixture
def late_item(cast, make_item):
    cast.assessment.year = 2026
    cast.assessment.save()
    item = make_item(target="April 2026", steps="Menyusun SK tim kerja", status=PlanStatus.BELUM, progress=10)
    periods = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")
    return item, periods


def post_entry(client, period, item, progress, version=0):
    prefix = str(item.code)
    return client.post(reverse("plans:entry-save", args=[period.code, item.code]), {
        f"{prefix}-realisasi": "SK ditetapkan", f"{prefix}-progress": progress, f"{prefix}-kendala": "",
        f"{prefix}-tindak_lanjut": "", f"{prefix}-version": version})


def rendered(cast, kind, fmt) -> bytes:
    job = job_for(cast, kind, fmt)
    report_run(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    return default_storage.open(job.file.name).read()


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_a_100_percent_monev_entry_makes_the_item_done_everywhere(client, cast, late_item):
    item, (q1, q2, *_rest) = late_item
    client_for(client, cast.koordinator)
    plans_page = client.get(reverse("plans:list", args=[cast.assessment.code])).content.decode()
    assert "terlambat" in plans_page and "Belum dimulai" in plans_page  # before: late, 10 %

    assert post_entry(client, q2, item, 100).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == (PlanStatus.SELESAI, 100)

    plans_page = client.get(reverse("plans:list", args=[cast.assessment.code])).content.decode()
    row = re.search(rf'<tr id="item-{item.code}".*?</tr>', plans_page, re.S).group(0)
    assert "Selesai" in row and "100%" in row and "terlambat" not in row

    summary = client.get(reverse("plans:period", args=[q2.code])).content.decode()
    assert re.search(r"Manajemen Perubahan</t[hd]>\s*<td[^>]*>1</td>", summary), "monev summary: 1 done"

    dashboard = client.get(reverse("dashboards:unit", args=[cast.assessment.code])).content.decode()
    mp = re.search(r'<tr data-plans="MP">(.*?)</tr>', dashboard, re.S).group(1)
    assert re.findall(r'<td class="num[^"]*">(?:<a [^>]*>)?(\d+)', mp) == ["1", "0", "0", "1"]  # done, on time, late

    xlsx = xlsx_text(rendered(cast, "rencana_aksi", "xlsx"))
    assert "Selesai (100%)" in xlsx and "terlambat" not in xlsx
    pdf = pdf_text(rendered(cast, "rencana_aksi", "pdf"))
    assert "Selesai (100%)" in pdf and "Belum dimulai" not in pdf


def test_a_partial_entry_makes_it_running_and_an_older_period_changes_nothing(client, cast, late_item):
    item, (q1, q2, *_rest) = late_item
    client_for(client, cast.timkerja)
    assert post_entry(client, q2, item, 40).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == (PlanStatus.BERJALAN, 40)
    assert post_entry(client, q1, item, 20).status_code == 302  # Q1 filled late: Q2 is still the newest
    item.refresh_from_db()
    assert (item.status, item.progress) == (PlanStatus.BERJALAN, 40)
    xlsx = xlsx_text(rendered(cast, "rencana_aksi", "xlsx"))
    assert "Berjalan (40%)" in xlsx


def test_an_edit_of_the_item_based_on_the_version_before_the_monev_is_refused(client, cast, late_item):
    item, (_q1, q2, *_rest) = late_item
    seen = item.version
    services.monev_entry_set(period=q2, plan_item=item, user=cast.koordinator, realisasi="", progress=100,
                             kendala="", tindak_lanjut="")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="sudah diubah"):
        services.plan_item_update(item=item, user=cast.timkerja, expected_version=seen, status=PlanStatus.BELUM)
    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.SELESAI
