from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership

from .importing import ALL_MEANINGS, MONTH_NAMES
from .models import MonevEntry, PeriodKind, PlanItem, PlanStatus
from .services import MAX_IMPORT_BYTES

MEANING_LABELS = {
    "no": _("Nomor"),
    "area": _("Area perubahan"),
    "indicator": _("Indikator"),
    "sub_indicator": _("Sub-indikator / target"),
    "steps": _("Kegiatan / langkah aksi"),
    "output": _("Output / bukti"),
    "time": _("Waktu"),
    "pic": _("PIC"),
    "note": _("Keterangan"),
    "": _("Tidak dipetakan (masuk catatan)"),
    **{f"month:{n}": _("Bulan: %(m)s") % {"m": name} for n, name in enumerate(MONTH_NAMES, start=1)},
}
MEANING_CHOICES = [(meaning, MEANING_LABELS[meaning]) for meaning in ALL_MEANINGS]


class InstrumentSelect(forms.Select):
    """Choices named from the instrument (indicators) stay Indonesian in English mode, so each option
    is marked lang="id" for screen readers (docs/i18n.md)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value not in ("", None):
            option["attrs"]["lang"] = "id"
        return option


class PlanItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanItem
        fields = ["indicator", "steps", "output", "target_text", "pic", "pic_name", "status", "progress"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 3}), "output": forms.Textarea(attrs={"rows": 2}),
                   "indicator": InstrumentSelect}
        help_texts = {"target_text": _("Mis. \"Juni 2026\", \"Juli - Des\", \"Triwulan II\", \"Setiap bulan\".")}

    def __init__(self, *args, assessment, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda n: f"{n.path} {n.name}"
        self.fields["pic"].queryset = Membership.objects.filter(unit=assessment.unit).select_related("user")
        self.fields["pic"].label_from_instance = lambda m: m.user.display_name
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        # Imported items may lack both; a saved edit must settle them.
        self.fields["indicator"].required = True
        self.fields["target_text"].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PlanStatus.SELESAI:
            cleaned["progress"] = 100
        return cleaned


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas rencana aksi (XLSX atau DOCX)"), required=False)
    text = forms.CharField(label=_("Atau tempel teks dari Word"), required=False, max_length=500_000,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size == 0:
            raise forms.ValidationError(_("Berkas kosong."))
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file, has_text = bool(cleaned.get("file")), bool((cleaned.get("text") or "").strip())
        if not self.errors and has_file == has_text:
            raise forms.ValidationError(_("Unggah satu berkas atau tempel teks rencana aksi (salah satu)."))
        return cleaned


def mapping_from_post(post, plan_import) -> dict:
    """{"<table>": {"<column>": meaning}} from the preview's column selects; unknown values refused."""
    mapping = {}
    for layout in plan_import.source.get("layouts", []):
        columns = {}
        for column in layout["columns"]:
            value = post.get(f"m-{layout['grid']}-{column['index']}")
            if value is None:
                continue
            if value not in ALL_MEANINGS:
                raise forms.ValidationError(_("Arti kolom \"%(c)s\" tidak dikenal.") % {"c": column["header"]})
            columns[str(column["index"])] = value
        mapping[str(layout["grid"])] = columns
    return mapping


class PeriodGenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=PeriodKind.choices, label=_("Jenis periode"))


class MonevEntryForm(forms.ModelForm):
    # Choices come from the page's one evidence query; the service checks the ids again.
    evidence = forms.MultipleChoiceField(label=_("Bukti terkait"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    # The entry's version the user saw (0: none yet), so a concurrent save is refused, not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = MonevEntry
        fields = ["realisasi", "progress", "kendala", "tindak_lanjut"]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ["realisasi", "kendala", "tindak_lanjut"]}

    def __init__(self, *args, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(e.code), f"{e.question.path} — {e.title}") for e in evidence_choices]
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        if self.instance.pk and not self.is_bound:
            self.initial["evidence"] = [str(e.code) for e in self.instance.evidence.all()]

    def clean_progress(self):
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progres harus antara 0 dan 100."))
        return progress


class LinkEvidenceForm(forms.Form):
    evidence = forms.MultipleChoiceField(label=_("Bukti yang memenuhi rencana aksi ini"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(e.code), f"{e.question.path} — {e.title}") for e in evidence_choices]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Alasan membuka kembali"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)
