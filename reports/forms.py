from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportFormat


class ReportRequestForm(forms.Form):
    """What the Laporan page posts; the document's own options are validated by the service."""

    kind = forms.CharField(max_length=30)
    format = forms.ChoiceField(choices=ReportFormat.choices)
    period = forms.CharField(max_length=40, required=False, label=_("Periode monev"))
    accepted_only = forms.BooleanField(required=False, label=_("Hanya bukti yang diterima"))

    def parameters(self) -> dict:
        return {"period": self.cleaned_data["period"], "accepted_only": self.cleaned_data["accepted_only"]}
