"""Validation of uploaded evidence files.

Nothing the client sends is trusted: the name is sanitised, the type is
sniffed from the bytes, and each format is checked for active content
(PDF JavaScript, Office macros, ...). Images are re-encoded so that only
pixels are kept.

This module deliberately avoids Django settings so it can be used and
tested on its own. Refusals raise ``UploadRejected`` whose ``message`` is a
user-facing sentence in Bahasa Indonesia naming the file.

Temporary files: ``check_upload`` deletes every temporary file it created
when it refuses an upload or fails unexpectedly. On success the caller owns
the file at ``CheckedUpload.path`` and must move it into storage or delete it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import magic
from defusedxml import ElementTree as SafeET
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from core.packages import ENCRYPTED, PackageRefused, ZipLimits, check_zip_limits, format_count, format_size

__all__ = [
    "CheckedUpload",
    "UploadPolicy",
    "UploadRejected",
    "check_upload",
    "sanitize_filename",
]

MAX_NAME_LENGTH = 150
FALLBACK_STEM = "berkas"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class UploadPolicy:
    max_bytes: int = 25 * 1024 * 1024
    allowed_extensions: frozenset[str] = frozenset(
        {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".pptx", ".odt", ".ods"}
    )
    max_zip_entries: int = 2000
    max_zip_uncompressed: int = 200 * 1024 * 1024
    max_zip_ratio: int = 100
    max_image_pixels: int = 40_000_000


@dataclass
class CheckedUpload:
    display_name: str  # sanitised original name, for display only
    extension: str  # lower-case with dot; ".jpeg" is normalised to ".jpg"
    content_type: str  # derived from the bytes, never from the client
    size: int  # of the bytes that will be stored
    sha256: str  # of the bytes that will be stored
    path: str  # temporary file owned by the caller: move or delete it
    warnings: list[str] = field(default_factory=list)  # notes for the reviewer


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Refused(Exception):
    """A refusal reason; check_upload turns it into UploadRejected."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ODT = "application/vnd.oasis.opendocument.text"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"
# libmagic names a zip by its first entries, so a genuine Office file may be
# reported as a plain zip (or octet-stream); its structure is checked later.
_ZIP_SNIFFS = frozenset({"application/zip", "application/octet-stream"})


@dataclass(frozen=True)
class _Format:
    label: str  # Indonesian description used in messages
    content_type: str  # reported on success
    sniffed: frozenset[str]  # what libmagic may report for a genuine file


_FORMATS = {
    ".pdf": _Format("PDF", "application/pdf", frozenset({"application/pdf"})),
    ".jpg": _Format("gambar JPEG", "image/jpeg", frozenset({"image/jpeg"})),
    ".png": _Format("gambar PNG", "image/png", frozenset({"image/png"})),
    ".docx": _Format("dokumen Word (.docx)", _DOCX, _ZIP_SNIFFS | {_DOCX}),
    ".xlsx": _Format("lembar kerja Excel (.xlsx)", _XLSX, _ZIP_SNIFFS | {_XLSX}),
    ".pptx": _Format("presentasi PowerPoint (.pptx)", _PPTX, _ZIP_SNIFFS | {_PPTX}),
    ".odt": _Format("dokumen OpenDocument (.odt)", _ODT, _ZIP_SNIFFS | {_ODT}),
    ".ods": _Format("lembar kerja OpenDocument (.ods)", _ODS, _ZIP_SNIFFS | {_ODS}),
}
_EXTENSION_ALIASES = {".jpeg": ".jpg"}
_ENCRYPTED = ENCRYPTED

# Main part of each OOXML package and the content type it must declare.
_OOXML_MAIN = {
    ".docx": ("/word/document.xml", _DOCX + ".main+xml"),
    ".xlsx": ("/xl/workbook.xml", _XLSX.replace(".sheet", ".sheet.main+xml")),
    ".pptx": ("/ppt/presentation.xml", _PPTX + ".main+xml"),
}
_OOXML_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaproject"
_EXTERNAL_TARGET = re.compile(rb"""TargetMode\s*=\s*["']External["']""")
_SMALL_PART_LIMIT = 1024 * 1024

