from django import forms
from django.utils.translation import gettext_lazy as _

from .models import INSTANSI_FACTS, UNIT_FACTS, PredicateKind, ProposalCategory


class FactForm(forms.Form):
    """One prerequisite value with an optional supporting document (checked like evidence)."""

    kind = forms.ChoiceField(label=_("Persyaratan"))
    value = forms.CharField(label=_("Nilai"), max_length=10)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("Dokumen pendukung"), required=False)

    def __init__(self, *args, instansi_level: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = INSTANSI_FACTS if instansi_level else UNIT_FACTS
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


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
