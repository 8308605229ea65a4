import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    # The interface language this person chose; empty until they switch (then Indonesian,
    # or what they chose on the sign-in page); see docs/i18n.md.
    language = models.CharField(_("bahasa antarmuka"), max_length=8, choices=settings.LANGUAGES, blank=True,
                                default="")

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_portal_admin(self) -> bool:
        """Administrators see every unit and manage users, units, instruments and stages."""
        return self.is_active and (self.is_staff or self.is_superuser)


class InstansiType(models.TextChoices):
    KL = "kl", _("Kementerian/Lembaga")
    PEMDA = "pemda", _("Pemerintah Daerah")


class Instansi(models.Model):
    """The Kementerian/Lembaga or Pemerintah Daerah a unit belongs to (it proposes its units)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama instansi"), max_length=200, unique=True)
    type = models.CharField(_("jenis instansi"), max_length=5, choices=InstansiType.choices,
                            default=InstansiType.KL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=["kl", "pemda"]), name="instansi_type_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_pemda(self) -> bool:
        return self.type == InstansiType.PEMDA


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama unit kerja"), max_length=200)
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="units",
                                 verbose_name=_("instansi"))
    city = models.CharField(_("kota"), max_length=100, blank=True, help_text=_("Tempat penandatanganan laporan."))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["instansi__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "name"], name="unit_name_unique_per_instansi"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    TIM_KERJA = "tim_kerja", _("Tim kerja")
    KOORDINATOR = "koordinator", _("Koordinator")
    TPI = "tpi", _("Tim Penilai Internal")
    PIMPINAN = "pimpinan", _("Pimpinan")


TEAM_ROLES = (Role.TIM_KERJA, Role.KOORDINATOR)


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user, unit__is_active=True)


class Membership(models.Model):
    """A person's single role in one unit.

    One role per person per unit is what keeps the TPI independent: a person who is TPI of
    a unit can hold no team role in it (enforced by the unique constraint below).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pengguna"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit kerja"))
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(
        "areas.ChangeArea",
        blank=True,
        verbose_name=_("area yang ditugaskan"),
        help_text=_("Hanya untuk tim kerja: area perubahan yang menjadi tanggung jawabnya."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["unit__name", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
