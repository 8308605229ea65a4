"""Pengusulan: the prerequisites (persyaratan) of a WBK/WBBM proposal, the proposal with its frozen
snapshot, the PortalRB API tokens and pull log, and the evaluator links.

The rules are described in docs/persyaratan.md and docs/portalrb.md. Writes go through
portal/services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Prerequisite(models.TextChoices):
    BPK = "bpk_opinion", _("Opini BPK atas laporan keuangan instansi")
    SAKIP = "sakip", _("Predikat SAKIP instansi")
    INDEKS_RB = "indeks_rb", _("Indeks Reformasi Birokrasi instansi")
    SPIP = "spip", _("Level maturitas SPIP instansi")
    CORE_SERVICE = "core_service", _("Unit layanan inti yang berdampak signifikan pada persepsi masyarakat")
    TLHP = "tlhp", _("Penyelesaian tindak lanjut hasil pemeriksaan APIP/BPK (TLHP)")
    LHKPN = "lhkpn", _("Kepatuhan penyampaian LHKPN")
    LHKASN = "lhkasn", _("Kepatuhan penyampaian LHKASN")
    ZI_YEARS = "zi_years", _("Lama pembangunan ZI")
    INTERNAL_SAKIP = "internal_sakip", _("Predikat SAKIP unit dari evaluasi internal")
    HOLDS_WBK = "holds_wbk", _("Unit telah berpredikat WBK")


INSTANSI_FACTS = (Prerequisite.BPK, Prerequisite.SAKIP, Prerequisite.INDEKS_RB, Prerequisite.SPIP)
UNIT_FACTS = (Prerequisite.CORE_SERVICE, Prerequisite.TLHP, Prerequisite.LHKPN, Prerequisite.LHKASN,
              Prerequisite.INTERNAL_SAKIP)


class InstansiScope(models.TextChoices):
    ALL = "", _("Semua instansi")
    KL = "kl", _("Kementerian/Lembaga")
    PEMDA = "pemda", _("Pemerintah Daerah")


class PredicateKind(models.TextChoices):
    WBK = "WBK", "WBK"
    WBBM = "WBBM", "WBBM"


class PrerequisiteThreshold(models.Model):
    """One threshold of the regulation, as data: loaded from fixtures/persyaratan/ by a migration and
    editable in the admin. `minimum` is read on the prerequisite's own scale (docs/persyaratan.md)."""

    regulation = models.SlugField(_("kode instrumen/regulasi"), max_length=60)
    predicate = models.CharField(_("predikat"), max_length=4, choices=PredicateKind.choices)
    prerequisite = models.CharField(_("persyaratan"), max_length=20, choices=Prerequisite.choices)
    instansi_type = models.CharField(_("jenis instansi"), max_length=5, choices=InstansiScope.choices, blank=True)
    minimum = models.CharField(_("batas minimum"), max_length=10)
    confirmed = models.BooleanField(_("terkonfirmasi"), default=True)
    note = models.TextField(_("catatan sumber"), blank=True)
    # For LHKPN/LHKASN: the LKE ratio question whose counts give the percentage (blank: entered).
    lke_question_path = models.CharField(_("pertanyaan LKE sumber"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ambang persyaratan")
        verbose_name_plural = _("ambang persyaratan")
        ordering = ["regulation", "order", "predicate"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "predicate", "prerequisite", "instansi_type"],
                                    name="prerequisite_threshold_unique"),
            models.CheckConstraint(condition=Q(predicate__in=PredicateKind.values),
                                   name="prerequisite_threshold_predicate_valid"),
            models.CheckConstraint(condition=Q(prerequisite__in=Prerequisite.values),
                                   name="prerequisite_threshold_kind_valid"),
        ]

    def __str__(self):
        return f"{self.regulation} {self.predicate} {self.prerequisite} ≥ {self.minimum}"


