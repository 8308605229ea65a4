"""ZI Portal's instrument file format (fixtures/instruments/*.json): validation and fingerprint.

One validator for every way an instrument comes in: `manage.py import_instrument`, the upload in
the Django admin and the scoring engine's loader (`scoring.engine.Instrument.from_dict`). It is
the JSON Schema in `areas/instrument.schema.json` plus the few checks a schema cannot express
(docs/instrument-format.md). Every problem becomes an InstrumentFormatError with an Indonesian
message naming where in the file it is; nothing else escapes (no KeyError, no TypeError).

The same format is what the scoring engine reads (areas.selectors.instrument_data builds it
back from the database), so an instrument behaves the same from a file or from the database.
Plain Python apart from the translation of messages, so that the engine can use it.
"""

import functools
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import jsonschema

from .answer_types import OPTION_KEYS

FORMAT = "zi-portal-instrument/1"
SCHEMA_PATH = Path(__file__).with_name("instrument.schema.json")
QUESTION_NODE_KINDS = frozenset({"indikator", "sub_indikator"})
TOTAL_WEIGHT = Decimal(100)
# Weights are decimals with up to four places; sums are compared with this tolerance.
WEIGHT_TOLERANCE = Decimal("0.001")


class InstrumentFormatError(ValueError):
    pass


def _(message: str) -> str:
    """Django's gettext once settings are configured; the Indonesian source text otherwise
    (the engine also runs in scripts and tests without Django)."""
    from django.conf import settings

    if not settings.configured:
        return message
    from django.utils.translation import gettext

    return gettext(message)


@functools.cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator():
    return jsonschema.Draft202012Validator(schema())


def iter_nodes(data):
    """Yield (path, node, parent_path) depth-first in document order (of a validated file)."""

    def walk(node, parent_path):
        path = f"{parent_path}.{node['code']}" if parent_path else node["code"]
        yield path, node, parent_path
        for child in node.get("children", []):
            yield from walk(child, path)

    for root in data["nodes"]:
        yield from walk(root, "")


