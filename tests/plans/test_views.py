import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Stage
from plans import services
from plans.models import MonevEntry, PlanImport, PlanItem
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

READ_ROLES = [("admin", 200), ("koordinator", 200), ("timkerja", 200), ("tpi", 200), ("pimpinan", 200),
              ("outsider", 404)]


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET", "PIC"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("rencana.xlsx", buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def add_form(indicator, **extra):
    return {"indicator": indicator.pk, "steps": "Menyusun SK", "output": "SK", "target_text": "Juni",
            "status": "belum", "progress": 0, "pic_name": "Bu Ani", "version": 1, **extra}


def test_anonymous_visitors_are_sent_to_login(client, cast, make_item):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    for url in [reverse("plans:list", args=[cast.assessment.code]), reverse("plans:item", args=[item.code]),
                reverse("plans:monev", args=[cast.assessment.code]), reverse("plans:period", args=[period.code]),
                reverse("plans:import", args=[cast.assessment.code]), reverse("plans:template")]:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response.url, url


@pytest.mark.parametrize("role, status", READ_ROLES)
def test_reading_plans_and_monev(client, cast, make_item, role, status):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, getattr(cast, role))
    for url in [reverse("plans:list", args=[cast.assessment.code]), reverse("plans:item", args=[item.code]),
                reverse("plans:monev", args=[cast.assessment.code]), reverse("plans:period", args=[period.code]),
                reverse("plans:carry-over", args=[cast.assessment.code])]:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("role, path, status", [
    ("koordinator", "A.I.5.i", 302), ("timkerja", "A.I.1.i", 302), ("timkerja", "A.I.5.i", 200),
    ("tpi", "A.I.1.i", 403), ("pimpinan", "A.I.1.i", 403), ("admin", "A.I.1.i", 403), ("outsider", "A.I.1.i", 404),
])
def test_adding_a_plan_item(client, cast, role, path, status):
    indicator = cast.assessment.instrument.nodes.get(path=path)
    client_for(client, getattr(cast, role))
    response = client.post(reverse("plans:list", args=[cast.assessment.code]), add_form(indicator))
    assert response.status_code == status
    assert PlanItem.objects.exists() == (status == 302)
    if status == 200:  # the tim kerja's form offers only their areas: PW is not a valid choice
        assert "Masukkan pilihan yang valid" in response.content.decode()


def test_a_bad_target_keeps_what_was_typed(client, cast):
    indicator = cast.assessment.instrument.nodes.get(path="A.I.1.i")
    client_for(client, cast.koordinator)
    page = client.post(reverse("plans:list", args=[cast.assessment.code]),
                       add_form(indicator, target_text="kapan-kapan")).content.decode()
    assert "tidak dipahami" in page and "Menyusun SK" in page
    assert not PlanItem.objects.exists()


@pytest.mark.parametrize("role, item_area, status", [
    ("koordinator", "A.I.5.i", 302), ("timkerja", "A.I.1.i", 302), ("timkerja", "A.I.5.i", 403),
    ("tpi", "A.I.1.i", 403), ("pimpinan", "A.I.1.i", 403), ("outsider", "A.I.1.i", 404),
])
def test_editing_deleting_and_moving_items(client, cast, make_item, role, item_area, status):
    item = make_item(path=item_area)
    client_for(client, getattr(cast, role))
    response = client.post(reverse("plans:item-edit", args=[item.code]), add_form(item.indicator, steps="Baru"))
    assert response.status_code == status
    assert (PlanItem.objects.get(pk=item.pk).steps == "Baru") == (status == 302)
    assert client.post(reverse("plans:item-move", args=[item.code]), {"direction": "up"}).status_code == status
    assert client.post(reverse("plans:item-delete", args=[item.code])).status_code == status
    assert PlanItem.objects.filter(pk=item.pk).exists() == (status != 302)


