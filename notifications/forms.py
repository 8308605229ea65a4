from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per notification kind: e-mail immediately, a daily digest, or in-app only."""

    def __init__(self, *args, initial_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = {kind: delivery for kind, _label, delivery in initial_rows}
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=current.get(kind.value, Delivery.IMMEDIATE),
                widget=forms.RadioSelect, error_messages={"invalid_choice": _("Pilihan pengiriman tidak dikenal.")},
            )
