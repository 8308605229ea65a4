from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from queues.reminders import reminders_send


class Command(BaseCommand):
    help = "Kirim pengingat tenggat hari ini (sama dengan tugas harian beat pukul 07.00 WIB)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Tanggal yang dipakai, YYYY-MM-DD (bawaan: hari ini, Asia/Jakarta).")
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan saja, jangan kirim atau catat.")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today harus berformat YYYY-MM-DD, bukan {today!r}") from None
        reminders = reminders_send(today=day, dry_run=dry_run)
        for reminder in reminders:
            self.stdout.write(f"{reminder.user.username}\t{reminder.rule}\t{reminder.title}")
        verb = "akan dikirim" if dry_run else "dikirim"
        self.stdout.write(self.style.SUCCESS(f"{len(reminders)} pengingat {verb} untuk {day.isoformat()}."))
