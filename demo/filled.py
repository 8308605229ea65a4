"""The filled demo: the demo unit's current assessment as a unit in the reviu TPI stage looks.

Everything for the demo unit goes through the same services a user's clicks would (answers with
history, uploads through the upload checks, submissions and review decisions, plan items with
their parsed targets, monev entries), so the demo shows real behaviour, not rows that only a
seed could make. The extra units for the admin overview (`--units N`) are written in bulk: they
only need to be counted.

Idempotent: a part that already holds data is left as it is.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Instansi, Unit
from areas.models import STAGE_ORDER, Assessment, NodeKind, Stage
from areas.services import assessment_set_stage
from evidence import services as evidence_services
from evidence.models import Evidence, EvidenceKind, EvidenceStatus
from plans import services as plan_services
from plans.models import MonevPeriod, PeriodKind, PlanItem, PlanStatus
from scoring import engine
from scoring import services as scoring_services
from scoring.models import Answer, Side
from scoring.selectors import engine_instrument

from .files import jpeg_photo, pdf_document

PLAN_ITEMS = 100
EVIDENCE_PER_QUESTION = 5

# Plan actions per change area, as units write them in their rencana kerja.
ACTIONS = {
    "MP": [
        ("Menetapkan SK Tim Kerja Pembangunan Zona Integritas", "SK Tim Kerja ZI"),
        ("Menyusun rencana kerja pembangunan ZI tahun berjalan", "Dokumen rencana kerja ZI"),
        ("Melaksanakan monitoring dan evaluasi pembangunan ZI", "Laporan monev triwulanan"),
        ("Menetapkan agen perubahan dan rencana kerjanya", "SK agen perubahan"),
        ("Melaksanakan sosialisasi ZI kepada seluruh pegawai", "Notulen dan daftar hadir sosialisasi"),
        ("Membuat media publikasi Zona Integritas (banner, media sosial)", "Dokumentasi publikasi"),
    ],
    "PT": [
        ("Menyusun dan menetapkan SOP layanan utama", "SK penetapan SOP"),
        ("Melaksanakan evaluasi penerapan SOP", "Laporan evaluasi SOP"),
        ("Mengembangkan layanan berbasis SPBE (E-Office)", "Laporan implementasi aplikasi"),
        ("Memperbarui informasi publik di situs web unit", "Tangkapan layar situs web"),
        ("Melaksanakan evaluasi keterbukaan informasi publik", "Laporan evaluasi KIP"),
    ],
    "SDM": [
        ("Menyusun analisis jabatan dan analisis beban kerja", "Dokumen anjab dan ABK"),
        ("Melaksanakan pengembangan kompetensi pegawai (20 JP)", "Rekap JP pelatihan pegawai"),
        ("Menetapkan target kinerja individu (SKP) seluruh pegawai", "Rekap SKP pegawai"),
        ("Melaksanakan penilaian kinerja pegawai triwulanan", "Laporan penilaian kinerja"),
        ("Menegakkan aturan disiplin dan kode etik pegawai", "Rekap penegakan disiplin"),
    ],
    "AK": [
        ("Melibatkan pimpinan dalam penyusunan Perjanjian Kinerja", "Perjanjian Kinerja bertanda tangan"),
        ("Menyusun indikator kinerja utama dan target triwulanan", "Dokumen IKU"),
        ("Melaksanakan pengukuran kinerja berkala", "Laporan capaian kinerja"),
        ("Menyusun Laporan Kinerja (LKj) tepat waktu", "LKj unit"),
    ],
    "PW": [
        ("Membentuk Unit Pengendali Gratifikasi (UPG)", "SK UPG"),
        ("Melaksanakan penilaian risiko dan rencana tindak pengendalian", "Register risiko"),
        ("Menyediakan kanal pengaduan masyarakat (WBS)", "Tangkapan layar kanal pengaduan"),
        ("Menandatangani pakta integritas dan mengelola benturan kepentingan", "Pakta integritas pegawai"),
        ("Memantau kepatuhan LHKPN dan LHKASN", "Rekap kepatuhan LHKPN/LHKASN"),
    ],
    "PP": [
        ("Menetapkan dan mempublikasikan standar pelayanan", "SK standar pelayanan"),
        ("Melaksanakan survei kepuasan masyarakat triwulanan", "Laporan SKM"),
        ("Menyediakan sarana layanan terpadu dan ramah disabilitas", "Dokumentasi sarana layanan"),
        ("Melaksanakan budaya pelayanan prima (pelatihan petugas)", "Daftar hadir pelatihan pelayanan prima"),
        ("Menindaklanjuti pengaduan dan hasil survei", "Laporan tindak lanjut pengaduan"),
    ],
}

# The time targets people write in their plans (every one parses; see docs/plan-import.md).
TARGETS = [
    "Januari {y}", "Februari - Maret {y}", "Triwulan I {y}", "April {y}", "Mei s.d. Juni {y}", "Semester I {y}",
    "Juli {y}", "Triwulan III {y}", "Agustus - September {y}", "Oktober {y}", "November {y}",
    "Triwulan IV {y}", "Desember {y}", "Setiap bulan",
]

PIC_TITLES = ["Kepala Subbagian Umum", "Kepala Seksi Pelayanan", "Koordinator Kepegawaian", "Bendahara",
              "Pranata Komputer"]

REVISION_NOTES = [
    "Dokumen belum ditandatangani pimpinan; unggah versi yang sudah ditandatangani.",
    "Foto tidak menunjukkan tanggal kegiatan; lengkapi dengan notulen atau daftar hadir.",
    "Laporan hanya mencakup triwulan I; lampirkan laporan sampai triwulan berjalan.",
]

COMMENTS = [
    ("tpi", "Mohon dilengkapi daftar hadir kegiatan sosialisasi bulan Oktober."),
    ("team", "Baik, daftar hadir sudah kami unggah sebagai versi baru."),
    ("tpi", "Apakah SK ini sudah berlaku untuk seluruh bidang atau hanya bagian umum?"),
    ("team", "Berlaku untuk seluruh bidang; lampiran SK memuat daftar lengkapnya."),
]


@dataclass
class DemoPeople:
    admin: object
    koordinator: object
    tpi: object
    pimpinan: object
    team_by_area: dict  # change-area code → the tim kerja membership that owns it


def _answer_plan(ins, path: str, number: int):
    """(unit value, TPI value, differs): mostly good answers, some middling, a few poor; the TPI
    disagrees on about one question in six."""
    best, worst = engine.best_answer(ins, path), engine.worst_answer(ins, path)
    question = ins.questions[path]
    if question.answer_type in engine.OPTION_TYPES:
        keys = list(question.options)
        ranked = sorted(keys, key=question.options.get, reverse=True)
        middle = ranked[len(ranked) // 2] if len(ranked) > 2 else best
        unit_value = worst if number % 11 == 10 else middle if number % 4 == 3 else best
        differs = number % 6 == 2
        if differs:
            lower = [k for k in ranked if question.options[k] < question.options[unit_value]]
            tpi_value = lower[0] if lower else (ranked[1] if len(ranked) > 1 and unit_value == ranked[0] else worst)
        else:
            tpi_value = unit_value
        return unit_value, tpi_value, tpi_value != unit_value
    if isinstance(best, tuple):
        scale = 20 + number % 30
        unit_counts = [value * scale for value in best]
        if number % 5 == 4 and len(unit_counts) > 1:
            unit_counts[-1] = max(unit_counts[-1] - scale // 4, 0)
        tpi_counts = list(unit_counts)
        if number % 6 == 2 and len(tpi_counts) > 1:
            tpi_counts[-1] = max(tpi_counts[-1] - scale // 3, 0)
        return list(unit_counts), tpi_counts, tpi_counts != unit_counts
    # Survey index: a value near the top of the scale.
    top = float(best)
    unit_value = round(top * 0.86, 2)
    tpi_value = round(top * 0.82, 2) if number % 6 == 2 else unit_value
    return unit_value, tpi_value, tpi_value != unit_value


def _unit_note(question, number: int) -> str:
    expected = question.expected_evidence or []
    if expected:
        return f"Telah dilaksanakan; bukti utama: {expected[number % len(expected)]}."
    return "Telah dilaksanakan sesuai rencana kerja; bukti terlampir."


def fill_answers(assessment, people: DemoPeople) -> int:
    if Answer.objects.filter(assessment=assessment).exists():
        return 0
    ins = engine_instrument(assessment.instrument)
    questions = list(assessment.instrument.questions.select_related("change_area").order_by("order"))
    plans = {q.path: _answer_plan(ins, q.path, n) for n, q in enumerate(questions)}
    for number, question in enumerate(questions):
        unit_value, _tpi, _differs = plans[question.path]
        owner = _owner(question, people)
        scoring_services.answer_set(assessment=assessment, question=question, side=Side.UNIT, user=owner,
                                    value=unit_value, note=_unit_note(question, number), expected_version=0)
    for stage, note in [(Stage.MANDIRI, "Tahap pembangunan selesai."),
                        (Stage.REVIU, "Penilaian mandiri selesai; diserahkan kepada TPI.")]:
        assessment.refresh_from_db()
        if STAGE_ORDER.index(assessment.stage) < STAGE_ORDER.index(stage):
            assessment_set_stage(assessment=assessment, to_stage=stage, user=people.admin, note=note)
    for question in questions:
        _unit, tpi_value, differs = plans[question.path]
        note = ("Bukti belum menunjukkan pelaksanaan di seluruh bagian; nilai disesuaikan."
                if differs else "Sesuai bukti yang diajukan.")
        scoring_services.answer_set(assessment=assessment, question=question, side=Side.TPI, user=people.tpi,
                                    value=tpi_value, note=note, expected_version=0)
    return len(questions)


def _owner(question, people: DemoPeople):
    code = question.change_area.code if question.change_area_id else None
    membership = people.team_by_area.get(code)
    return membership.user if membership is not None else people.koordinator


def _upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def fill_evidence(assessment, people: DemoPeople) -> int:
    """Five items per question (two PDFs, a photo, two links) in every review state."""
    if Evidence.objects.filter(assessment=assessment).exists():
        return 0
    unit = assessment.unit
    questions = list(assessment.instrument.questions.select_related("change_area").order_by("order"))
    made = 0
    for number, question in enumerate(questions):
        owner = _owner(question, people)
        expected = list(question.expected_evidence or []) or ["Dokumen pendukung", "Laporan pelaksanaan"]
        items = []
        for slot in range(2):
            title = expected[slot % len(expected)]
            pdf = pdf_document(title[:80], [
                unit.name, f"Tahun {assessment.year} - LKE {question.path}",
                f"Nomor: {100 + number}/ZI/{assessment.year}",
                "Dokumen ini disusun sebagai bukti data dukung pembangunan Zona Integritas.",
            ])
            items.append(evidence_services.evidence_upload(
                assessment=assessment, question=question, user=owner,
                upload=_upload(f"{question.code}-{slot + 1}-{_slug(title)}.pdf", pdf, "application/pdf"),
                title=title[:200], expected_item=title[:500],
                document_date=date(assessment.year, 1 + (number + slot) % 10, 1 + number % 27)))
        items.append(evidence_services.evidence_upload(
            assessment=assessment, question=question, user=owner,
            upload=_upload(f"foto-kegiatan-{question.code}.jpg", jpeg_photo(f"Kegiatan {question.path}", number),
                           "image/jpeg"),
            title=f"Foto kegiatan {question.path}"))
        items.append(evidence_services.evidence_add_link(
            assessment=assessment, question=question, user=owner, title="Publikasi di situs web unit",
            url=f"https://demo-unit.example.go.id/zi/{assessment.year}/{question.path.lower()}"))
        items.append(evidence_services.evidence_add_link(
            assessment=assessment, question=question, user=owner, title="Folder dokumen di penyimpanan unit",
            url=f"https://drive.example.go.id/zi/{question.code.lower()}-{number}"))
        made += len(items)
        _review(assessment, question, items, number, owner, people)
    return made


def _slug(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in kept.split("-") if part)[:40] or "bukti"


def _review(assessment, question, items, number, owner, people: DemoPeople) -> None:
    """Every seventh question stays with the team as drafts; the others are submitted and the TPI
    has decided on most items, asked for a revision on some and left a few waiting."""
    if number % 7 == 6:
        return
    evidence_services.evidence_submit(assessment=assessment, questions=[question], user=owner)
    for slot, item in enumerate(items):
        if slot == 1 and number % 4 == 0:
            evidence_services.evidence_request_revision(
                evidence=item, user=people.tpi, note=REVISION_NOTES[number % len(REVISION_NOTES)])
            if number % 8 == 0:
                item.refresh_from_db()
                pdf = pdf_document(f"{item.title[:70]} (revisi)", [assessment.unit.name, "Versi bertanda tangan."])
                evidence_services.evidence_add_version(
                    evidence=item, user=owner,
                    upload=_upload(f"{question.code}-revisi.pdf", pdf, "application/pdf"))
        elif (slot == 4 and number % 2) or (slot == 2 and number % 3 == 0):
            continue  # still waiting for the TPI
        else:
            evidence_services.evidence_accept(evidence=item, user=people.tpi, note="Sesuai.")


def fill_comments(assessment, people: DemoPeople) -> int:
    from evidence.models import Comment

    if Comment.objects.filter(assessment=assessment).exists():
        return 0
    questions = list(assessment.instrument.questions.select_related("change_area").order_by("order")[:40:8])
    made = 0
    for question in questions:
        for who, body in COMMENTS[: 2 + made % 3]:
            author = people.tpi if who == "tpi" else _owner(question, people)
            evidence_services.comment_add(assessment=assessment, question=question, user=author, body=body)
            made += 1
    return made


def fill_plans(assessment, people: DemoPeople, today: date) -> list[PlanItem]:
    """PLAN_ITEMS items over every area's indicators: done, running, late and not yet started."""
    existing = list(PlanItem.objects.filter(assessment=assessment).order_by("pk"))
    if existing:
        return existing
    indicators = list(assessment.instrument.nodes.filter(kind=NodeKind.INDIKATOR, change_area__isnull=False)
                      .select_related("change_area").order_by("order"))
    by_area: dict[str, list] = {}
    for indicator in indicators:
        by_area.setdefault(indicator.change_area.code, []).append(indicator)
    areas = [code for code in ACTIONS if code in by_area]
    items = []
    for number in range(PLAN_ITEMS):
        code = areas[number % len(areas)]
        turn = number // len(areas)
        indicator = by_area[code][turn % len(by_area[code])]
        steps, output = ACTIONS[code][turn % len(ACTIONS[code])]
        target_text = TARGETS[(number * 5) % len(TARGETS)].format(y=assessment.year)
        member = people.team_by_area.get(code)
        pic_kwargs = ({"pic": member} if member is not None and number % 3 else
                      {"pic_name": PIC_TITLES[number % len(PIC_TITLES)]})
        item = plan_services.plan_item_create(
            assessment=assessment, indicator=indicator, steps=steps, output=output, target_text=target_text,
            user=people.koordinator, **pic_kwargs)
        status, progress = _plan_state(item, number, today)
        if status != item.status or progress != item.progress:
            item = plan_services.plan_item_update(item=item, user=people.koordinator, expected_version=item.version,
                                                  status=status, progress=progress)
        items.append(item)
    return items


