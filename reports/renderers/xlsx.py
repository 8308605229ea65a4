"""XLSX documents with openpyxl in write-only mode (rows stream to disk; memory stays flat).

User text is always written as a literal string cell (inline string, data type "s"), so a
title like `=HYPERLINK(...)`, `+cmd|...` or `@SUM(1)` is shown as typed and never evaluated.
Text that starts like a formula also gets Excel's quote prefix, so editing the cell keeps it text.
"""

from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.formatting import XLSX_DECIMAL

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_000  # Excel's limit is 32,767

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
GROUP_FILL = PatternFill("solid", fgColor="F1F3F5")
LATE_FILL = PatternFill("solid", fgColor="FDE2E1")


def clean_text(value) -> str:
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


class Sheet:
    """One write-only sheet with helpers for text, numbers and header rows.

    Column widths and frozen rows are written with the sheet's first row, so they are set here;
    header_row (1-based) is the row of column headers, frozen on screen and repeated in print.
    """

    def __init__(self, workbook: Workbook, title: str, widths: list[float], *, header_row: int | None = None,
                 landscape: bool = True):
        self.ws = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        if header_row:
            self.ws.freeze_panes = f"A{header_row + 1}"
            self.ws.print_title_rows = f"{header_row}:{header_row}"
        self.ws.page_setup.orientation = "landscape" if landscape else "portrait"
        self.ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.rows = 0

    def text(self, value, *, font=None, fill=None, border=True, alignment=WRAP) -> WriteOnlyCell:
        text = clean_text(value)
        cell = WriteOnlyCell(self.ws, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        return self._style(cell, font, fill, border, alignment)

    def number(self, value, number_format=None, *, font=None, fill=None, border=True) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = number_format or XLSX_DECIMAL
        return self._style(cell, font, fill, border, Alignment(vertical="top"))

    def blank(self, *, fill=None, border=True) -> WriteOnlyCell:
        return self._style(WriteOnlyCell(self.ws, value=None), None, fill, border, WRAP)

    def _style(self, cell, font, fill, border, alignment):
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if border:
            cell.border = BORDER
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def append(self, cells) -> int:
        self.ws.append(cells)
        self.rows += 1
        return self.rows

    def skip_to(self, row: int) -> None:
        """Append empty rows until the next row appended is `row` (write-only sheets only append)."""
        while self.rows < row - 1:
            self.append([])

    def title_rows(self, heading, extra: list[str] = ()) -> None:
        """Title, instansi and unit, year (and any extra lines), then an empty row: 4 + len(extra) rows."""
        self.append([self.text(heading.title.upper(), font=TITLE, border=False, alignment=None)])
        self.append([self.text(f"{heading.instansi} — {heading.unit}", font=BOLD, border=False, alignment=None)])
        self.append([self.text(f"{_('Tahun')} {heading.year}", border=False, alignment=None)])
        for line in extra:
            self.append([self.text(line, border=False, alignment=None)])
        self.append([])

    def header_row(self, labels: list[str]) -> int:
        return self.append([self.text(label, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for label in labels])


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def save(workbook: Workbook, out_path: Path) -> None:
    workbook.save(str(out_path))
