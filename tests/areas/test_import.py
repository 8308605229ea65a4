import copy
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from areas.models import AnswerType, Instrument, InstrumentNode, NodeKind, Question, QuestionInput, ThresholdRule
from areas.services import InstrumentInUseError, instrument_import
from tests.conftest import INSTRUMENT_FILES, load_instrument_data
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

AREA_WEIGHTS_90 = {"MP": 4, "PT": 3.5, "SDM": 5, "AK": 5, "PW": 7.5, "PP": 5}
AREA_WEIGHTS_10 = {"MP": 8, "PT": 7, "SDM": 10, "AK": 10, "PW": 15, "PP": 10}


def weight(instrument, path):
    return instrument.nodes.get(path=path).weight


def test_the_90_2021_tree_has_87_pemenuhan_23_reform_and_3_hasil_questions(instrument_90):
    questions = instrument_90.questions
    assert questions.filter(path__startswith="A.I.").count() == 87
    assert questions.filter(path__startswith="A.II.").count() == 23
    assert questions.filter(path__startswith="B.").count() == 3
    assert questions.count() == 113


def test_the_90_2021_reform_ratio_items_carry_their_counted_inputs(instrument_90):
    ratio = instrument_90.questions.filter(answer_type=AnswerType.RATIO).order_by("order")
    inputs = {q.path: [i.label for i in q.inputs.all()] for q in ratio}
    assert list(inputs) == [
        "A.II.1.i.a", "A.II.1.i.b", "A.II.3.iii.a", "A.II.4.i.a", "A.II.5.ii.a",
        "A.II.5.iii.a.a", "A.II.5.iii.b.a", "A.II.6.i.b",
    ]
    assert len(inputs["A.II.5.iii.a.a"]) == 5
    assert inputs["A.II.3.iii.a"][2].startswith("Jumlah pelanggaran yang telah diberikan sanksi")
    assert QuestionInput.objects.filter(question__instrument=instrument_90).count() == 24
    lhkpn = instrument_90.questions.get(path="A.II.5.iii.a.a")
    assert lhkpn.rule == {"kind": "ratio", "numerator": 4, "denominator": 0, "zero_denominator": 1,
                          "breakdown": [1, 2, 3]}
    assert instrument_90.questions.get(path="A.II.1.i.a").rule["zero_denominator"] == 0


def test_the_90_2021_weights_match_the_regulation(instrument_90):
    assert weight(instrument_90, "A") == 60
    assert weight(instrument_90, "A.I") == 30
    assert weight(instrument_90, "A.II") == 30
    assert weight(instrument_90, "B") == 40
    assert weight(instrument_90, "B.I") == Decimal("22.5")
    assert weight(instrument_90, "B.II") == Decimal("17.5")
    areas = instrument_90.nodes.filter(kind=NodeKind.AREA).select_related("change_area")
    for node in areas:
        assert node.weight == Decimal(str(AREA_WEIGHTS_90[node.change_area.code])), node.path
    assert areas.count() == 12
    indicators = instrument_90.nodes.filter(kind=NodeKind.INDIKATOR)
    assert sum(n.weight for n in indicators) == 100


def test_option_values_are_the_sheet_literals(instrument_90):
    abcd = instrument_90.questions.filter(answer_type=AnswerType.ABCD).first()
    assert [o.value for o in abcd.options.all()] == [Decimal("1"), Decimal("0.67"), Decimal("0.33"), Decimal("0")]
    abcde = instrument_90.questions.filter(answer_type=AnswerType.ABCDE).first()
    assert [float(o.value) for o in abcde.options.all()] == [1, 0.75, 0.5, 0.25, 0]


def test_portalrb_mapping_is_kept(instrument_90):
    first = instrument_90.questions.get(path="A.I.1.i.a")
    assert (first.portalrb_soal_id, first.portalrb_excel_row) == (1, 6)
    ipkp = instrument_90.questions.get(path="B.II.a.a")
    assert (ipkp.portalrb_soal_id, ipkp.portalrb_excel_row) == (127, 202)
    agen = instrument_90.questions.get(path="A.II.1.i.a").inputs.get(order=0)
    assert (agen.portalrb_soal_id, agen.portalrb_excel_row) == (88, 126)


def test_every_pemenuhan_question_lists_expected_evidence(instrument_90):
    pemenuhan = instrument_90.questions.filter(path__startswith="A.I.")
    assert all(2 <= len(q.expected_evidence) <= 5 for q in pemenuhan)
    assert "SK" in " ".join(pemenuhan.get(path="A.I.1.i.a").expected_evidence)


def test_thresholds_are_data_with_unconfirmed_values_flagged(instrument_90):
    wbk = ThresholdRule.objects.filter(instrument=instrument_90, predicate="WBK")
    assert wbk.get(path="", kind="node_min").minimum == 75
    assert wbk.get(path="A").minimum == 40
    assert wbk.get(kind="area_pct").minimum == 60
    wbbm = ThresholdRule.objects.filter(instrument=instrument_90, predicate="WBBM")
    assert wbbm.get(path="B.I").confirmed is False
    assert wbbm.get(path="B.I.b").confirmed is False
    assert wbbm.get(path="", kind="node_min").minimum == 85
    assert wbbm.filter(kind="fact", fact="holds_wbk").exists()
    assert instrument_90.area_threshold_mode == "parts"


