"""A realistic assessment for the report tests: plan items in all six areas and hasil, monev
entries, both answer sides on every question, and evidence files (accepted, submitted, a link,
a withdrawn item). User text includes formula-injection attempts.
"""

import hashlib
import os
import uuid
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from evidence.models import Evidence, EvidenceKind, EvidenceStatus, EvidenceVersion
from plans import services as plan_services
from plans.models import PeriodKind, PlanStatus
from reports.models import ReportJob
from scoring import engine
from scoring.models import Answer, Side
from scoring.selectors import engine_instrument
from zi_portal.celery import app

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=JAKARTA)

KNOWN_STEPS = "Menyusun SK Tim Kerja Pembangunan Zona Integritas"
INJECTIONS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1"]
PIMPINAN_NAME = "Dr. Siti Rahmawati, S.E., M.Si."
PIMPINAN_NIP = "197805122005012003"

# (indicator path, langkah aksi, output, target, status, progress)
PLAN = [
    ("A.I.1.i", KNOWN_STEPS, "SK Tim Kerja ZI", "Januari 2026", PlanStatus.SELESAI, 100),
    ("A.I.1.i", "Rapat pembentukan tim kerja", "Undangan, notulen, daftar hadir", "Januari 2026",
     PlanStatus.SELESAI, 100),
    ("A.I.1.ii", "Menyusun rencana kerja pembangunan ZI", "Dokumen rencana kerja", "Februari 2026",
     PlanStatus.BERJALAN, 60),
    ("A.I.2.i", INJECTIONS[0], INJECTIONS[1], "Maret 2026", PlanStatus.BELUM, 0),
    ("A.I.2.ii", "Menerapkan aplikasi layanan daring", "Tangkapan layar aplikasi", "Desember 2026",
     PlanStatus.BERJALAN, 40),
    ("A.I.3.iv", "Menetapkan sasaran kinerja pegawai", "SKP seluruh pegawai", "Triwulan I", PlanStatus.SELESAI, 100),
    ("A.I.3.v", "Sosialisasi kode etik pegawai", "Foto kegiatan, daftar hadir", "Juni 2026", PlanStatus.BELUM, 0),
    ("A.I.4.i", "Pimpinan memimpin rapat evaluasi kinerja", "Notulen rapat", "Setiap bulan", PlanStatus.BERJALAN,
     70),
    ("A.I.5.i", "Membentuk unit pengendalian gratifikasi", "SK UPG", "April 2026", PlanStatus.SELESAI, 100),
    ("A.I.5.iv", "Menyediakan kanal whistle-blowing", "Laporan WBS", "Juli - Desember 2026", PlanStatus.BERJALAN,
     30),
    ("A.I.6.i", "Menyusun dan memublikasikan standar pelayanan", "Standar pelayanan, foto papan informasi",
     "Mei 2026", PlanStatus.BELUM, 10),
    ("A.I.6.iv", "Survei kepuasan masyarakat", "Laporan SKM", "Triwulan IV", PlanStatus.BERJALAN, 50),
    ("B.I.a", "Survei persepsi antikorupsi internal", "Laporan survei", "Oktober 2026", PlanStatus.BELUM, 0),
]

EVIDENCE = [
    # (question path, title, status, file bytes)
    ("A.I.1.i.a", "SK Tim Kerja Pembangunan ZI", EvidenceStatus.DITERIMA, b"%PDF-1.4 sk tim kerja\n" * 40),
    ("A.I.2.i.a", INJECTIONS[2], EvidenceStatus.DIAJUKAN, b"%PDF-1.4 peta proses bisnis\n" * 30),
    ("A.I.3.iv.a", "SKP Pegawai 2026", EvidenceStatus.DITERIMA, b"%PDF-1.4 skp\n" * 50),
    ("A.I.4.i.a", "Notulen rapat evaluasi kinerja", EvidenceStatus.DITERIMA, b"%PDF-1.4 notulen\n" * 20),
    ("A.I.5.i.a", "SK Unit Pengendalian Gratifikasi", EvidenceStatus.PERLU_PERBAIKAN, b"%PDF-1.4 upg\n" * 25),
    ("A.I.6.i.a", "Standar Pelayanan / Maklumat", EvidenceStatus.DITERIMA, b"\x89PNG fake image bytes\n" * 30),
]


