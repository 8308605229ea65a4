"""The optional malware scan against a real clamd (Debian's clamav-daemon), started here with a
local signature database that only knows the EICAR test string (nothing is downloaded).

clamd is a service: the tests that need it are marked `services` and run in .ci/run, which
installs clamav-daemon (scripts/system-deps.sh --services).
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from evidence.models import Evidence
from evidence.scan import ScannerUnavailable, scan_file
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import files_under, post_files, upload_url

pytestmark = pytest.mark.django_db

# The EICAR anti-virus test string, assembled here so this file itself is not flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD_TCP_PORT = int(os.environ.get("CLAMD_TEST_PORT", "8661"))


def pdf_carrying_eicar() -> bytes:
    """A valid PDF (it passes the upload checks) with the test string in a comment line."""
    data = files.pdf()
    xref = data.index(b"\nxref\n") + 1
    line = b"%" + EICAR + b"\n"
    head, tail = data[:xref] + line, data[xref:]
    start = int(tail.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    return head + tail.replace(b"startxref\n%d\n" % start, b"startxref\n%d\n" % (start + len(line)))


@pytest.fixture
def clamd(tmp_path_factory):
    """A clamd on a temporary unix socket and on 127.0.0.1:CLAMD_TCP_PORT; stopped afterwards."""
    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    assert os.path.exists(binary), "clamd missing: bash scripts/system-deps.sh --services"
    base = tmp_path_factory.mktemp("clamd")
    (base / "db").mkdir()
    (base / "db" / "zi-eicar.ndb").write_text(f"ZI.Test.EICAR:0:*:{EICAR.hex()}\n")
    sock = base / "clamd.sock"
    config = base / "clamd.conf"
    config.write_text(
        f"LocalSocket {sock}\nTCPSocket {CLAMD_TCP_PORT}\nTCPAddr 127.0.0.1\nForeground yes\n"
        f"DatabaseDirectory {base / 'db'}\nLogFile {base / 'clamd.log'}\nLogClean yes\n"
        "StreamMaxLength 2M\nSelfCheck 0\n"
    )
    started = time.monotonic()
    process = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = started + 30
        while not _answers(str(sock)):
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "clamd did not start in 30 s"
            time.sleep(0.05)
        print(f"clamd ready in {time.monotonic() - started:.2f} s")
        yield type("Clamd", (), {"socket": str(sock), "tcp": f"127.0.0.1:{CLAMD_TCP_PORT}",
                                 "log": base / "clamd.log"})
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(path)
            s.sendall(b"zPING\0")
            return s.recv(16).startswith(b"PONG")
    except OSError:
        return False


def upload(client, cast, name, data):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [(name, data)], xhr=True)
    [result] = response.json()["results"]
    return response, result


def assert_nothing_stored(dirs):
    assert Evidence.objects.count() == 0
    assert files_under(dirs.media) == [], "a file was stored"
    assert files_under(dirs.tmp) == [], "a temporary file was left behind"


@pytest.mark.services
@pytest.mark.parametrize("address", ["socket", "tcp"])
def test_an_infected_upload_is_refused_and_nothing_is_stored(client, cast, dirs, settings, clamd, address):
    settings.CLAMD_SOCKET = getattr(clamd, address)
    response, result = upload(client, cast, "laporan.pdf", pdf_carrying_eicar())
    assert response.status_code == 400 and result["ok"] is False
    assert result["message"] == (
        'Berkas "laporan.pdf" ditolak: pemindai virus mendeteksi ZI.Test.EICAR.UNOFFICIAL. Berkas tidak '
        "disimpan; periksa komputer asal berkas dan unggah salinan yang bersih.")
    assert_nothing_stored(dirs)


@pytest.mark.services
def test_a_clean_upload_is_scanned_and_stored(client, cast, dirs, settings, clamd):
    settings.CLAMD_SOCKET = clamd.socket
    response, result = upload(client, cast, "laporan.pdf", files.pdf())
    assert response.status_code == 200 and result["ok"] is True
    assert Evidence.objects.count() == 1 and len(files_under(dirs.media)) == 1
    assert "stream: OK" in clamd.log.read_text() or "instream(local): OK" in clamd.log.read_text()


@pytest.mark.services
def test_a_file_clamd_will_not_scan_is_refused(client, cast, dirs, settings, clamd):
    """Over clamd's StreamMaxLength (2 MB here) clamd answers an error: the upload is refused."""
    settings.CLAMD_SOCKET = clamd.socket
    response, result = upload(client, cast, "besar.pdf", files.pdf_of_size(3 * 1024 * 1024))
    assert response.status_code == 400 and "pemindai virus tidak dapat dihubungi" in result["message"]
    assert_nothing_stored(dirs)


@pytest.mark.services
def test_the_client_reports_clean_and_infected_files(clamd, tmp_path):
    clean, infected = tmp_path / "bersih.pdf", tmp_path / "eicar.pdf"
    clean.write_bytes(files.pdf())
    infected.write_bytes(pdf_carrying_eicar())
    assert scan_file(str(clean), address=clamd.socket, timeout=10) is None
    assert scan_file(str(infected), address=clamd.tcp, timeout=10) == "ZI.Test.EICAR.UNOFFICIAL"


def test_an_unreachable_scanner_refuses_the_upload(client, cast, dirs, settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "tidak-ada.sock")
    response, result = upload(client, cast, "laporan.pdf", files.pdf())
    assert response.status_code == 400 and result["ok"] is False
    assert result["message"].startswith(
        'Berkas "laporan.pdf" belum dapat diterima: pemindai virus tidak dapat dihubungi')
    assert_nothing_stored(dirs)
    with pytest.raises(ScannerUnavailable):
        scan_file(__file__, address="127.0.0.1:9", timeout=2)


def test_without_clamd_socket_uploads_are_not_scanned(client, cast, dirs, settings):
    settings.CLAMD_SOCKET = ""
    response, result = upload(client, cast, "laporan.pdf", pdf_carrying_eicar())
    assert response.status_code == 200 and result["ok"] is True