def test_nothing_changes_in_a_final_assessment(client, cast, make_item):
    item = make_item()
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    client_for(client, cast.koordinator)
    assert client.post(reverse("plans:item-delete", args=[item.code])).status_code == 403
    indicator = item.indicator
    assert client.post(reverse("plans:list", args=[cast.assessment.code]), add_form(indicator)).status_code == 403


def test_the_list_filters_by_area_status_pic_and_lateness(client, cast, make_item):
    make_item(path="A.I.1.i", steps="langkah MP", target="Januari")
    make_item(path="A.I.5.i", steps="langkah PW", target="Desember", status="berjalan", pic_name="Pak Joko")
    client_for(client, cast.pimpinan)
    url = reverse("plans:list", args=[cast.assessment.code])
    page = client.get(url, {"area": "PW"}).content.decode()
    assert "langkah PW" in page and "langkah MP" not in page
    assert "langkah MP" not in client.get(url, {"status": "berjalan"}).content.decode()
    assert "langkah MP" not in client.get(url, {"pic": "joko"}).content.decode()
    assert "Tidak ada rencana aksi yang cocok" in client.get(url, {"status": "selesai"}).content.decode()


def test_the_plan_page_query_count_stays_flat_as_items_grow(client, cast, make_item):
    client_for(client, cast.timkerja)
    url = reverse("plans:list", args=[cast.assessment.code])
    for n in range(3):
        make_item(path="A.I.1.i", steps=f"langkah {n}")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        make_item(path=["A.I.1.i", "A.I.2.i", "A.II.5.iii"][n % 3], steps=f"langkah tambahan {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_monev_page_query_count_stays_flat_as_items_grow(client, cast, make_item):
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, cast.timkerja)
    url = reverse("plans:period", args=[period.code])
    services.monev_entry_set(period=period, plan_item=make_item(), user=cast.koordinator, realisasi="r",
                             progress=5, kendala="", tindak_lanjut="")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        item = make_item(path="A.I.1.ii", steps=f"langkah {n}")
        services.monev_entry_set(period=period, plan_item=item, user=cast.koordinator, realisasi="r", progress=5,
                                 kendala="", tindak_lanjut="")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("role, path, status", [
    ("koordinator", "A.I.5.i", 302), ("timkerja", "A.I.1.i", 302), ("timkerja", "A.I.5.i", 403),
    ("tpi", "A.I.1.i", 403), ("pimpinan", "A.I.1.i", 403), ("outsider", "A.I.1.i", 404),
])
def test_recording_monev(client, cast, make_item, role, path, status):
    item = make_item(path=path)
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, getattr(cast, role))
    prefix = str(item.code)
    response = client.post(reverse("plans:entry-save", args=[period.code, item.code]), {
        f"{prefix}-realisasi": "Rapat dilaksanakan", f"{prefix}-progress": 40, f"{prefix}-kendala": "",
        f"{prefix}-tindak_lanjut": "", f"{prefix}-version": 0})
    assert response.status_code == status
    assert MonevEntry.objects.exists() == (status == 302)


