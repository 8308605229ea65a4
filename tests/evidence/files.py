"""Real files built in the tests (no mocks): valid evidence and every kind the portal must refuse.

Also used by tests/bench/bench_upload_memory.py, which writes a 100 MB PDF with `write_pdf`.
"""

import io
import struct
import zipfile

from PIL import Image

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

_PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R%s >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>",
    None,  # the page's content stream, built from the text
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def write_pdf(out, *, text: str = "Bukti data dukung", catalog_extra: bytes = b"", padding: int = 0,
              padding_on_page: bool = False) -> int:
    """Write a valid one-page PDF to the binary file `out`; returns the number of bytes written.

    `padding` adds a stream object of that many bytes (spaces), written in chunks so that a
    100 MB file never sits in memory. It is unreferenced (allowed in a valid PDF) unless
    `padding_on_page`, which makes it part of the page's content.
    """
    written = 0

    def put(data: bytes):
        nonlocal written
        out.write(data)
        written += len(data)

    content = b"BT /F1 14 Tf 56 780 Td (%s) Tj ET" % text.encode("latin-1")
    bodies = [body for body in _PDF_OBJECTS]
    bodies[0] = _PDF_OBJECTS[0] % catalog_extra
    if padding and padding_on_page:
        bodies[2] = bodies[2].replace(b"/Contents 4 0 R", b"/Contents [4 0 R 6 0 R]")
    bodies[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    put(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(written)
        put(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    if padding:
        offsets.append(written)
        put(b"%d 0 obj\n<< /Length %d >>\nstream\n" % (len(bodies) + 1, padding))
        chunk = b" " * (1024 * 1024)
        remaining = padding
        while remaining:
            piece = chunk[: min(remaining, len(chunk))]
            put(piece)
            remaining -= len(piece)
        put(b"\nendstream\nendobj\n")
    xref = written
    put(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for offset in offsets:
        put(b"%010d 00000 n \n" % offset)
    put(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
    return written


def pdf(text: str = "Bukti data dukung", *, catalog_extra: bytes = b"", padding: int = 0) -> bytes:
    out = io.BytesIO()
    write_pdf(out, text=text, catalog_extra=catalog_extra, padding=padding)
    return out.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes (the padding stream takes up the difference)."""
    base = len(pdf(padding=1))
    padding = size - base + 1
    data = pdf(padding=padding)
    # The padding's length is written in decimal; adjust once if its digit count changed.
    data = pdf(padding=padding + size - len(data))
    assert len(data) == size
    return data


def pdf_with_javascript() -> bytes:
    """/OpenAction running JavaScript, also registered in the /Names /JavaScript tree."""
    return pdf(catalog_extra=(
        b" /OpenAction << /S /JavaScript /JS (app.alert\\('hai'\\)) >>"
        b" /Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (app.alert\\(1\\)) >>] >> >>"
    ))


def image(fmt: str = "PNG", size=(64, 48), mode="RGB") -> bytes:
    out = io.BytesIO()
    color = (200, 30, 30) if mode == "RGB" else 1
    Image.new(mode, size, color=color).save(out, format=fmt)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make
    exif[0x8825] = {2: (6.0, 10.0, 0.0)}  # GPS latitude
    Image.new("RGB", (40, 30), color=(10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def gif_html_polyglot() -> bytes:
    """A GIF that is also an HTML page with a script."""
    return image("GIF") + HTML


def png_html_polyglot() -> bytes:
    return image("PNG") + HTML


def huge_png(width: int = 7000, height: int = 6000) -> bytes:
    """42 million pixels (over the 40 million default) in a few kilobytes: one bit per pixel."""
    return image("PNG", size=(width, height), mode="1")


def exe() -> bytes:
    """A Windows executable (MZ/PE header)."""
    dos = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 124)
    dos[0x3C:0x40] = struct.pack("<I", 128)
    return bytes(dos) + b"PE\x00\x00" + b"\x00" * 512


_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(*, main_type: str = _DOCX_MAIN, extra: dict | None = None) -> bytes:
    content_types = (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="urn:x"/>')
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def docm() -> bytes:
    """A macro-enabled Word document (what a .docm is), to be renamed .docx."""
    return docx(main_type=_DOCM_MAIN, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})


def zip_bomb_docx(uncompressed: int = 50 * 1024 * 1024) -> bytes:
    """A well-formed .docx with one more part that inflates from ~50 KB to 50 MB of zeros."""
    out = io.BytesIO(docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("word/media/bom.bin", "w") as part:
        block = b"\x00" * (1024 * 1024)
        for _ in range(uncompressed // len(block)):
            part.write(block)
    return out.getvalue()
