"""Import a rencana aksi (XLSX, DOCX, or text with "-" for standard input) into an assessment, with
the same pipeline as the import page. Without --commit nothing is saved (a preview)."""

import json
import sys
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from areas.models import Assessment
from plans import services


class Command(BaseCommand):
    help = ("Impor rencana aksi ke penilaian. ASSESSMENT_CODE adalah kode penilaian (UUID pada alamat halaman "
            "penilaian, /penilaian/<kode>/).")

    def add_arguments(self, parser):
        parser.add_argument("assessment_code", help="the assessment's code (the UUID in its page address)")
        parser.add_argument("file", help=".xlsx, .docx, a .txt outline, or - for text on standard input")
        parser.add_argument("--mapping", help='column meanings as JSON, e.g. {"KOMPONEN": "indicator"}')
        parser.add_argument("--commit", action="store_true", help="save the items (one transaction)")
        parser.add_argument("--json", action="store_true", help="print the rows and a summary as JSON")
        parser.add_argument("--user", help="username recorded as the importer (default: first superuser)")

    def handle(self, *args, assessment_code, file, mapping=None, commit=False, json=False, user=None, **options):
        try:
            assessment = Assessment.objects.select_related("unit", "instrument").get(code=uuid.UUID(assessment_code))
        except (ValueError, Assessment.DoesNotExist):
            raise CommandError(f"Penilaian dengan kode {assessment_code!r} tidak ditemukan.") from None
        importer = (User.objects.filter(username=user).first() if user
                    else User.objects.filter(is_superuser=True).order_by("pk").first())
        if importer is None:
            raise CommandError("Pengguna pengimpor tidak ditemukan; pakai --user USERNAME.")
        try:
            chosen = _json_loads(mapping) if mapping else None
        except ValueError:
            raise CommandError("--mapping bukan JSON yang valid.") from None
        upload, text = _source(file)
        try:
            with transaction.atomic():
                preview = services.plan_import_preview(assessment=assessment, user=importer, upload=upload,
                                                       text=text, mapping=chosen)
                if commit:
                    preview = services.plan_import_commit(plan_import=preview, user=importer)
                else:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        rows = [{"row": row["row"], "area": row["area"], "indicator": row["indicator"], "activity": row["steps"],
                 "output": row["output"], "time_text": row["time_text"], "start": row["start"], "end": row["end"],
                 "pic": row["pic"], "flags": row["short"]} for row in preview.rows]
        summary = {"rows": len(rows), "matched": sum(1 for row in rows if row["indicator"]),
                   "flagged": sum(1 for row in preview.rows if row["needs_completion"])}
        if json:
            self.stdout.write(_json_dumps({"rows": rows, "summary": summary}))
            return
        for row in preview.rows:
            mark = "!" if row["needs_completion"] else " "
            self.stdout.write(f"{mark} {row['row']}: {row['area'] or '-'} {row['indicator'] or '-'} "
                              f"{row['steps'][:70]!r} [{row['time_label'] or row['time_text'] or '-'}]")
            for message in row["messages"]:
                self.stdout.write(f"    {message}")
        done = f"{preview.created_count} dibuat, {preview.duplicate_count} sudah ada" if commit else "pratinjau"
        self.stdout.write(f"{summary['rows']} baris, {summary['matched']} indikator dikenali, "
                          f"{summary['flagged']} perlu dilengkapi ({done}).")


def _json_loads(text):
    return json.loads(text)


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _source(path: str):
    if path == "-":
        return None, sys.stdin.read()
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise CommandError(f"Berkas {path} tidak dapat dibuka: {exc.strerror}.") from None
    if path.lower().endswith((".txt", ".md")):
        return None, data.decode("utf-8", errors="replace")
    return SimpleUploadedFile(path.rsplit("/", 1)[-1], data), ""


