from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import OPTION_TYPES, AnswerType

NOTE_MAX = 4000


class AnswerForm(forms.Form):
    """One side's answer to one question, as the answering form sends it.

    `cleaned_data["value"]` is what services.answer_set takes: an option key, a list of counts
    (ints where the user typed a whole number; anything else is left for the engine to refuse
    in its own words), or the index as typed. The engine validates the value.
    """

    option = forms.CharField(label=_("Pilihan"), required=False, max_length=10)
    index = forms.CharField(label=_("Indeks"), required=False, max_length=20)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=NOTE_MAX, widget=forms.Textarea)
    version = forms.IntegerField(label=_("Versi jawaban"), min_value=0)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question

    def clean(self):
        cleaned = super().clean()
        answer_type = self.question.answer_type
        if answer_type in OPTION_TYPES:
            cleaned["value"] = cleaned.get("option") or None
        elif answer_type == AnswerType.INDEX:
            cleaned["value"] = cleaned.get("index") or None
        else:
            cleaned["value"] = [_count(text) for text in self.typed_counts()]
        return cleaned

    def error_text(self) -> str:
        """Every error in one line, each with its field's label."""
        return " ".join(
            f"{self.fields[name].label}: {message}" if name in self.fields else message
            for name, messages in self.errors.items()
            for message in messages
        )

    def typed_counts(self) -> list[str]:
        """The counted inputs as the user typed them (to show them again with an error)."""
        return [str(text) for text in self.data.getlist("inputs")]


def _count(text):
    text = str(text).strip()
    if not text:
        return None
    try:
        return int(text)  # "-3" too: the engine refuses negative counts with its own message
    except ValueError:
        return text


class TPIActionForm(forms.Form):
    """"Setuju dengan jawaban unit": the versions of both sides as the TPI saw them."""

    version = forms.IntegerField(label=_("Versi jawaban TPI"), min_value=0)
    unit_version = forms.IntegerField(label=_("Versi jawaban unit"), min_value=0)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk unit"), max_length=NOTE_MAX, widget=forms.Textarea,
        error_messages={"required": _("Catatan wajib diisi saat mengembalikan pertanyaan ke unit.")},
    )
