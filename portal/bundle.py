"""The evaluator bundle: a ZIP of the evidence in the proposal's newest snapshot, one folder per LKE
code (question path), with manifest.csv listing every file and link with its SHA-256.

Rendered by the report jobs (record first, Celery worker); registered in PortalConfig.ready().
"""

import csv
import hashlib
import io
import zipfile
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import EvidenceVersion

BUNDLE_KIND = "evaluator_bundle"
CHUNK = 1024 * 1024
HEADERS = ["KODE LKE", "JUDUL BUKTI", "JENIS", "LOKASI DALAM PAKET / TAUTAN", "UKURAN (BYTE)", "SHA-256",
           "CATATAN"]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_bundle_parameters(assessment, raw) -> dict:
    from .models import Proposal

    proposal = Proposal.objects.active().filter(assessment=assessment).first()
    snapshot = proposal.snapshots.order_by("-number").first() if proposal else None
    if snapshot is None:
        raise ValidationError(_("Paket evaluator hanya tersedia untuk unit yang sedang diusulkan."))
    return {"proposal": str(proposal.code), "snapshot": snapshot.number}


def _safe(text: str) -> str:
    from reports.renderers.common import safe_name

    return safe_name(text)


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def evaluator_bundle_zip(job, out_path: Path, progress) -> None:
    from reports.renderers import RenderError

    from .models import Snapshot

    snapshot = Snapshot.objects.filter(proposal__code=job.parameters.get("proposal"),
                                       number=job.parameters.get("snapshot")).first()
    if snapshot is None:
        raise RenderError(_("Snapshot usulan tidak ditemukan."))
    codes = [entry["version"] for entries in snapshot.evidence.values() for entry in entries if entry["version"]]
    versions = {str(v.code): v for v in EvidenceVersion.objects.filter(code__in=codes,
                                                                        evidence__assessment=job.assessment)}
    rows = []
    used: set[str] = set()
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for path in sorted(snapshot.evidence):
            for number, entry in enumerate(snapshot.evidence[path], start=1):
                if entry["kind"] == "link":
                    rows.append([path, entry["title"], _("tautan"), entry["url"], "", "", ""])
                    continue
                version = versions.get(entry["version"])
                if version is None:
                    rows.append([path, entry["title"], _("berkas"), "", "", "", _("berkas tidak ditemukan")])
                    continue
                suffix = PurePosixPath(version.original_name).suffix.lower()[:10]
                name = f"{_safe(path)}/{number:02d} {_safe(entry['title'])[:60]}{suffix}"
                while name in used:
                    name = name.replace(suffix, "_" + suffix, 1) if suffix else name + "_"
                used.add(name)
                digest, size = _copy(archive, name, version)
                note = "" if digest == entry["sha256"] else _("SHA-256 berbeda dengan snapshot")
                rows.append([path, entry["title"], _("berkas"), name, size, digest, note])
        progress(90)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([v if isinstance(v, int) else _cell(v) for v in row])
        info = zipfile.ZipInfo("manifest.csv", date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, "\ufeff" + buffer.getvalue())


def _copy(archive, name: str, version) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(version.uploaded_at).timetuple()[:6])
    with default_storage.open(version.file.name, "rb") as source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
