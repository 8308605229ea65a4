"""The persyaratan checklist: each threshold, K/L vs Pemda, WBBM without WBK, unknowns, LHKPN/LHKASN."""

import pytest

from accounts.models import InstansiType
from portal import rules, selectors, services
from portal.models import PredicateAward, PrerequisiteThreshold
from tests.factories import AssessmentFactory
from tests.portal.conftest import LHKASN, LHKPN, answer, record_instansi_facts, record_unit_facts, set_type

pytestmark = pytest.mark.django_db


def statuses(check, predicate):
    return {line.prerequisite: line.status for line in check.predicates[predicate].lines}


def full_record(cast, **unit_kwargs):
    record_instansi_facts(cast.unit.instansi, cast.assessment.year, cast.admin)
    record_unit_facts(cast.assessment, cast.admin, **unit_kwargs)


def test_thresholds_are_loaded_as_data_with_unconfirmed_rows():
    rows = PrerequisiteThreshold.objects.filter(regulation="permenpanrb-90-2021")
    assert rows.count() == 23
    assert rows.get(predicate="WBBM", prerequisite="sakip").confirmed is False
    assert rows.get(predicate="WBK", prerequisite="indeks_rb", instansi_type="pemda").minimum == "CC"


def test_nothing_recorded_is_unknown_never_met(cast):
    check = selectors.checklist(cast.assessment)
    wbk = statuses(check, "WBK")
    for kind in ("bpk_opinion", "sakip", "indeks_rb", "spip", "core_service", "tlhp", "lhkpn", "lhkasn",
                 "internal_sakip"):
        assert wbk[kind] == rules.UNKNOWN, kind
    assert wbk["zi_years"] == rules.MET  # the assessment itself is one year of building
    assert not check.predicates["WBK"].all_met


def test_everything_at_the_threshold_meets_wbk(cast):
    record_instansi_facts(cast.unit.instansi, cast.assessment.year, cast.admin, sakip="B", indeks_rb="B", spip="3")
    record_unit_facts(cast.assessment, cast.admin, sakip="B")
    check = selectors.checklist(cast.assessment)
    assert set(statuses(check, "WBK").values()) == {rules.MET}
    assert check.predicates["WBK"].all_met
    wbbm = statuses(check, "WBBM")
    assert wbbm["sakip"] == rules.NOT_MET and wbbm["internal_sakip"] == rules.NOT_MET  # BB needed


@pytest.mark.parametrize(("kind", "value"), [
    ("bpk_opinion", "WDP"), ("sakip", "CC"), ("indeks_rb", "CC"), ("spip", "2"),
])
def test_each_instansi_threshold_fails_one_step_below(cast, kind, value):
    full_record(cast)
    services.instansi_fact_set(instansi=cast.unit.instansi, year=cast.assessment.year, kind=kind, value=value,
                               user=cast.admin)
    check = selectors.checklist(cast.assessment)
    wbk = statuses(check, "WBK")
    assert wbk[kind] == rules.NOT_MET
    assert [k for k, s in wbk.items() if s != rules.MET] == [kind]


@pytest.mark.parametrize(("kind", "value"), [
    ("core_service", "tidak"), ("tlhp", "99.5"), ("lhkpn", "99"), ("lhkasn", "0"), ("internal_sakip", "CC"),
])
def test_each_unit_threshold_fails_below(cast, kind, value):
    full_record(cast)
    services.unit_fact_set(assessment=cast.assessment, kind=kind, value=value, user=cast.admin)
    wbk = statuses(selectors.checklist(cast.assessment), "WBK")
    assert [k for k, s in wbk.items() if s != rules.MET] == [kind]


def test_indeks_rb_threshold_depends_on_the_type_of_instansi(cast):
    full_record(cast)
    services.instansi_fact_set(instansi=cast.unit.instansi, year=cast.assessment.year, kind="indeks_rb",
                               value="CC", user=cast.admin)
    assert cast.unit.instansi.type == InstansiType.KL
    assert statuses(selectors.checklist(cast.assessment), "WBK")["indeks_rb"] == rules.NOT_MET  # K/L: B
    set_type(cast.unit.instansi, InstansiType.PEMDA)
    cast.assessment.unit.instansi.refresh_from_db()
    check = selectors.checklist(cast.assessment)
    assert statuses(check, "WBK")["indeks_rb"] == rules.MET  # Pemda: CC
    line = next(line for line in check.predicates["WBBM"].lines if line.prerequisite == "indeks_rb")
    assert line.threshold == "minimal B" and line.status == rules.NOT_MET