def _plan_state(item, number: int, today: date):
    """Past targets are mostly done, one in four late; current and future ones are running or not started."""
    if item.target_end and item.target_end < today:
        if number % 4 == 1:
            return PlanStatus.BERJALAN, 40 + number % 5 * 10  # late
        if number % 9 == 4:
            return PlanStatus.BELUM, 0  # late and never started
        return PlanStatus.SELESAI, 100
    if item.target_start and item.target_start <= today:
        return PlanStatus.BERJALAN, 30 + number % 6 * 10
    return PlanStatus.BELUM, 0


def fill_monev(assessment, items, people: DemoPeople, today: date) -> int:
    """The four quarterly periods; entries for every period that has started, growing towards each
    item's current progress; the first two periods closed."""
    if MonevPeriod.objects.filter(assessment=assessment).exists():
        return 0
    periods = plan_services.monev_periods_generate(assessment=assessment, kind=PeriodKind.QUARTERLY)
    started = [p for p in periods if p.start <= today]
    made = 0
    for index, period in enumerate(started):
        share = (index + 1) / len(started)
        for item in items:
            if item.target_start and item.target_start > period.end:
                continue  # not started in this period
            progress = item.progress if index == len(started) - 1 else int(item.progress * share)
            late = item.target_end and item.target_end < period.end and item.status != PlanStatus.SELESAI
            plan_services.monev_entry_set(
                period=period, plan_item=item, user=item.pic.user if item.pic_id else people.koordinator,
                realisasi=(f"{item.output} telah tersusun dan ditetapkan." if progress >= 100 else
                           f"{item.steps} sedang berjalan ({progress}%)."),
                progress=progress,
                kendala="Menunggu tanda tangan pimpinan." if late else "",
                tindak_lanjut="Dijadwalkan ulang pada periode berikutnya." if late else "",
            )
            made += 1
    for period in started[:2]:
        if period.end < today:
            plan_services.monev_period_close(period=period, user=people.koordinator)
    return made