def services_available() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"] and bool(os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    """The service tests here need PostgreSQL and Redis (CI's PostgreSQL pass, see test_worker.py).
    Elsewhere, e.g. `pytest tests/reports` on SQLite, they are deselected (reported as such)."""
    if services_available() or os.environ.get("CI"):
        return  # in CI a missing service must fail these tests, never hide them
    kept, dropped = [], []
    for item in items:
        ours = item.nodeid.startswith("tests/reports/")
        (dropped if ours and item.get_closest_marker("services") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield NOW


@pytest.fixture
def eager():
    """Tasks run in-process whatever REDIS_URL says (CI's PostgreSQL pass sets it)."""
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def use_broker(celery_app, url: str) -> None:
    """Send tasks to `url` from now on. Celery caches its connection and producer pools per
    process (app.close() keeps an empty pool), so both are dropped here."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def build_answers(assessment, user_unit, user_tpi, *, unit_note=""):
    """Both sides on every question: the unit mostly best, the TPI a notch lower on some."""
    ins = engine_instrument(assessment.instrument, with_thresholds=False)
    questions = {q.path: q for q in assessment.instrument.questions.all()}
    rows = []
    for number, path in enumerate(ins.questions):
        spec = ins.questions[path]
        unit_value = engine.best_answer(ins, path) if number % 5 else engine.worst_answer(ins, path)
        tpi_value = unit_value if number % 3 else engine.worst_answer(ins, path)
        for side, value, user in ((Side.UNIT, unit_value, user_unit), (Side.TPI, tpi_value, user_tpi)):
            rows.append(Answer(
                assessment=assessment, question=questions[path], side=side, updated_by=user, version=1,
                updated_at=timezone.now(),
                option=value if isinstance(value, str) else "",
                counts=list(value) if isinstance(value, tuple) else None,
                index=value if isinstance(value, float) and spec.answer_type == "index" else None,
                note=(unit_note if path == "A.I.1.i.a" and side == Side.UNIT else
                      ("Sesuai bukti" if side == Side.TPI and number % 4 == 0 else "")),
            ))
    Answer.objects.bulk_create(rows)


def store_version(evidence, content: bytes, *, name="dokumen.pdf", user, content_type="application/pdf"):
    stored = default_storage.save(f"evidence/{evidence.assessment.unit.code}/{uuid.uuid4()}.pdf",
                                  ContentFile(content))
    number = evidence.versions.count() + 1
    return EvidenceVersion.objects.create(
        evidence=evidence, number=number, file=stored, original_name=name, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content_type=content_type, uploaded_by=user)


def build_evidence(assessment, user):
    questions = {q.path: q for q in assessment.instrument.questions.all()}
    items = []
    for path, title, status, content in EVIDENCE:
        item = Evidence.objects.create(assessment=assessment, question=questions[path], kind=EvidenceKind.FILE,
                                       title=title, status=status, owner=user,
                                       document_date=date(2026, 2, 3))
        store_version(item, b"versi lama " + content, user=user, name="lama.pdf")
        store_version(item, content, user=user, name=f"{title[:20]}.pdf")
        items.append(item)
    items.append(Evidence.objects.create(
        assessment=assessment, question=questions["A.I.1.i.a"], kind=EvidenceKind.LINK, title="Berita di situs unit",
        url="https://unit.example.go.id/berita/zi", status=EvidenceStatus.DITERIMA, owner=user))
    withdrawn = Evidence.objects.create(
        assessment=assessment, question=questions["A.I.1.i.b"], kind=EvidenceKind.FILE, title="Draf ditarik",
        status=EvidenceStatus.DRAFT, owner=user, withdrawn=True, withdrawn_at=timezone.now())
    store_version(withdrawn, b"ditarik", user=user)
    return items


def build_plans(assessment, user):
    nodes = {n.path: n for n in assessment.instrument.nodes.all()}
    questions = {q.path: q for q in assessment.instrument.questions.all()}
    items = []
    for path, steps, output, target, status, progress in PLAN:
        linked = [q for p, q in questions.items() if p.startswith(path + ".")][:2]
        items.append(plan_services.plan_item_create(
            assessment=assessment, indicator=nodes[path], steps=steps, output=output, target_text=target,
            user=user, pic_name=INJECTIONS[2] if path == "A.I.2.i" else "Tim " + path.split(".")[2],
            status=status, progress=progress, questions=linked))
    periods = plan_services.monev_periods_generate(assessment=assessment, kind=PeriodKind.MONTHLY)
    september, october = periods[8], periods[9]
    for number, item in enumerate(items):
        plan_services.monev_entry_set(period=september, plan_item=item, user=user,
                                      realisasi=f"Realisasi September butir {number + 1}",
                                      # an item without an October entry stands where September left it
                                      progress=item.progress if number % 4 == 3 else max(0, item.progress - 20),
                                      kendala="", tindak_lanjut="")
        if number % 4 == 3:
            continue  # some items have no entry in October
        plan_services.monev_entry_set(
            period=october, plan_item=item, user=user, realisasi=f"Realisasi Oktober butir {number + 1}",
            progress=item.progress, kendala=INJECTIONS[3] if number == 2 else "Anggaran terbatas",
            tindak_lanjut="Koordinasi dengan bagian keuangan")
    return SimpleNamespace(items=items, periods=periods, september=september, october=october)


@pytest.fixture
def realistic(cast, frozen):
    """cast + a pimpinan with NIP, plan items, monev, answers on both sides and evidence."""
    cast.pimpinan.full_name = PIMPINAN_NAME
    cast.pimpinan.nip = PIMPINAN_NIP
    cast.pimpinan.save(update_fields=["full_name", "nip"])
    plans = build_plans(cast.assessment, cast.koordinator)
    build_answers(cast.assessment, cast.koordinator, cast.tpi, unit_note=INJECTIONS[0])
    cast.evidence = build_evidence(cast.assessment, cast.koordinator)
    cast.plans = plans
    return cast


def job_for(cast, kind, fmt, parameters=None, user=None) -> ReportJob:
    """A pending job row, as report_request leaves it (without sending it anywhere)."""
    from reports.models import job_fingerprint

    user = user or cast.koordinator
    parameters = parameters or {}
    return ReportJob.objects.create(
        kind=kind, format=fmt, assessment=cast.assessment, parameters=parameters, requested_by=user,
        fingerprint=job_fingerprint(kind=kind, fmt=fmt, assessment_id=cast.assessment.pk, parameters=parameters,
                                    requested_by_id=user.pk))
