from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership

from .models import MonevEntry, PeriodKind, PlanItem, PlanStatus

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class PlanItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanItem
        fields = ["indicator", "steps", "output", "target_text", "pic", "pic_name", "status", "progress"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 3}), "output": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"target_text": _("Mis. \"Juni 2026\", \"Juli - Des\", \"Triwulan II\", \"Setiap bulan\".")}

    def __init__(self, *args, assessment, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda n: f"{n.path} {n.name}"
        self.fields["pic"].queryset = Membership.objects.filter(unit=assessment.unit).select_related("user")
        self.fields["pic"].label_from_instance = lambda m: m.user.display_name
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PlanStatus.SELESAI:
            cleaned["progress"] = 100
        return cleaned


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSX rencana aksi"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("Berkas kosong."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        return upload


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
