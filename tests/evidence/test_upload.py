"""Uploads through the upload view: every refusal explains itself in Indonesian and leaves nothing
behind (no row, no stored file, no temporary file); accepted files are stored under generated names."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.models import AuditAction, AuditEvent, Evidence, EvidenceStatus, EvidenceVersion
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import MP_QUESTION, files_under, post_files, upload_url

pytestmark = pytest.mark.django_db

LIMIT = 25 * 1024 * 1024


def assert_nothing_left(dirs):
    assert Evidence.objects.count() == 0
    assert EvidenceVersion.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="evidence").count() == 0
    assert files_under(dirs.media) == [], "a file was stored"
    assert files_under(dirs.tmp) == [], "a temporary file was left behind"


def refuse(client, cast, dirs, name, data) -> str:
    """Upload through the view as the tim kerja, expect a refusal, return the message shown."""
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [(name, data)], xhr=True)
    assert response.status_code == 400
    [result] = response.json()["results"]
    assert result["ok"] is False
    assert_nothing_left(dirs)
    # The page's script shows the result; no flash message waits on the next page.
    page = client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION]))
    assert result["message"] not in page.content.decode().replace("&quot;", '"')
    return result["message"]


def test_a_renamed_executable_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "laporan.pdf", files.exe())
    assert message.startswith('Berkas "laporan.pdf" ditolak: isinya bukan PDF (terdeteksi ')


def test_an_executable_under_its_own_name_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "setup.exe", files.exe())
    assert message.startswith('Berkas "setup.exe" ditolak: jenis berkas .exe tidak diizinkan')


def test_an_html_file_named_pdf_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "laporan.pdf", files.HTML)
    assert message == 'Berkas "laporan.pdf" ditolak: isinya bukan PDF (terdeteksi text/html).'


@pytest.mark.parametrize("name, reason", [
    ("foto.jpg", "isinya bukan gambar JPEG (terdeteksi image/gif)."),
    ("foto.png", "isinya bukan gambar PNG (terdeteksi image/gif)."),
    ("foto.gif", "jenis berkas .gif tidak diizinkan"),
])
def test_a_gif_html_polyglot_is_refused(client, cast, dirs, name, reason):
    message = refuse(client, cast, dirs, name, files.gif_html_polyglot())
    assert message.startswith(f'Berkas "{name}" ditolak: {reason}')


def test_a_png_with_html_appended_is_stored_re_encoded_without_the_html(client, cast, dirs):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("foto.png", files.png_html_polyglot())], xhr=True)
    assert response.status_code == 200, response.content
    version = EvidenceVersion.objects.get()
    stored = default_storage.open(version.file.name).read()
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored
    assert version.sha256 == hashlib.sha256(stored).hexdigest() and version.size == len(stored)
    assert files_under(dirs.tmp) == []


def test_exif_is_stripped_from_photos(client, cast, dirs):
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment), [("kegiatan.jpg", files.jpeg_with_exif())], xhr=True)
    stored = default_storage.open(EvidenceVersion.objects.get().file.name).read()
    assert b"Kamera Rahasia" not in stored and b"Exif" not in stored


def test_a_pdf_with_javascript_and_an_open_action_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "undangan.pdf", files.pdf_with_javascript())
    assert message == 'Berkas "undangan.pdf" ditolak: dokumen PDF berisi JavaScript.'


def test_a_docm_renamed_docx_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "notulen.docx", files.docm())
    assert message == 'Berkas "notulen.docx" ditolak: dokumen berisi makro.'


def test_a_zip_bomb_named_docx_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "sk.docx", files.zip_bomb_docx())
    assert message == 'Berkas "sk.docx" ditolak: rasio kompresi dokumen tidak wajar (kemungkinan bom zip).'


def test_an_image_over_the_pixel_limit_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "denah.png", files.huge_png())
    assert message == 'Berkas "denah.png" ditolak: gambar terlalu besar (42.000.000 piksel; batas 40.000.000).'


def test_an_empty_file_is_refused(client, cast, dirs):
    message = refuse(client, cast, dirs, "kosong.pdf", b"")
    assert message == 'Berkas "kosong.pdf" ditolak: berkas kosong.'


def test_a_file_one_byte_over_the_25_mb_default_is_refused(client, cast, dirs, settings):
    assert settings.EVIDENCE_MAX_BYTES == LIMIT
    message = refuse(client, cast, dirs, "besar.pdf", files.pdf_of_size(LIMIT + 1))
    assert message == 'Berkas "besar.pdf" ditolak: ukuran melebihi batas 25 MB.'


def test_a_file_exactly_at_the_limit_is_accepted(client, cast, dirs):
    client_for(client, cast.timkerja)
    data = files.pdf_of_size(LIMIT)
    response = post_files(client, upload_url(cast.assessment), [("pas.pdf", data)], xhr=True)
    assert response.status_code == 200
    version = EvidenceVersion.objects.get()
    assert version.size == LIMIT and version.sha256 == hashlib.sha256(data).hexdigest()
    assert files_under(dirs.tmp) == []


def test_the_limit_comes_from_settings(client, cast, dirs, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    message = refuse(client, cast, dirs, "kecil.pdf", files.pdf_of_size(1001))
    assert message == 'Berkas "kecil.pdf" ditolak: ukuran melebihi batas 1000 byte.'


@pytest.mark.parametrize("name, shown", [
    ("../../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\evil.exe", "evil.exe"),
    ("../../media/evidence/.htaccess", "berkas.htaccess"),
])
def test_path_traversal_names_are_refused_by_their_last_part(client, cast, dirs, name, shown):
    message = refuse(client, cast, dirs, name, files.HTML)
    assert message.startswith(f'Berkas "{shown}" ditolak: ')
    assert "/" not in message.split('"')[1] and "\\" not in message.split('"')[1]


def test_a_path_traversal_name_on_a_valid_pdf_stores_it_under_a_generated_path(client, cast, dirs, tmp_path):
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment), [("../../../../tmp/../laporan.pdf", files.pdf())], xhr=True)
    version = EvidenceVersion.objects.get()
    assert version.original_name == "laporan.pdf"
    [stored] = files_under(dirs.media)
    assert stored.relative_to(dirs.media).parts[:2] == ("evidence", str(cast.unit.code))
    assert stored.suffix == ".pdf" and "laporan" not in stored.name
    assert not (tmp_path / "laporan.pdf").exists()


@pytest.mark.parametrize("name, shown", [
    ("laporan\x07\x1b[31m.pdf", "laporan[31m.pdf"),  # bell and an ANSI escape
    ("laporan\u202efdp.exe", "laporanfdp.exe"),  # right-to-left override faking ".pdf"
    ("\x00\x01.pdf", "berkas.pdf"),
])
def test_control_characters_are_removed_before_the_name_is_shown(client, cast, dirs, name, shown):
    message = refuse(client, cast, dirs, name, files.HTML)
    assert message.startswith(f'Berkas "{shown}" ditolak: ')


@pytest.mark.parametrize("name", [
    'sk "final".pdf',  # quotes as a hostile client sends them
    "sk%22final%22%0D%0AX-Header: 1.pdf",  # quotes and CR/LF as a browser encodes them
    'sk \\"final\\".pdf',  # backslash-escaped quotes
])
def test_quotes_and_line_breaks_never_reach_the_name(client, cast, dirs, name):
    message = refuse(client, cast, dirs, name, files.HTML)
    shown = message.removeprefix('Berkas "').split('" ditolak: ')[0]
    assert not set(shown) & set("\"'\r\n\\%")
    assert shown.endswith(".pdf") and "isinya bukan PDF" in message


def test_a_raw_line_break_in_the_name_cannot_smuggle_a_header(client, cast, dirs):
    message = refuse(client, cast, dirs, "sk.pdf\r\nContent-Type: text/html; x=\"", files.HTML)
    assert "\r" not in message and "\n" not in message and "ditolak" in message


def test_the_file_name_and_size_of_an_accepted_upload_are_recorded(client, cast, dirs):
    client_for(client, cast.timkerja)
    data = files.pdf()
    expected = cast.assessment.instrument.questions.get(path=MP_QUESTION).expected_evidence[0]
    fields = {"title": "SK Tim Kerja ZI", "document_date": "2024-01-15", "expected_item": expected}
    response = post_files(client, upload_url(cast.assessment), [("SK Tim ZI – 2024.pdf", data)], fields=fields,
                          xhr=True)
    assert response.status_code == 200
    [result] = response.json()["results"]
    evidence = Evidence.objects.get()
    assert result == {"ok": True, "message": 'Berkas "SK Tim ZI – 2024.pdf" diunggah.',
                      "url": reverse("evidence:detail", args=[evidence.code])}
    assert evidence.title == "SK Tim Kerja ZI" and str(evidence.document_date) == "2024-01-15"
    assert evidence.status == EvidenceStatus.DRAFT and evidence.owner == cast.timkerja
    assert evidence.expected_item.startswith("SK Kepala Unit Kerja")
    version = evidence.versions.get()
    assert (version.number, version.size, version.content_type) == (1, len(data), "application/pdf")
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.file.name == f"evidence/{cast.unit.code}/{version.file.name.split('/')[-1]}"
    audit = AuditEvent.objects.get(object_type="evidence")
    assert (audit.action, audit.actor, audit.ip_address) == (AuditAction.UPLOAD, cast.timkerja, "127.0.0.1")
    assert files_under(dirs.tmp) == []


def test_several_files_at_once_become_one_item_each_and_a_refusal_spoils_only_itself(client, cast, dirs):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment),
                          [("satu.pdf", files.pdf("satu")), ("palsu.pdf", files.HTML), ("dua.png", files.image())],
                          fields={"title": "diabaikan untuk beberapa berkas"})
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("title", flat=True)) == ["dua", "satu"]
    assert len(files_under(dirs.media)) == 2 and files_under(dirs.tmp) == []
    page = client.get(response.url).content.decode().replace("&quot;", '"')
    assert 'Berkas "palsu.pdf" ditolak' in page and 'Berkas "satu.pdf" diunggah.' in page


def test_an_upload_without_a_file_says_so(client, cast, dirs):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [], xhr=True)
    assert response.status_code == 400
    assert response.json()["results"][0]["message"] == "Pilih minimal satu berkas."


def test_when_the_database_write_fails_the_stored_file_is_deleted(client, cast, dirs, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(EvidenceVersion.objects, "create", broken)
    client_for(client, cast.timkerja)
    client.raise_request_exception = False
    response = post_files(client, upload_url(cast.assessment), [("sk.pdf", files.pdf())], xhr=True)
    assert response.status_code == 500
    assert_nothing_left(dirs)


def test_an_upload_through_django_temporary_files_leaves_none(client, cast, dirs, settings):
    """Large enough to go through Django's temporary upload file, then the validator's."""
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    client_for(client, cast.timkerja)
    data = files.pdf_of_size(3 * 1024 * 1024)
    response = post_files(client, upload_url(cast.assessment), [("besar.pdf", data)], xhr=True)
    assert response.status_code == 200
    assert files_under(dirs.tmp) == []
    assert EvidenceVersion.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_xhr_uploads_queue_no_flash_messages_and_the_form_fallback_does(client, cast, dirs):
    client_for(client, cast.timkerja)
    url = upload_url(cast.assessment)
    page_url = reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])
    for number in range(12):
        response = post_files(client, url, [(f"bukti-{number}.pdf", files.pdf())], xhr=True)
        assert response.status_code == 200
    post_files(client, url, [("ditolak.pdf", files.HTML)], xhr=True)
    page = client.get(page_url).content.decode()
    assert Evidence.objects.count() == 12
    assert 'role="alert"' not in page and "diunggah" not in page and "ditolak" not in page
    # Without the script (a plain form post) the results come back as messages, once.
    response = post_files(client, url, [("biasa.pdf", files.pdf())])
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert page.count('role="alert"') == 1 and 'Berkas "biasa.pdf" diunggah.' in page.replace("&quot;", '"')
