"""Small real documents for the demo: one-page PDFs with a few lines of text and JPEG photos.

They go through the same upload checks as a user's files, so they must be valid: a PDF with a
correct cross-reference table and nothing active in it, a JPEG that Pillow can re-encode.
"""

import io

from PIL import Image, ImageDraw


def _pdf_text(value: str) -> bytes:
    """A PDF string literal in Latin-1 with the three special characters escaped."""
    raw = value.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF: a bold title and the given lines below it."""
    content = [b"BT /F2 15 Tf 56 780 Td (%s) Tj ET" % _pdf_text(title)]
    y = 750
    for line in lines:
        content.append(b"BT /F1 11 Tf 56 %d Td (%s) Tj ET" % (y, _pdf_text(line)))
        y -= 18
    stream = b"\n".join(content)
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))
    return out.getvalue()


# Muted colours for the demo photos (a projector slide, a banner, a meeting room).
_PALETTE = [(38, 70, 83), (42, 157, 143), (233, 196, 106), (244, 162, 97), (231, 111, 81), (69, 123, 157)]


def jpeg_photo(caption: str, seed: int) -> bytes:
    """A 640×400 JPEG 'photo' of an activity: coloured shapes and a caption bar."""
    background = _PALETTE[seed % len(_PALETTE)]
    accent = _PALETTE[(seed + 2) % len(_PALETTE)]
    image = Image.new("RGB", (640, 400), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 300), outline=(255, 255, 255), width=4)
    draw.ellipse((80 + seed % 7 * 20, 90, 220 + seed % 7 * 20, 230), fill=accent)
    draw.rectangle((300, 120, 560, 260), fill=(255, 255, 255))
    draw.rectangle((0, 330, 640, 400), fill=(20, 20, 20))
    draw.text((20, 350), caption[:90], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()
