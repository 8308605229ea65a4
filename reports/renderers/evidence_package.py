"""The evidence package: a ZIP with a folder per area / indicator / question holding the current
version of each evidence file, and a manifest (XLSX and CSV) of every item with its SHA-256.

Files are copied from storage into the archive in 1 MiB chunks and hashed on the way, so
memory stays flat whatever the package's size, and the manifest's SHA-256 is that of the
bytes actually packed (compared with the hash recorded at upload).
"""

import csv
import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.formatting import XLSX_INTEGER
from areas.models import NodeKind
from areas.selectors import instrument_tree, iter_tree
from evidence.models import EvidenceKind

from ..selectors import evidence_by_question
from . import xlsx
from .common import area_folder_title, heading_for, safe_name

CHUNK = 1024 * 1024
MANIFEST_HEADERS = ["NO", "AREA", "INDIKATOR", "KODE PERTANYAAN", "PERTANYAAN", "JUDUL BUKTI", "JENIS",
                    "TANGGAL DOKUMEN", "STATUS", "VERSI", "NAMA BERKAS ASLI", "LOKASI DALAM PAKET / TAUTAN",
                    "UKURAN (BYTE)", "SHA-256", "CATATAN", "BUKTI YANG DIPENUHI"]
MANIFEST_WIDTHS = [6, 30, 36, 16, 50, 40, 10, 14, 16, 7, 30, 70, 14, 66, 30, 50]
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Place:
    area: str
    indicator: str
    question_path: str
    question_text: str

    @property
    def folder(self) -> str:
        return "/".join([safe_name(self.area), safe_name(self.indicator), safe_name(self.question_path)])


def question_places(instrument) -> list[tuple[object, Place]]:
    """Every question in instrument order with the folder it goes into (area / indicator / question)."""
    places = []
    for node in iter_tree(instrument_tree(instrument)):
        if node.kind != NodeKind.INDIKATOR:
            continue
        indicator = f"{node.path} {node.name}"
        for item in iter_tree([node]):
            for question in item.question_list:
                area = area_folder_title(question.change_area)
                places.append((question, Place(area, indicator, question.path, question.text)))
    return places


@dataclass
class ManifestRow:
    place: Place
    item: object
    location: str
    size: int | None
    sha256: str
    note: str


def evidence_package_zip(job, out_path: Path, progress) -> None:
    assessment = job.assessment
    accepted_only = bool(job.parameters.get("accepted_only"))
    evidence = evidence_by_question(assessment, accepted_only=accepted_only)
    entries = [(place, item) for question, place in question_places(assessment.instrument)
               for item in evidence.get(question.pk, [])]
    total = sum(item.current.size for _place, item in entries if item.kind == EvidenceKind.FILE and item.current)
    copied = 0
    used_names: set[str] = set()
    manifest: list[ManifestRow] = []
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for number, (place, item) in enumerate(entries, start=1):
            if item.kind == EvidenceKind.LINK:
                manifest.append(ManifestRow(place, item, item.url, None, "", _("tautan, tidak ada berkas")))
                continue
            version = item.current
            if version is None:
                manifest.append(ManifestRow(place, item, "", None, "", _("belum ada berkas")))
                continue
            name = _unique(used_names, place.folder, f"{number:03d} {safe_name(item.title, 60)}",
                           PurePosixPath(version.original_name).suffix.lower()[:10])
            try:
                digest, size = _copy_into(archive, name, version)
            except FileNotFoundError:
                missing = _("berkas tidak ditemukan di penyimpanan")
                manifest.append(ManifestRow(place, item, "", version.size, "", missing))
                continue
            note = "" if digest == version.sha256 else _("SHA-256 berbeda dengan yang tercatat saat unggah")
            manifest.append(ManifestRow(place, item, name, size, digest, note))
            copied += size
            progress(5 + 85 * copied / total if total else 50)
        heading = heading_for(job, _("Paket Bukti Data Dukung"))
        _write_csv(archive, manifest)
        _write_xlsx(archive, manifest, heading, accepted_only)
    progress(95)


def _unique(used: set[str], folder: str, stem: str, suffix: str) -> str:
    name = f"{folder}/{stem}{suffix}"
    counter = 2
    while name in used:
        name = f"{folder}/{stem} ({counter}){suffix}"
        counter += 1
    used.add(name)
    return name


def _copy_into(archive: zipfile.ZipFile, name: str, version) -> tuple[str, int]:
    """Copy one stored file into the archive in chunks; evidence formats are compressed already."""
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(version.uploaded_at).timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with default_storage.open(version.file.name, "rb") as source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _manifest_values(number: int, row: ManifestRow) -> list:
    item = row.item
    version = item.current
    return [
        number, row.place.area, row.place.indicator, row.place.question_path, row.place.question_text, item.title,
        item.get_kind_display(), item.document_date.strftime("%d-%m-%Y") if item.document_date else "",
        item.get_status_display(), version.number if version else "", version.original_name if version else "",
        row.location, row.size if row.size is not None else "", row.sha256, row.note,
        item.expected_item or _("Lainnya"),
    ]


def _csv_text(value) -> str:
    """CSV cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP)."""
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_csv(archive: zipfile.ZipFile, manifest: list[ManifestRow]) -> None:
    with archive.open(_entry("manifest.csv"), "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(MANIFEST_HEADERS)
        for number, row in enumerate(manifest, start=1):
            writer.writerow([v if isinstance(v, int) else _csv_text(v) for v in _manifest_values(number, row)])
        text.flush()
        text.detach()


def _write_xlsx(archive: zipfile.ZipFile, manifest: list[ManifestRow], heading, accepted_only: bool) -> None:
    workbook = xlsx.new_workbook()
    sheet = xlsx.Sheet(workbook, "Manifest", MANIFEST_WIDTHS, header_row=6)
    scope = _("Hanya bukti yang diterima TPI.") if accepted_only else _("Semua bukti aktif (tidak ditarik).")
    sheet.title_rows(heading, [scope])
    sheet.header_row(MANIFEST_HEADERS)
    for number, row in enumerate(manifest, start=1):
        sheet.append([sheet.number(v, XLSX_INTEGER) if isinstance(v, int) else sheet.text(v)
                      for v in _manifest_values(number, row)])
    with tempfile.NamedTemporaryFile(suffix=".xlsx", dir=settings.REPORT_TMP_DIR) as handle:
        xlsx.save(workbook, Path(handle.name))
        with open(handle.name, "rb") as source, archive.open(_entry("manifest.xlsx"), "w") as target:
            while chunk := source.read(CHUNK):
                target.write(chunk)
