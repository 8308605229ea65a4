import json

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import INSTANSI_FACTS, UNIT_FACTS, PredicateKind, ProposalCategory


class FactForm(forms.Form):
    """One prerequisite value with an optional supporting document (checked like evidence)."""

    kind = forms.ChoiceField(label=_("Persyaratan"))
    value = forms.CharField(label=_("Nilai"), max_length=10)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("Dokumen pendukung"), required=False)
    # What the page showed: prerequisite -> the version of its recorded value (RecordedFact.version),
    # so that a value someone else changed meanwhile is not overwritten unseen.
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)

    def __init__(self, *args, instansi_level: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = INSTANSI_FACTS if instansi_level else UNIT_FACTS
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]

    def show(self, facts) -> None:
        """Record the versions of the values the page shows now (also after a refused save, so
        that the user's next save is checked against what they see then)."""
        seen = json.dumps({fact.kind: fact.version for fact in facts})
        if self.is_bound:
            self.data = self.data.copy()
            self.data["seen"] = seen
        else:
            self.initial["seen"] = seen

    def seen_version(self, kind: str) -> str:
        """The version the page showed for `kind` ("" when it showed no value)."""
        try:
            seen = json.loads(self.cleaned_data.get("seen") or "{}")
        except ValueError:
            seen = {}
        version = seen.get(kind, "") if isinstance(seen, dict) else ""
        return version if isinstance(version, str) else ""


class AwardForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2010, max_value=2100)
    predicate = forms.ChoiceField(label=_("Predikat"), choices=PredicateKind.choices)
    sk_number = forms.CharField(label=_("Nomor SK"), max_length=200)


class ProposeForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=ProposalCategory.choices)
    reason = forms.CharField(label=_("Alasan (wajib bila persyaratan belum terpenuhi)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TokenForm(forms.Form):
    label = forms.CharField(label=_("Keterangan"), max_length=100, required=False)
    days = forms.IntegerField(label=_("Berlaku (hari)"), min_value=1, max_value=3660, initial=365)