def test_wbbm_needs_wbk_first_and_a_year_of_building_after_it(cast):
    full_record(cast)
    check = selectors.checklist(cast.assessment)
    assert statuses(check, "WBBM")["holds_wbk"] == rules.NOT_MET
    assert statuses(check, "WBBM")["zi_years"] == rules.NOT_MET
    year = cast.assessment.year
    AssessmentFactory(unit=cast.unit, instrument=cast.assessment.instrument, year=year - 1)
    PredicateAward.objects.create(unit=cast.unit, year=year - 1, predicate="WBK", sk_number="SK 1/2025",
                                  recorded_by=cast.admin)
    check = selectors.checklist(cast.assessment)
    wbbm = statuses(check, "WBBM")
    assert wbbm["holds_wbk"] == rules.MET and wbbm["zi_years"] == rules.MET
    assert check.predicates["WBBM"].all_met
    assert statuses(check, "WBK")["zi_years"] == rules.MET
    line = next(line for line in check.predicates["WBBM"].lines if line.prerequisite == "holds_wbk")
    assert "SK 1/2025" in line.source


def test_an_award_in_the_same_year_does_not_count_as_holding_wbk(cast):
    PredicateAward.objects.create(unit=cast.unit, year=cast.assessment.year, predicate="WBK", sk_number="SK",
                                  recorded_by=cast.admin)
    assert statuses(selectors.checklist(cast.assessment), "WBBM")["holds_wbk"] == rules.NOT_MET


def test_lhkpn_and_lhkasn_are_computed_from_the_lke_counts_tpi_first(cast):
    services.unit_fact_set(assessment=cast.assessment, kind="lhkpn", value="100", user=cast.admin)
    answer(cast.assessment, LHKPN, "unit", counts=[10, 1, 4, 5, 10])
    answer(cast.assessment, LHKPN, "tpi", counts=[10, 1, 4, 5, 8])
    answer(cast.assessment, LHKASN, "unit", counts=[40, 10, 10, 20, 40])
    check = selectors.checklist(cast.assessment)
    lines = {line.prerequisite: line for line in check.predicates["WBK"].lines}
    assert lines["lhkpn"].value == "80%" and lines["lhkpn"].status == rules.NOT_MET  # TPI wins over entry
    assert "TPI" in lines["lhkpn"].source
    assert lines["lhkasn"].value == "100%" and lines["lhkasn"].status == rules.MET
    assert "unit" in lines["lhkasn"].source


def test_lhkpn_falls_back_to_the_entered_value_when_counts_are_incomplete(cast):
    answer(cast.assessment, LHKPN, "unit", counts=[10, 1, 4, 5, None])
    services.unit_fact_set(assessment=cast.assessment, kind="lhkpn", value="95", user=cast.admin)
    line = next(li for li in selectors.checklist(cast.assessment).predicates["WBK"].lines if li.prerequisite == "lhkpn")
    assert line.value == "95%" and line.source == "diisi"


def test_ratio_percent_zero_denominator_and_cap():
    rule = {"numerator": 4, "denominator": 0, "zero_denominator": 1}
    assert rules.ratio_percent([0, 0, 0, 0, 0], rule) == "100"
    assert rules.ratio_percent([3, 0, 0, 0, 5], rule) == "100"
    assert rules.ratio_percent([3, 0, 0, 0, 2], rule) == "66.67"


@pytest.mark.parametrize(("kind", "value"), [("bpk_opinion", "WTT"), ("spip", "6"), ("tlhp", "101"),
                                             ("tlhp", "abc"), ("core_service", "mungkin")])
def test_values_outside_the_scale_are_refused_with_a_message(cast, kind, value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        if kind in ("bpk_opinion", "spip"):
            services.instansi_fact_set(instansi=cast.unit.instansi, year=2026, kind=kind, value=value,
                                       user=cast.admin)
        else:
            services.unit_fact_set(assessment=cast.assessment, kind=kind, value=value, user=cast.admin)
    assert info.value.messages[0]


def test_an_edited_threshold_changes_the_verdict(cast):
    full_record(cast, tlhp="90")
    assert statuses(selectors.checklist(cast.assessment), "WBK")["tlhp"] == rules.NOT_MET
    PrerequisiteThreshold.objects.filter(predicate="WBK", prerequisite="tlhp").update(minimum="90")
    assert statuses(selectors.checklist(cast.assessment), "WBK")["tlhp"] == rules.MET


@pytest.mark.parametrize("language, shown", [("id", ["92,5%", "100%", "33,33%", "minimal 100%"]),
                                             ("en", ["92.5%", "100%", "33.33%", "at least 100%"])])
def test_percentages_are_written_in_the_active_language(language, shown):
    from django.utils import translation

    with translation.override(language):
        assert [rules.display("tlhp", "92.5"), rules.display("lhkpn", "100"), rules.display("lhkasn", "33.33"),
                rules.threshold_display("tlhp", "100")] == shown
