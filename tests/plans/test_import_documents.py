"""Importing rencana aksi as units wrote them: Word outlines and tables, Excel sheets, pasted text.

The documents under tests/plans/data/ are built by make_data.py from two real plans (and one
table in the shape units keep); *.expected.json says where every statement belongs.
"""

import io
import json
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from plans import services
from plans.importing import indicator_refs_from_instrument, read_document, read_text
from plans.importing.pipeline import analyse, read_rows
from plans.models import ImportMapping, PlanImport, PlanItem
from tests.conftest import client_for, load_instrument_data

DATA = Path(__file__).resolve().parent / "data"
REFS = indicator_refs_from_instrument(load_instrument_data("permenpanrb-90-2021"))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def _norm(text):
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _read(name, ext, year):
    with open(DATA / f"{name}.{ext}", "rb") as file:
        document = read_document(file)
    return analyse(read_rows(document, refs=REFS, year=year).rows, refs=REFS, year=year)


def _score(rows, expected):
    """(present, right area, right indicator, rows left over), pairing rows by their text."""
    used, present, area, indicator = set(), 0, 0, 0
    for statement in expected:
        key = _norm(statement["text"])[:40]
        match = next((i for i, row in enumerate(rows) if i not in used and key in _norm(row["steps"])), None)
        if match is None:
            continue
        used.add(match)
        present += 1
        row = rows[match]
        area += row["area"] == statement["area"]
        indicator += row["indicator"] == statement["indicator"]
        if row["indicator"] != statement["indicator"]:
            assert row["needs_completion"], row  # a wrong or missing indicator is flagged, never silent
    return present, area, indicator, len(rows) - len(used)


# (document, year, statements, right area, right indicator): measured, for both the .docx and the
# .xlsx. BPVP's 8 schedule rows name no area and none of the outline's statements or indicators;
# they are about the Zona Integritas itself and match Manajemen Perubahan's indicators by the
# instrument's aliases (docs/plan-import.md, "Outline and schedule in one document").
MEASURED = [("bpvp-kendari-2025", 2025, 97, 97, 97), ("upt-bakuda-2022", 2022, 72, 72, 71),
            ("komponen-table", 2024, 69, 69, 69)]


@pytest.mark.parametrize("ext", ["docx", "xlsx"])
@pytest.mark.parametrize(("name", "year", "statements", "right_area", "right_indicator"), MEASURED)
def test_reference_documents_import_with_the_right_area_and_indicator(name, year, statements, right_area,
                                                                      right_indicator, ext):
    expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert all(statement["area"] and statement["indicator"] for statement in expected)
    rows = _read(name, ext, year)
    present, area, indicator, extra = _score(rows, expected)
    assert len(expected) == statements
    assert present == len(expected) and extra == 0  # every statement, nothing else
    assert (area, indicator) == (right_area, right_indicator)
    assert area >= 0.98 * len(expected) and indicator >= 0.90 * len(expected)  # over every row
    unmatched = [row for row in rows if row["indicator"] is None]
    assert all(row["needs_completion"] and "indicator" in dict(row["flags"]) for row in unmatched)


def test_bpvp_schedule_rows_about_the_zona_integritas_itself_go_to_manajemen_perubahan():
    expected = [e for e in json.loads((DATA / "bpvp-kendari-2025.expected.json").read_text()) if "months" in e]
    for ext in ("docx", "xlsx"):
        rows = [row for row in _read("bpvp-kendari-2025", ext, 2025)
                if row["row"].startswith(("Tabel", "Lembar \"Jadwal"))]
        # 4.3-4.5 "Penerapan Zona Integritas ...": the plan carried out; 4.6-4.10 "Revisi Penerapan
        # Zona Integritas ...": its follow-up after monitoring (tests/plans/data/make_data.py).
        assert [(row["area"], row["indicator"]) for row in rows] == [("MP", "A.I.1.ii")] * 3 + [
            ("MP", "A.I.1.iii")] * 5
        assert [want["indicator"] for want in expected] == [row["indicator"] for row in rows]
        assert all("area" not in dict(row["flags"]) and "indicator" not in dict(row["flags"]) for row in rows)
        # "4.3. Penerapan ... Tahun 2025" with Jan-Jun shaded: the row's own year, no warning.
        assert (rows[0]["time_text"], rows[0]["end"]) == ("Jan - Jun 2025", "2025-06-30")
        assert "year_assumed" not in dict(rows[0]["flags"]) and not rows[0]["needs_completion"]
        assert "year_assumed" in dict(rows[1]["flags"])  # "4.4. ... di lingkungan Kerja" names no year


