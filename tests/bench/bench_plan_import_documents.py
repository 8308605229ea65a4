"""Time the rencana aksi import of 1,000-row Word and Excel documents end to end: upload checks,
reading (tables with merged cells and repeated headers; a numbered outline), guessing the columns,
matching, and committing every item in one transaction, on a fresh SQLite database.

    .venv/bin/python tests/bench/bench_plan_import_documents.py [--rows 1000] [--runs 3]

Prints a Markdown section. A script, not a test; `--rows 50 --runs 1` is a quick check that it runs.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="zi-bench-docs-")
os.environ.update({"DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DEBUG": "true",
                   "SQLITE_PATH": f"{TMP}/bench.sqlite3", "MEDIA_ROOT": f"{TMP}/media"})
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from plans.importing import AREA_NAMES, indicator_refs_from_instrument  # noqa: E402

ROWS = 1000  # --rows
RUNS = 3  # --runs
HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET"]
TIMES = ["Juni 2025", "Juli - Des", "", "Triwulan II", "Setiap bulan", "", "Januari s/d Desember 2025"]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def table_rows(refs):
    """Rows in the shape of a unit's Word table: area headings in the NO cell, KOMPONEN holding the
    indicator once per group, the header repeated every 40 rows."""
    indicators = [ref for ref in refs if ref.sub_komponen == "PEMENUHAN"]
    per_indicator = -(-ROWS // len(indicators))
    rows, number, area = [HEADER], 0, None
    for ref in indicators:
        if ref.change_area != area:
            area = ref.change_area
            rows.append([f"{ROMAN[list(AREA_NAMES).index(area)]}. {AREA_NAMES[area][0].upper()}", "", "", "", "", ""])
        for step in range(per_indicator):
            if number == ROWS:
                break
            number += 1
            if number % 40 == 0:
                rows.append(HEADER)
            rows.append([str(number), ref.name if step == 0 else "", f"Sub-indikator {number}",
                         f"Langkah aksi nomor {number} dan pelaksanaannya", "Undangan, notulen, daftar hadir",
                         TIMES[number % len(TIMES)]])
    return rows


def build_docx_table(path, rows):
    document = docx.Document()
    table = document.add_table(rows=0, cols=len(HEADER))
    for cells in rows:
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    document.save(path)


def build_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(["RENCANA AKSI 2025"])
    for cells in rows:
        workbook.active.append(cells)
    workbook.save(path)


def build_docx_outline(path, refs):
    document = docx.Document()
    document.add_paragraph("DOKUMEN RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS")
    indicators = [ref for ref in refs if ref.sub_komponen == "PEMENUHAN"]
    per_indicator = -(-ROWS // len(indicators))
    number, area, count = 0, None, 0
    for ref in indicators:
        if ref.change_area != area:
            area, count = ref.change_area, 0
            document.add_paragraph(f"{ROMAN[list(AREA_NAMES).index(area)]}. {AREA_NAMES[area][0]}")
            document.add_paragraph("Indikator:")
        count += 1
        document.add_paragraph(f"{chr(96 + count)}. {ref.name}")
        document.add_paragraph("Pengukuran indikator ini dilakukan dengan memperhatikan hal berikut:")
        for step in range(per_indicator):
            if number == ROWS:
                break
            number += 1
            document.add_paragraph(f"{step + 1}) Unit kerja telah melaksanakan langkah nomor {number};")
    document.save(path)


def main():
    import argparse

    global ROWS, RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    ROWS, RUNS = options.rows, options.runs
    call_command("migrate", verbosity=0)
    call_command("import_instrument", str(ROOT / "fixtures/instruments/permenpanrb-90-2021.json"),
                 stdout=io.StringIO())
    from accounts.models import Instansi, Membership, Role, Unit, User
    from areas.models import Instrument
    from areas.selectors import instrument_data
    from areas.services import assessment_create
    from plans import services

    instrument = Instrument.objects.get(code="permenpanrb-90-2021")
    user = User.objects.create_user("bench", password="x" * 12)
    refs = indicator_refs_from_instrument(instrument_data(instrument))
    rows = table_rows(refs)
    files = {"DOCX, table": Path(TMP) / "tabel.docx", "XLSX, table": Path(TMP) / "tabel.xlsx",
             "DOCX, numbered outline": Path(TMP) / "kerangka.docx"}
    build_docx_table(files["DOCX, table"], rows)
    build_xlsx(files["XLSX, table"], rows)
    build_docx_outline(files["DOCX, numbered outline"], refs)
    results = []
    for run_label, path in files.items():
        content = path.read_bytes()
        previews, commits, totals = [], [], []
        for run in range(RUNS):
            instansi = Instansi.objects.get_or_create(name="Bench")[0]
            unit = Unit.objects.create(name=f"Unit {run_label} {run}", instansi=instansi)
            Membership.objects.create(user=user, unit=unit, role=Role.KOORDINATOR)
            assessment = assessment_create(unit=unit, instrument=instrument, year=2025)
            start = time.perf_counter()
            preview = services.plan_import_preview(assessment=assessment, user=user,
                                                   upload=SimpleUploadedFile(path.name, content))
            middle = time.perf_counter()
            done = services.plan_import_commit(plan_import=preview, user=user)
            end = time.perf_counter()
            matched = sum(1 for row in preview.rows if row["indicator"])
            previews.append(middle - start)
            commits.append(end - middle)
            totals.append(end - start)
        results.append((run_label, len(content), done.created_count, matched, preview.error_count,
                        statistics.median(previews), statistics.median(commits), statistics.median(totals)))
    print("## Rencana aksi import of Word and Excel documents, end to end\n")
    print(f"{ROWS:,} plan rows per file; upload checks, reading, column guessing, matching to {instrument.code}, "
          f"then one-transaction commit on SQLite. Median of {RUNS} runs; tables have area headings in the NO "
          "cell, KOMPONEN holding indicators and the header repeated every 40 rows; 2 in 7 times are empty "
          "(flagged).\n")
    print("| file | size | items | indicator matched | perlu dilengkapi | preview | commit | total |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, size, created, matched, flagged, preview_s, commit_s, total_s in results:
        print(f"| {label} | {size / 1024:.0f} KB | {created} | {matched} | {flagged} | {preview_s:.2f} s | "
              f"{commit_s:.2f} s | {total_s:.2f} s |")


if __name__ == "__main__":
    main()
