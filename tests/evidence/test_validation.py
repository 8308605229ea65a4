"""Tests for evidence.validation, with real files built in the tests."""

import hashlib
import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from evidence.validation import (
    CheckedUpload,
    UploadPolicy,
    UploadRejected,
    check_upload,
    sanitize_filename,
)

POLICY = UploadPolicy()


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def in_chunks(data: bytes, size: int = 4096):
    return (data[i : i + size] for i in range(0, len(data), size))


def accept(tmp_path, name: str, data: bytes, policy: UploadPolicy = POLICY):
    result = check_upload(name=name, chunks=in_chunks(data), policy=policy, tmp_dir=str(tmp_path))
    # The caller owns exactly one file: the one to store.
    assert [str(p) for p in tmp_path.iterdir()] == [result.path]
    stored = read(result)
    assert result.size == len(stored)
    assert result.sha256 == hashlib.sha256(stored).hexdigest()
    return result


def reject(tmp_path, name: str, data: bytes, policy: UploadPolicy = POLICY) -> str:
    with pytest.raises(UploadRejected) as excinfo:
        check_upload(name=name, chunks=in_chunks(data), policy=policy, tmp_dir=str(tmp_path))
    assert list(tmp_path.iterdir()) == [], "temporary files left behind"
    assert str(excinfo.value) == excinfo.value.message
    return excinfo.value.message


def read(result: CheckedUpload) -> bytes:
    with open(result.path, "rb") as fh:
        return fh.read()


# PDFs ---------------------------------------------------------------------


def pdf_bytes(modify=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if modify:
        modify(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def js_action(script: str = "app.alert('x')") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def add_names_javascript(writer: PdfWriter) -> None:
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(js_action())])}
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


def add_open_action_javascript(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(js_action())


def add_launch(writer: PdfWriter) -> None:
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(launch)


def add_embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("lampiran.exe", b"MZ\x90\x00 not really")


def add_file_attachment_annotation(writer: PdfWriter) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(0)] * 4),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def add_form(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject()})


