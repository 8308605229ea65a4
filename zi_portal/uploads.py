"""Spooling uploads to disk without leaking space when the disk is full (docs/operations.md).

Django's own TemporaryFileUploadHandler leaves a partially written spool file open when a write
fails: the parser closes only the files it had finished, so the space stays taken until the
process happens to collect the request. This handler closes and removes the partial file itself,
stops the upload, and marks the request so that zi_portal.middleware answers 507.
"""

import errno
import os

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


class SpoolUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        try:
            super().new_file(*args, **kwargs)
        except OSError as exc:
            self._stop_if_full(exc)
            raise

    def receive_data_chunk(self, raw_data, start):
        try:
            self.file.write(raw_data)
        except OSError as exc:
            self._stop_if_full(exc)
            raise

    def file_complete(self, file_size):
        try:
            self.file.flush()  # buffered bytes hit the disk here, so a full disk shows now
        except OSError as exc:
            self._stop_if_full(exc)
            raise
        return super().file_complete(file_size)

    def _stop_if_full(self, exc: OSError) -> None:
        if not is_disk_full(exc):
            return
        self.discard()
        if self.request is not None:
            self.request.upload_disk_full = True
        # Read and drop the rest of the body; the files finished before this one are closed (and
        # so removed) when the request ends.
        raise StopUpload(connection_reset=False) from exc

    def discard(self) -> None:
        """Close and remove the partial spool file, whatever state it is in."""
        upload = getattr(self, "file", None)
        if upload is None:
            return
        path = getattr(upload.file, "name", None)
        try:
            upload.close()
        except OSError:
            pass  # flushing the buffer failed again; the descriptor is closed all the same
        if isinstance(path, str):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass

    def upload_interrupted(self):
        self.discard()