_ODF_MIMETYPE = {".odt": _ODT.encode(), ".ods": _ODS.encode()}
_ODF_MACRO_DIRS = ("basic/", "scripts/")
# Event listeners run macros or scripts, including ones shipped with the
# office suite itself, so they are refused even without a Basic/ folder.
_ODF_SCRIPT_MARKERS = (b"script:event-listener", b"vnd.sun.star.script")

# PDF names that make a document active or carry other files.
_PDF_FORBIDDEN = {
    "/JS": "dokumen PDF berisi JavaScript.",
    "/JavaScript": "dokumen PDF berisi JavaScript.",
    "/Launch": "dokumen PDF berisi perintah untuk menjalankan program (Launch).",
    "/EmbeddedFiles": "dokumen PDF berisi berkas tertanam.",
    "/EmbeddedFile": "dokumen PDF berisi berkas tertanam.",
    "/FileAttachment": "dokumen PDF berisi berkas tertanam.",
    "/XFA": "dokumen PDF berisi formulir XFA yang dapat menjalankan skrip.",
}
_PDF_DAMAGED = "berkas PDF rusak atau tidak dapat dibaca."
_PDF_MAX_NODES = 1_000_000
# A name token ends at whitespace or a PDF delimiter.
_PDF_NAME_TOKEN = re.compile(rb"/((?:[A-Za-z0-9_.+-]|#[0-9A-Fa-f]{2})+)(?=[\s()<>\[\]{}/%])")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

# Unsafe in Content-Disposition headers, shells or Windows file names.
# "/" and "\" never get this far: only the basename is kept.
_UNSAFE_NAME_CHARS = re.compile(r"""["'`<>:|?*;,%]""")
_EXTENSION = re.compile(r"[^\s.]{1,16}")


