"""The persyaratan checklist as pure Python: scales, value parsing and the met / not met / unknown rule.

No ORM here. selectors.checklist gathers the recorded values and the regulation's thresholds and
hands them to `evaluate`. The rules are written out in docs/persyaratan.md.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.formatting import format_number

# Ordinal scales, lowest first.
BPK_SCALE = ("TMP", "TW", "WDP", "WTP")
GRADE_SCALE = ("D", "C", "CC", "B", "BB", "A", "AA")
YES_NO = ("tidak", "ya")

SCALES = {
    "bpk_opinion": BPK_SCALE,
    "sakip": GRADE_SCALE,
    "indeks_rb": GRADE_SCALE,
    "internal_sakip": GRADE_SCALE,
    "core_service": YES_NO,
    "holds_wbk": YES_NO,
}
PERCENT_KINDS = ("tlhp", "lhkpn", "lhkasn")
INTEGER_KINDS = {"spip": (1, 5), "zi_years": (0, 100)}

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


class InvalidValue(ValueError):
    """A value outside the prerequisite's scale; the message is for the user."""


def normalise(kind: str, raw) -> str:
    """The stored text of a value, or InvalidValue with an Indonesian message."""
    text = str(raw if raw is not None else "").strip()
    if kind in SCALES:
        scale = SCALES[kind]
        candidate = text.lower() if scale is YES_NO else text.upper()
        if candidate not in scale:
            raise InvalidValue(_("Nilai tidak dikenal: pilih salah satu dari %(values)s.") % {
                "values": ", ".join(scale)})
        return candidate
    if kind in PERCENT_KINDS:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise InvalidValue(_("Isi persentase berupa angka 0–100.")) from None
        if not number.is_finite() or number < 0 or number > 100:
            raise InvalidValue(_("Isi persentase berupa angka 0–100."))
        return format(number.quantize(Decimal("0.01")).normalize(), "f")
    if kind in INTEGER_KINDS:
        low, high = INTEGER_KINDS[kind]
        if not text.isdigit() or not low <= int(text) <= high:
            raise InvalidValue(_("Isi bilangan bulat %(low)d–%(high)d.") % {"low": low, "high": high})
        return str(int(text))
    raise InvalidValue(_("Persyaratan tidak dikenal."))


def at_least(kind: str, value: str, minimum: str) -> bool:
    if kind in SCALES:
        scale = SCALES[kind]
        return scale.index(normalise(kind, value)) >= scale.index(normalise(kind, minimum))
    return Decimal(normalise(kind, value)) >= Decimal(minimum)


def display(kind: str, value: str | None) -> str:
    if value is None or value == "":
        return ""
    if kind in PERCENT_KINDS:
        return f"{format_number(value, 2, trim=True)}%"  # the active language's decimal sign
    if kind == "spip":
        return _("level %(n)s") % {"n": value}
    if kind == "zi_years":
        return _("%(n)s tahun") % {"n": value}
    if kind in ("core_service", "holds_wbk"):
        return _("ya") if value == "ya" else _("tidak")
    return value


def threshold_display(kind: str, minimum: str) -> str:
    if kind in ("core_service", "holds_wbk"):
        return _("harus ya")
    return _("minimal %(value)s") % {"value": display(kind, minimum)}


@dataclass
class Recorded:
    """One recorded value with where it comes from."""

    value: str | None
    source: str = ""  # words: "LKE (jawaban TPI)", "riwayat penilaian", "diisi"
    document_url: str = ""
    note: str = ""


@dataclass
class Threshold:
    predicate: str
    prerequisite: str
    instansi_type: str
    minimum: str
    confirmed: bool = True
    note: str = ""


@dataclass
class Line:
    prerequisite: str
    label: str
    status: str
    value: str
    threshold: str
    confirmed: bool
    source: str = ""
    document_url: str = ""
    note: str = ""

    @property
    def is_met(self) -> bool:
        return self.status == MET


@dataclass
class PredicateChecklist:
    predicate: str
    lines: list[Line] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(line.is_met for line in self.lines)

    @property
    def unmet(self) -> list[Line]:
        return [line for line in self.lines if not line.is_met]


def thresholds_for(thresholds: list[Threshold], predicate: str, instansi_type: str) -> list[Threshold]:
    """The thresholds of one predicate for one type of instansi: a row for the type wins over a row
    for every type; order of first appearance is kept."""
    chosen: dict[str, Threshold] = {}
    for row in thresholds:
        if row.predicate != predicate or row.instansi_type not in ("", instansi_type):
            continue
        current = chosen.get(row.prerequisite)
        if current is None or (current.instansi_type == "" and row.instansi_type == instansi_type):
            chosen[row.prerequisite] = row
    return list(chosen.values())


def evaluate(*, predicate: str, instansi_type: str, thresholds: list[Threshold],
             recorded: dict[str, Recorded], labels: dict[str, str]) -> PredicateChecklist:
    """Each threshold of the predicate against its recorded value: met, not met, or unknown (nothing
    recorded). A threshold without a value is never counted as met."""
    result = PredicateChecklist(predicate)
    for row in thresholds_for(thresholds, predicate, instansi_type):
        item = recorded.get(row.prerequisite) or Recorded(None)
        if item.value is None or item.value == "":
            status = UNKNOWN
        else:
            status = MET if at_least(row.prerequisite, item.value, row.minimum) else NOT_MET
        result.lines.append(Line(
            prerequisite=row.prerequisite, label=labels.get(row.prerequisite, row.prerequisite), status=status,
            value=display(row.prerequisite, item.value), threshold=threshold_display(row.prerequisite, row.minimum),
            confirmed=row.confirmed, source=item.source, document_url=item.document_url, note=item.note,
        ))
    return result


def ratio_percent(counts, rule) -> str | None:
    """Percentage from a ratio question's counts (numerator / denominator × 100, at most 100), or None
    when a needed count is missing. A zero denominator gives the rule's zero_denominator value."""
    if not counts or not rule:
        return None
    numerator, denominator = rule.get("numerator"), rule.get("denominator")
    if numerator is None or denominator is None:
        return None
    try:
        top, bottom = counts[numerator], counts[denominator]
    except (IndexError, TypeError):
        return None
    if top is None or bottom is None:
        return None
    if bottom == 0:
        share = Decimal(str(rule.get("zero_denominator", 0)))
    else:
        share = min(Decimal(1), Decimal(top) / Decimal(bottom))
    return format((share * 100).quantize(Decimal("0.01")).normalize(), "f")