@pytest.mark.parametrize("code", ["90-2021", "10-2019"])
def test_zona_integritas_aliases_take_rows_about_zi_itself_but_not_rows_naming_another_indicator(code):
    refs = indicator_refs_from_instrument(load_instrument_data(f"permenpanrb-{code}"))
    tim, rencana, monev = ("A.I.1.i", "A.I.1.ii", "A.I.1.iii") if code == "90-2021" else ("A.1.1", "A.1.2", "A.1.3")
    from plans.importing.names import match_indicator

    def path(text):
        ref = match_indicator(text, area=None, indicators=refs)
        return ref and ref.path

    assert path("4.4. Penerapan Zona Integritas di lingkungan Kerja BPVP Kendari :") == rencana
    assert path("Penerapan Zona Integritas") == rencana
    assert path("4.7. Revisi Penerapan Zona Integritas Zona Program dan Evaluasi Tahun 2025") == monev
    assert path("Monev penerapan zona integritas semester I") == monev
    assert path("Evaluasi penerapan zona integritas") == monev
    assert path("Pembentukan Tim Kerja") == tim
    # The same words about something else: "revisi penerapan" alone does not make it ZI's monitoring.
    for text in ("Revisi penerapan SOP", "Evaluasi penerapan SAKIP", "Evaluasi penerapan kode etik"):
        assert path(text) not in {rencana, monev}, text
    # Rows naming another indicator keep it.
    spip = "A.I.5.ii" if code == "90-2021" else "A.5.17"
    assert path("Penerapan SPIP") == path("Monev penerapan SPIP") == spip


def test_a_schedule_row_naming_nothing_says_why_it_has_no_area():
    rows, _skipped = _outline_and_schedule([("Pemeliharaan gedung kantor", [9])])
    [row] = [row for row in rows if row["row"].startswith("Tabel")]
    assert row["area"] is None and dict(row["flags"])["area"] == {"text": "", "schedule": True}
    with translation.override("id"):
        from plans.importing.messages import message

        text = message(row["row"], "area", dict(row["flags"])["area"])
    assert text.startswith("Tabel 1 baris 2: baris jadwal tanpa area") and "kerangka dokumen" in text


def _outline_and_schedule(schedule):
    """A Word document: an outline of two areas, then a schedule table with twelve month columns."""
    document = docx.Document()
    for line in ("BAB III RENCANA AKSI", "I. Manajemen Perubahan", "1. Penyusunan Tim Kerja",
                 "a. Membentuk tim untuk melakukan pembangunan Zona Integritas menuju WBK dan WBBM.",
                 "b. Menentukan anggota Tim melalui prosedur/ mekanisme yang jelas.",
                 "2. Rencana Pembangunan Zona Integritas",
                 "a. Membuat dokumen rencana kerja pembangunan Zona Integritas menuju WBK/WBBM.",
                 "II. Penguatan Pengawasan", "1. Pengendalian Gratifikasi",
                 "a. Telah dilakukan public campaign tentang pengendalian gratifikasi.",
                 "BAB IV JADWAL"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=13)
    for column, title in enumerate(["Kegiatan", *MONTHS]):
        table.cell(0, column).text = title
    for text, months in schedule:
        cells = table.add_row().cells
        cells[0].text = text
        for month in months:
            cells[month].text = "√"
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return analyse(read_rows(read_document(buffer), refs=REFS, year=2025).rows, refs=REFS, year=2025), \
        read_rows(read_document(io.BytesIO(buffer.getvalue())), refs=REFS, year=2025).skipped


