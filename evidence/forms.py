from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import Evidence


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def expected_choices(question) -> list[tuple[str, str]]:
    return [("", _("— lainnya / tidak spesifik —"))] + [(text, text) for text in question.expected_evidence or []]


class PrefixedIdsMixin:
    """Element IDs start with the form's own prefix, so two forms on one page never share an ID
    and every label points at its own field (docs/accessibility.md)."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class _ExpectedItemMixin:
    """`expected_item` chooses one of the question's expected documents (or none)."""

    def _set_expected(self, question):
        self.fields["expected_item"] = forms.ChoiceField(
            label=_("Memenuhi bukti yang diharapkan"), choices=expected_choices(question), required=False,
        )


class UploadForm(PrefixedIdsMixin, _ExpectedItemMixin, forms.Form):
    """Details shared by every file of one upload; the files themselves come as `berkas`."""

    id_prefix = "unggah"
    title = forms.CharField(label=_("Judul"), max_length=200, required=False,
                            help_text=_("Kosongkan untuk memakai nama berkas. Untuk beberapa berkas, "
                                        "setiap berkas memakai namanya sendiri."))
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_expected(question)
        self.order_fields(["expected_item", "title", "document_date", "description"])


class LinkForm(PrefixedIdsMixin, _ExpectedItemMixin, forms.Form):
    id_prefix = "tautan"
    url = forms.URLField(label=_("Alamat tautan"), max_length=2000, assume_scheme="https",
                         validators=[URLValidator(schemes=["http", "https"])])
    title = forms.CharField(label=_("Judul"), max_length=200)
    document_date = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_expected(question)
        self.order_fields(["url", "title", "expected_item", "document_date", "description"])


class EvidenceEditForm(PrefixedIdsMixin, _ExpectedItemMixin, forms.ModelForm):
    id_prefix = "ubah"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Evidence
        fields = ["title", "expected_item", "document_date", "description"]
        widgets = {"document_date": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self._set_expected(question)
        current = self.instance.expected_item
        if current and current not in (question.expected_evidence or []):
            # The instrument's list changed since; keep the old text selectable.
            self.fields["expected_item"].choices += [(current, current)]


class ReviewForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "terima"
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RevisionForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "perbaikan"
    note = forms.CharField(label=_("Catatan perbaikan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Wajib: jelaskan apa yang perlu diperbaiki."),
                           error_messages={"required": _("Catatan perbaikan wajib diisi.")})


class CommentForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "komentar"
    body = forms.CharField(label=_("Komentar"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Komentar tidak boleh kosong.")})


def accept_attribute() -> str:
    """For <input type=file accept=…>: a hint to the browser; the server checks anyway."""
    return ",".join(settings.EVIDENCE_ALLOWED_EXTENSIONS)
