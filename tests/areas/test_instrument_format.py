"""Broken instrument files: every one is refused with a clear Indonesian message by the one
validator, from the import command, the admin upload and the engine's loader; nothing changes.

Format and rules: docs/instrument-format.md.
"""

import copy
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas import instrument_format
from areas.instrument_format import InstrumentFormatError, validate
from areas.models import Instrument, Question
from scoring.engine import Instrument as EngineInstrument
from tests.conftest import client_for, load_instrument_data

I90 = "permenpanrb-90-2021"


def fresh():
    return copy.deepcopy(load_instrument_data(I90))


def area_mp(d):  # A.I.1, Manajemen Perubahan (pemenuhan)
    return d["nodes"][0]["children"][0]["children"][0]


def first_question(d):  # A.I.1.i.a, Ya/Tidak
    return area_mp(d)["children"][0]["questions"][0]


def ratio_question(d):  # A.II.1.i.a, agen perubahan / perubahan dibuat
    return d["nodes"][0]["children"][1]["children"][0]["children"][0]["questions"][0]


def index_question(d):  # B.I.a.a, survey index 0-4
    return d["nodes"][1]["children"][0]["children"][0]["questions"][0]


def drop(mapping, key):
    del mapping[key]


# (what is broken, how, a phrase the message must contain)
BROKEN = [
    ("not an instrument", lambda d: d.update(format="lain"), "bukan instrumen ZI Portal"),
    ("missing title", lambda d: drop(d, "title"), "kolom wajib 'title' tidak ada"),
    ("missing thresholds", lambda d: drop(d, "thresholds"), "kolom wajib 'thresholds' tidak ada"),
    ("node without code", lambda d: drop(area_mp(d), "code"), "kolom wajib 'code' tidak ada"),
    ("question without answer type", lambda d: drop(first_question(d), "answer_type"),
     "A.I.1.i.a (nodes[0].children[0].children[0].children[0].questions[0]): kolom wajib 'answer_type'"),
    ("weight as text", lambda d: area_mp(d).update(weight="banyak"), 'harus berupa angka, bukan "banyak"'),
    ("negative weight", lambda d: area_mp(d).update(weight=-1), "tidak boleh kurang dari 0"),
    ("code as number", lambda d: area_mp(d).update(code=1), "harus berupa teks"),
    ("children not a list", lambda d: area_mp(d).update(children="i, ii"), "harus berupa daftar"),
    ("unknown answer type", lambda d: first_question(d).update(answer_type="bebas"),
     'jenis jawaban "bebas" tidak dikenal'),
    ("unknown node kind", lambda d: area_mp(d).update(kind="bidang"), 'nilai "bidang" tidak dikenal'),
    ("option value above 1", lambda d: first_question(d)["options"][0].update(value=2), "tidak boleh lebih dari 1"),
    ("options of another type", lambda d: first_question(d)["options"].pop(), "tidak sesuai jenis yes_no"),
    ("rule index as text", lambda d: ratio_question(d)["rule"].update(numerator="1"), "harus berupa bilangan bulat"),
    ("rule index outside the inputs", lambda d: ratio_question(d)["rule"].update(denominator=7),
     "aturan merujuk isian ke-7, di luar jumlah isian (2"),
    ("negative rule index", lambda d: ratio_question(d)["rule"].update(numerator=-1), "tidak boleh kurang dari 0"),
    ("ratio without rule", lambda d: ratio_question(d).update(rule=None), "memerlukan aturan nilai"),
    ("ratio without inputs", lambda d: ratio_question(d).update(inputs=[]), "tanpa isian jumlah"),
    ("weights not adding up", lambda d: area_mp(d)["children"][0].update(weight=3),
     "A.I.1: jumlah bobot sub-node 6,5 tidak sama dengan bobotnya 4"),
    ("komponen not adding up to 100", lambda d: d["nodes"][1].update(weight=30), "Jumlah bobot komponen 90"),
    ("duplicate code", lambda d: area_mp(d)["children"][1].update(code="i"), "Kode ganda: A.I.1.i"),
    ("threshold on a missing node", lambda d: d["thresholds"].append(
        {"predicate": "WBK", "kind": "node_min", "path": "Z.9", "min": 1}), "merujuk kode yang tidak ada: Z.9"),
    ("breakdown index outside the inputs", lambda d: ratio_question(d)["rule"].update(breakdown=[0, 9]),
     "isian ke-9, di luar jumlah isian"),
    ("survey index maximum as text", lambda d: index_question(d)["rule"].update(max="empat"),
     'rule.max): harus berupa angka, bukan "empat"'),
    ("survey index maximum zero", lambda d: index_question(d)["rule"].update(max=0),
     "rule.max): harus lebih dari 0 (tertulis 0)"),
    ("no nodes", lambda d: d["nodes"].clear(), "nodes: tidak boleh kosong"),
    ("unknown area threshold mode", lambda d: d.update(area_threshold_mode="rata-rata"),
     'area_threshold_mode: nilai "rata-rata" tidak dikenal'),
]
IDS = [case[0] for case in BROKEN]


