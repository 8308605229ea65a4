import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from areas.services import instrument_import


class Command(BaseCommand):
    help = "Impor (atau perbarui) instrumen LKE dari berkas JSON format ZI Portal. Idempoten."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="berkas fixtures/instruments/*.json")

    def handle(self, *args, **options):
        for raw_path in options["paths"]:
            path = Path(raw_path)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{path}: tidak dapat dibaca sebagai JSON ({exc})") from exc
            try:
                result = instrument_import(data=data)
            except ValidationError as exc:
                raise CommandError(f"{path}: {' '.join(exc.messages)}") from exc
            if result.created:
                what = "dibuat"
            elif result.structure_replaced:
                what = "struktur diganti (belum dipakai penilaian)"
            else:
                what = "tidak berubah strukturnya; teks dan ambang diperbarui"
            self.stdout.write(
                f"{result.instrument.code}: {what} — {result.nodes} simpul, {result.questions} pertanyaan"
            )
