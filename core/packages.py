"""Limits for zip packages (Office documents, XLSX tables) read from untrusted uploads.

Checked on the central directory before anything is extracted. Declared sizes can lie, so
readers bound their reads as well.
"""

import zipfile
from dataclasses import dataclass

MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100


def format_size(n: int) -> str:
    """1536 -> "1,5 KB" (Indonesian decimal comma)."""
    units = ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB"))
    for unit, label in units:
        if n >= unit:
            number = f"{n / unit:.1f}".removesuffix(".0").replace(".", ",")
            return f"{number} {label}"
    return f"{n} byte"


def format_count(n: int) -> str:
    """12000 -> "12.000"."""
    return f"{n:,}".replace(",", ".")


ENCRYPTED = "dokumen terenkripsi atau dilindungi kata sandi; unggah versi tanpa kata sandi."


class PackageRefused(Exception):
    """Why a package is refused, as a short Indonesian phrase (callers add the context)."""

    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = MAX_ENTRIES
    max_uncompressed: int = MAX_UNCOMPRESSED
    max_ratio: int = MAX_RATIO


def check_zip_limits(infos: list[zipfile.ZipInfo], size: int, limits: ZipLimits = ZipLimits()) -> None:
    """Raise PackageRefused for too many entries, too much content, a bomb-like compression
    ratio, duplicate entry names or an encrypted entry. `size` is the package's size on disk."""
    if len(infos) > limits.max_entries:
        raise PackageRefused(f"dokumen berisi terlalu banyak bagian ({format_count(len(infos))}).", "entries")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise PackageRefused(
            f"isi dokumen setelah diekstrak melebihi batas {format_size(limits.max_uncompressed)}.", "uncompressed")
    if total > size * limits.max_ratio:
        raise PackageRefused("rasio kompresi dokumen tidak wajar (kemungkinan bom zip).", "ratio")
    if len({info.filename for info in infos}) != len(infos):
        # Different readers would pick different copies of the entry.
        raise PackageRefused("dokumen rusak (bagian ganda dalam arsip).", "duplicate")
    if any(info.flag_bits & 0x1 for info in infos):
        raise PackageRefused(ENCRYPTED, "encrypted")