def raw_pdf(objects: list[bytes]) -> bytes:
    """A classic PDF from object bodies; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_with_javascript_in_object_stream() -> bytes:
    """JavaScript hidden in a compressed object stream (PDF 1.5).

    The raw bytes never contain "/JavaScript"; only a parser finds it.
    """
    hidden = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    header = b"5 0 "
    objstm = zlib.compress(header + hidden)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(
        4,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream" % (len(header), len(objstm), objstm),
    )
    offsets[6] = len(out)
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)]
    rows += [b"\x01" + struct.pack(">IH", offsets[n], 0) for n in (1, 2, 3, 4)]
    rows += [b"\x02" + struct.pack(">IH", 4, 0)]
    rows += [b"\x01" + struct.pack(">IH", offsets[6], 0)]
    xref = zlib.compress(b"".join(rows))
    out.extend(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R "
        b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(xref), xref)
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    return bytes(out)


# Images -------------------------------------------------------------------


def image_bytes(fmt: str, size=(64, 48), mode="RGB", **save_options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color=(200, 30, 30) if mode == "RGB" else 1).save(out, format=fmt, **save_options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims huge dimensions: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_truncated_exif() -> bytes:
    """A JPEG whose EXIF names a tag stored past the end of the EXIF block.

    Pillow reads such EXIF with a UserWarning ("Tag data larger than file"), an
    ordinary warning that must not make the image count as damaged.
    """
    entry = struct.pack("<HHII", 0x010E, 2, 100, 0x1000)  # ImageDescription, 100 ASCII bytes at 4096
    tiff = b"II" + struct.pack("<HI", 42, 8) + struct.pack("<H", 1) + entry + struct.pack("<I", 0)
    return image_bytes("JPEG", exif=b"Exif\x00\x00" + tiff)


def jpeg_magic_photo_cd_body() -> bytes:
    """Bytes that libmagic calls image/jpeg (they start with FF D8) but that Pillow's JPEG
    reader refuses, while Pillow's Photo CD reader, which needs no signature at the start,
    opens them as a 768x512 image (it only looks for "PCD_" at offset 2048)."""
    return b"\xff\xd8\xff\x00".ljust(2048, b"\x00") + b"PCD_IPI".ljust(2048, b"\x00")


# Office documents ---------------------------------------------------------

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OOXML = {
    ".docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    ".xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    ".pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
MACRO_TYPES = {
    ".docx": "application/vnd.ms-word.document.macroEnabled.main+xml",
    ".xlsx": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ".pptx": "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
}
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="{target}"/></Relationships>'
)


def ooxml_bytes(extension: str, main_type: str | None = None, extra=(), rels_first=False) -> bytes:
    main_part, default_type = OOXML[extension]
    overrides = [(main_part, main_type or default_type)]
    overrides += [(name, ct) for name, _, ct in extra if ct]
    content_types = (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="/{name}" ContentType="{ct}"/>' for name, ct in overrides)
        + "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        # libmagic only recognises OOXML when [Content_Types].xml comes first.
        if rels_first:
            zf.writestr("_rels/.rels", RELS.format(target=main_part))
        zf.writestr("[Content_Types].xml", content_types)
        if not rels_first:
            zf.writestr("_rels/.rels", RELS.format(target=main_part))
        zf.writestr(main_part, '<?xml version="1.0"?><root/>')
        for name, data, _ in extra:
            zf.writestr(name, data)
    return out.getvalue()


ODF_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ODF_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
    'xmlns:office:1.0" office:version="1.3"><office:scripts/>{body}'
    "</office:document-content>"
)


def odf_bytes(extension: str, mimetype: str | None = None, body="", extra=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", mimetype or ODF_TYPES[extension], compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", ODF_CONTENT.format(body=body))
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
        for name, data in extra:
            zf.writestr(name, data)
    return out.getvalue()


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """A minimal OLE2 compound file (CFB version 3) holding `streams` in its root storage.

    Layout: header, one FAT sector (sector 0), one directory sector (sector 1),
    then each stream in consecutive regular sectors. Streams are padded to the
    4096-byte mini-stream cutoff so that no mini stream is needed; at most three
    streams (one directory sector). Names must be given shortest first: each is the
    right sibling of the one before it in the directory's red-black tree.
    """
    sector, free, end, fat_sect, no_stream = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    assert len(streams) <= 3
    fat = [fat_sect, end]
    body = b""
    starts = []
    for _, content in streams:
        content = content.ljust(max(4096, -(-len(content) // sector) * sector), b"\x00")
        count = len(content) // sector
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
        body += content
    assert len(fat) <= 128

    def entry(name: str, kind: int, child=no_stream, right=no_stream, start=end, size=0) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        # name, name length, type (5 root, 2 stream, 0 unused), colour (1 black), left, right, child
        fields = struct.pack("<HBBIII", len(raw), kind, 1 if kind else 0, no_stream, right, child)
        # CLSID, state bits, creation and modification times, first sector, size
        return raw.ljust(64, b"\x00") + fields + b"\x00" * 36 + struct.pack("<IQ", start, size)

    entries = [entry("Root Entry", 5, child=1)]
    for i, (name, content) in enumerate(streams):
        right = i + 2 if i + 1 < len(streams) else no_stream
        entries.append(entry(name, 2, right=right, start=starts[i], size=len(content)))
    entries += [entry("", 0)] * (4 - len(entries))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # signature
        + b"\x00" * 16  # CLSID
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)  # versions, byte order, sector shifts
        + b"\x00" * 6
        # directory sectors, FAT sectors, first directory sector, transaction, mini cutoff,
        # first mini FAT sector, mini FAT sectors, first DIFAT sector, DIFAT sectors
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)  # the FAT is sector 0
    )
    fat_sector = struct.pack("<128I", *(fat + [free] * (128 - len(fat))))
    return header + fat_sector + b"".join(entries) + body


def encrypted_office_bytes() -> bytes:
    """What Office writes for a password-protected .docx/.xlsx/.pptx (MS-OFFCRYPTO): a
    compound file with an "EncryptionInfo" stream (version 4.4 = agile encryption, then
    its XML descriptor) and an "EncryptedPackage" stream (plaintext size, then the
    ciphertext of the zip package; placeholder bytes here). libmagic reports
    "CDFV2 Encrypted" (application/encrypted) for a compound file with an
    "EncryptedPackage" stream."""
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>'
    )
    package = struct.pack("<Q", 5000) + bytes(range(256)) * 20
    return compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)])


def elf_bytes() -> bytes:
    ident = b"\x7fELF\x02\x01\x01" + b"\x00" * 9
    header = struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 0, 64, 0, 0)
    return ident + header + b"\x00" * 256


def mz_bytes() -> bytes:
    dos = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 124)
    dos[0x3C:0x40] = struct.pack("<I", 128)
    return bytes(dos) + b"PE\x00\x00" + b"\x00" * 256


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


# --------------------------------------------------------------------------
# Accepted files
# --------------------------------------------------------------------------


def test_valid_pdf_is_accepted_unchanged(tmp_path):
    data = pdf_bytes()
    result = accept(tmp_path, "Laporan Akhir.pdf", data)
    assert result.display_name == "Laporan Akhir.pdf"
    assert result.extension == ".pdf"
    assert result.content_type == "application/pdf"
    assert read(result) == data
    assert result.warnings == []


def test_pdf_with_form_is_accepted_with_warning(tmp_path):
    result = accept(tmp_path, "formulir.pdf", pdf_bytes(add_form))
    assert result.warnings == ["PDF berisi formulir"]


def test_jpeg_is_reencoded_without_exif_and_keeps_orientation(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    data = image_bytes("JPEG", size=(64, 48), exif=exif, comment=b"catatan-rahasia")
    result = accept(tmp_path, "foto.jpeg", data)
    assert result.extension == ".jpg"
    assert result.display_name == "foto.jpeg"
    assert result.content_type == "image/jpeg"
    stored = read(result)
    assert b"KameraRahasia" not in stored
    assert b"catatan-rahasia" not in stored
    with Image.open(result.path) as img:
        assert img.format == "JPEG"
        assert dict(img.getexif()) == {}
        assert img.size == (48, 64)  # orientation applied to the pixels


def test_png_is_reencoded_without_text_chunks(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "PenulisRahasia")
    result = accept(tmp_path, "grafik.png", image_bytes("PNG", pnginfo=info))
    assert result.content_type == "image/png"
    assert b"PenulisRahasia" not in read(result)
    with Image.open(result.path) as img:
        assert img.format == "PNG"
        assert img.size == (64, 48)


def test_png_palette_transparency_survives_reencoding(tmp_path):
    img = Image.new("P", (8, 8), color=0)
    img.putpalette([255, 0, 0, 0, 0, 255])
    img.putpixel((0, 0), 1)
    out = io.BytesIO()
    img.save(out, format="PNG", transparency=0)
    result = accept(tmp_path, "ikon.png", out.getvalue())
    with Image.open(result.path) as stored:
        rgba = stored.convert("RGBA")
        assert rgba.getpixel((0, 0)) == (0, 0, 255, 255)
        assert rgba.getpixel((1, 1))[3] == 0  # still transparent


def test_png_with_appended_html_is_stored_reencoded(tmp_path):
    original = image_bytes("PNG") + HTML
    result = accept(tmp_path, "gambar.png", original)
    stored = read(result)
    assert b"<script" not in stored
    assert stored != original
    assert result.sha256 != hashlib.sha256(original).hexdigest()


@pytest.mark.parametrize("extension", [".docx", ".xlsx", ".pptx"])
def test_ooxml_documents_are_accepted(tmp_path, extension):
    data = ooxml_bytes(extension)
    result = accept(tmp_path, "dokumen" + extension, data)
    assert result.extension == extension
    assert result.content_type.startswith("application/vnd.openxmlformats-")
    assert read(result) == data


def test_ooxml_that_libmagic_sees_as_plain_zip_is_accepted(tmp_path):
    data = ooxml_bytes(".docx", rels_first=True)
    result = accept(tmp_path, "dokumen.docx", data)
    assert result.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_workbook_written_by_openpyxl_is_accepted(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Capaian"
    out = io.BytesIO()
    workbook.save(out)
    result = accept(tmp_path, "capaian.xlsx", out.getvalue())
    expected = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert result.content_type == expected


def test_ooxml_with_external_link_gets_warning(tmp_path):
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId9" Type="http://x/hyperlink" '
        'Target="https://contoh.go.id" TargetMode="External"/></Relationships>'
    )
    data = ooxml_bytes(".docx", extra=[("word/_rels/document.xml.rels", rels, None)])
    result = accept(tmp_path, "tautan.docx", data)
    assert result.warnings == ["Dokumen berisi tautan ke sumber eksternal"]


@pytest.mark.parametrize("extension", [".odt", ".ods"])
def test_opendocument_files_are_accepted(tmp_path, extension):
    data = odf_bytes(extension)
    result = accept(tmp_path, "catatan" + extension, data)
    assert result.content_type == ODF_TYPES[extension]
    assert read(result) == data


def test_file_exactly_at_size_limit_is_accepted(tmp_path):
    data = pdf_bytes()
    accept(tmp_path, "pas.pdf", data, UploadPolicy(max_bytes=len(data)))


# --------------------------------------------------------------------------
# Refused: type does not match the name
# --------------------------------------------------------------------------


@pytest.mark.parametrize("data", [elf_bytes(), mz_bytes()], ids=["elf", "windows-exe"])
def test_renamed_executable_is_refused(tmp_path, data):
    message = reject(tmp_path, "laporan.pdf", data)
    assert message.startswith('Berkas "laporan.pdf" ditolak: isinya bukan PDF')
    assert "terdeteksi application/" in message


def test_html_named_pdf_is_refused(tmp_path):
    message = reject(tmp_path, "laporan.pdf", HTML)
    assert message == ('Berkas "laporan.pdf" ditolak: isinya bukan PDF (terdeteksi text/html).')


def test_gif_html_polyglot_named_png_is_refused(tmp_path):
    message = reject(tmp_path, "foto.png", image_bytes("GIF") + HTML)
    assert message == ('Berkas "foto.png" ditolak: isinya bukan gambar PNG (terdeteksi image/gif).')


def test_pdf_named_docx_is_refused(tmp_path):
    message = reject(tmp_path, "x.docx", pdf_bytes())
    assert 'Berkas "x.docx" ditolak: isinya bukan dokumen Word' in message


def test_plain_zip_named_docx_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "halo")
    message = reject(tmp_path, "x.docx", out.getvalue())
    assert 'Berkas "x.docx" ditolak: isinya bukan dokumen Word' in message


def test_zip_with_data_before_it_is_refused(tmp_path):
    data = bytes(range(256)) * 4 + ooxml_bytes(".docx")
    message = reject(tmp_path, "x.docx", data)
    assert 'Berkas "x.docx" ditolak: isinya bukan dokumen Word' in message


def test_spreadsheet_named_odt_is_refused(tmp_path):
    message = reject(tmp_path, "x.odt", odf_bytes(".ods"))
    assert 'Berkas "x.odt" ditolak: isinya bukan dokumen OpenDocument' in message


def test_odt_with_wrong_mimetype_entry_is_refused(tmp_path):
    data = odf_bytes(".odt", mimetype="application/x-anything")
    message = reject(tmp_path, "x.odt", data)
    assert 'Berkas "x.odt" ditolak: isinya bukan dokumen OpenDocument' in message


# --------------------------------------------------------------------------
# Refused: active content
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modify", "reason"),
    [
        (add_names_javascript, "dokumen PDF berisi JavaScript."),
        (add_open_action_javascript, "dokumen PDF berisi JavaScript."),
        (add_launch, "program (Launch)"),
        (add_embedded_file, "dokumen PDF berisi berkas tertanam."),
        (add_file_attachment_annotation, "dokumen PDF berisi berkas tertanam."),
    ],
    ids=["names-js", "open-action-js", "launch", "embedded-file", "attachment"],
)
def test_active_pdf_is_refused(tmp_path, modify, reason):
    message = reject(tmp_path, "a.pdf", pdf_bytes(modify))
    assert message.startswith('Berkas "a.pdf" ditolak: ')
    assert reason in message


@pytest.mark.parametrize(
    ("catalog", "action"),
    [
        # Referenced from the catalogue: the parser's walk finds it.
        (b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        # Unreferenced: only the raw scan sees it, so it must decode #xx escapes itself:
        # /J#61v#61Script is /JavaScript (#61 is "a"; read in another base it would not be).
        (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /S /J#61v#61Script >>"),
    ],
    ids=["referenced", "unreferenced"],
)
def test_pdf_with_hex_escaped_javascript_name_is_refused(tmp_path, catalog, action):
    data = raw_pdf(
        [
            catalog,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            action,
        ]
    )
    message = reject(tmp_path, "a.pdf", data)
    assert message == 'Berkas "a.pdf" ditolak: dokumen PDF berisi JavaScript.'


def test_pdf_with_javascript_in_compressed_object_stream_is_refused(tmp_path):
    data = pdf_with_javascript_in_object_stream()
    assert b"JavaScript" not in data
    message = reject(tmp_path, "a.pdf", data)
    assert message == 'Berkas "a.pdf" ditolak: dokumen PDF berisi JavaScript.'


def test_pdf_with_unreferenced_javascript_object_is_refused(tmp_path):
    # Unreachable for the parser, but a repairing viewer may still find it.
    data = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /S /JavaScript /JS (app.alert(1)) >>",
        ]
    )
    message = reject(tmp_path, "a.pdf", data)
    assert message == 'Berkas "a.pdf" ditolak: dokumen PDF berisi JavaScript.'


def test_encrypted_pdf_is_refused(tmp_path):
    data = pdf_bytes(lambda w: w.encrypt("rahasia", algorithm="RC4-128"))
    message = reject(tmp_path, "a.pdf", data)
    assert message.startswith('Berkas "a.pdf" ditolak: dokumen terenkripsi')


@pytest.mark.parametrize("extension", [".docx", ".xlsx", ".pptx"])
def test_password_protected_office_document_is_refused_as_encrypted(tmp_path, extension):
    name = "rahasia" + extension
    message = reject(tmp_path, name, encrypted_office_bytes())
    assert message == (
        f'Berkas "{name}" ditolak: dokumen terenkripsi atau dilindungi kata sandi; unggah versi tanpa kata sandi.'
    )


def test_damaged_pdf_is_refused(tmp_path):
    data = b"%PDF-1.7\n" + bytes(range(256)) * 8
    message = reject(tmp_path, "rusak.pdf", data)
    assert message == ('Berkas "rusak.pdf" ditolak: berkas PDF rusak atau tidak dapat dibaca.')


@pytest.mark.parametrize("extension", [".docx", ".xlsx", ".pptx"])
def test_macro_enabled_document_renamed_is_refused(tmp_path, extension):
    vba = ("vbaProject.bin", b"\xd0\xcf\x11\xe0 fake vba", "application/vnd.ms-office.vbaProject")
    main_dir = OOXML[extension][0].split("/")[0]
    data = ooxml_bytes(
        extension,
        main_type=MACRO_TYPES[extension],
        extra=[(f"{main_dir}/{vba[0]}", vba[1], vba[2])],
    )
    message = reject(tmp_path, "x" + extension, data)
    assert message == f'Berkas "x{extension}" ditolak: dokumen berisi makro.'


def test_macro_content_type_alone_is_refused(tmp_path):
    data = ooxml_bytes(".docx", main_type=MACRO_TYPES[".docx"])
    message = reject(tmp_path, "x.docx", data)
    assert message == 'Berkas "x.docx" ditolak: dokumen berisi makro.'


def test_vba_project_alone_is_refused(tmp_path):
    data = ooxml_bytes(".docx", extra=[("word/vbaProject.bin", b"vba", None)])
    message = reject(tmp_path, "x.docx", data)
    assert message == 'Berkas "x.docx" ditolak: dokumen berisi makro.'


@pytest.mark.parametrize("folder", ["Basic/Standard/Module1.xml", "Scripts/python/a.py"])
def test_opendocument_with_macros_is_refused(tmp_path, folder):
    data = odf_bytes(".odt", extra=[(folder, "<macro/>")])
    message = reject(tmp_path, "x.odt", data)
    assert message == 'Berkas "x.odt" ditolak: dokumen berisi makro.'


def test_opendocument_with_event_listener_script_is_refused(tmp_path):
    body = (
        '<script:event-listener xmlns:script="urn:oasis:names:tc:opendocument:'
        'xmlns:script:1.0" script:event-name="dom:load" '
        'xlink:href="vnd.sun.star.script:pydoc.py$tempfilepager?language=Python"/>'
    )
    message = reject(tmp_path, "x.odt", odf_bytes(".odt", body=body))
    assert message == 'Berkas "x.odt" ditolak: dokumen berisi makro atau skrip.'


# --------------------------------------------------------------------------
# Refused: resource limits
# --------------------------------------------------------------------------


def test_zip_bomb_named_docx_is_refused(tmp_path):
    zeros = b"\x00" * (2 * 1024 * 1024)  # ~2 KB compressed: ratio ~1000
    data = ooxml_bytes(".docx", extra=[("word/media/kosong.bin", zeros, None)])
    message = reject(tmp_path, "bom.docx", data)
    assert message == ('Berkas "bom.docx" ditolak: rasio kompresi dokumen tidak wajar (kemungkinan bom zip).')


def test_zip_with_too_much_uncompressed_content_is_refused(tmp_path):
    data = ooxml_bytes(".docx", extra=[("word/media/a.bin", bytes(range(256)) * 40, None)])
    policy = UploadPolicy(max_zip_uncompressed=5000)
    message = reject(tmp_path, "besar.docx", data, policy)
    assert message == ('Berkas "besar.docx" ditolak: isi dokumen setelah diekstrak melebihi batas 4,9 KB.')


def test_zip_with_too_many_entries_is_refused(tmp_path):
    extra = [(f"word/media/{i}.xml", "<x/>", None) for i in range(10)]
    policy = UploadPolicy(max_zip_entries=5)
    message = reject(tmp_path, "banyak.docx", ooxml_bytes(".docx", extra=extra), policy)
    assert message == ('Berkas "banyak.docx" ditolak: dokumen berisi terlalu banyak bagian (13).')


def test_image_over_pixel_limit_is_refused(tmp_path):
    data = image_bytes("PNG", size=(200, 100))
    policy = UploadPolicy(max_image_pixels=10_000)
    message = reject(tmp_path, "foto.png", data, policy)
    assert message == ('Berkas "foto.png" ditolak: gambar terlalu besar (20.000 piksel; batas 10.000).')


def test_image_exactly_at_pixel_limit_is_accepted(tmp_path):
    policy = UploadPolicy(max_image_pixels=200 * 100)
    result = accept(tmp_path, "foto.png", image_bytes("PNG", size=(200, 100)), policy)
    with Image.open(result.path) as img:
        assert img.size == (200, 100)


def test_png_claiming_huge_dimensions_is_refused(tmp_path):
    # Pillow itself refuses it as a decompression bomb, before the size check.
    message = reject(tmp_path, "bom.png", png_header_only(60_000, 60_000))
    assert message == 'Berkas "bom.png" ditolak: gambar terlalu besar (batas 40.000.000 piksel).'


def test_truncated_image_is_refused(tmp_path):
    data = image_bytes("PNG", size=(300, 300))
    message = reject(tmp_path, "potong.png", data[: len(data) // 2])
    assert message == ('Berkas "potong.png" ditolak: gambar PNG rusak atau tidak dapat dibaca.')


def test_jpeg_with_exif_that_makes_pillow_warn_is_accepted(tmp_path):
    data = jpeg_with_truncated_exif()
    # Pillow really warns while the upload is checked; the warning stays a warning.
    with pytest.warns(UserWarning, match="Tag data larger than file"):
        result = accept(tmp_path, "foto.jpg", data)
    with Image.open(result.path) as img:
        assert img.format == "JPEG"
        assert img.size == (64, 48)
        assert not img.getexif()


def test_jpeg_that_pillow_could_read_as_another_format_is_refused_as_damaged(tmp_path):
    data = jpeg_magic_photo_cd_body()
    with Image.open(io.BytesIO(data)) as img:  # unrestricted, Pillow picks Photo CD
        assert (img.format, img.size) == ("PCD", (768, 512))
    # A limit below 768x512: were the file read as Photo CD, it would be refused as too large.
    policy = UploadPolicy(max_image_pixels=100_000)
    message = reject(tmp_path, "foto.jpg", data, policy)
    assert message == 'Berkas "foto.jpg" ditolak: gambar JPEG rusak atau tidak dapat dibaca.'


def test_empty_file_is_refused(tmp_path):
    message = reject(tmp_path, "a.pdf", b"")
    assert message == 'Berkas "a.pdf" ditolak: berkas kosong.'


def test_one_byte_over_size_limit_is_refused(tmp_path):
    data = pdf_bytes()
    policy = UploadPolicy(max_bytes=len(data))
    message = reject(tmp_path, "b.pdf", data + b"\n", policy)
    assert message == (f'Berkas "b.pdf" ditolak: ukuran melebihi batas {len(data)} byte.')


def test_oversized_stream_is_refused_without_reading_it_all(tmp_path):
    def endless():
        while True:
            yield b"\x00" * (1024 * 1024)

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(name="b.pdf", chunks=endless(), policy=POLICY, tmp_dir=str(tmp_path))
    assert excinfo.value.message == ('Berkas "b.pdf" ditolak: ukuran melebihi batas 25 MB.')
    assert list(tmp_path.iterdir()) == []


def test_unexpected_error_while_reading_leaves_no_file(tmp_path):
    def broken():
        yield b"%PDF-1.4\n"
        raise OSError("koneksi terputus")

    with pytest.raises(OSError, match="koneksi terputus"):
        check_upload(name="a.pdf", chunks=broken(), policy=POLICY, tmp_dir=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


def test_path_traversal_name_keeps_only_the_basename(tmp_path):
    result = accept(tmp_path, "../../etc/passwd.pdf", pdf_bytes())
    assert result.display_name == "passwd.pdf"


def test_windows_path_keeps_only_the_basename(tmp_path):
    message = reject(tmp_path, "C:\\Users\\budi\\..\\laporan.pdf", HTML)
    assert message.startswith('Berkas "laporan.pdf" ditolak: ')


def test_control_characters_are_removed_from_name(tmp_path):
    result = accept(tmp_path, "lap\x00or\x1ban\x7f.pdf", pdf_bytes())
    assert result.display_name == "laporan.pdf"


def test_quotes_and_newlines_cannot_break_out_of_headers(tmp_path):
    name = 'laporan"; filename="evil.html\r\nX-Injected: 1.pdf'
    message = reject(tmp_path, name, HTML)
    shown = "laporan__ filename=_evil.htmlX-Injected_ 1.pdf"
    assert message.startswith(f'Berkas "{shown}" ditolak: isinya bukan PDF')


def test_right_to_left_override_cannot_fake_an_extension(tmp_path):
    message = reject(tmp_path, "foto\u202egnp.exe", HTML)
    assert message.startswith('Berkas "fotognp.exe" ditolak: jenis berkas .exe')


@pytest.mark.parametrize(
    ("name", "shown", "extension"),
    [
        ("setup.exe", "setup.exe", ".exe"),
        ("halaman.html", "halaman.html", ".html"),
        ("logo.svg", "logo.svg", ".svg"),
        ("laporan.pdf.exe", "laporan.pdf.exe", ".exe"),
        ("laporan.exe.", "laporan.exe", ".exe"),
        ("laporan.exe . ", "laporan.exe", ".exe"),
        ("skrip.\uff45\uff58\uff45", "skrip.exe", ".exe"),  # fullwidth "exe"
        ("gambar.\u0440ng", "gambar.\u0440ng", ".\u0440ng"),  # Cyrillic "er"
    ],
)
def test_disallowed_extension_is_refused(tmp_path, name, shown, extension):
    message = reject(tmp_path, name, pdf_bytes())
    assert message.startswith(
        f'Berkas "{shown}" ditolak: jenis berkas {extension} tidak diizinkan (yang diizinkan: .docx, .jpeg, .jpg,'
    )


def test_name_without_extension_is_refused(tmp_path):
    message = reject(tmp_path, "laporan", pdf_bytes())
    assert message.startswith('Berkas "laporan" ditolak: berkas tidak memiliki ekstensi')


def test_fullwidth_allowed_extension_is_normalised_then_checked(tmp_path):
    name = "laporan.\uff50\uff44\uff46"  # fullwidth "pdf"
    message = reject(tmp_path, name, HTML)
    assert message.startswith('Berkas "laporan.pdf" ditolak: isinya bukan PDF')
    result = accept(tmp_path, name, pdf_bytes())
    assert result.display_name == "laporan.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", "berkas"),
        (".pdf", "berkas.pdf"),
        ("...pdf", "berkas.pdf"),
        ("///", "berkas"),
        ("__.PDF", "berkas.pdf"),
        ("\x00\x00.png", "berkas.png"),
        (".htaccess", "berkas.htaccess"),
        ("Laporan   Tahunan\u00a02024.PDF", "Laporan Tahunan 2024.pdf"),
        ("lap\toran\r\n.pdf", "laporan.pdf"),
        ("x" * 500 + ".docx", "x" * 145 + ".docx"),
    ],
)
def test_sanitize_filename_examples(name, expected):
    assert sanitize_filename(name) == expected


ALLOWED = sorted(POLICY.allowed_extensions)


@given(st.text())
def test_sanitized_names_are_always_safe(name):
    clean = sanitize_filename(name)
    assert clean
    assert not clean.startswith(".")
    assert not any(ch in clean for ch in "/\\\x00\r\n\"'")
    assert len(clean) <= 150
    assert sanitize_filename(clean) == clean


@given(st.text(), st.sampled_from(ALLOWED), st.booleans())
def test_sanitized_names_keep_allowed_extensions(stem, extension, upper):
    clean = sanitize_filename(stem + (extension.upper() if upper else extension))
    assert clean.endswith(extension)
    assert clean != extension


# --------------------------------------------------------------------------
# Guards that no other check repeats
# --------------------------------------------------------------------------


def test_html_prefixed_pdf_polyglot_is_refused_by_the_header_check(tmp_path):
    # libmagic calls this application/pdf and pypdf reads it, so the %PDF- header check is the
    # only defence: a browser sniffing the stored file would render the HTML.
    data = b"<html><body>hi</body></html>\n" + pdf_bytes()
    message = reject(tmp_path, "poliglot.pdf", data)
    assert message == 'Berkas "poliglot.pdf" ditolak: isinya bukan PDF (tidak diawali penanda %PDF-).'


def test_pdf_with_junk_before_the_header_is_refused(tmp_path):
    message = reject(tmp_path, "awal.pdf", b"\n" + pdf_bytes())
    assert message == 'Berkas "awal.pdf" ditolak: isinya bukan PDF (tidak diawali penanda %PDF-).'


def _cut_central_directory(data: bytes) -> bytes:
    return data[: data.rindex(b"PK\x01\x02")]


@pytest.mark.parametrize(
    "name, data",
    [
        ("x.docx", _cut_central_directory(ooxml_bytes(".docx"))),
        ("x.odt", _cut_central_directory(odf_bytes(".odt"))),
    ],
    ids=["docx", "odt"],
)
def test_office_package_without_its_central_directory_is_refused(tmp_path, name, data):
    message = reject(tmp_path, name, data)
    assert message == f'Berkas "{name}" ditolak: dokumen rusak atau tidak dapat dibaca.'


def _corrupt_entry(data: bytes, name: bytes) -> bytes:
    """Flip a byte inside the compressed data of entry `name` (its CRC no longer matches)."""
    header = data.index(b"PK\x03\x04")
    while data[header + 30 : header + 30 + len(name)] != name:
        header = data.index(b"PK\x03\x04", header + 4)
    name_len, extra_len = struct.unpack("<HH", data[header + 26 : header + 30])
    start = header + 30 + name_len + extra_len
    out = bytearray(data)
    out[start + 2] ^= 0xFF
    return bytes(out)


def test_office_package_with_a_damaged_entry_is_refused(tmp_path):
    data = _corrupt_entry(ooxml_bytes(".docx"), b"[Content_Types].xml")
    message = reject(tmp_path, "rusak.docx", data)
    assert message == 'Berkas "rusak.docx" ditolak: dokumen rusak atau tidak dapat dibaca.'


def _mark_encrypted(data: bytes, name: bytes) -> bytes:
    """Set the "encrypted" flag bit of entry `name` in its local header and central directory."""
    out = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.index(signature)
        while data[at + name_at : at + name_at + len(name)] != name:
            at = data.index(signature, at + 4)
        out[at + flag_at] |= 0x01
    return bytes(out)


@pytest.mark.parametrize(
    "name, data",
    [
        ("rahasia.docx", ooxml_bytes(".docx", extra=[("word/media/gambar.bin", b"isi", None)])),
        ("rahasia.ods", odf_bytes(".ods", extra=[("Pictures/gambar.bin", b"isi")])),
    ],
    ids=["docx", "ods"],
)
def test_office_package_with_an_encrypted_entry_is_refused(tmp_path, name, data):
    # The entry is never read by the checks, so only the flag check notices it.
    entry = b"word/media/gambar.bin" if name.endswith(".docx") else b"Pictures/gambar.bin"
    message = reject(tmp_path, name, _mark_encrypted(data, entry))
    assert message.startswith(f'Berkas "{name}" ditolak: dokumen terenkripsi atau dilindungi kata sandi')


@pytest.mark.parametrize("extension", [".odt", ".ods"])
def test_opendocument_is_accepted_without_warnings(tmp_path, extension):
    result = accept(tmp_path, "catatan" + extension, odf_bytes(extension))
    assert result.warnings == []


def test_ooxml_without_links_or_embeddings_has_no_warnings(tmp_path):
    result = accept(tmp_path, "bersih.docx", ooxml_bytes(".docx"))
    assert result.warnings == []


def test_ooxml_with_embedded_object_gets_warning(tmp_path):
    data = ooxml_bytes(".docx", extra=[("word/embeddings/objek.bin", b"isi", None)])
    result = accept(tmp_path, "objek.docx", data)
    assert result.warnings == ["Dokumen berisi objek tertanam"]


def test_odf_mimetype_entry_of_exactly_the_size_limit_is_read(tmp_path):
    padded = ODF_TYPES[".odt"] + " " * (200 - len(ODF_TYPES[".odt"]))
    result = accept(tmp_path, "pas.odt", odf_bytes(".odt", mimetype=padded))
    assert result.content_type == ODF_TYPES[".odt"]


def test_ooxml_content_type_entry_without_content_type_is_read(tmp_path):
    data = ooxml_bytes(".docx")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Default Extension="txt"/></Types>')
            target.writestr(info, body)
    result = accept(tmp_path, "tanpa-jenis.docx", out.getvalue())
    assert result.warnings == []


def test_cmyk_jpeg_keeps_its_colour_model_and_jpegs_are_stored_at_quality_90(tmp_path):
    result = accept(tmp_path, "cetak.jpg", image_bytes("JPEG", mode="CMYK"))
    reference = io.BytesIO()
    Image.new("CMYK", (64, 48), color=1).save(reference, format="JPEG", quality=90)
    with Image.open(result.path) as stored, Image.open(reference) as expected:
        assert stored.mode == "CMYK"
        assert stored.quantization == expected.quantization


def test_the_policys_compression_ratio_is_the_one_applied(tmp_path):
    text = ("Laporan kegiatan zona integritas. " * 400).encode()  # compresses about 60 times
    data = ooxml_bytes(".docx", extra=[("word/media/catatan.txt", text, None)])
    default_policy, strict_policy = tmp_path / "a", tmp_path / "b"
    default_policy.mkdir()
    strict_policy.mkdir()
    accept(default_policy, "catatan.docx", data)
    message = reject(strict_policy, "catatan.docx", data, UploadPolicy(max_zip_ratio=5))
    assert message == 'Berkas "catatan.docx" ditolak: rasio kompresi dokumen tidak wajar (kemungkinan bom zip).'
