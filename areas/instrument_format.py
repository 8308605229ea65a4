"""ZI Portal's instrument file format (fixtures/instruments/*.json): validation and fingerprint.

The same format is what the scoring engine reads (areas.selectors.instrument_data builds it
back from the database), so an instrument behaves the same from a file or from the database.
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .answer_types import ANSWER_TYPES, OPTION_KEYS

FORMAT = "zi-portal-instrument/1"
NODE_KINDS = {"komponen", "sub_komponen", "area", "indikator", "sub_indikator"}
CHANGE_AREA_CODES = {"MP", "PT", "SDM", "AK", "PW", "PP"}
RULE_KINDS = {"ratio", "decrease", "index"}
THRESHOLD_KINDS = {"node_min", "area_pct", "fact"}


class InstrumentFormatError(ValueError):
    pass


def _decimal(value, where):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise InstrumentFormatError(_("%(where)s: bobot/nilai bukan angka (%(value)r)") % {
            "where": where, "value": value}) from exc
    if number < 0:
        raise InstrumentFormatError(_("%(where)s: bobot/nilai tidak boleh negatif") % {"where": where})
    return number


def iter_nodes(data):
    """Yield (path, node, parent_path) depth-first in document order."""

    def walk(node, parent_path):
        path = f"{parent_path}.{node['code']}" if parent_path else node["code"]
        yield path, node, parent_path
        for child in node.get("children", []):
            yield from walk(child, path)

    for root in data["nodes"]:
        yield from walk(root, "")


def validate(data) -> None:
    """Raise InstrumentFormatError (Indonesian message) for anything the importer can't trust."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InstrumentFormatError(_("Berkas bukan instrumen ZI Portal (format %(f)s).") % {"f": FORMAT})
    for key in ("code", "title", "nodes", "thresholds"):
        if key not in data:
            raise InstrumentFormatError(_("Kolom wajib '%(key)s' tidak ada.") % {"key": key})
    seen = set()
    for path, node, _parent in iter_nodes(data):
        if node.get("kind") not in NODE_KINDS:
            raise InstrumentFormatError(_("%(path)s: jenis simpul tidak dikenal") % {"path": path})
        if path in seen:
            raise InstrumentFormatError(_("Kode ganda: %(path)s") % {"path": path})
        seen.add(path)
        _decimal(node.get("weight"), path)
        if node.get("change_area") and node["change_area"] not in CHANGE_AREA_CODES:
            raise InstrumentFormatError(_("%(path)s: area perubahan tidak dikenal") % {"path": path})
        aliases = node.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise InstrumentFormatError(_("%(path)s: 'aliases' harus berupa daftar nama") % {"path": path})
        for question in node.get("questions", []):
            qpath = f"{path}.{question['code']}"
            if qpath in seen:
                raise InstrumentFormatError(_("Kode ganda: %(path)s") % {"path": qpath})
            seen.add(qpath)
            _validate_question(qpath, question)
    for rule in data["thresholds"]:
        if rule.get("kind") not in THRESHOLD_KINDS or rule.get("predicate") not in ("WBK", "WBBM"):
            raise InstrumentFormatError(_("Ambang tidak dikenal: %(rule)s") % {"rule": rule})
        if rule["kind"] == "node_min" and rule.get("path") and rule["path"] not in seen:
            raise InstrumentFormatError(_("Ambang merujuk kode yang tidak ada: %(p)s") % {"p": rule["path"]})


def _validate_question(qpath, question):
    answer_type = question.get("answer_type")
    if answer_type not in ANSWER_TYPES:
        raise InstrumentFormatError(_("%(path)s: jenis jawaban tidak dikenal") % {"path": qpath})
    if answer_type in OPTION_KEYS:
        keys = [o.get("key") for o in question.get("options", [])]
        if keys != list(OPTION_KEYS[answer_type]):
            raise InstrumentFormatError(_("%(path)s: pilihan jawaban tidak sesuai jenisnya") % {"path": qpath})
        for option in question["options"]:
            if _decimal(option.get("value"), qpath) > 1:
                raise InstrumentFormatError(_("%(path)s: nilai pilihan melebihi 1") % {"path": qpath})
        return
    rule = question.get("rule") or {}
    if rule.get("kind") not in RULE_KINDS:
        raise InstrumentFormatError(_("%(path)s: aturan nilai tidak dikenal") % {"path": qpath})
    n_inputs = len(question.get("inputs", []))
    indexes = [rule.get(k) for k in ("numerator", "denominator", "previous", "current") if k in rule]
    indexes += list(rule.get("breakdown", []))
    if answer_type == "ratio" and (n_inputs == 0 or any(not 0 <= i < n_inputs for i in indexes)):
        raise InstrumentFormatError(_("%(path)s: aturan merujuk isian yang tidak ada") % {"path": qpath})


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