def test_a_schedule_row_naming_an_outline_statement_gives_it_its_time_instead_of_a_second_item():
    rows, skipped = _outline_and_schedule([
        ("Membentuk tim untuk melakukan pembangunan zona integritas menuju WBK dan WBBM", [1]),  # the same
        ("Menentukan anggota tim melalui prosedur / mekanisme yg jelas", [2, 3]),  # a typo and spacing
        ("Pengendalian gratifikasi (sosialisasi UPG)", [5, 6]),  # names an indicator of the outline
        ("Pengelolaan Pengaduan", [7]),  # names an instrument indicator the outline does not have
        ("Pemeliharaan gedung kantor", [9]),  # names nothing
    ])
    by_steps = {row["steps"]: row for row in rows}
    assert len(rows) == 7  # 4 statements and 3 schedule rows of their own; 2 merged
    tim = by_steps["Membentuk tim untuk melakukan pembangunan Zona Integritas menuju WBK dan WBBM."]
    assert (tim["area"], tim["indicator"], tim["start"], tim["end"]) == ("MP", "A.I.1.i", "2025-01-01", "2025-01-31")
    assert tim["note"] == ""  # the same wording: nothing to keep
    anggota = by_steps["Menentukan anggota Tim melalui prosedur/ mekanisme yang jelas."]
    assert (anggota["start"], anggota["end"]) == ("2025-02-01", "2025-03-31")
    assert anggota["note"] == "Jadwal: Menentukan anggota tim melalui prosedur / mekanisme yg jelas"
    assert [why for _where, _text, why in skipped if why.startswith("jadwal")] == [
        "jadwal → Dokumen paragraf 4", "jadwal → Dokumen paragraf 5"]
    assert not by_steps["Membuat dokumen rencana kerja pembangunan Zona Integritas menuju WBK/WBBM."]["start"]
    campaign = by_steps["Pengendalian gratifikasi (sosialisasi UPG)"]
    assert (campaign["area"], campaign["indicator"], campaign["end"]) == ("PW", "A.I.5.i", "2025-06-30")
    pengaduan = by_steps["Pengelolaan Pengaduan"]
    assert (pengaduan["area"], pengaduan["indicator"]) == ("PP", "A.I.6.iii")
    gedung = by_steps["Pemeliharaan gedung kantor"]
    assert (gedung["area"], gedung["indicator"], gedung["end"]) == (None, None, "2025-09-30")
    assert dict(gedung["flags"])["area"] == {"text": "", "schedule": True} and gedung["needs_completion"]


def test_a_second_schedule_row_of_a_timed_statement_is_its_own_item_under_the_same_indicator():
    rows, _skipped = _outline_and_schedule([
        ("Membentuk tim untuk melakukan pembangunan Zona Integritas menuju WBK dan WBBM.", [1]),
        ("Membentuk tim untuk melakukan pembangunan Zona Integritas menuju WBK dan WBBM.", [7]),
    ])
    timed = [row for row in rows if row["steps"].startswith("Membentuk tim")]
    assert [(row["indicator"], row["start"]) for row in timed] == [("A.I.1.i", "2025-01-01"),
                                                                   ("A.I.1.i", "2025-07-01")]


def test_the_komponen_table_keeps_empty_times_flagged_and_reads_given_ones():
    for ext in ("docx", "xlsx"):
        rows = _read("komponen-table", ext, 2024)
        empty = [row for row in rows if not row["time_text"]]
        assert len(rows) == 69 and len(empty) == 26
        assert all(dict(row["flags"]).keys() >= {"time_empty"} for row in empty)
        split = next(row for row in rows if row["steps"].startswith("Rapat monitoring bulanan"))
        assert split["steps"] == "Rapat monitoring bulanan dan publikasi di website"
        january = next(row for row in rows if row["steps"] == "Menyusun SK Tim Kerja Pembangunan ZI")
        assert (january["start"], january["end"], january["flags"]) == ("2024-01-01", "2024-01-31", [])
        december = next(row for row in rows if row["steps"] == "Evaluasi kinerja tim kerja")
        assert december["end"] == "2024-12-31" and december["flags"][0][0] == "year_assumed"