def demo_deadlines(today: date) -> dict:
    """One deadline passed, the next ones near (the reviu stage ends within the week)."""
    return {
        "pembangunan_deadline": today - timedelta(days=20),
        "mandiri_deadline": today + timedelta(days=2),
        "reviu_deadline": today + timedelta(days=6),
        "final_deadline": today + timedelta(days=25),
    }


def fill_demo_assessment(assessment, people: DemoPeople, today: date) -> dict:
    for name, value in demo_deadlines(today).items():
        setattr(assessment, name, value)
    assessment.save()
    counts = {"answers": fill_answers(assessment, people)}
    counts["evidence"] = fill_evidence(assessment, people)
    counts["comments"] = fill_comments(assessment, people)
    had_plans = PlanItem.objects.filter(assessment=assessment).exists()
    items = fill_plans(assessment, people, today)
    counts["plans"] = 0 if had_plans else len(items)
    counts["monev"] = fill_monev(assessment, items, people, today)
    return counts


# --- extra units for the admin overview (bulk) ---------------------------------------------


def extra_unit_name(number: int) -> str:
    return f"Unit Layanan Demo {number:02d}"


def fill_extra_units(*, count: int, instansi: str, instrument, year: int, user, today: date) -> int:
    """`count` more units, each with a current assessment in a different state of progress."""
    ins = engine_instrument(instrument)
    questions = list(instrument.questions.order_by("order"))
    indicators = list(instrument.nodes.filter(kind=NodeKind.INDIKATOR, change_area__isnull=False).order_by("order"))
    stages = [Stage.PEMBANGUNAN, Stage.MANDIRI, Stage.REVIU, Stage.REVIU, Stage.FINAL]
    created = 0
    instansi_row, _ = Instansi.objects.get_or_create(name=instansi)
    for number in range(1, count + 1):
        unit, _ = Unit.objects.get_or_create(name=extra_unit_name(number), instansi=instansi_row,
                                             defaults={"city": "Jakarta"})
        assessment, made = Assessment.objects.get_or_create(
            unit=unit, year=year,
            defaults={"instrument": instrument, "stage": stages[number % len(stages)], **demo_deadlines(today)})
        if not made and Answer.objects.filter(assessment=assessment).exists():
            continue
        _bulk_fill(assessment, ins, questions, indicators, user=user, seed=number, today=today)
        created += 1
    return created


