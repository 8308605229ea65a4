"""The evidence package ZIP: folders, current versions only, manifests whose SHA-256 match the
stored files, CSV and XLSX injection safety, and flat memory for large files."""

import csv
import hashlib
import io
import os
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage

from evidence.models import Evidence, EvidenceStatus
from reports import services
from reports.models import JobStatus
from tests.reports.conftest import INJECTIONS, job_for, store_version

pytestmark = pytest.mark.django_db


def package_for(cast, accepted_only=False) -> zipfile.ZipFile:
    job = services.report_run(job_for(cast, "evidence_package", "zip", {"accepted_only": accepted_only}).pk)
    assert job.status == JobStatus.DONE, job.error
    return zipfile.ZipFile(io.BytesIO(default_storage.open(job.file.name).read()))


def manifest_rows(archive) -> list[dict]:
    text = archive.read("manifest.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def stored_sha256(version) -> str:
    with default_storage.open(version.file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_the_package_holds_the_current_version_of_every_active_file(realistic):
    archive = package_for(realistic)
    files = [name for name in archive.namelist() if not name.startswith("manifest.")]
    assert len(files) == 6  # six file items; the link and the withdrawn item have no file here
    first = ("1. Manajemen Perubahan/A.I.1.i Penyusunan Tim Kerja/A.I.1.i.a/"
             "001 SK Tim Kerja Pembangunan ZI.pdf")
    assert first in files
    sk = realistic.evidence[0]
    assert archive.read(first) == default_storage.open(sk.versions.get(number=2).file.name).read()
    assert not any(name.startswith("1. Manajemen Perubahan/A.I.1.i Penyusunan Tim Kerja/A.I.1.i.b") for name in files)
    assert "6. Peningkatan Kualitas Pelayanan Publik/A.I.6.i Standar Pelayanan/A.I.6.i.a/" \
           "007 Standar Pelayanan Maklumat.pdf" in files  # "/" in a title cannot add a folder


def test_the_manifest_sha256_match_the_stored_files(realistic):
    archive = package_for(realistic)
    rows = manifest_rows(archive)
    assert len(rows) == 7  # six files and the link
    assert list(rows[0]) == ["NO", "AREA", "INDIKATOR", "KODE PERTANYAAN", "PERTANYAAN", "JUDUL BUKTI", "JENIS",
                             "TANGGAL DOKUMEN", "STATUS", "VERSI", "NAMA BERKAS ASLI",
                             "LOKASI DALAM PAKET / TAUTAN", "UKURAN (BYTE)", "SHA-256", "CATATAN",
                             "BUKTI YANG DIPENUHI"]
    by_location = {row["LOKASI DALAM PAKET / TAUTAN"]: row for row in rows}
    for item in [e for e in realistic.evidence if e.is_file]:
        version = item.versions.order_by("number").last()
        row = next(r for r in rows if r["VERSI"] == "2" and r["KODE PERTANYAAN"] == item.question.path)
        packed = archive.read(row["LOKASI DALAM PAKET / TAUTAN"])
        assert row["SHA-256"] == hashlib.sha256(packed).hexdigest() == version.sha256 == stored_sha256(version)
        assert int(row["UKURAN (BYTE)"]) == len(packed) == version.size
        assert row["TANGGAL DOKUMEN"] == "03-02-2026" and row["CATATAN"] == ""
    link = by_location["https://unit.example.go.id/berita/zi"]
    assert link["JENIS"] == "Tautan" and link["SHA-256"] == "" and link["STATUS"] == "Diterima"


def test_the_manifests_keep_formula_like_titles_as_text(realistic):
    archive = package_for(realistic)
    row = next(r for r in manifest_rows(archive) if r["KODE PERTANYAAN"] == "A.I.2.i.a")
    assert row["JUDUL BUKTI"] == "'" + INJECTIONS[2]  # a spreadsheet opening the CSV shows text, not a formula
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("manifest.xlsx")))["Manifest"]
    cell = next(r[5] for r in sheet.iter_rows() if r[3].value == "A.I.2.i.a")
    assert cell.value == INJECTIONS[2] and cell.data_type == "s"
    assert [c.value for c in sheet[6]][:3] == ["NO", "AREA", "INDIKATOR"]


def test_accepted_only_leaves_the_rest_out(realistic):
    archive = package_for(realistic, accepted_only=True)
    rows = manifest_rows(archive)
    assert {r["STATUS"] for r in rows} == {"Diterima"}
    accepted = Evidence.objects.filter(assessment=realistic.assessment, status=EvidenceStatus.DITERIMA,
                                       withdrawn=False).count()
    assert len(rows) == accepted == 5
    assert not any("Penataan Tatalaksana" in name for name in archive.namelist())


def test_a_file_missing_from_storage_is_reported_in_the_manifest(realistic):
    version = realistic.evidence[3].versions.order_by("number").last()
    default_storage.delete(version.file.name)
    rows = manifest_rows(package_for(realistic))
    row = next(r for r in rows if r["KODE PERTANYAAN"] == "A.I.4.i.a")
    assert row["CATATAN"] == "berkas tidak ditemukan di penyimpanan" and row["LOKASI DALAM PAKET / TAUTAN"] == ""


def test_memory_stays_flat_while_packing_large_files(cast):
    question = cast.assessment.instrument.questions.get(path="A.I.1.i.a")
    for number in range(3):
        item = Evidence.objects.create(assessment=cast.assessment, question=question, kind="file",
                                       title=f"Berkas besar {number}", status=EvidenceStatus.DITERIMA,
                                       owner=cast.koordinator)
        store_version(item, os.urandom(16 * 1024 * 1024), user=cast.koordinator)
    tracemalloc.start()
    try:
        job = services.report_run(job_for(cast, "evidence_package", "zip").pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.status == JobStatus.DONE and job.size > 48 * 1024 * 1024
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while packing 48 MB"