def test_month_columns_become_the_time_of_the_schedule_rows():
    expected = [e for e in json.loads((DATA / "bpvp-kendari-2025.expected.json").read_text()) if "months" in e]
    for ext in ("docx", "xlsx"):  # shaded cells in Word, "√" in Excel
        rows = [row for row in _read("bpvp-kendari-2025", ext, 2025)
                if row["row"].startswith(("Tabel", "Lembar \"Jadwal"))]
        assert len(rows) == 8
        for row, want in zip(rows, expected, strict=True):
            assert row["start"] == f"2025-{want['months'][0]:02d}-01"
            assert int(row["end"][5:7]) == want["months"][-1]


def test_pasted_text_goes_through_the_same_outline_reader():
    text = (
        "I. Manajemen Perubahan\nIndikator:\na. Tim Kerja\n1. Pembentukan tim kerja;\n"
        "2. Penentuan anggota tim;\nII. Penataan Tata Laksana\na. E-Office /e-government\n"
        "1) Sistem pengukuran kinerja berbasis digital,\nTarget ;\na. Meningkatnya penggunaan TI")
    rows = analyse(read_rows(read_text(text), refs=REFS, year=2022).rows, refs=REFS, year=2022)
    assert [(row["area"], row["indicator"], row["steps"]) for row in rows] == [
        ("MP", "A.I.1.i", "Pembentukan tim kerja;"), ("MP", "A.I.1.i", "Penentuan anggota tim;"),
        ("PT", "A.I.2.ii", "Sistem pengukuran kinerja berbasis digital,")]


# --- through the service, the page and the command ------------------------------------------------


def _upload(name):
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def test_reimporting_the_same_file_adds_nothing(cast):
    for expected_created in (69, 0):
        preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                               upload=_upload("komponen-table.xlsx"))
        preview = services.plan_import_commit(plan_import=preview, user=cast.koordinator)
        assert preview.created_count == expected_created
    assert PlanItem.objects.count() == 69 and preview.duplicate_count == 69


def test_the_time_as_written_is_kept_beside_the_parsed_range(cast):
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                           upload=_upload("komponen-table.docx"))
    services.plan_import_commit(plan_import=preview, user=cast.koordinator)
    item = PlanItem.objects.get(steps="Menyusun laporan monev triwulan")
    assert (item.target_text, item.target_label) == ("Triwulan II", f"Triwulan II {cast.assessment.year}")
    assert [flag["code"] for flag in item.flags] == ["year_assumed"] and not item.needs_completion
    assert f"tahun penilaian {cast.assessment.year}" in item.flags[0]["message"]


@pytest.mark.parametrize(("cells", "code", "words"), [
    (["1", "Manajemen Perubahan", "Indikator Karangan", "Rapat", "", "Juni"], "indicator",
     ['baris 2', 'indikator "Indikator Karangan" tidak dikenali']),
    (["1", "Area Karangan", "Indikator Karangan", "Rapat", "", "Juni"], "area",
     ['baris 2', 'area perubahan "Area Karangan" tidak dikenali']),
    (["1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Rapat", "", ""], "time_empty",
     ["baris 2", "waktu pelaksanaan kosong"]),
    (["1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Rapat", "", "kapan-kapan"], "time_unreadable",
     ["baris 2", 'waktu "kapan-kapan" tidak dapat dibaca']),
    (["1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "", "SK", "Juni 2026"], "steps_empty",
     ["baris 2", "langkah aksi kosong"]),
    (["1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Rapat", "", "Juni"], "year_assumed",
     ["baris 2", '"Juni" tidak menyebut tahun; dipakai tahun penilaian']),
    (["1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Rapat", "", "Juni 2019"], "year_far",
     ["baris 2", "tahun 2019", "lebih dari satu tahun"]),
])
def test_every_flag_names_the_row_and_the_reason(cast, cells, code, words):
    book = openpyxl.Workbook()
    book.active.append(["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET"])
    book.active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                           upload=SimpleUploadedFile("r.xlsx", buffer.getvalue()))
    [row] = preview.rows
    message = row["messages"][[c for c, _p in row["flags"]].index(code)]
    assert all(word in message for word in words), message
    services.plan_import_commit(plan_import=preview, user=cast.koordinator)
    assert PlanItem.objects.count() == 1  # flagged or not, the row is imported


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "words"), [
    ("rencana.xlsx", b"bukan excel", "ditolak"),
    ("rencana.pdf", b"%PDF-1.4", "ditolak"),
    ("rencana.docx", (DATA / "komponen-table.docx").read_bytes()[:2000], "ditolak"),
    ("makro.xlsx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>",
                         "xl/vbaProject.bin": "x"}), "makro"),
    ("bom.xlsx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>",
                       "xl/a.xml": "0" * 3_000_000}), "bom zip"),
])
def test_uploads_get_the_same_checks_as_evidence(client, cast, name, content, words):
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:import", args=[cast.assessment.code]),
                           {"file": SimpleUploadedFile(name, content)})
    page = response.content.decode()
    assert response.status_code == 400 and words in page and name in page
    assert not PlanImport.objects.exists()


