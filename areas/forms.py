from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Assessment, Instrument, Stage


class DateInput(forms.DateInput):
    input_type = "date"


class AssessmentCreateForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["year", "instrument", "pembangunan_deadline", "mandiri_deadline", "reviu_deadline",
                  "final_deadline", "holds_wbk"]
        widgets = {f: DateInput() for f in ["pembangunan_deadline", "mandiri_deadline", "reviu_deadline",
                                             "final_deadline"]}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["instrument"].queryset = Instrument.objects.order_by("-year_from")
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2010 <= year <= 2100:
            raise forms.ValidationError(_("Tahun harus antara 2010 dan 2100."))
        if Assessment.objects.filter(unit=self.unit, year=year).exists():
            raise forms.ValidationError(_("Unit ini sudah memiliki penilaian untuk tahun %(y)d.") % {"y": year})
        return year

    def clean(self):
        cleaned = super().clean()
        dates = [cleaned.get(f) for f in ["pembangunan_deadline", "mandiri_deadline", "reviu_deadline",
                                          "final_deadline"]]
        present = [d for d in dates if d]
        if present != sorted(present):
            raise forms.ValidationError(_("Batas waktu tahap harus berurutan: pembangunan, mandiri, reviu, final."))
        return cleaned


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label=_("Tahap baru"))
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)