@pytest.mark.parametrize("_name, mutate, phrase", BROKEN, ids=IDS)
def test_the_validator_names_the_problem(_name, mutate, phrase):
    data = fresh()
    mutate(data)
    with pytest.raises(InstrumentFormatError) as refused:
        validate(data)
    assert phrase in str(refused.value)


@pytest.mark.parametrize("_name, mutate, phrase", BROKEN, ids=IDS)
def test_the_engine_loader_refuses_with_the_same_message(_name, mutate, phrase):
    data = fresh()
    mutate(data)
    with pytest.raises(ValueError) as refused:
        EngineInstrument.from_dict(data)
    assert phrase in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize("_name, mutate, phrase", BROKEN, ids=IDS)
def test_the_import_command_reports_it_and_imports_nothing(tmp_path, _name, mutate, phrase):
    data = fresh()
    mutate(data)
    path = tmp_path / "rusak.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = (Instrument.objects.count(), Question.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command("import_instrument", str(path), stdout=StringIO())
    assert phrase in str(refused.value) and str(path) in str(refused.value)
    assert (Instrument.objects.count(), Question.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("_name, mutate, phrase", BROKEN, ids=IDS)
def test_the_admin_upload_reports_it_and_imports_nothing(client, cast, _name, mutate, phrase):
    data = fresh()
    data["code"] = "permenpanrb-uji-2027"
    mutate(data)
    count = Instrument.objects.count()
    client_for(client, cast.admin)
    response = client.post(reverse("admin:areas_instrument_import"), {
        "file": SimpleUploadedFile("instrumen.json", json.dumps(data).encode(), content_type="application/json")})
    assert response.status_code == 200
    assert phrase in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert Instrument.objects.count() == count


def test_both_shipped_instruments_are_valid():
    for code in (I90, "permenpanrb-10-2019"):
        validate(load_instrument_data(code))


def test_the_documented_schema_is_the_one_in_use():
    doc = (instrument_format.SCHEMA_PATH.parents[1] / "docs" / "instrument-format.md").read_text(encoding="utf-8")
    block = doc.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == instrument_format.schema()


# --- property tests: any damage gives InstrumentFormatError, never another exception ---------

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True),
                 st.text(max_size=5), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                                         st.integers(), max_size=2))


def _containers(value, found):
    if isinstance(value, dict):
        found.append(value)
        for child in value.values():
            _containers(child, found)
    elif isinstance(value, list):
        found.append(value)
        for child in value:
            _containers(child, found)
    return found


@st.composite
def damaged(draw):
    data = fresh()
    for _ in range(draw(st.integers(1, 3))):
        containers = [c for c in _containers(data, []) if c]
        target = draw(st.sampled_from(containers))
        if isinstance(target, dict):
            key = draw(st.sampled_from(sorted(target)))
            if draw(st.booleans()):
                del target[key]
            else:
                target[key] = draw(JUNK)
        else:
            index = draw(st.integers(0, len(target) - 1))
            action = draw(st.sampled_from(["delete", "replace", "duplicate"]))
            if action == "delete":
                del target[index]
            elif action == "replace":
                target[index] = draw(JUNK)
            else:
                target.append(copy.deepcopy(target[index]))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_a_damaged_file_is_refused_with_a_message_or_loads_cleanly(data):
    try:
        validate(data)
    except InstrumentFormatError as refused:
        assert str(refused).strip()
        return
    # What the validator lets through must load, score and fingerprint without an error.
    instrument = EngineInstrument.from_dict(data)
    instrument_format.fingerprint(data)
    assert sum(instrument.nodes[root].weight for root in instrument.roots) == pytest.approx(100)
