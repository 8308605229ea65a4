"""Optional malware scan of uploads by a clamd daemon, over its INSTREAM command.

Off unless CLAMD_SOCKET is set (a unix socket path, or host:port). The rules, including why an
unreachable scanner refuses the upload (fail closed): docs/operations.md ("Malware scan").
"""

import socket
import struct

_CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached, or did not answer as expected."""


def scan_file(path: str, *, address: str, timeout: float) -> str | None:
    """The signature name clamd reports for the file at ``path``, or None when it is clean."""
    try:
        with _connect(address, timeout) as sock, open(path, "rb") as fh:
            sock.sendall(b"zINSTREAM\0")
            for block in iter(lambda: fh.read(_CHUNK), b""):
                sock.sendall(struct.pack(">I", len(block)) + block)
            sock.sendall(struct.pack(">I", 0))
            reply = _read_reply(sock)
    except OSError as exc:
        raise ScannerUnavailable(f"clamd at {address}: {exc}") from exc
    # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR" (e.g. the size limit).
    text = reply.decode("utf-8", "replace").strip()
    body = text.split(":", 1)[1].strip() if text.startswith("stream:") else text
    if body == "OK":
        return None
    if body.endswith(" FOUND"):
        return body[: -len(" FOUND")].strip() or "unknown"
    raise ScannerUnavailable(f"clamd at {address} answered {text!r}")


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address
    else:
        host, _, port = address.rpartition(":")
        sock = socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET, socket.SOCK_STREAM)
        target = (host.strip("[]"), int(port))
    sock.settimeout(timeout)
    try:
        sock.connect(target)
    except OSError:
        sock.close()
        raise
    return sock


def _read_reply(sock: socket.socket) -> bytes:
    reply = b""
    while not reply.endswith(b"\0"):
        data = sock.recv(4096)
        if not data:
            break
        reply += data
        if len(reply) > 4096:
            break
    return reply.rstrip(b"\0")
