"""Indonesian for everyone whatever the browser says; English only when a person switches."""

import datetime
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.formatting import format_date, format_number, xlsx_date_format, xlsx_number_format
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import check_messages  # noqa: E402

pytestmark = pytest.mark.django_db
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_english_browser_still_gets_indonesian_on_the_sign_in_page(client):
    response = client.get("/akun/masuk/", **ENGLISH_BROWSER)
    html = response.content.decode()
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in html
    assert "Nama pengguna" in html and "Sandi" in html  # Django's own labels, in its Indonesian
    assert "Username" not in html and "Password" not in html


def test_an_anonymous_visitor_switches_to_english_for_the_session(client):
    response = client.post("/akun/bahasa/", {"language": "en", "next": "/akun/masuk/"}, **ENGLISH_BROWSER)
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/"
    html = client.get("/akun/masuk/").content.decode()
    assert 'lang="en"' in html and "Sign in to ZI Portal" in html and "Username" in html
    assert "Masuk ke ZI Portal" not in html


def test_the_choice_is_saved_on_the_user_and_follows_them_to_a_new_browser(client, cast):
    client_for(client, cast.timkerja)
    client.post("/akun/bahasa/", {"language": "en", "next": "/"})
    cast.timkerja.refresh_from_db()
    assert cast.timkerja.language == "en"
    from django.test import Client

    other = client_for(Client(), cast.timkerja)
    html = other.get("/", **{"HTTP_ACCEPT_LANGUAGE": "id"}).content.decode()
    assert "Your areas:" in html and "Area Anda:" not in html
    client.post("/akun/bahasa/", {"language": "id", "next": "/"})
    assert "Area Anda:" in other.get("/").content.decode()


def test_the_password_change_page_and_its_errors_are_indonesian(client, cast):
    client_for(client, cast.koordinator)
    response = client.post("/akun/kata-sandi/", {"old_password": "salah", "new_password1": "a",
                                                   "new_password2": "b"}, **ENGLISH_BROWSER)
    html = response.content.decode()
    assert "Sandi lama" in html and "Ganti kata sandi" in html
    assert "Old password" not in html and "password was entered incorrectly" not in html


def test_an_unknown_language_or_foreign_next_changes_nothing(client, cast):
    client_for(client, cast.pimpinan)
    response = client.post("/akun/bahasa/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    cast.pimpinan.refresh_from_db()
    assert cast.pimpinan.language == ""


def test_the_switch_only_accepts_post(client):
    assert client.get("/akun/bahasa/").status_code == 405


@pytest.mark.parametrize("language, number, trimmed, date, xlsx_tag", [
    ("id", "1.234,50", "18,25", "30 Juni 2026", "[$-421]"),
    ("en", "1,234.50", "18.25", "30 June 2026", "[$-409]"),
])
def test_numbers_and_dates_follow_the_active_language(language, number, trimmed, date, xlsx_tag):
    with translation.override(language):
        assert format_number(1234.5) == number
        assert format_number(18.25, 2, trim=True) == trimmed
        assert format_number(75.0, 2, trim=True) == "75"
        assert format_date(datetime.date(2026, 6, 30)) == date
        assert xlsx_date_format().startswith(xlsx_tag)
        rendered = Template("{{ x|num }} {{ x|num:'-2' }} {{ d|day }}").render(
            Context({"x": 1.775, "d": datetime.date(2026, 6, 30)}))
        sep = "," if language == "id" else "."
        assert rendered == f"1{sep}78 1{sep}78 {date}"
    assert xlsx_number_format(2) == "#,##0.00" and xlsx_number_format(0) == "#,##0"


def test_the_catalogue_check_finds_untranslated_and_fuzzy_entries():
    po = '''msgid ""
msgstr ""
"Language: en\\n"

msgid "Simpan"
msgstr "Save"

msgid "Hapus"
msgstr ""

#, fuzzy
msgid "Batal"
msgstr "Cancel"

msgid "%(n)s bukti"
msgid_plural "%(n)s bukti"
msgstr[0] "%(n)s item"
msgstr[1] ""
'''
    assert check_messages.problems(po) == ["Hapus", "Batal", "%(n)s bukti"]


def test_the_committed_english_catalogue_is_complete():
    po = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert check_messages.problems(po) == []
    assert po.count("msgid ") > 800