def test_every_change_area_is_the_shared_catalogue(instrument_90, instrument_10):
    for instrument in (instrument_90, instrument_10):
        codes = {n.change_area.code for n in instrument.nodes.filter(kind=NodeKind.AREA).select_related("change_area")}
        assert codes == {"MP", "PT", "SDM", "AK", "PW", "PP"}
    hasil = instrument_90.questions.filter(path__startswith="B.")
    assert all(q.change_area_id is None for q in hasil)
    assert instrument_90.questions.get(path="A.II.5.iii.b.a").change_area.code == "PW"


def test_the_10_2019_tree_has_81_questions_and_its_weights(instrument_10):
    assert instrument_10.questions.filter(path__startswith="A.").count() == 81
    areas = instrument_10.nodes.filter(kind=NodeKind.AREA).select_related("change_area")
    assert {n.change_area.code: n.weight for n in areas} == {k: Decimal(v) for k, v in AREA_WEIGHTS_10.items()}
    assert weight(instrument_10, "B.I.a") == 15
    assert weight(instrument_10, "B.I.b") == 5
    assert weight(instrument_10, "B.II.a") == 20
    assert instrument_10.questions.get(path="A.5.19.a").status.startswith("ASSUMED")
    assert instrument_10.questions.get(path="A.6.21.c").answer_type == AnswerType.ABCD
    assert instrument_10.nodes.get(path="A.1.1").status  # inferred indicator weight is flagged


def test_every_code_is_unique_and_stable_across_a_reimport(instrument_90):
    before_nodes = dict(instrument_90.nodes.values_list("path", "pk"))
    before_questions = dict(instrument_90.questions.values_list("path", "pk"))
    assert len(before_nodes) == instrument_90.nodes.count()
    assert not set(before_nodes) & set(before_questions)
    result = instrument_import(data=load_instrument_data("permenpanrb-90-2021"))
    assert not result.created and not result.structure_replaced
    assert dict(instrument_90.nodes.values_list("path", "pk")) == before_nodes
    assert dict(instrument_90.questions.values_list("path", "pk")) == before_questions


def test_reimporting_changes_no_row_count(instrument_90):
    counts = (Instrument.objects.count(), InstrumentNode.objects.count(), Question.objects.count(),
              ThresholdRule.objects.count())
    call_command("import_instrument", str(INSTRUMENT_FILES["permenpanrb-90-2021"]), stdout=StringIO())
    assert counts == (Instrument.objects.count(), InstrumentNode.objects.count(), Question.objects.count(),
                      ThresholdRule.objects.count())


def test_a_weight_change_is_refused_once_an_assessment_uses_the_instrument(instrument_90):
    AssessmentFactory(instrument=instrument_90)
    data = copy.deepcopy(load_instrument_data("permenpanrb-90-2021"))
    indicators = data["nodes"][0]["children"][0]["children"][0]["children"]  # A.I.1.i (0.5), A.I.1.ii (1)
    indicators[0]["weight"], indicators[1]["weight"] = 1, 0.5  # the area still adds up to 4
    with pytest.raises(InstrumentInUseError, match="sudah dipakai oleh 1 penilaian"):
        instrument_import(data=data)
    assert weight(instrument_90, "A.I.1.i") == Decimal("0.5")


def test_a_structure_change_replaces_the_tree_while_unused(instrument_10):
    data = copy.deepcopy(load_instrument_data("permenpanrb-10-2019"))
    data["nodes"][0]["children"][0]["children"][0]["questions"].pop()
    result = instrument_import(data=data)
    assert result.structure_replaced
    assert not instrument_10.questions.filter(path="A.1.1.b").exists()


def test_criteria_text_can_be_corrected_on_an_instrument_in_use(instrument_90):
    AssessmentFactory(instrument=instrument_90)
    data = copy.deepcopy(load_instrument_data("permenpanrb-90-2021"))
    data["nodes"][0]["children"][0]["children"][0]["children"][0]["questions"][0]["criteria"] = "Kriteria baru"
    instrument_import(data=data)
    assert instrument_90.questions.get(path="A.I.1.i.a").criteria == "Kriteria baru"


def test_import_command_reports_a_bad_file(tmp_path, db):
    bad = tmp_path / "rusak.json"
    bad.write_text("{ tidak json", encoding="utf-8")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("import_instrument", str(bad))


def test_instrument_summary_prints_counts_and_weight_sums(instrument_90):
    out = StringIO()
    call_command("instrument_summary", "permenpanrb-90-2021", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["questions"] == 113
    assert summary["questions_by_sub_komponen"] == {"A.I": 87, "A.II": 23, "B.I": 2, "B.II": 1}
    assert summary["levels"]["komponen"] == {"count": 2, "weight_sum": 100.0}
    assert summary["levels"]["area"] == {"count": 12, "weight_sum": 60.0}
    assert summary["levels"]["indikator"]["weight_sum"] == 100.0
    assert summary["counted_inputs"] == 24
    assert summary["total_weight"] == 100.0


def test_instrument_summary_refuses_an_unknown_code(db):
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("instrument_summary", "tidak-ada", "--json")
