"""The PortalRB answer template (2026): sheet "Jawaban", one row per soal at the row the
instrument data names (`portalrb_excel_row` of a question, or of each counted input of a ratio
question). Unit answer in column K, unit note L, unit evidence link M, TPI answer N, TPI note Q.
Columns A–C identify the soal for people checking the file; PortalRB reads K–Q.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from accounts.formatting import XLSX_DECIMAL, XLSX_INTEGER
from areas.selectors import instrument_tree, iter_tree
from scoring.models import Answer, Side

from ..selectors import evidence_by_question
from . import xlsx
from .common import evidence_question_url, heading_for
from .registry import RenderError

SHEET = "Jawaban"
HEADER_ROW = 5
FIRST_ROW = 6
# 1-based column numbers of the official template.
COL_SOAL, COL_CODE, COL_TEXT = 1, 2, 3
COL_UNIT_ANSWER, COL_UNIT_NOTE, COL_UNIT_EVIDENCE, COL_TPI_ANSWER, COL_TPI_NOTE = 11, 12, 13, 14, 17
LAST_COL = COL_TPI_NOTE
HEADERS = {COL_SOAL: "ID SOAL", COL_CODE: "KODE", COL_TEXT: "URAIAN", COL_UNIT_ANSWER: "JAWABAN UNIT",
           COL_UNIT_NOTE: "CATATAN UNIT", COL_UNIT_EVIDENCE: "BUKTI UNIT", COL_TPI_ANSWER: "JAWABAN TPI",
           COL_TPI_NOTE: "CATATAN TPI"}
WIDTHS = [9, 16, 60, 4, 4, 4, 4, 4, 4, 4, 16, 40, 50, 16, 4, 4, 40]


@dataclass
class SoalRow:
    excel_row: int
    soal_id: int | None
    code: str
    text: str
    unit: object  # the value for column K (str, int or float) or None
    unit_note: str
    evidence_link: str
    tpi: object
    tpi_note: str


def _value(answer: Answer | None, input_index: int | None):
    """An option key, one counted input (input_index), or the survey index; None when unanswered."""
    if answer is None:
        return None
    if input_index is not None:
        counts = answer.counts or []
        return counts[input_index] if input_index < len(counts) else None
    if answer.option:
        return answer.option
    if answer.index is not None:
        return float(answer.index)
    return None


def soal_rows(assessment) -> list[SoalRow]:
    questions = [q for node in iter_tree(instrument_tree(assessment.instrument)) for q in node.question_list]
    answers = {(a.question_id, a.side): a for a in Answer.objects.for_assessment(assessment)}
    evidence = evidence_by_question(assessment)
    rows = []
    for question in questions:
        unit, tpi = answers.get((question.pk, Side.UNIT)), answers.get((question.pk, Side.TPI))
        shared = {
            "unit_note": unit.note if unit else "", "tpi_note": tpi.note if tpi else "",
            "evidence_link": evidence_question_url(assessment, question.path) if evidence.get(question.pk) else "",
        }
        if question.portalrb_excel_row:
            rows.append(SoalRow(question.portalrb_excel_row, question.portalrb_soal_id, question.path, question.text,
                                _value(unit, None), tpi=_value(tpi, None), **shared))
        for item in question.inputs.all():
            if item.portalrb_excel_row:
                rows.append(SoalRow(item.portalrb_excel_row, item.portalrb_soal_id, question.path, item.label,
                                    _value(unit, item.order), tpi=_value(tpi, item.order), **shared))
    rows.sort(key=lambda row: row.excel_row)
    for before, after in zip(rows, rows[1:], strict=False):
        if before.excel_row == after.excel_row:
            raise RenderError(_("Data instrumen tidak sah: dua soal PortalRB pada baris %(row)d.") % {
                "row": after.excel_row})
    return rows


def portalrb_xlsx(job, out_path: Path, progress) -> None:
    assessment = job.assessment
    rows = soal_rows(assessment)
    if not rows:
        raise RenderError(_("Instrumen penilaian ini tidak memiliki pemetaan soal PortalRB."))
    if rows[0].excel_row < FIRST_ROW:
        raise RenderError(_("Data instrumen tidak sah: soal PortalRB sebelum baris %(row)d.") % {"row": FIRST_ROW})
    progress(40)
    heading = heading_for(job, _("Templat Jawaban PortalRB"))
    workbook = xlsx.new_workbook()
    sheet = xlsx.Sheet(workbook, SHEET, WIDTHS, header_row=HEADER_ROW)
    sheet.title_rows(heading)
    sheet.header_row([HEADERS.get(col, "") for col in range(1, LAST_COL + 1)])
    for row in rows:
        sheet.skip_to(row.excel_row)
        cells = [sheet.blank(border=False) for _col in range(LAST_COL)]
        cells[COL_SOAL - 1] = sheet.number(row.soal_id, XLSX_INTEGER) if row.soal_id else sheet.blank()
        cells[COL_CODE - 1] = sheet.text(row.code)
        cells[COL_TEXT - 1] = sheet.text(row.text)
        cells[COL_UNIT_ANSWER - 1] = _answer_cell(sheet, row.unit)
        cells[COL_UNIT_NOTE - 1] = sheet.text(row.unit_note)
        cells[COL_UNIT_EVIDENCE - 1] = sheet.text(row.evidence_link)
        cells[COL_TPI_ANSWER - 1] = _answer_cell(sheet, row.tpi)
        cells[COL_TPI_NOTE - 1] = sheet.text(row.tpi_note)
        sheet.append(cells)
    progress(90)
    xlsx.save(workbook, out_path)


def _answer_cell(sheet, value):
    if value is None:
        return sheet.blank()
    if isinstance(value, str):
        return sheet.text(value)
    return sheet.number(value, XLSX_DECIMAL if isinstance(value, float) else XLSX_INTEGER)
