from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Instansi
from portal import services


class Command(BaseCommand):
    help = "Terbitkan token API PortalRB untuk satu instansi. Token dicetak sendiri pada baris terakhir."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="terbitkan token baru")
        issue.add_argument("--instansi", required=True, help="nama instansi persis seperti di ZI Portal")
        issue.add_argument("--days", type=int, default=None, help="masa berlaku (hari)")
        issue.add_argument("--label", default="", help="keterangan token")

    def handle(self, *args, **options):
        instansi = Instansi.objects.filter(name=options["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi tidak ditemukan: {options['instansi']!r}.")
        try:
            token, secret = services.token_issue(instansi=instansi, days=options["days"],
                                                 label=options["label"] or "manage.py portalrb_token")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Token PortalRB untuk {instansi.name}, berlaku sampai "
                          f"{token.expires_at:%Y-%m-%d %H:%M %Z}. Simpan sekarang: token tidak ditampilkan lagi.")
        self.stdout.write(secret)