class SupportingDocument(models.Model):
    """A file stored privately after the evidence upload checks (evidence/validation.py)."""

    document = models.FileField(_("dokumen pendukung"), max_length=255, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_size = models.PositiveBigIntegerField(null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_type = models.CharField(max_length=120, blank=True)

    class Meta:
        abstract = True

    # The shape evidence.responses.file_response reads.
    @property
    def file(self):
        return self.document

    @property
    def original_name(self):
        return self.document_name

    @property
    def content_type(self):
        return self.document_type


class RecordedFact(SupportingDocument):
    """A prerequisite value someone recorded, with its optional supporting document."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("persyaratan"), max_length=20, choices=Prerequisite.choices)
    value = models.CharField(_("nilai"), max_length=10)
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def version(self) -> str:
        """What a form sends back to say which value it showed (stale-edit check, core.concurrency):
        the time the value was recorded, which every change renews."""
        return self.recorded_at.isoformat()


class InstansiFact(RecordedFact):
    """One yearly fact of an instansi: BPK opinion, SAKIP, Indeks RB or SPIP level."""

    instansi = models.ForeignKey("accounts.Instansi", on_delete=models.CASCADE, related_name="facts")
    year = models.PositiveSmallIntegerField(_("tahun"))

    class Meta:
        verbose_name = _("data instansi per tahun")
        verbose_name_plural = _("data instansi per tahun")
        ordering = ["instansi", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year", "kind"], name="instansi_fact_one_per_year"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in INSTANSI_FACTS]),
                                   name="instansi_fact_kind_valid"),
        ]

    def __str__(self):
        return f"{self.instansi} {self.year} {self.kind}={self.value}"


class UnitFact(RecordedFact):
    """One prerequisite of a unit recorded for one assessment (its year)."""

    assessment = models.ForeignKey("areas.Assessment", on_delete=models.CASCADE, related_name="unit_facts")

    class Meta:
        verbose_name = _("persyaratan unit")
        verbose_name_plural = _("persyaratan unit")
        ordering = ["assessment", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="unit_fact_one_per_assessment"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in UNIT_FACTS]), name="unit_fact_kind_valid"),
        ]

    def __str__(self):
        return f"{self.assessment} {self.kind}={self.value}"


class PredicateAward(models.Model):
    """A predicate the unit received: year, WBK or WBBM, and the SK number."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="predicate_awards")
    year = models.PositiveSmallIntegerField(_("tahun"))
    predicate = models.CharField(_("predikat"), max_length=4, choices=PredicateKind.choices)
    sk_number = models.CharField(_("nomor SK"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("riwayat predikat")
        verbose_name_plural = _("riwayat predikat")
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "predicate"], name="predicate_award_unique"),
            models.CheckConstraint(condition=~Q(sk_number=""), name="predicate_award_has_sk"),
        ]

    def __str__(self):
        return f"{self.unit} {self.predicate} {self.year}"


class ProposalCategory(models.TextChoices):
    WBK = "WBK", "WBK"
    WBK_AFIRMASI = "WBK-AFIRMASI", _("WBK (afirmasi)")
    WBBM = "WBBM", "WBBM"


class ProposalQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def for_instansi_year(self, instansi, year):
        return self.filter(assessment__unit__instansi=instansi, assessment__year=year)


class Proposal(models.Model):
    """An instansi proposes one unit (one assessment) for a predicate. Withdrawn proposals stay."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.PROTECT, related_name="proposals")
    category = models.CharField(_("kategori"), max_length=12, choices=ProposalCategory.choices)
    reason = models.TextField(_("alasan pengusulan meski persyaratan belum terpenuhi"), blank=True)
    unmet = models.JSONField(_("persyaratan belum terpenuhi saat diusulkan"), default=list, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment"], condition=Q(withdrawn_at__isnull=True),
                                    name="proposal_one_active_per_assessment"),
            models.CheckConstraint(condition=Q(category__in=ProposalCategory.values), name="proposal_category_valid"),
            # Proposing with unmet prerequisites needs a recorded reason.
            models.CheckConstraint(condition=Q(unmet=[]) | ~Q(reason=""), name="proposal_unmet_has_reason"),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.category}"

    @property
    def is_wbbm(self) -> bool:
        return self.category == ProposalCategory.WBBM

    @property
    def is_afirmasi(self) -> bool:
        return self.category == ProposalCategory.WBK_AFIRMASI


class Snapshot(models.Model):
    """The LKE answers (both sides) and the evidence list frozen for PortalRB; the newest one is served.

    answers: {question path: {"unit": {"value": …, "note": …}, "tpi": {…}}};
    evidence: {question path: [{"code", "title", "kind", "url", "version", "number", "name", "size",
    "sha256", "content_type"}]} (see services.snapshot_data).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    evidence = models.JSONField(default=dict)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("snapshot usulan")
        verbose_name_plural = _("snapshot usulan")
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="snapshot_number_unique"),
        ]

    def __str__(self):
        return f"{self.proposal} #{self.number}"


class ApiToken(models.Model):
    """A PortalRB token of one instansi. Only a SHA-256 of the secret is stored (docs/portalrb.md)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instansi = models.ForeignKey("accounts.Instansi", on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("keterangan"), max_length=100, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token PortalRB")
        verbose_name_plural = _("token PortalRB")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.instansi} {self.prefix}…"

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class PullLog(models.Model):
    """Every call to the PortalRB API, answered or refused."""

    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="pulls")
    instansi = models.ForeignKey("accounts.Instansi", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    endpoint = models.CharField(max_length=40)
    unit_id = models.CharField(max_length=80, blank=True)
    status = models.PositiveSmallIntegerField()
    error_code = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("log tarikan PortalRB")
        verbose_name_plural = _("log tarikan PortalRB")
        ordering = ["-at", "-id"]
        indexes = [
            # Rate limit: one token's calls in the last minute.
            models.Index(fields=["token", "at"], name="pull_token_at_idx"),
            # Admin page: one instansi's pulls, newest first; last successful pull per unit.
            models.Index(fields=["instansi", "at"], name="pull_instansi_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.endpoint} {self.unit_id} {self.status}"


class EvaluatorLink(models.Model):
    """The secret behind one proposal's evaluator URLs; revoking it closes every URL built from it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tautan evaluator")
        verbose_name_plural = _("tautan evaluator")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.proposal} ({self.code})"

    def is_open(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class EvaluatorAction(models.TextChoices):
    OPEN = "open", _("Buka halaman")
    DOWNLOAD = "download", _("Unduh berkas")


class EvaluatorAccess(models.Model):
    """Every open of an evaluator page and every download through it: when and from where."""

    link = models.ForeignKey(EvaluatorLink, on_delete=models.CASCADE, related_name="accesses")
    question_path = models.CharField(max_length=60)
    action = models.CharField(max_length=8, choices=EvaluatorAction.choices)
    version_code = models.CharField(max_length=36, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("akses evaluator")
        verbose_name_plural = _("akses evaluator")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.question_path}"
