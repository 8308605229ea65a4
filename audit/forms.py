from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Pengguna"), required=False, max_length=150)
    obj = forms.CharField(label=_("Objek"), required=False, max_length=100,
                          help_text=_("Nama atau kode objek, mis. judul bukti."))
    action = forms.ChoiceField(label=_("Tindakan"), required=False,
                               choices=[("", _("Semua tindakan")), *AuditAction.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=None, empty_label=_("Semua unit"))
    start = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