@pytest.mark.parametrize("role, status", [
    ("koordinator", 302), ("admin", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_closing_a_period(client, cast, role, status):
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, getattr(cast, role))
    assert client.post(reverse("plans:period-close", args=[period.code])).status_code == status
    period.refresh_from_db()
    assert period.is_closed == (status == 302)


def test_a_closed_period_is_read_only_for_the_team(client, cast, make_item):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    services.monev_period_close(period=period, user=cast.koordinator)
    client_for(client, cast.timkerja)
    response = client.post(reverse("plans:entry-save", args=[period.code, item.code]), {})
    assert response.status_code == 403
    assert "<textarea" not in client.get(reverse("plans:period", args=[period.code])).content.decode()


def test_the_import_previews_then_commits_all_rows(client, cast):
    client_for(client, cast.koordinator)
    upload = xlsx([[1, "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Januari", "Budi"],
                   [2, "Penguatan Pengawasan", "Pengendalian Gratifikasi", "Sosialisasi", "Foto", "Triwulan II", ""]])
    response = client.post(reverse("plans:import", args=[cast.assessment.code]), {"file": upload})
    preview = PlanImport.objects.get()
    assert response.url == reverse("plans:import-preview", args=[preview.code])
    assert not PlanItem.objects.exists()
    page = client.get(response.url).content.decode()
    assert "2 baris akan diimpor" in page and "A.I.1.i" in page
    assert client.post(response.url).url == reverse("plans:import-result", args=[preview.code])
    assert PlanItem.objects.count() == 2
    assert "sudah diproses" in client.post(response.url, follow=True).content.decode()  # no second import
    assert PlanItem.objects.count() == 2


def test_an_unknown_indicator_is_imported_flagged_and_listed_for_completion(client, cast):
    client_for(client, cast.koordinator)
    upload = xlsx([[1, "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Januari", ""],
                   [2, "Manajemen Perubahan", "Indikator Karangan Sendiri", "Sesuatu", "", "Juni", ""]])
    response = client.post(reverse("plans:import", args=[cast.assessment.code]), {"file": upload})
    page = client.get(response.url).content.decode()
    assert "1 di antaranya perlu dilengkapi" in page and "Indikator Karangan Sendiri" in page
    result = client.post(response.url, follow=True).content.decode()
    flagged = PlanItem.objects.get(indicator=None)
    assert PlanItem.objects.count() == 2 and flagged.change_area.code == "MP" and flagged.needs_completion
    assert "perlu dilengkapi" in result and "Sesuatu" in result and "Membentuk tim" not in result


def test_a_file_that_is_not_xlsx_is_refused(client, cast):
    client_for(client, cast.koordinator)
    bad = SimpleUploadedFile("rencana.xlsx", b"bukan excel", content_type="application/octet-stream")
    page = client.post(reverse("plans:import", args=[cast.assessment.code]), {"file": bad}).content.decode()
    assert "ditolak" in page and "rencana.xlsx" in page
    assert not PlanImport.objects.exists()


@pytest.mark.parametrize("role, status", [("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_only_the_koordinator_imports(client, cast, role, status):
    client_for(client, getattr(cast, role))
    response = client.post(reverse("plans:import", args=[cast.assessment.code]), {"file": xlsx([])})
    assert response.status_code == status


def test_the_template_downloads(client, cast):
    client_for(client, cast.timkerja)
    response = client.get(reverse("plans:template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]][:4] == ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI"]


def test_plan_items_and_monev_entries_link_evidence_of_their_indicator(client, cast, make_item):
    from evidence.services import evidence_add_link

    item = make_item(path="A.I.1.i")
    question = cast.assessment.instrument.questions.get(path="A.I.1.i.a")
    evidence = evidence_add_link(assessment=cast.assessment, question=question, user=cast.timkerja,
                                 url="https://contoh.go.id/sk-tim", title="SK Tim ZI")
    other = evidence_add_link(assessment=cast.other_assessment, question=question, user=cast.outsider,
                              url="https://lain.go.id/sk", title="SK unit lain")
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, cast.timkerja)
    page = client.get(reverse("plans:period", args=[period.code])).content.decode()
    assert "SK Tim ZI" in page and "SK unit lain" not in page
    prefix = str(item.code)
    client.post(reverse("plans:entry-save", args=[period.code, item.code]), {
        f"{prefix}-realisasi": "SK terbit", f"{prefix}-progress": 100, f"{prefix}-kendala": "",
        f"{prefix}-tindak_lanjut": "", f"{prefix}-evidence": [str(evidence.code)], f"{prefix}-version": 0})
    assert list(MonevEntry.objects.get().evidence.all()) == [evidence]
    client.post(reverse("plans:item-evidence", args=[item.code]), {"evidence": [str(other.code)]})
    assert item.evidence.count() == 0  # another unit's evidence is not a choice
    client.post(reverse("plans:item-evidence", args=[item.code]), {"evidence": [str(evidence.code)]})
    assert list(item.evidence.all()) == [evidence]
    assert "SK Tim ZI" in client.get(reverse("plans:item", args=[item.code])).content.decode()


def test_the_service_refuses_evidence_of_another_assessment(cast, make_item):
    from django.core.exceptions import ValidationError

    from evidence.services import evidence_add_link

    item = make_item()
    question = cast.assessment.instrument.questions.get(path="A.I.1.i.a")
    other = evidence_add_link(assessment=cast.other_assessment, question=question, user=cast.outsider,
                              url="https://lain.go.id/sk", title="SK unit lain")
    with pytest.raises(ValidationError):
        services.plan_item_link_evidence(item=item, evidence_codes=[other.code])
    assert item.evidence.count() == 0


@pytest.mark.parametrize("role, status", [
    ("koordinator", 302), ("admin", 403), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_import_preview_access(client, cast, role, status):
    client_for(client, cast.koordinator)
    client.post(reverse("plans:import", args=[cast.assessment.code]), {
        "file": xlsx([[1, "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Januari", ""]])})
    preview = PlanImport.objects.get()
    client.logout()
    client_for(client, getattr(cast, role))
    url = reverse("plans:import-preview", args=[preview.code])
    assert client.get(url).status_code == (200 if status == 302 else status)
    assert client.post(url).status_code == status
    assert PlanItem.objects.exists() == (status == 302)


@pytest.mark.parametrize("role, status", [
    ("koordinator", 302), ("admin", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_reopening_a_period(client, cast, role, status):
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    services.monev_period_close(period=period, user=cast.koordinator)
    client_for(client, getattr(cast, role))
    response = client.post(reverse("plans:period-reopen", args=[period.code]), {"reason": "Data susulan"})
    assert response.status_code == status
    period.refresh_from_db()
    assert period.is_closed == (status != 302)


@pytest.mark.parametrize("role, status", [
    ("koordinator", 302), ("admin", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_carrying_over_plans(client, cast, make_item, instrument_90, role, status):
    from areas.services import assessment_create

    item = make_item(status="berjalan")
    next_year = assessment_create(unit=cast.unit, instrument=instrument_90, year=cast.assessment.year + 1,
                                  previous=cast.assessment)
    client_for(client, getattr(cast, role))
    response = client.post(reverse("plans:carry-over", args=[next_year.code]), {"items": [str(item.code)]})
    assert response.status_code == status
    assert next_year.plan_items.exists() == (status == 302)


def test_carrying_over_without_a_previous_assessment_explains_itself(client, cast, make_item):
    make_item(status="berjalan")
    assert cast.assessment.previous is None
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:carry-over", args=[cast.assessment.code]), {"items": ["x"]})
    assert response.status_code == 400
    assert "tidak memiliki penilaian tahun sebelumnya" in response.content.decode()
    assert cast.assessment.plan_items.count() == 1


@pytest.mark.parametrize("role, status", [
    ("koordinator", 302), ("timkerja", 302), ("tpi", 403), ("pimpinan", 403), ("admin", 403), ("outsider", 404)])
def test_linking_evidence_to_a_plan_item(client, cast, make_item, role, status):
    item = make_item(path="A.I.1.i")
    client_for(client, getattr(cast, role))
    assert client.post(reverse("plans:item-evidence", args=[item.code]), {"evidence": []}).status_code == status


@pytest.mark.parametrize("role, status", [
    ("koordinator", 302), ("admin", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_generating_periods(client, cast, role, status):
    client_for(client, getattr(cast, role))
    response = client.post(reverse("plans:monev", args=[cast.assessment.code]), {"kind": "triwulan"})
    assert response.status_code == status
    assert cast.assessment.monev_periods.exists() == (status == 302)


def test_a_stale_plan_edit_is_refused_and_keeps_what_was_typed(client, cast, make_item):
    item = make_item()
    services.plan_item_update(item=item, user=cast.timkerja, expected_version=1, steps="Versi rekan")
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:item-edit", args=[item.code]),
                           {**add_form(item.indicator, steps="Versi saya"), "version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah oleh" in page and cast.timkerja.display_name in page and "Versi saya" in page
    assert PlanItem.objects.get(pk=item.pk).steps == "Versi rekan"


def test_a_stale_monev_save_is_refused_and_keeps_what_was_typed(client, cast, make_item):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    services.monev_entry_set(period=period, plan_item=item, user=cast.timkerja, realisasi="Catatan rekan",
                             progress=30, kendala="", tindak_lanjut="", expected_version=0)
    client_for(client, cast.koordinator)
    prefix = str(item.code)
    response = client.post(reverse("plans:entry-save", args=[period.code, item.code]), {
        f"{prefix}-realisasi": "Catatan saya", f"{prefix}-progress": 60, f"{prefix}-kendala": "",
        f"{prefix}-tindak_lanjut": "", f"{prefix}-version": 0})
    page = response.content.decode()
    assert response.status_code == 400
    assert "sudah diubah oleh" in page and "Catatan saya" in page
    entry = MonevEntry.objects.get()
    assert (entry.realisasi, entry.progress, entry.version) == ("Catatan rekan", 30, 1)


def test_a_bad_monev_progress_keeps_what_was_typed(client, cast, make_item):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, cast.koordinator)
    prefix = str(item.code)
    response = client.post(reverse("plans:entry-save", args=[period.code, item.code]), {
        f"{prefix}-realisasi": "Rapat pleno", f"{prefix}-progress": 250, f"{prefix}-kendala": "",
        f"{prefix}-tindak_lanjut": "", f"{prefix}-version": 0})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rapat pleno" in page and "antara 0 dan 100" in page
    assert not MonevEntry.objects.exists()


def test_an_item_is_edited_in_place_in_the_table(client, cast, make_item):
    item = make_item(steps="Langkah lama")
    client_for(client, cast.koordinator)
    url = reverse("plans:item-edit", args=[item.code])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert form.lstrip().startswith("<tr") and "<form" in form and "Langkah lama" in form and "<html" not in form
    row = client.post(url, {**add_form(item.indicator, steps="Langkah baru")}, headers={"HX-Request": "true"})
    html = row.content.decode()
    assert row.status_code == 200 and html.lstrip().startswith("<tr") and "Langkah baru" in html and "<form" in html
    assert 'hx-get="' + url in html  # the row offers in-place editing again
    assert PlanItem.objects.get(pk=item.pk).steps == "Langkah baru"
    cancel = client.get(reverse("plans:item-row", args=[item.code]), headers={"HX-Request": "true"})
    assert "Langkah baru" in cancel.content.decode() and "<textarea" not in cancel.content.decode()


def test_an_in_place_edit_with_a_bad_target_comes_back_with_the_message_and_the_input(client, cast, make_item):
    item = make_item()
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:item-edit", args=[item.code]),
                           add_form(item.indicator, steps="Sudah saya ketik", target_text="entah kapan"),
                           headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "tidak dipahami" in html and "Sudah saya ketik" in html and "<textarea" in html
    assert PlanItem.objects.get(pk=item.pk).steps == "Menyusun SK tim kerja"


def test_moving_an_item_to_another_indicator_in_place_refreshes_the_table(client, cast, make_item):
    item = make_item(path="A.I.1.i")
    other = cast.assessment.instrument.nodes.get(path="A.I.1.ii")
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:item-edit", args=[item.code]), add_form(other),
                           headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert PlanItem.objects.get(pk=item.pk).indicator == other


@pytest.mark.parametrize("role, status", [("tpi", 403), ("pimpinan", 403), ("outsider", 404)])
def test_the_table_row_is_only_for_people_who_see_the_unit(client, cast, make_item, role, status):
    item = make_item()
    client_for(client, getattr(cast, role))
    response = client.get(reverse("plans:item-row", args=[item.code]), headers={"HX-Request": "true"})
    assert response.status_code == (200 if status == 403 else status)
    edit = client.get(reverse("plans:item-edit", args=[item.code]), headers={"HX-Request": "true"})
    assert edit.status_code == status
