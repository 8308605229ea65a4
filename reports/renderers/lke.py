"""The LKE with both answer sides and scores: XLSX in the official sheet's layout, and a PDF summary."""

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from accounts.formatting import XLSX_DECIMAL
from areas.models import OPTION_TYPES, AnswerType
from areas.selectors import instrument_tree, iter_tree
from evidence.models import EvidenceKind
from scoring.models import Side
from scoring.predicate import format_number
from scoring.selectors import (
    assessment_gaps,
    engine_instrument,
    focus_side,
    format_score,
    node_title,
    score_panel,
    score_sides,
)

from ..selectors import evidence_by_question
from . import pdf, xlsx
from .common import evidence_version_url, heading_for

LKE_HEADERS = ["NO", "KOMPONEN / INDIKATOR / PERTANYAAN", "BOBOT", "PENJELASAN", "PILIHAN JAWABAN",
               "JAWABAN UNIT", "NILAI", "%", "CATATAN", "JAWABAN TPI", "NILAI TPI", "CATATAN TPI", "BUKTI"]
LKE_WIDTHS = [14, 60, 8, 50, 40, 22, 9, 9, 36, 22, 9, 36, 60]
SUMMARY_HEADERS = ["NO", "KOMPONEN / SUB-KOMPONEN / AREA", "BOBOT", "NILAI UNIT", "% UNIT", "NILAI TPI", "% TPI",
                   "SELISIH (TPI − UNIT)"]
SUMMARY_WIDTHS = [12, 60, 10, 12, 10, 12, 10, 18]
GAP_LIMIT = 3


def _percent(score: float, weight: float) -> float | None:
    return score / weight * 100 if weight else None


def choices_text(question) -> str:
    if question.answer_type in OPTION_TYPES:
        return "\n".join(f"{o.key}. {o.label}" for o in question.options.all())
    if question.answer_type == AnswerType.RATIO:
        lines = [f"• {i.label}" for i in question.inputs.all()]
        return "\n".join([_("Isian jumlah:"), *lines, question.rule_text]).strip()
    return "\n".join([_("Indeks survei 0–4"), question.rule_text]).strip()


def answer_text(question, answer) -> str:
    """The stored answer as the sheet shows it: the option key, labelled counts, or the index."""
    if answer is None:
        return ""
    if answer.option:
        return answer.option
    if answer.counts is not None:
        labels = [i.label for i in question.inputs.all()]
        return "\n".join(f"{label}: {'' if count is None else count}" for label, count in zip(labels, answer.counts,
                                                                                            strict=False))
    if answer.index is not None:
        return format_number(float(answer.index), 2)
    return ""


def evidence_text(items) -> str:
    lines = []
    for item in items:
        if item.kind == EvidenceKind.LINK:
            link = item.url
        else:
            link = evidence_version_url(item.current.code) if item.current else ""
        lines.append(f"{item.title} [{item.get_status_display()}] {link}".strip())
    return "\n".join(lines)


@dataclass
class SheetRow:
    path: str
    name: str
    is_question: bool
    depth: int
    weight: float | None = None
    criteria: str = ""
    choices: str = ""
    unit_answer: str = ""
    unit_value: float | None = None
    unit_percent: float | None = None
    unit_note: str = ""
    tpi_answer: str = ""
    tpi_value: float | None = None
    tpi_note: str = ""
    evidence: str = ""


@dataclass
class LkeData:
    heading: object
    rows: list[SheetRow]
    panel: object
    sides: dict
    focus: str


def lke_data(job, title) -> LkeData:
    assessment = job.assessment
    roots = instrument_tree(assessment.instrument)
    ins = engine_instrument(assessment.instrument)
    sides = score_sides(assessment=assessment, ins=ins)
    evidence = evidence_by_question(assessment)
    unit, tpi = sides[Side.UNIT], sides[Side.TPI]
    rows = []
    for node in iter_tree(roots):
        weight = float(node.weight)
        unit_score, tpi_score = unit.score.nodes[node.path], tpi.score.nodes[node.path]
        rows.append(SheetRow(
            path=node.path, name=node_title(node.name), is_question=False, depth=node.path.count("."),
            weight=weight, unit_value=unit_score, unit_percent=_percent(unit_score, weight), tpi_value=tpi_score,
        ))
        for question in node.question_list:
            unit_answer, tpi_answer = unit.answers.get(question.path), tpi.answers.get(question.path)
            unit_value, tpi_value = unit.score.values[question.path], tpi.score.values[question.path]
            rows.append(SheetRow(
                path=question.path, name=question.text, is_question=True, depth=question.path.count("."),
                criteria=question.criteria, choices=choices_text(question),
                unit_answer=answer_text(question, unit_answer), unit_value=unit_value,
                unit_percent=None if unit_value is None else unit_value * 100,
                unit_note=unit_answer.note if unit_answer else "",
                tpi_answer=answer_text(question, tpi_answer), tpi_value=tpi_value,
                tpi_note=tpi_answer.note if tpi_answer else "",
                evidence=evidence_text(evidence.get(question.pk, [])),
            ))
    focus = focus_side(assessment, sides)
    return LkeData(heading=heading_for(job, title), rows=rows, panel=score_panel(ins=ins, sides=sides, focus=focus),
                   sides=sides, focus=focus)