def test_a_document_without_a_plan_is_refused_with_the_reason(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:import", args=[cast.assessment.code]), {"text": "Rapat pimpinan biasa."})
    assert response.status_code == 400 and "Tidak ada baris rencana aksi yang terbaca" in response.content.decode()
    response = client.post(reverse("plans:import", args=[cast.assessment.code]), {"text": " "})
    assert response.status_code == 400 and "salah satu" in response.content.decode()


def test_a_changed_column_meaning_rereads_the_rows_and_is_remembered_for_the_unit(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:import", args=[cast.assessment.code]),
                           {"file": _upload("komponen-table.xlsx")})
    preview = PlanImport.objects.get()
    assert preview.mapping["0"]["1"] == "indicator"  # KOMPONEN holds indicators: guessed from its cells
    client.post(response.url, {"action": "remap", "m-0-4": "note", "m-0-1": "indicator"})
    preview.refresh_from_db()
    assert preview.rows[0]["output"] == "" and "SK Tim Kerja" in preview.rows[0]["note"]
    client.post(response.url, {"action": "commit"})
    assert ImportMapping.objects.get(unit=cast.unit).columns["bukti fisik"] == "note"
    again = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                         upload=_upload("komponen-table.xlsx"))
    assert again.mapping["0"]["4"] == "note"


def test_a_flagged_item_is_completed_in_place(client, cast):
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                           upload=_upload("upt-bakuda-2022.docx"))
    services.plan_import_commit(plan_import=preview, user=cast.koordinator)
    client_for(client, cast.koordinator)
    page = client.get(reverse("plans:import-result", args=[preview.code])).content.decode()
    assert "72 rencana aksi perlu dilengkapi" in page
    item = PlanItem.objects.filter(plan_import=preview).order_by("id").first()
    indicator = cast.assessment.instrument.nodes.get(path="A.I.1.i")
    client.post(reverse("plans:item-edit", args=[item.code]), {
        "indicator": indicator.pk, "steps": item.steps, "output": item.output, "target_text": "Juni 2026",
        "status": "belum", "progress": 0, "version": item.version})
    item.refresh_from_db()
    assert item.flags == [] and item.target_end.isoformat() == "2026-06-30"
    assert "71 rencana aksi perlu dilengkapi" in client.get(
        reverse("plans:import-result", args=[preview.code])).content.decode()


@pytest.mark.parametrize(("role", "status"), [
    ("koordinator", 200), ("admin", 403), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404),
    (None, 302)])
def test_import_result_and_remap_access(client, cast, role, status):
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                           text="I. Manajemen Perubahan\n1. Tim Kerja\na. Membentuk tim.")
    client_for(client, getattr(cast, role) if role else None)
    remap = client.post(reverse("plans:import-preview", args=[preview.code]), {"action": "remap"})
    assert remap.status_code == (302 if status == 200 else status)
    if status == 302:
        assert "/masuk" in remap.url or "login" in remap.url
    services.plan_import_commit(plan_import=preview, user=cast.koordinator)
    assert client.get(reverse("plans:import-result", args=[preview.code])).status_code == status


