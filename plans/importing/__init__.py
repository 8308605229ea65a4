"""Rencana aksi import, by concern: time phrases (times), area and indicator names (names), reading
XLSX/DOCX/pasted text (sources), tables (tables), numbered outlines (outline), the pipeline shared by
the page and the command (pipeline), and the XLSX template (template). Rules: docs/plan-import.md.
"""

from .names import (
    AREA_NAMES,
    IndicatorRef,
    area_exact,
    indicator_refs_from_instrument,
    match_area,
    match_indicator,
    normalise_name,
)
from .sources import Document, Grid, Paragraph, TableError, read_document, read_docx, read_text, read_xlsx
from .tables import ALL_MEANINGS, MEANINGS, MONTH_MEANINGS, RawRow
from .template import TEMPLATE_HEADERS, write_template
from .times import MONTH_NAMES, Target, TargetError, parse_target

__all__ = [
    "ALL_MEANINGS", "AREA_NAMES", "MEANINGS", "MONTH_MEANINGS", "MONTH_NAMES", "TEMPLATE_HEADERS",
    "Document", "Grid", "IndicatorRef", "Paragraph", "RawRow", "TableError", "Target", "TargetError",
    "area_exact", "indicator_refs_from_instrument", "match_area", "match_indicator", "normalise_name",
    "parse_target", "read_document", "read_docx", "read_plan_table", "read_text", "read_xlsx",
    "write_template",
]


def read_plan_table(path_or_file, *, max_rows: int = 5000) -> list[RawRow]:
    """The table rows of an XLSX or DOCX (path or binary file) with guessed column meanings.

    Kept for scripts and benchmarks; the import page and command use plans.importing.pipeline.
    """
    import os

    from .pipeline import read_rows

    if isinstance(path_or_file, str | os.PathLike):
        with open(path_or_file, "rb") as file:
            return read_plan_table(file, max_rows=max_rows)
    document = read_document(path_or_file)
    result = read_rows(document, refs=[], year=2000)
    rows = result.rows
    if not rows and not any(grid.rows for grid in document.grids) and not document.paragraphs:
        raise TableError("Berkas kosong: tidak ada rencana aksi di dalamnya.")
    if not rows and not result.layouts:
        raise TableError("Kolom LANGKAH AKSI dan INDIKATOR tidak ditemukan di 15 baris pertama, dan tidak ada "
                         "kerangka bernomor dengan judul area.")
    if len(rows) > max_rows:
        raise TableError(f"Berkas berisi lebih dari {max_rows} baris rencana aksi. "
                         "Bagi menjadi beberapa berkas lalu impor satu per satu.")
    return rows