def validate(data) -> None:
    """Raise InstrumentFormatError (Indonesian message) for anything the importer or the engine
    cannot trust; return None for a sound instrument."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InstrumentFormatError(_("Berkas bukan instrumen ZI Portal (format %(f)s).") % {"f": FORMAT})
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        raise InstrumentFormatError(_schema_message(data, error))
    _check_cross_fields(data)


# --- schema errors in Indonesian -----------------------------------------------------------

_TYPE_NAMES = {"string": "teks", "number": "angka", "integer": "bilangan bulat", "array": "daftar",
               "object": "objek", "boolean": "ya/tidak (true/false)", "null": "kosong (null)"}


def _where(data, parts) -> str:
    """A location readers can find: the dotted code path of the node or question when known,
    then the JSON path, e.g. "A.I.1 › questions[0].options[1].value"."""
    json_path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    codes, item, rest = [], data, list(parts)
    while rest:
        key = rest.pop(0)
        if key in ("nodes", "children", "questions") and rest and isinstance(rest[0], int):
            try:
                item = item[key][rest.pop(0)]
            except (KeyError, IndexError, TypeError):
                break
            code = item.get("code") if isinstance(item, dict) else None
            if not isinstance(code, str):
                break
            codes.append(code)
        else:
            break
    if codes:
        return f"{'.'.join(codes)} ({json_path})"
    return json_path or _("berkas")


def _schema_message(data, error) -> str:
    where = _where(data, list(error.absolute_path))
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = next((k for k in value if not isinstance(error.instance, dict) or k not in error.instance), "?")
        return _("%(where)s: kolom wajib '%(key)s' tidak ada.") % {"where": where, "key": missing}
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        shown = _(" atau ").join(_TYPE_NAMES.get(n, n) for n in names)
        return _("%(where)s: harus berupa %(type)s, bukan %(value)s.") % {
            "where": where, "type": shown, "value": _short(error.instance)}
    if kind == "enum":
        allowed = ", ".join(str(v) for v in value if v != "")
        if error.absolute_path and error.absolute_path[-1] == "answer_type":
            return _("%(where)s: jenis jawaban %(value)s tidak dikenal (yang dikenal: %(allowed)s).") % {
                "where": where, "value": _short(error.instance), "allowed": allowed}
        return _("%(where)s: nilai %(value)s tidak dikenal (yang dikenal: %(allowed)s).") % {
            "where": where, "value": _short(error.instance), "allowed": allowed}
    if kind == "exclusiveMinimum":
        return _("%(where)s: harus lebih dari %(limit)s (tertulis %(value)s).") % {
            "where": where, "limit": value, "value": _short(error.instance)}
    if kind == "minimum":
        return _("%(where)s: tidak boleh kurang dari %(limit)s (tertulis %(value)s).") % {
            "where": where, "limit": value, "value": _short(error.instance)}
    if kind in ("maximum", "exclusiveMaximum"):
        return _("%(where)s: tidak boleh lebih dari %(limit)s (tertulis %(value)s).") % {
            "where": where, "limit": value, "value": _short(error.instance)}
    if kind in ("minLength", "minItems"):
        return _("%(where)s: tidak boleh kosong.") % {"where": where}
    if kind == "maxLength":
        return _("%(where)s: terlalu panjang (maksimal %(n)d karakter).") % {"where": where, "n": value}
    if kind == "pattern":
        return _("%(where)s: kode %(value)s hanya boleh berisi huruf dan angka.") % {
            "where": where, "value": _short(error.instance)}
    if kind == "const":
        return _("%(where)s: harus %(value)s.") % {"where": where, "value": value}
    return _("%(where)s: isian tidak sesuai format instrumen.") % {"where": where}


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


# --- checks a schema cannot express ---------------------------------------------------------


def _check_cross_fields(data) -> None:
    _check_weights("", TOTAL_WEIGHT, data["nodes"])
    seen: set[str] = set()
    for path, node, _parent in iter_nodes(data):
        if path in seen:
            raise InstrumentFormatError(_("Kode ganda: %(path)s") % {"path": path})
        seen.add(path)
        children, questions = node.get("children") or [], node.get("questions") or []
        if children and questions:
            raise InstrumentFormatError(
                _("%(path)s: simpul tidak boleh memiliki sub-node dan pertanyaan sekaligus.") % {"path": path})
        if questions and node["kind"] not in QUESTION_NODE_KINDS:
            raise InstrumentFormatError(
                _("%(path)s: pertanyaan hanya boleh pada indikator atau sub-indikator.") % {"path": path})
        if children:
            _check_weights(path, Decimal(str(node["weight"])), children)
        for question in questions:
            qpath = f"{path}.{question['code']}"
            if qpath in seen:
                raise InstrumentFormatError(_("Kode ganda: %(path)s") % {"path": qpath})
            seen.add(qpath)
            _check_question(qpath, question)
    for number, rule in enumerate(data["thresholds"], start=1):
        if rule["kind"] == "node_min" and rule.get("path") and rule["path"] not in seen:
            raise InstrumentFormatError(_("Ambang ke-%(n)d merujuk kode yang tidak ada: %(p)s") % {
                "n": number, "p": rule["path"]})
        if rule["kind"] == "fact" and not (rule.get("fact") or "").strip():
            raise InstrumentFormatError(_("Ambang ke-%(n)d (jenis fact) tidak menyebut faktanya.") % {"n": number})


def _check_weights(path: str, expected: Decimal, children) -> None:
    total = sum((Decimal(str(child["weight"])) for child in children), Decimal(0))
    if abs(total - expected) > WEIGHT_TOLERANCE:
        if not path:
            raise InstrumentFormatError(_("Jumlah bobot komponen %(total)s, seharusnya %(expected)s.") % {
                "total": _plain(total), "expected": _plain(expected)})
        raise InstrumentFormatError(
            _("%(path)s: jumlah bobot sub-node %(total)s tidak sama dengan bobotnya %(expected)s.") % {
                "path": path, "total": _plain(total), "expected": _plain(expected)})


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.replace(".", ",")


def _check_question(qpath: str, question) -> None:
    answer_type = question["answer_type"]
    options, inputs, rule = question.get("options") or [], question.get("inputs") or [], question.get("rule")
    if answer_type in OPTION_KEYS:
        keys = [option["key"] for option in options]
        if keys != list(OPTION_KEYS[answer_type]):
            raise InstrumentFormatError(
                _("%(path)s: pilihan jawaban %(keys)s tidak sesuai jenis %(type)s (seharusnya %(expected)s).") % {
                    "path": qpath, "keys": ", ".join(keys) or "-", "type": answer_type,
                    "expected": ", ".join(OPTION_KEYS[answer_type])})
        return
    if options:
        raise InstrumentFormatError(_("%(path)s: pertanyaan %(type)s tidak memakai pilihan jawaban.") % {
            "path": qpath, "type": answer_type})
    if answer_type == "index":
        if rule and rule["kind"] != "index":
            raise InstrumentFormatError(_("%(path)s: pertanyaan indeks memakai aturan jenis index.") % {"path": qpath})
        return
    if not inputs:
        raise InstrumentFormatError(_("%(path)s: pertanyaan jumlah tanpa isian jumlah.") % {"path": qpath})
    if not rule or rule["kind"] not in ("ratio", "decrease"):
        raise InstrumentFormatError(
            _("%(path)s: pertanyaan jumlah memerlukan aturan nilai jenis ratio atau decrease.") % {"path": qpath})
    if rule["kind"] == "ratio":
        used = [rule["numerator"], rule["denominator"], *rule.get("breakdown", [])]
    else:
        used = [rule["previous"], rule["current"]]
    outside = [i for i in used if i >= len(inputs)]
    if outside:
        raise InstrumentFormatError(
            _("%(path)s: aturan merujuk isian ke-%(i)d, di luar jumlah isian (%(n)d; dihitung dari 0).") % {
                "path": qpath, "i": outside[0], "n": len(inputs)})


def fingerprint(data) -> str:
    """A hash of everything that changes scores: structure, weights, types, option values, rules.

    Texts (names, criteria, expected evidence) and the predicate thresholds are left out, so
    they can be corrected on an instrument in use; any change in here means a new instrument.
    """
    scoring = {
        "nodes": [
            (path, node["kind"], str(Decimal(str(node["weight"]))), node.get("change_area", ""))
            for path, node, _parent in iter_nodes(data)
        ],
        "questions": [
            (
                f"{path}.{q['code']}", q["answer_type"],
                [(o["key"], str(Decimal(str(o["value"])))) for o in q.get("options", [])],
                len(q.get("inputs", [])), q.get("rule"),
            )
            for path, node, _parent in iter_nodes(data)
            for q in node.get("questions", [])
        ],
    }
    encoded = json.dumps(scoring, sort_keys=True, ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()