def test_the_command_prints_the_rows_as_json(cast, capsys):
    call_command("import_plan", str(cast.assessment.code), str(DATA / "upt-bakuda-2022.docx"), "--json",
                 "--user", "koordinator")
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"rows": 72, "matched": 72, "flagged": 72}
    first = data["rows"][0]
    assert set(first) == {"row", "area", "indicator", "activity", "output", "time_text", "start", "end", "pic",
                          "flags"}
    assert (first["area"], first["indicator"], first["start"], first["flags"]) == (
        "MP", "A.I.1.i", None, ["waktu kosong"])
    assert not PlanItem.objects.exists()  # without --commit it is a preview
    call_command("import_plan", str(cast.assessment.code), str(DATA / "upt-bakuda-2022.docx"), "--commit",
                 "--user", "koordinator")
    assert PlanItem.objects.count() == 72


def test_the_exported_rencana_aksi_reimports_to_the_same_items(cast, make_item, tmp_path):
    from reports.renderers.plans import rencana_aksi_xlsx

    make_item(path="A.I.1.i", steps="Menyusun SK tim kerja", target="Juni 2026")
    make_item(path="A.I.1.i", steps="Rapat tim", target="Juli - Desember 2026")
    make_item(path="A.I.5.i", steps="Kampanye anti gratifikasi", target="Triwulan II 2026", pic_name="Budi")
    out = tmp_path / "rencana.xlsx"
    rencana_aksi_xlsx(SimpleNamespace(assessment=cast.assessment), out, lambda _n: None)
    before = sorted((i.indicator.path, i.steps, i.output, i.target_start, i.target_end, i.pic_name)
                    for i in PlanItem.objects.all())
    PlanItem.objects.all().delete()
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                           upload=SimpleUploadedFile("rencana.xlsx", out.read_bytes()))
    services.plan_import_commit(plan_import=preview, user=cast.koordinator)
    after = sorted((i.indicator.path, i.steps, i.output, i.target_start, i.target_end, i.pic_name)
                   for i in PlanItem.objects.all())
    assert after == before and not any(i.needs_completion for i in PlanItem.objects.all())


def test_the_template_still_imports(cast):
    from plans.importing import write_template

    buffer = io.BytesIO()
    write_template(buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    book.active.append([1, "Penataan Tatalaksana", "E-Office", "Menerapkan persuratan elektronik", "Tangkapan layar",
                        "Juli - Desember 2026", "Subbagian TU"])  # a unit's row under the example
    filled = io.BytesIO()
    book.save(filled)
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                           upload=SimpleUploadedFile("templat.xlsx", filled.getvalue()))
    [row] = preview.rows  # the example row (NO "CONTOH") is not imported
    assert (row["area"], row["indicator"], row["needs_completion"], row["pic"]) == (
        "PT", "A.I.2.ii", False, "Subbagian TU")


def _import_outline(cast, statements: int):
    text = "I. Manajemen Perubahan\n1. Tim Kerja\n" + "\n".join(
        f"{chr(97 + i % 26)}. Langkah {i}." for i in range(statements))
    preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator, text=text)
    return services.plan_import_commit(plan_import=preview, user=cast.koordinator)


def test_the_result_and_preview_pages_take_the_same_queries_for_5_or_300_rows(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_for(client, cast.koordinator)
    counts = []
    for statements in (5, 300):
        PlanItem.objects.all().delete()
        done = _import_outline(cast, statements)
        assert PlanItem.objects.count() == statements
        # session + user, the import with its assessment, the membership checks, the flagged items
        # with indicator/area/PIC, and the page's own chrome: the same for any number of rows
        with CaptureQueriesContext(connection) as result:
            assert client.get(reverse("plans:import-result", args=[done.code])).status_code == 200
        with CaptureQueriesContext(connection) as preview:
            assert client.get(reverse("plans:import-preview", args=[done.code])).status_code == 200
        counts.append((len(result), len(preview)))
    assert counts[0] == counts[1], counts


def test_the_command_takes_a_mapping_and_refuses_a_bad_one(cast, capsys):
    from django.core.management.base import CommandError

    call_command("import_plan", str(cast.assessment.code), str(DATA / "komponen-table.xlsx"), "--json",
                 "--mapping", '{"BUKTI FISIK": ""}', "--user", "koordinator")
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"rows": 69, "matched": 69, "flagged": 26}
    assert all(row["output"] == "" for row in data["rows"])
    for bad in ('{"BUKTI FISIK": "warna"}', "bukan json"):
        with pytest.raises(CommandError):
            call_command("import_plan", str(cast.assessment.code), str(DATA / "komponen-table.xlsx"),
                         "--mapping", bad, "--user", "koordinator")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_plan", "bukan-kode", str(DATA / "komponen-table.xlsx"))
    assert not PlanItem.objects.exists()


