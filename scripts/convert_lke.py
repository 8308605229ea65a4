"""Convert transcribed LKE instruments (JSON transcriptions of the regulations, kept outside this
repository) into ZI Portal's own format (docs/instrument-format.md).

A development tool, run by hand when the transcription changes; the product itself only
reads fixtures/instruments/*.json (through `manage.py import_instrument`).

    python scripts/convert_lke.py TRANSCRIPTIONS_DIR fixtures/instruments
"""

import json
import sys
from pathlib import Path

FORMAT = "zi-portal-instrument/1"

ANSWER_TYPES = {
    "Ya/Tidak": "yes_no",
    "A/B/C": "abc",
    "A/B/C/D": "abcd",
    "A/B/C/D/E": "abcde",
    "%": "ratio",
    "Nilai (0-4)": "index",
}

# Area number -> the fixed catalogue of change areas (same numbering in both regulations).
CHANGE_AREAS = {"1": "MP", "2": "PT", "3": "SDM", "4": "AK", "5": "PW", "6": "PP"}

# Counted-input rules, by question path (docs/scoring.md, "Decisions"). Indexes point into the
# question's inputs, in instrument order.
RULES = {
    "permenpanrb-90-2021": {
        "A.II.1.i.a": {"kind": "ratio", "numerator": 1, "denominator": 0, "zero_denominator": 0},
        "A.II.1.i.b": {"kind": "ratio", "numerator": 1, "denominator": 0, "zero_denominator": 0},
        "A.II.3.iii.a": {"kind": "decrease", "previous": 0, "current": 1},
        "A.II.4.i.a": {"kind": "ratio", "numerator": 1, "denominator": 0, "zero_denominator": 0},
        "A.II.5.ii.a": {"kind": "ratio", "numerator": 2, "denominator": 0, "zero_denominator": 1},
        "A.II.5.iii.a.a": {
            "kind": "ratio", "numerator": 4, "denominator": 0, "zero_denominator": 1, "breakdown": [1, 2, 3],
        },
        "A.II.5.iii.b.a": {
            "kind": "ratio", "numerator": 4, "denominator": 0, "zero_denominator": 1, "breakdown": [1, 2, 3],
        },
        "A.II.6.i.b": {"kind": "ratio", "numerator": 1, "denominator": 0, "zero_denominator": 0},
    },
    "permenpanrb-10-2019": {
        "B.I.b.a": {"kind": "ratio", "numerator": 1, "denominator": 0, "zero_denominator": 1},
    },
}

INDEX_RULE = {"kind": "index", "max": 4}


def th(predicate, kind, label, minimum, *, path="", confirmed=True, note="", fact=""):
    return {
        "predicate": predicate, "kind": kind, "label": label, "path": path, "min": minimum,
        "confirmed": confirmed, "note": note, "fact": fact,
    }


THRESHOLDS = {
    "permenpanrb-90-2021": [
        th("WBK", "node_min", "Total nilai (pengungkit + hasil)", 75),
        th("WBK", "node_min", "Komponen pengungkit", 40, path="A"),
        th("WBK", "area_pct", "Setiap area", 60),
        th("WBK", "node_min", "Birokrasi yang bersih dan akuntabel", 18.25, path="B.I"),
        th("WBK", "node_min", "Nilai survei persepsi korupsi (IPAK, indeks 3,6)", 15.75, path="B.I.a"),
        th("WBK", "node_min", "Capaian kinerja", 2.5, path="B.I.b"),
        th("WBK", "node_min", "Nilai persepsi kualitas pelayanan (IPKP, indeks 3,2)", 14.0, path="B.II.a"),
        th("WBBM", "fact", "Unit telah berpredikat WBK", 1, fact="holds_wbk"),
        th("WBBM", "node_min", "Total nilai (pengungkit + hasil)", 85),
        th("WBBM", "node_min", "Komponen pengungkit", 48, path="A"),
        th("WBBM", "area_pct", "Setiap area", 75),
        th("WBBM", "node_min", "Birokrasi yang bersih dan akuntabel", 19.5, path="B.I", confirmed=False,
           note="19,5 = 15,75 + 3,75; sumber lain memakai 18,25"),
        th("WBBM", "node_min", "Nilai survei persepsi korupsi (IPAK, indeks 3,6)", 15.75, path="B.I.a"),
        th("WBBM", "node_min", "Capaian kinerja", 3.75, path="B.I.b", confirmed=False,
           note="sumber lain memakai 2,5"),
        th("WBBM", "node_min", "Nilai persepsi kualitas pelayanan (IPKP, indeks 3,6)", 15.75, path="B.II.a"),
    ],
    "permenpanrb-10-2019": [
        th("WBK", "node_min", "Total nilai (pengungkit + hasil)", 75),
        th("WBK", "node_min", "Pemerintahan yang bersih dan bebas KKN", 18.25, path="B.I", confirmed=False),
        th("WBK", "node_min", "Nilai persepsi korupsi", 13.5, path="B.I.a", confirmed=False),
        th("WBK", "node_min", "Penyelesaian TLHP", 3, path="B.I.b", confirmed=False),
        th("WBBM", "fact", "Unit telah berpredikat WBK", 1, fact="holds_wbk"),
        th("WBBM", "node_min", "Total nilai (pengungkit + hasil)", 85),
    ],
}

META = {
    "permenpanrb-90-2021": {"regulation": "PermenPANRB Nomor 90 Tahun 2021", "year_from": 2022},
    "permenpanrb-10-2019": {"regulation": "PermenPANRB Nomor 10 Tahun 2019", "year_from": 2019},
}


