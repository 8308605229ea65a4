"""Downloads and previews: attachment headers that cannot be abused, proxy hand-off, framing rules."""

import hashlib

import pytest
from django.urls import reverse

from core.files import content_disposition
from evidence.models import AuditAction, EvidenceVersion
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import make_evidence

pytestmark = pytest.mark.django_db


def version_named(cast, original_name, data=None, name="bukti.pdf"):
    """An item whose stored display name is set directly, to test the header with hostile names
    that the upload sanitiser would never let through."""
    evidence = make_evidence(cast.assessment, cast.timkerja, name=name, data=data)
    version = evidence.versions.get()
    EvidenceVersion.objects.filter(pk=version.pk).update(original_name=original_name)
    version.refresh_from_db()
    return version


@pytest.mark.parametrize("name, header", [
    ("laporan.pdf", 'attachment; filename="laporan.pdf"'),
    ('SK "final".pdf', 'attachment; filename="SK \\"final\\".pdf"'),
    ("SK\r\nSet-Cookie: a=b.pdf", 'attachment; filename="SKSet-Cookie: a=b.pdf"'),
    ("Laporan Triwulan – Ü 100%.pdf",
     "attachment; filename*=utf-8''Laporan%20Triwulan%20%E2%80%93%20%C3%9C%20100%25.pdf"),
    ("back\\slash.pdf", 'attachment; filename="back\\\\slash.pdf"'),
    ("\r\n", 'attachment; filename="berkas"'),
])
def test_content_disposition_is_djangos_rfc_6266_header_without_control_characters(name, header):
    assert content_disposition(name, attachment=True) == header


def test_the_download_of_a_name_with_quotes_line_breaks_and_non_ascii_is_safe(client, cast):
    data = files.pdf()
    version = version_named(cast, 'Notulen "rapat"\r\n– Ağustus.pdf', data=data)
    client_for(client, cast.tpi)
    response = client.get(reverse("evidence:download", args=[version.code]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    assert header == "attachment; filename*=utf-8''Notulen%20%22rapat%22%E2%80%93%20A%C4%9Fustus.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data


def test_a_download_is_a_sandboxed_attachment_that_is_never_cached_publicly(client, cast):
    version = make_evidence(cast.assessment, cast.timkerja).versions.get()
    client_for(client, cast.pimpinan)
    response = client.get(reverse("evidence:download", args=[version.code]))
    csp = response["Content-Security-Policy"]
    assert "sandbox" in [part.strip() for part in csp.split(";")]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_content_type_is_the_sniffed_one_never_the_clients(client, cast):
    version = make_evidence(cast.assessment, cast.timkerja, name="foto.png", data=files.image()).versions.get()
    client_for(client, cast.tpi)
    assert client.get(reverse("evidence:download", args=[version.code]))["Content-Type"] == "image/png"


def test_the_preview_may_be_framed_by_the_portal_only(client, cast):
    version = make_evidence(cast.assessment, cast.timkerja).versions.get()
    client_for(client, cast.tpi)
    response = client.get(reverse("evidence:preview", args=[version.code]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "'none'" not in response["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0]
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert version.evidence.audit_events.filter(action=AuditAction.PREVIEW).count() == 1


def test_other_pages_still_refuse_to_be_framed(client, cast):
    evidence = make_evidence(cast.assessment, cast.timkerja)
    client_for(client, cast.tpi)
    response = client.get(reverse("evidence:detail", args=[evidence.code]))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_office_documents_have_no_preview(client, cast):
    version = make_evidence(cast.assessment, cast.timkerja, name="sk.docx", data=files.docx()).versions.get()
    client_for(client, cast.tpi)
    assert client.get(reverse("evidence:preview", args=[version.code])).status_code == 404
    assert client.get(reverse("evidence:download", args=[version.code])).status_code == 200


def test_the_item_page_previews_pdfs_in_a_frame_and_images_inline(client, cast):
    pdf_item = make_evidence(cast.assessment, cast.timkerja)
    image_item = make_evidence(cast.assessment, cast.timkerja, name="foto.jpg", data=files.image("JPEG"))
    client_for(client, cast.tpi)
    pdf_page = client.get(reverse("evidence:detail", args=[pdf_item.code])).content.decode()
    pdf_preview = reverse("evidence:preview", args=[pdf_item.versions.get().code])
    assert f'<iframe class="evidence-preview" src="{pdf_preview}"' in pdf_page
    image_page = client.get(reverse("evidence:detail", args=[image_item.code])).content.decode()
    image_preview = reverse("evidence:preview", args=[image_item.versions.get().code])
    assert f'<img class="evidence-image img-fluid" src="{image_preview}"' in image_page


def test_in_production_the_reverse_proxy_sends_the_file(client, cast, settings):
    settings.EVIDENCE_X_ACCEL_PREFIX = "/_bukti/"
    version = make_evidence(cast.assessment, cast.timkerja).versions.get()
    client_for(client, cast.tpi)
    response = client.get(reverse("evidence:download", args=[version.code]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_bukti/{version.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;") and response["X-Content-Type-Options"] == "nosniff"
    assert version.evidence.audit_events.filter(action=AuditAction.DOWNLOAD).count() == 1


def test_downloads_are_recorded_with_who_and_from_where(client, cast):
    version = make_evidence(cast.assessment, cast.timkerja).versions.get()
    client_for(client, cast.pimpinan)
    client.get(reverse("evidence:download", args=[version.code]), REMOTE_ADDR="192.0.2.10")
    event = version.evidence.audit_events.get(action=AuditAction.DOWNLOAD)
    assert (event.actor, event.ip_address, event.data["version"]) == (cast.pimpinan, "192.0.2.10", str(version.code))


def test_files_are_not_under_any_public_path(client, cast, settings):
    version = make_evidence(cast.assessment, cast.timkerja).versions.get()
    client_for(client, cast.admin)
    for url in [f"/{version.file.name}", f"/media/{version.file.name}", f"/static/{version.file.name}",
                f"{settings.MEDIA_URL or '/'}{version.file.name}"]:
        assert client.get(url).status_code == 404, url
    assert hashlib.sha256(version.file.read()).hexdigest() == version.sha256
