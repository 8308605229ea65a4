from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Cadangkan basis data (pg_dump, atau berkas SQLite) dan berkas bukti (MEDIA_ROOT) ke DIR, "
            "dengan manifest SHA-256 setiap berkas. DIR harus baru atau kosong.")

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, **options):
        try:
            manifest = backup_create(target=Path(options["directory"]))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        files = manifest["files"]
        size = sum(entry["size"] for entry in files.values())
        self.stdout.write(self.style.SUCCESS(
            f"Cadangan selesai di {options['directory']}: basis data {manifest['database']['engine']}, "
            f"{len(files)} berkas, {size:,} bait (manifest.json)."))
