from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Stage

from .overview import DEFAULT_SORT, SORTS

READY_CHOICES = [("", _("Semua")), ("wbbm", _("Siap WBBM")), ("wbk", _("Siap WBK")), ("belum", _("Belum siap WBK"))]
# (sort key, column heading, highest first on the first click, right-aligned numbers)
COLUMNS = [
    ("instansi", _("Instansi"), False, False),
    ("unit", _("Unit kerja"), False, False),
    ("tahap", _("Tahap"), False, False),
    ("nilai_unit", _("Nilai unit"), True, True),
    ("nilai_tpi", _("Nilai TPI"), True, True),
    ("predikat", _("Kesiapan predikat"), True, False),
    ("bukti", _("Kelengkapan bukti"), True, True),
    ("terlambat", _("Rencana aksi terlambat"), True, True),
    ("perubahan", _("Perubahan dari tahun lalu"), True, True),
]


@dataclass
class SortColumn:
    key: str
    label: str
    align_right: bool
    next_sort: str  # the `urut` value of the heading's link
    aria_sort: str  # "ascending", "descending" or "none"


class OverviewFilterForm(forms.Form):
    """The admin overview's GET parameters. An invalid value is ignored (that filter is off)."""

    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False)
    instansi = forms.ChoiceField(label=_("Instansi"), required=False)
    tahap = forms.ChoiceField(label=_("Tahap"), required=False, choices=[("", _("Semua tahap")), *Stage.choices])
    kesiapan = forms.ChoiceField(label=_("Kesiapan"), required=False, choices=READY_CHOICES)
    q = forms.CharField(label=_("Cari unit"), max_length=100, required=False, strip=True)
    urut = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                             choices=[(key, key) for name in SORTS for key in (name, f"-{name}")])

    def __init__(self, data, *, years, instansi_names, default_year):
        data = data.copy()
        data.setdefault("tahun", str(default_year))
        super().__init__(data)
        self.default_year = default_year
        self.fields["tahun"].choices = [(year, str(year)) for year in years]
        self.fields["instansi"].choices = [("", _("Semua instansi")), *((name, name) for name in instansi_names)]
        for name in ("tahun", "instansi", "tahap", "kesiapan"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs.update({"class": "form-control form-control-sm", "type": "search"})
        self.is_valid()

    @property
    def sort(self) -> str:
        return self.cleaned_data.get("urut") or DEFAULT_SORT

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "year": data.get("tahun") or self.default_year,
            "instansi": data.get("instansi") or "",
            "stage": data.get("tahap") or "",
            "ready": data.get("kesiapan") or "",
            "query": data.get("q") or "",
            "sort": self.sort,
        }

    def columns(self) -> list[SortColumn]:
        current = self.sort
        result = []
        for key, label, highest_first, align_right in COLUMNS:
            if current.lstrip("-") == key:
                descending = current.startswith("-")
                next_sort = key if descending else f"-{key}"
                aria = "descending" if descending else "ascending"
            else:
                next_sort, aria = (f"-{key}" if highest_first else key), "none"
            result.append(SortColumn(key, label, align_right, next_sort, aria))
        return result