def status_of(*texts):
    """'' when confirmed, otherwise the transcriber's caveat (INFERRED, ASSUMED, LOW CONFIDENCE)."""
    for text in texts:
        if text and not str(text).lower().startswith("confirmed"):
            return str(text)
    return ""


def convert_question(code, q, path, rules, jumlah_soals):
    answer_type = ANSWER_TYPES[q["answer_type"]]
    out = {
        "code": q["code"],
        "text": q["text"],
        "answer_type": answer_type,
        "status": status_of(q.get("answer_type_status")),
        "criteria": q.get("criteria") or q.get("hint") or "",
        "options": [
            {"key": o["key"], "label": o["label"], "value": o["value"]} for o in (q.get("options") or [])
        ],
        "inputs": [],
        "rule": None,
        "rule_text": q.get("value_rule") or q.get("value_formula") or "",
        "lke_row": q.get("lke_row"),
        "portalrb_soal_id": q.get("portalrb_soal_id"),
        "portalrb_excel_row": q.get("portalrb_excel_row"),
        "equivalent_90_2021": q.get("equivalent_90_2021") or "",
        "expected_evidence": [],
    }
    if not out["status"] and "ASSUMED" in out["rule_text"]:
        out["status"] = out["rule_text"]
    if answer_type == "ratio":
        out["rule"] = rules[path]
        for item in q["inputs"]:
            soal = jumlah_soals.pop(0) if jumlah_soals else {}
            out["inputs"].append({
                "label": item["label"],
                "lke_row": item.get("lke_row"),
                "portalrb_soal_id": soal.get("soal_id"),
                "portalrb_excel_row": soal.get("excel_row"),
            })
    elif answer_type == "index":
        out["rule"] = INDEX_RULE
    else:
        assert out["options"], path
    return out


def convert_node(code, kind, raw, parent_path, rules, change_area=""):
    path = f"{parent_path}.{raw['code']}" if parent_path else raw["code"]
    node = {
        "kind": kind,
        "code": raw["code"],
        "name": raw["name"],
        "weight": raw["weight"],
        "status": status_of(raw.get("weight_status")),
        "change_area": change_area,
        "note": raw.get("note") or "",
        "lke_row": raw.get("lke_row"),
        "children": [],
        "questions": [],
    }
    jumlah = list(raw.get("portalrb_jumlah_soals") or [])
    if kind == "komponen":
        for sub in raw.get("sub_components") or []:
            node["children"].append(convert_node(code, "sub_komponen", sub, path, rules))
        for area in raw.get("areas") or []:
            node["children"].append(
                convert_node(code, "area", area, path, rules, CHANGE_AREAS[area["code"]])
            )
    elif kind == "sub_komponen":
        for area in raw.get("areas") or []:
            node["children"].append(
                convert_node(code, "area", area, path, rules, CHANGE_AREAS[area["code"]])
            )
        for ind in raw.get("indicators") or []:
            node["children"].append(convert_node(code, "indikator", ind, path, rules))
    elif kind == "area":
        for ind in raw["indicators"]:
            node["children"].append(convert_node(code, "indikator", ind, path, rules, change_area))
    elif kind in ("indikator", "sub_indikator"):
        for sub in raw.get("sub_indicators") or []:
            node["children"].append(convert_node(code, "sub_indikator", sub, path, rules, change_area))
        for q in raw.get("questions") or []:
            node["questions"].append(convert_question(code, q, f"{path}.{q['code']}", rules, jumlah))
        assert not jumlah, f"{path}: unmatched PortalRB count rows {jumlah}"
    return node


def convert(src: Path, code: str, evidence: dict, aliases: dict | None = None) -> dict:
    raw = json.loads(src.read_text(encoding="utf-8"))
    rules = RULES[code]
    out = {
        "format": FORMAT,
        "code": code,
        "title": raw["title"],
        **META[code],
        "status": raw["status"],
        "sources": raw["source"],
        "area_threshold_mode": "parts",
        "thresholds": THRESHOLDS[code],
        "nodes": [convert_node(code, "komponen", c, "", rules) for c in raw["components"]],
    }

    aliases = aliases or {}

    def attach(node, parent):
        path = f"{parent}.{node['code']}" if parent else node["code"]
        if node["kind"] == "indikator" and aliases.get(path):
            # Other wording units use for this indicator (rencana aksi import); data, not code.
            node["aliases"] = aliases[path]
        for q in node["questions"]:
            q["expected_evidence"] = evidence.get(f"{path}.{q['code']}", [])
        for child in node["children"]:
            attach(child, path)

    for node in out["nodes"]:
        attach(node, "")
    return out


def main(src_dir: str, out_dir: str) -> None:
    src, dst = Path(src_dir), Path(out_dir)
    for code in ("permenpanrb-90-2021", "permenpanrb-10-2019"):
        ev_file = dst / f"expected-evidence-{code.removeprefix('permenpanrb-')}.json"
        evidence = json.loads(ev_file.read_text(encoding="utf-8")) if ev_file.exists() else {}
        alias_file = dst / f"indicator-aliases-{code.removeprefix('permenpanrb-')}.json"
        aliases = json.loads(alias_file.read_text(encoding="utf-8")) if alias_file.exists() else {}
        data = convert(src / f"{code}.json", code, evidence, aliases)
        (dst / f"{code}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {dst / (code + '.json')}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