def test_the_command_json_has_the_shape_the_issue_states_for_every_row(cast, capsys):
    call_command("import_plan", str(cast.assessment.code), str(DATA / "bpvp-kendari-2025.docx"), "--json",
                 "--user", "koordinator")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"rows", "summary"}
    assert data["summary"] == {"rows": 97, "matched": 97, "flagged": 89}  # no times in the outline
    paths = set(cast.assessment.instrument.nodes.values_list("path", flat=True))
    shorts = {"area tidak dikenali", "indikator tidak dikenali", "langkah aksi kosong", "waktu kosong",
              "waktu tidak terbaca", "tahun dari penilaian", "tahun jauh dari penilaian"}
    for row in data["rows"]:
        assert list(row) == ["row", "area", "indicator", "activity", "output", "time_text", "start", "end", "pic",
                             "flags"]
        assert row["area"] in {"MP", "PT", "SDM", "AK", "PW", "PP", None}
        assert row["indicator"] is None or (row["indicator"] in paths and re.fullmatch(
            r"A\.I\.\d\.[ivx]+", row["indicator"]))
        for value in (row["start"], row["end"]):
            assert value is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        assert isinstance(row["flags"], list) and set(row["flags"]) <= shorts
        assert all(isinstance(row[key], str) for key in ("row", "activity", "output", "time_text", "pic"))
    schedule = [row for row in data["rows"] if row["row"].startswith("Tabel")]
    assert [(row["start"], row["end"]) for row in schedule[:2]] == [("2025-01-01", "2025-06-30"),
                                                                     ("2026-01-01", "2026-12-31")]
    assert [row["area"] for row in schedule] == ["MP"] * 8
    assert [row["indicator"] for row in schedule] == ["A.I.1.ii"] * 3 + ["A.I.1.iii"] * 5
    assert not any("area tidak dikenali" in row["flags"] for row in schedule)


@pytest.mark.parametrize(("name", "statements"), [("bpvp-kendari-2025", 97), ("upt-bakuda-2022", 72)])
def test_every_statement_of_the_reference_documents_is_an_item_after_the_commit(cast, name, statements):
    for ext in ("docx", "xlsx"):
        PlanItem.objects.all().delete()
        preview = services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator,
                                               upload=_upload(f"{name}.{ext}"))
        services.plan_import_commit(plan_import=preview, user=cast.koordinator)
        items = PlanItem.objects.filter(plan_import=preview)
        assert items.count() == statements
        # what is not settled (the times of the outline, the schedule's areas) is flagged, never dropped
        assert all(item.needs_completion == bool(item.indicator_id is None or item.target_end is None)
                   for item in items)


def test_a_schedule_row_finds_its_statement_in_a_long_outline():
    document = docx.Document()
    for line in ["I. Manajemen Perubahan", "a. Penyusunan Tim Kerja"] + [
            f"{n}. Unit kerja melaksanakan kegiatan pembangunan nomor {n} tahap {n % 7};" for n in range(1, 61)]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=13)
    for column, title in enumerate(["Kegiatan", *MONTHS]):
        table.cell(0, column).text = title
    table.cell(1, 0).text = "Unit kerja melaksanakan kegiatan pembangunan nomor 47 tahap 5"
    table.cell(1, 4).text = table.cell(1, 5).text = "√"
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    rows = analyse(read_rows(read_document(buffer), refs=REFS, year=2025).rows, refs=REFS, year=2025)
    assert len(rows) == 60  # merged, not a 61st item
    [timed] = [row for row in rows if row["start"]]
    assert timed["steps"] == "Unit kerja melaksanakan kegiatan pembangunan nomor 47 tahap 5;"
    assert (timed["indicator"], timed["start"], timed["end"]) == ("A.I.1.i", "2025-04-01", "2025-05-31")
