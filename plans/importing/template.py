"""The rencana aksi XLSX template units can fill in (and that the import reads back)."""

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill

TEMPLATE_HEADERS = ("NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET", "PIC")
TEMPLATE_WIDTHS = (6, 30, 40, 60, 40, 22, 24)
# The example row carries this word in its NO cell and is never imported, even when the unit
# forgets to delete it (docs/usability.md).
EXAMPLE_MARKER = "CONTOH"
TEMPLATE_EXAMPLE = (
    EXAMPLE_MARKER,
    "Penataan Tatalaksana",
    "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
    "1. Inventarisasi layanan yang belum memakai aplikasi\n2. Sosialisasi aplikasi layanan daring",
    "Daftar layanan daring\nTangkapan layar aplikasi",
    "Juli - Desember",
    "Subbagian Tata Usaha",
)


def write_template(path_or_file) -> None:
    """Write the rencana aksi XLSX template: header row, one example row, and a help sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rencana Aksi"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(TEMPLATE_EXAMPLE)
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    for column, width in enumerate(TEMPLATE_WIDTHS, start=1):
        header = sheet.cell(1, column)
        header.font = Font(bold=True)
        header.fill = header_fill
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.cell(2, column).alignment = Alignment(vertical="top", wrap_text=True)
        sheet.cell(2, column).font = Font(italic=True, color="595959")
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Petunjuk")
    help_sheet.column_dimensions["A"].width = 110
    for line in (
        "Cara mengisi templat rencana aksi",
        "",
        "Satu baris = satu langkah aksi. Baris contoh (baris 2, NO berisi CONTOH) tidak pernah diimpor; "
        "boleh dibiarkan, diganti atau dihapus.",
        "KOMPONEN: area perubahan, mis. Manajemen Perubahan, Penataan Tatalaksana, Penataan Sistem Manajemen SDM, "
        "Penguatan Akuntabilitas, Penguatan Pengawasan, Peningkatan Kualitas Pelayanan Publik.",
        "INDIKATOR: nama indikator seperti di lembar kerja evaluasi; penomoran (1., a., I.) boleh ada.",
        "Sel KOMPONEN dan INDIKATOR boleh digabung (merge) ke bawah atau dikosongkan di bawah baris yang sama.",
        "TARGET: mis. Juni 2025, Juli - Desember, Januari s/d Desember 2025, Triwulan II, Semester 1, "
        "Setiap bulan, Juni, September, Desember 2025.",
        "PIC boleh dikosongkan.",
    ):
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True)
    workbook.active = 0
    workbook.save(path_or_file)
