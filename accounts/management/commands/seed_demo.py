import secrets
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, Unit, User
from areas.models import Assessment, ChangeArea, Instrument

INSTRUMENT = "permenpanrb-90-2021"
INSTANSI = "Kementerian Contoh Republik Indonesia"
UNIT_1 = "Balai Pelayanan Publik Demo"
UNIT_2 = "Kantor Wilayah Demo Kedua"

# username, full name, unit, role, assigned change areas
PEOPLE = [
    ("koordinator", "Dewi Lestari, S.E.", UNIT_1, Role.KOORDINATOR, []),
    ("timkerja", "Budi Santoso, S.Kom.", UNIT_1, Role.TIM_KERJA, ["MP", "PT"]),
    ("tpi", "Rahmat Hidayat, M.Ak.", UNIT_1, Role.TPI, []),
    ("pimpinan", "Dr. Siti Rahmawati, M.Si.", UNIT_1, Role.PIMPINAN, []),
    ("koordinator2", "Agus Prasetyo, S.H.", UNIT_2, Role.KOORDINATOR, []),
]


class Command(BaseCommand):
    help = "Isi data demo: dua unit, penilaian tahun berjalan, satu pengguna per peran. Hanya saat DEBUG."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="kata sandi untuk semua pengguna demo (bawaan: dibuat acak)")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo menolak berjalan ketika DEBUG mati (bukan untuk produksi).")
        instrument = Instrument.objects.filter(code=INSTRUMENT).first()
        if instrument is None:
            raise CommandError(f"Instrumen {INSTRUMENT} belum diimpor: jalankan import_instrument dahulu.")
        password = options["password"] or secrets.token_urlsafe(9)
        with transaction.atomic():
            units = {name: self._unit(name) for name in (UNIT_1, UNIT_2)}
            year = timezone.localdate().year
            for unit in units.values():
                Assessment.objects.get_or_create(
                    unit=unit, year=year,
                    defaults={
                        "instrument": instrument,
                        "pembangunan_deadline": date(year, 6, 30),
                        "mandiri_deadline": date(year, 8, 31),
                        "reviu_deadline": date(year, 10, 31),
                        "final_deadline": date(year, 12, 15),
                    },
                )
            admin = self._user("admin", "Administrator ZI Portal", password)
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
            for username, full_name, unit_name, role, areas in PEOPLE:
                user = self._user(username, full_name, password)
                membership, _ = Membership.objects.update_or_create(
                    user=user, unit=units[unit_name], defaults={"role": role}
                )
                membership.areas.set(ChangeArea.objects.filter(code__in=areas))
        self.stdout.write(self.style.SUCCESS("Data demo siap. Login (kata sandi sama untuk semua):"))
        self.stdout.write(f"  kata sandi: {password}")
        for username, _full, unit_name, role, areas in [("admin", "", "semua unit", "Administrator", [])] + PEOPLE:
            extra = f" (area {', '.join(areas)})" if areas else ""
            self.stdout.write(f"  {username:<13} {str(getattr(role, 'label', role)):<22} {unit_name}{extra}")

    def _unit(self, name):
        unit, _ = Unit.objects.get_or_create(name=name, instansi=INSTANSI, defaults={"city": "Jakarta"})
        return unit

    def _user(self, username, full_name, password):
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        user.full_name = full_name
        user.is_active = True
        user.set_password(password)
        user.save()
        return user
