import secrets
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import Instansi, Membership, Role, Unit, User
from areas.models import Assessment, ChangeArea, Instrument
from demo import filled
from queues.demo import demo_notifications_settle

INSTRUMENT = "permenpanrb-90-2021"
INSTANSI = "Kementerian Contoh Republik Indonesia"
UNIT_1 = "Balai Pelayanan Publik Demo"
UNIT_2 = "Kantor Wilayah Demo Kedua"

# username, full name, unit, role, assigned change areas
PEOPLE = [
    ("koordinator", "Dewi Lestari, S.E.", UNIT_1, Role.KOORDINATOR, []),
    ("timkerja", "Budi Santoso, S.Kom.", UNIT_1, Role.TIM_KERJA, ["MP", "PT"]),
    ("timkerja2", "Rina Marlina, S.Psi.", UNIT_1, Role.TIM_KERJA, ["SDM", "AK"]),
    ("timkerja3", "Yusuf Hakim, S.H.", UNIT_1, Role.TIM_KERJA, ["PW", "PP"]),
    ("tpi", "Rahmat Hidayat, M.Ak.", UNIT_1, Role.TPI, []),
    ("pimpinan", "Dr. Siti Rahmawati, M.Si.", UNIT_1, Role.PIMPINAN, []),
    ("koordinator2", "Agus Prasetyo, S.H.", UNIT_2, Role.KOORDINATOR, []),
]


class Command(BaseCommand):
    help = ("Isi data demo: dua unit, penilaian tahun berjalan, satu pengguna per peran; --filled mengisi "
            "penilaian unit demo seperti unit pada tahap reviu TPI. Hanya saat DEBUG.")

    def add_arguments(self, parser):
        parser.add_argument("--password", help="kata sandi untuk semua pengguna demo (bawaan: dibuat acak)")
        parser.add_argument("--filled", action="store_true",
                            help="isi penilaian unit demo: jawaban, bukti, rencana aksi, monev, tenggat")
        parser.add_argument("--units", type=int, default=0, metavar="N",
                            help="tambah N unit lain beserta penilaiannya (untuk ikhtisar admin)")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo menolak berjalan ketika DEBUG mati (bukan untuk produksi).")
        instrument = Instrument.objects.filter(code=INSTRUMENT).first()
        if instrument is None:
            raise CommandError(f"Instrumen {INSTRUMENT} belum diimpor: jalankan import_instrument dahulu.")
        if options["units"] < 0:
            raise CommandError("--units tidak boleh negatif.")
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
            # Administrators and TPI must sign in with a second factor: enrol them with a fixed secret
            # (kept on every run) that the output below prints, so any authenticator app works.
            devices = {username: self._totp(username) for username in ("admin", "tpi")}
        if options["filled"]:
            self._fill(units[UNIT_1], admin)
            from portal.demo import demo_propose

            demo_propose(Assessment.objects.get(unit=units[UNIT_1], year=timezone.localdate().year), admin)
        if options["units"]:
            with transaction.atomic():
                made = filled.fill_extra_units(count=options["units"], instansi=INSTANSI, instrument=instrument,
                                               year=timezone.localdate().year, user=admin,
                                               today=timezone.localdate())
            self.stdout.write(f"Unit tambahan: {options['units']} ({made} baru diisi).")
        self.stdout.write(self.style.SUCCESS("Data demo siap. Login (kata sandi sama untuk semua):"))
        self.stdout.write(f"  kata sandi: {password}")
        for username, _full, unit_name, role, areas in [("admin", "", "semua unit", "Administrator", [])] + PEOPLE:
            extra = f" (area {', '.join(areas)})" if areas else ""
            self.stdout.write(f"  {username:<13} {str(getattr(role, 'label', role)):<22} {unit_name}{extra}")
        self.stdout.write("Verifikasi dua langkah (wajib untuk admin dan TPI): tambahkan kunci ini di aplikasi "
                          "autentikator (atau buka URI otpauth), lalu masukkan kodenya setelah kata sandi.")
        for username, device in devices.items():
            self.stdout.write(f"  {username:<13} kunci TOTP: {two_factor.secret_base32(device)}  {device.config_url}")

    def _fill(self, unit, admin):
        users = {m.user.username: m for m in Membership.objects.filter(unit=unit).select_related("user")
                 .prefetch_related("areas")}
        team_by_area = {}
        for membership in users.values():
            if membership.role == Role.TIM_KERJA:
                for area in membership.areas.all():
                    team_by_area.setdefault(area.code, membership)
        people = filled.DemoPeople(
            admin=admin, koordinator=users["koordinator"].user, tpi=users["tpi"].user,
            pimpinan=users["pimpinan"].user, team_by_area=team_by_area)
        assessment = Assessment.objects.get(unit=unit, year=timezone.localdate().year)
        with transaction.atomic():
            counts = filled.fill_demo_assessment(assessment, people, timezone.localdate())
            demo_notifications_settle(unit=unit)
        if any(counts.values()):
            self.stdout.write(
                "Penilaian demo diisi: {answers} jawaban per sisi, {evidence} bukti, {comments} komentar, "
                "{plans} rencana aksi, {monev} catatan monev.".format(**counts))
        else:
            self.stdout.write("Penilaian demo sudah terisi; tidak ada yang diubah.")

    def _totp(self, username):
        user = User.objects.get(username=username)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        return device or TOTPDevice.objects.create(user=user, name=two_factor.TOTP_NAME, confirmed=True)

    def _unit(self, name):
        instansi, _ = Instansi.objects.get_or_create(name=INSTANSI)
        unit, _ = Unit.objects.get_or_create(name=name, instansi=instansi, defaults={"city": "Jakarta"})
        return unit

    def _user(self, username, full_name, password):
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        user.full_name = full_name
        user.is_active = True
        if not user.email:
            user.email = f"{username}@zi-portal.example"
        user.set_password(password)
        user.save()
        return user