def _bulk_fill(assessment, ins, questions, indicators, *, user, seed: int, today: date) -> None:
    now = timezone.now()
    quality = seed % 5  # 0 = weakest unit … 4 = strongest
    answers, evidence, items = [], [], []
    for number, question in enumerate(questions):
        if (number + seed) % (4 + quality * 2) == 0:
            continue  # left open
        good = (number * 7 + seed) % 10 < 5 + quality
        value = engine.best_answer(ins, question.path) if good else engine.worst_answer(ins, question.path)
        sides = [Side.UNIT] + ([Side.TPI] if assessment.stage in (Stage.REVIU, Stage.FINAL) else [])
        for side in sides:
            answers.append(Answer(
                assessment=assessment, question=question, side=side, updated_by=user, updated_at=now, version=1,
                option=value if isinstance(value, str) else "",
                counts=list(value) if isinstance(value, tuple) else None,
                index=Decimal(str(value)) if isinstance(value, float) else None))
        if good:
            status = [EvidenceStatus.DITERIMA, EvidenceStatus.DIAJUKAN, EvidenceStatus.DRAFT,
                      EvidenceStatus.PERLU_PERBAIKAN][(number + seed) % 4]
            evidence.append(Evidence(
                assessment=assessment, question=question, kind=EvidenceKind.LINK, title=f"Bukti {question.path}",
                url=f"https://unit{seed:02d}.example.go.id/bukti/{question.code}", status=status, owner=user))
    for number, indicator in enumerate(indicators):
        end = today - timedelta(days=30) if number % 3 else today + timedelta(days=45)
        status = PlanStatus.SELESAI if number % 3 == 1 and quality > 1 else PlanStatus.BERJALAN
        items.append(PlanItem(
            assessment=assessment, indicator=indicator, change_area_id=indicator.change_area_id,
            steps=f"Rencana aksi {indicator.name[:120]}",
            output="Laporan kegiatan", target_text=f"{end:%m/%Y}", target_start=end.replace(day=1), target_end=end,
            status=status, progress=100 if status == PlanStatus.SELESAI else 50, order=1, created_by=user))
    Answer.objects.bulk_create(answers)
    Evidence.objects.bulk_create(evidence)
    PlanItem.objects.bulk_create(items)