def sanitize_filename(name: str) -> str:
    """Return a display-safe version of a client-supplied file name.

    The result is NFKC-normalised, has no control or path characters, no
    quotes, does not start with a dot, and keeps its (lower-cased) extension.
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(ch for ch in text if not _is_control(ch))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE_NAME_CHARS.sub("_", text)
    text = " ".join(text.split()).rstrip(" .")
    stem, extension = _split_extension(text)
    stem = stem[: MAX_NAME_LENGTH - len(extension)].strip(" .")
    if not any(ch.isalnum() for ch in stem):
        stem = FALLBACK_STEM
    return stem + extension


def _is_control(ch: str) -> bool:
    # Category C covers control, format (e.g. the right-to-left override used
    # to fake extensions), surrogate, private-use and unassigned code points.
    return unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029"


def _split_extension(text: str) -> tuple[str, str]:
    stem, dot, extension = text.rpartition(".")
    extension = extension.strip()
    if not dot or not _EXTENSION.fullmatch(extension):
        return text, ""
    return stem, "." + extension.lower()


def _checked_extension(display_name: str, policy: UploadPolicy) -> str:
    extension = _split_extension(display_name)[1]
    allowed = {ext.lower() for ext in policy.allowed_extensions}
    hint = "yang diizinkan: " + ", ".join(sorted(allowed))
    if not extension:
        raise _Refused(f"berkas tidak memiliki ekstensi ({hint}).")
    if extension not in allowed:
        raise _Refused(f"jenis berkas {extension} tidak diizinkan ({hint}).")
    extension = _EXTENSION_ALIASES.get(extension, extension)
    if extension not in _FORMATS:
        raise _Refused(f"jenis berkas {extension} belum dapat diperiksa.")
    return extension


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def check_upload(*, name: str, chunks: Iterable[bytes], policy: UploadPolicy, tmp_dir: str) -> CheckedUpload:
    """Spool ``chunks`` to a temporary file in ``tmp_dir`` and validate it.

    Raises UploadRejected (message in Bahasa Indonesia) when the file is not
    acceptable. Whatever happens, no temporary file is left behind except the
    one returned in ``CheckedUpload.path``, which the caller must move or
    delete.
    """
    display_name = sanitize_filename(name)
    created: list[str] = []
    kept = None
    try:
        result = _check(display_name, chunks, policy, tmp_dir, created)
        kept = result.path
        return result
    except _Refused as exc:
        message = f'Berkas "{display_name}" ditolak: {exc.reason}'
        raise UploadRejected(message) from None
    finally:
        for path in created:
            if path != kept:
                _remove_quietly(path)


def _check(
    display_name: str,
    chunks: Iterable[bytes],
    policy: UploadPolicy,
    tmp_dir: str,
    created: list[str],
) -> CheckedUpload:
    extension = _checked_extension(display_name, policy)
    path, size, sha256 = _spool(chunks, policy, tmp_dir, created)
    if size == 0:
        raise _Refused("berkas kosong.")
    fmt = _FORMATS[extension]
    _check_sniffed_type(path, fmt)

    notes: list[str] = []
    if extension == ".pdf":
        notes = _check_pdf(path)
    elif extension in (".jpg", ".png"):
        path = _reencode_image(path, extension, policy, tmp_dir, created)
        size, sha256 = _measure(path)
    else:
        notes = _check_zip(path, size, policy, extension)

    return CheckedUpload(
        display_name=display_name,
        extension=extension,
        content_type=fmt.content_type,
        size=size,
        sha256=sha256,
        path=path,
        warnings=notes,
    )


def _new_temp_file(tmp_dir: str, created: list[str]):
    out = tempfile.NamedTemporaryFile(dir=tmp_dir, prefix="unggah-", delete=False)
    created.append(out.name)
    return out


def _spool(chunks: Iterable[bytes], policy: UploadPolicy, tmp_dir: str, created: list[str]) -> tuple[str, int, str]:
    digest = hashlib.sha256()
    size = 0
    with _new_temp_file(tmp_dir, created) as out:
        for chunk in chunks:
            size += len(chunk)
            if size > policy.max_bytes:
                limit = format_size(policy.max_bytes)
                raise _Refused(f"ukuran melebihi batas {limit}.")
            out.write(chunk)
            digest.update(chunk)
    return out.name, size, digest.hexdigest()


def _measure(path: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return os.path.getsize(path), digest.hexdigest()


def _check_sniffed_type(path: str, fmt: _Format) -> None:
    sniffed = magic.from_file(path, mime=True)
    if sniffed == "application/encrypted":  # e.g. a password-protected .docx
        raise _Refused(_ENCRYPTED)
    if sniffed not in fmt.sniffed:
        raise _Refused(f"isinya bukan {fmt.label} (terdeteksi {sniffed}).")


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------


def _reencode_image(path: str, extension: str, policy: UploadPolicy, tmp_dir: str, created: list[str]) -> str:
    """Decode the image and write its pixels to a new file, without metadata.

    Anything that is not pixels (EXIF, comments, appended HTML, ...) is lost,
    which also neutralises polyglot files.
    """
    image_format = "JPEG" if extension == ".jpg" else "PNG"
    limit = format_count(policy.max_image_pixels)
    # The warnings filter is process-global; this only makes Pillow's bomb
    # warning an exception so that it is refused like the bomb error.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            pixels = _decode_image(path, image_format, policy)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _Refused(f"gambar terlalu besar (batas {limit} piksel).") from None
        except _Refused:
            raise
        except Exception:  # Pillow raises many exception types on hostile input.
            label = _FORMATS[extension].label
            raise _Refused(f"{label} rusak atau tidak dapat dibaca.") from None

    with _new_temp_file(tmp_dir, created) as out:
        _save_clean(pixels, out, image_format)
    return out.name


def _decode_image(path: str, image_format: str, policy: UploadPolicy) -> Image.Image:
    with Image.open(path, formats=[image_format]) as img:
        width, height = img.size
        if width * height > policy.max_image_pixels:
            raise _Refused(
                f"gambar terlalu besar ({format_count(width * height)} piksel; "
                f"batas {format_count(policy.max_image_pixels)})."
            )
        img.verify()
    # verify() leaves the image unusable, so it has to be opened again.
    with Image.open(path, formats=[image_format]) as img:
        img.load()
        # EXIF is about to be dropped; apply its orientation to the pixels.
        return ImageOps.exif_transpose(img)


def _save_clean(img: Image.Image, out, image_format: str) -> None:
    """Save ``img`` (a decoded copy this module owns) without metadata."""
    options: dict = {}
    if image_format == "JPEG":
        if img.mode not in ("L", "RGB", "CMYK"):
            img = img.convert("RGB")
        options["quality"] = 90
    elif "transparency" in img.info:
        options["transparency"] = img.info["transparency"]
    # Pillow writes EXIF, ICC profiles, comments and text chunks from .info.
    img.info = {}
    img.save(out, format=image_format, **options)


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


def _check_pdf(path: str) -> list[str]:
    with open(path, "rb") as fh:
        if fh.read(5) != b"%PDF-":
            # Viewers accept junk before the header, which enables polyglots.
            raise _Refused("isinya bukan PDF (tidak diawali penanda %PDF-).")
    # The raw scan also sees objects the parser does not reach, such as
    # older revisions or objects a repairing viewer would recover.
    _refuse_pdf_names(_raw_pdf_names(path))
    # An open file, not the path: given a path, pypdf reads the whole file into memory.
    with open(path, "rb") as fh:
        names, page_count = _parse_pdf(fh)
    _refuse_pdf_names(names)
    if page_count == 0:
        raise _Refused("dokumen PDF tidak memiliki halaman.")
    return ["PDF berisi formulir"] if "/AcroForm" in names else []


def _parse_pdf(fh) -> tuple[set[str], int]:
    try:
        reader = PdfReader(fh, strict=False)
        encrypted = reader.is_encrypted
    except Exception:  # pypdf raises many exception types on damaged files.
        raise _Refused(_PDF_DAMAGED) from None
    if encrypted:
        raise _Refused(_ENCRYPTED)
    try:
        return _walk_pdf_names(reader), len(reader.pages)
    except _Refused:
        raise
    except Exception:
        raise _Refused(_PDF_DAMAGED) from None


def _refuse_pdf_names(names: set[str]) -> None:
    for pdf_name, reason in _PDF_FORBIDDEN.items():
        if pdf_name in names:
            raise _Refused(reason)


def _walk_pdf_names(reader: PdfReader) -> set[str]:
    """Every name (dictionary key or value) reachable from the trailer."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        visited += 1
        if visited > _PDF_MAX_NODES:
            raise _Refused("struktur dokumen PDF terlalu rumit untuk diperiksa.")
        if isinstance(obj, DictionaryObject):
            # dict.items keeps references unresolved, so cycles (/Parent, ...)
            # end at the "seen" check. Stream contents are not decoded.
            for key, value in dict.items(obj):
                found.add(str(key))
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject):
            found.add(str(obj))
    return found


