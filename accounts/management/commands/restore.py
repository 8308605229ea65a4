from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = ("Pulihkan cadangan dari DIR: periksa manifest (ukuran dan SHA-256 setiap berkas) dahulu, lalu ganti "
            "isi basis data dan tulis kembali berkas bukti. Hentikan web dan worker sebelum menjalankannya.")

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--no-input", action="store_true", help="jangan minta konfirmasi")

    def handle(self, *args, **options):
        source = Path(options["directory"])
        try:
            manifest = backup_verify(source=source)
            if not options["no_input"]:
                answer = input(f"Cadangan {manifest['created_at']} cocok dengan manifest-nya. Isi basis data saat ini "
                               "akan DIGANTI. Ketik 'ya' untuk melanjutkan: ")
                if answer.strip().lower() != "ya":
                    raise CommandError("Dibatalkan; tidak ada yang diubah.")
            backup_restore(source=source)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Pemulihan dari {source} selesai (cadangan {manifest['created_at']})."))