# --- XLSX ----------------------------------------------------------------------------------


def _number(sheet, value, fmt=XLSX_DECIMAL, **style):
    return sheet.blank(**style) if value is None else sheet.number(value, fmt, **style)


def lke_xlsx(job, out_path: Path, progress) -> None:
    data = lke_data(job, _("Lembar Kerja Evaluasi Zona Integritas"))
    progress(40)
    workbook = xlsx.new_workbook()
    _summary_sheet(workbook, data)
    sheet = xlsx.Sheet(workbook, "LKE", LKE_WIDTHS, header_row=5)
    sheet.title_rows(data.heading)
    sheet.header_row(LKE_HEADERS)
    for row in data.rows:
        style = {} if row.is_question else {"font": xlsx.BOLD, "fill": xlsx.GROUP_FILL}
        sheet.append([
            sheet.text(row.path, **style),
            sheet.text(row.name, **style),
            _number(sheet, row.weight, **style),
            sheet.text(row.criteria, **style),
            sheet.text(row.choices, **style),
            sheet.text(row.unit_answer, **style),
            _number(sheet, row.unit_value, **style),
            _number(sheet, row.unit_percent, **style),
            sheet.text(row.unit_note, **style),
            sheet.text(row.tpi_answer, **style),
            _number(sheet, row.tpi_value, **style),
            sheet.text(row.tpi_note, **style),
            sheet.text(row.evidence, **style),
        ])
    progress(90)
    xlsx.save(workbook, out_path)


def _summary_sheet(workbook, data: LkeData) -> None:
    sheet = xlsx.Sheet(workbook, "Rekapitulasi", SUMMARY_WIDTHS, header_row=5)
    sheet.title_rows(data.heading)
    sheet.header_row(SUMMARY_HEADERS)
    for row in [*data.panel.rows, data.panel.total]:
        style = {"font": xlsx.BOLD} if row.depth < 2 else {}
        sheet.append([
            sheet.text(row.path, **style),
            sheet.text(("   " * row.depth) + row.name, **style),
            sheet.number(row.weight, XLSX_DECIMAL, **style),
            sheet.number(row.unit, XLSX_DECIMAL, **style),
            _number(sheet, _percent(row.unit, row.weight), **style),
            sheet.number(row.tpi, XLSX_DECIMAL, **style),
            _number(sheet, _percent(row.tpi, row.weight), **style),
            sheet.number(row.tpi - row.unit, XLSX_DECIMAL, **style),
        ])
    sheet.append([])
    sheet.append([sheet.text(_("PEMENUHAN PREDIKAT"), font=xlsx.BOLD, border=False)])
    for view in data.panel.predicates:
        for item in view.items:
            verdict = _("memenuhi") if item.result.eligible else _("belum memenuhi")
            sheet.append([sheet.text(view.label, font=xlsx.BOLD),
                          sheet.text(f"{item.name}: {verdict}", font=xlsx.BOLD)])
            for reason in item.result.reasons:
                sheet.append([sheet.blank(), sheet.text(reason)])


# --- PDF summary ---------------------------------------------------------------------------


def lke_pdf(job, out_path: Path, progress) -> None:
    data = lke_data(job, _("Ringkasan Hasil Penilaian Zona Integritas"))
    progress(40)
    gaps = assessment_gaps(assessment=job.assessment, side=data.focus, limit=GAP_LIMIT)
    panel_rows = [
        {"path": r.path, "name": r.name, "depth": r.depth, "weight": format_score(r.weight),
         "unit": format_score(r.unit), "unit_pct": _pct_text(r.unit, r.weight), "tpi": format_score(r.tpi),
         "tpi_pct": _pct_text(r.tpi, r.weight), "diff": format_score(r.tpi - r.unit)}
        for r in [*data.panel.rows, data.panel.total]
    ]
    context = {"heading": data.heading, "panel_rows": panel_rows, "predicates": data.panel.predicates,
               "gaps": [s for s in gaps if s.rows], "focus_label": Side(data.focus).label, "gap_limit": GAP_LIMIT,
               "answered": {side: data.sides[side].answered for side in data.sides},
               "question_count": data.panel.questions}
    progress(60)
    pdf.write_pdf("reports/pdf/lke_summary.html", context, out_path)
    progress(95)


def _pct_text(score: float, weight: float) -> str:
    percent = _percent(score, weight)
    return "" if percent is None else format_number(percent, 2) + "%"