def _raw_pdf_names(path: str) -> set[str]:
    """Name tokens in the raw bytes, with #xx escapes decoded."""
    found: set[str] = set()
    tail = b""
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            buffer = tail + block
            # A token cut at the end of the buffer has no delimiter after it
            # yet, so it only matches next round, thanks to the overlap.
            for match in _PDF_NAME_TOKEN.finditer(buffer):
                token = _PDF_HEX_ESCAPE.sub(_unescape_hex, match[1])
                found.add("/" + token.decode("latin-1"))
            tail = buffer[-256:]
    return found


def _unescape_hex(match: re.Match[bytes]) -> bytes:
    return bytes([int(match[1], 16)])


# --------------------------------------------------------------------------
# Office documents (OOXML and OpenDocument are both zip packages)
# --------------------------------------------------------------------------

# What zipfile and the XML parser raise on damaged or hostile packages
# (defusedxml's own errors are ValueError subclasses).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    RuntimeError,  # encrypted entry
    NotImplementedError,  # unsupported compression method
    zlib.error,  # damaged deflate data
    SafeET.ParseError,
)


def _check_zip(path: str, size: int, policy: UploadPolicy, extension: str) -> list[str]:
    with open(path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            # zipfile accepts data before the archive (self-extracting
            # executables, polyglots); a real Office document starts here.
            label = _FORMATS[extension].label
            raise _Refused(f"isinya bukan {label} (tidak diawali arsip zip).")
    try:
        with zipfile.ZipFile(path) as zf:
            _check_zip_limits(zf.infolist(), size, policy)
            if extension in _OOXML_MAIN:
                return _check_ooxml(zf, extension)
            return _check_odf(zf, extension)
    except _Refused:
        raise
    except _ZIP_ERRORS:
        raise _Refused("dokumen rusak atau tidak dapat dibaca.") from None


def _check_zip_limits(infos: list[zipfile.ZipInfo], size: int, policy: UploadPolicy) -> None:
    limits = ZipLimits(policy.max_zip_entries, policy.max_zip_uncompressed, policy.max_zip_ratio)
    try:
        check_zip_limits(infos, size, limits)
    except PackageRefused as exc:
        raise _Refused(str(exc)) from None


def _read_bounded(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _Refused(f"bagian dokumen {name} terlalu besar.")
    return data


def _check_ooxml(zf: zipfile.ZipFile, extension: str) -> list[str]:
    label = _FORMATS[extension].label
    names = zf.namelist()
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _Refused("dokumen berisi makro.")
    if "[Content_Types].xml" not in names:
        raise _Refused(f"isinya bukan {label} (tidak ada [Content_Types].xml).")
    xml = _read_bounded(zf, "[Content_Types].xml", _SMALL_PART_LIMIT)
    types = _ooxml_content_types(xml)
    if any("macroenabled" in ct or ct == _VBA_CONTENT_TYPE for ct in types.values()):
        raise _Refused("dokumen berisi makro.")
    if any("/activex/" in n.lower() for n in names):
        raise _Refused("dokumen berisi kontrol ActiveX.")
    main_part, main_type = _OOXML_MAIN[extension]
    declared = types.get(main_part.lower())
    if main_part.lstrip("/") not in names or declared != main_type:
        raise _Refused(f"isinya bukan {label} (bagian utama tidak ditemukan).")
    return _ooxml_warnings(zf, names)


def _ooxml_content_types(xml: bytes) -> dict[str, str]:
    """Lower-cased part name (or "*.ext" default) -> lower-cased content type."""
    types: dict[str, str] = {}
    for element in SafeET.fromstring(xml):
        content_type = element.get("ContentType", "").lower()
        if element.tag == _OOXML_CT_NS + "Override":
            types[element.get("PartName", "").lower()] = content_type
        elif element.tag == _OOXML_CT_NS + "Default":
            types["*." + element.get("Extension", "").lower()] = content_type
    return types


def _ooxml_warnings(zf: zipfile.ZipFile, names: list[str]) -> list[str]:
    notes = []
    rels = [n for n in names if n.lower().endswith(".rels")]
    rel_parts = (_read_bounded(zf, n, _SMALL_PART_LIMIT) for n in rels)
    if any(_EXTERNAL_TARGET.search(part) for part in rel_parts):
        notes.append("Dokumen berisi tautan ke sumber eksternal")
    if any("/embeddings/" in n.lower() for n in names):
        notes.append("Dokumen berisi objek tertanam")
    return notes


def _check_odf(zf: zipfile.ZipFile, extension: str) -> list[str]:
    label = _FORMATS[extension].label
    infos = zf.infolist()
    if not infos or infos[0].filename != "mimetype":
        raise _Refused(f"isinya bukan {label} (tidak ada entri mimetype).")
    if _read_bounded(zf, "mimetype", 200).strip() != _ODF_MIMETYPE[extension]:
        raise _Refused(f"isinya bukan {label} (jenis OpenDocument berbeda).")
    if any(info.filename.lower().startswith(_ODF_MACRO_DIRS) for info in infos):
        raise _Refused("dokumen berisi makro.")
    # The total size was checked against the policy, and zipfile refuses to
    # return more than an entry's declared size, so this scan is bounded.
    for info in infos:
        if info.filename.lower().endswith(".xml") and _contains_script(zf, info):
            raise _Refused("dokumen berisi makro atau skrip.")
    return []


def _contains_script(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    overlap = max(len(marker) for marker in _ODF_SCRIPT_MARKERS)
    tail = b""
    with zf.open(info) as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            buffer = tail + block
            if any(marker in buffer for marker in _ODF_SCRIPT_MARKERS):
                return True
            tail = buffer[-overlap:]
    return False
