"""Proposals: reasons for unmet prerequisites, snapshots of both answer sides and the evidence list,
the diff against the snapshot, the token command and the demo."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from evidence.services import evidence_withdraw
from portal import selectors, services
from portal.models import ApiToken, Proposal
from tests.evidence.conftest import make_evidence
from tests.portal.conftest import ABC, YES_NO, answer, record_instansi_facts, record_unit_facts

pytestmark = pytest.mark.django_db


def test_unmet_prerequisites_need_a_reason(cast):
    with pytest.raises(ValidationError) as info:
        services.proposal_create(assessment=cast.assessment, category="WBK", user=cast.admin)
    assert "alasan" in info.value.messages[0]
    assert not Proposal.objects.exists()
    proposal = services.proposal_create(assessment=cast.assessment, category="WBK", reason="Kebijakan pimpinan",
                                        user=cast.admin)
    assert proposal.reason == "Kebijakan pimpinan"
    assert "Opini BPK atas laporan keuangan instansi" in proposal.unmet


def test_a_unit_meeting_everything_is_proposed_without_a_reason(cast, monkeypatch):
    record_instansi_facts(cast.unit.instansi, cast.assessment.year, cast.admin)
    record_unit_facts(cast.assessment, cast.admin)
    check = selectors.checklist(cast.assessment)
    assert check.predicates["WBK"].all_met
    # The LKE itself is empty here, so the predicate check alone still asks for a reason.
    assert check.unmet_labels("WBK") == ["Nilai LKE memenuhi syarat WBK"]
    check.lke["WBK"].eligible = True
    proposal = services.proposal_create(assessment=cast.assessment, category="WBK", user=cast.admin, check=check)
    assert proposal.unmet == [] and proposal.reason == ""


def test_a_wbbm_proposal_is_checked_against_the_wbbm_rules(cast):
    with pytest.raises(ValidationError) as info:
        services.proposal_create(assessment=cast.assessment, category="WBBM", user=cast.admin)
    assert "Unit telah berpredikat WBK" in info.value.messages[0]


def test_a_unit_is_proposed_once_per_year(proposed):
    with pytest.raises(ValidationError):
        services.proposal_create(assessment=proposed.assessment, category="WBK", reason="x", user=proposed.admin)
    services.proposal_withdraw(proposal=proposed.proposal, user=proposed.admin)
    services.proposal_create(assessment=proposed.assessment, category="WBBM", reason="x", user=proposed.admin)


def test_the_snapshot_freezes_both_sides_and_the_evidence_list(proposed):
    snapshot = selectors.latest_snapshot(proposed.proposal)
    assert snapshot.number == 1
    assert snapshot.answers[YES_NO] == {"unit": {"value": "Ya", "note": "Tim dibentuk dengan SK"},
                                        "tpi": {"value": "Tidak", "note": "SK belum ditandatangani"}}
    items = snapshot.evidence[YES_NO]
    assert [(i["title"], i["kind"]) for i in items] == [(proposed.file_item.title, "file"), ("SK di situs", "link")]
    version = proposed.file_item.versions.get()
    assert items[0]["sha256"] == version.sha256 and items[0]["version"] == str(version.code)
    assert selectors.snapshot_diff(snapshot, proposed.assessment) == []


def test_later_changes_show_as_a_diff_until_a_new_snapshot(proposed):
    a = proposed.assessment
    answer(a, YES_NO, "tpi", option="Ya", note="SK sudah ditandatangani")
    answer(a, ABC, "unit", option="A")
    extra = make_evidence(a, proposed.koordinator, path=ABC, name="baru.pdf")
    evidence_withdraw(evidence=proposed.link_item, user=proposed.koordinator)
    snapshot = selectors.latest_snapshot(proposed.proposal)
    changes = {(c.path, c.what, c.before, c.after) for c in selectors.snapshot_diff(snapshot, a)}
    assert changes == {
        (YES_NO, "jawaban TPI", "Tidak", "Ya"),
        (YES_NO, "catatan TPI", "SK belum ditandatangani", "SK sudah ditandatangani"),
        (ABC, "jawaban unit", "B", "A"),
        (ABC, "bukti baru", "", extra.title),
        (YES_NO, "bukti dihapus/ditarik", "SK di situs", ""),
    }
    fresh = services.snapshot_create(proposal=proposed.proposal, user=proposed.admin)
    assert fresh.number == 2
    assert selectors.snapshot_diff(fresh, a) == []


def test_a_new_version_of_a_file_is_a_change(proposed):
    from evidence.services import evidence_add_version
    from tests.evidence.conftest import FakeUpload
    from tests.evidence.files import pdf

    evidence_add_version(evidence=proposed.file_item, user=proposed.koordinator,
                         upload=FakeUpload("sk-baru.pdf", pdf("versi dua")))
    changes = selectors.snapshot_diff(selectors.latest_snapshot(proposed.proposal), proposed.assessment)
    assert [(c.what, c.after) for c in changes] == [("bukti diganti", f"{proposed.file_item.title} (versi 2)")]


def test_the_token_command_prints_the_token_alone_on_its_last_line(cast):
    out = StringIO()
    call_command("portalrb_token", "issue", "--instansi", cast.unit.instansi.name, "--days", "10", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("zip_") and " " not in last
    token = ApiToken.objects.get()
    assert services.token_find(last) == token
    assert 9 <= (token.expires_at - token.created_at).days <= 10


def test_the_token_command_refuses_an_unknown_instansi(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("portalrb_token", "issue", "--instansi", "Tidak Ada", stdout=StringIO())


def test_seed_demo_filled_proposes_the_demo_unit(settings, instrument_90, tmp_path):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-sandi-123", "--filled", stdout=StringIO())
    proposal = Proposal.objects.get()
    assert proposal.assessment.unit.name == "Balai Pelayanan Publik Demo" and proposal.category == "WBK"
    assert proposal.snapshots.get().answers
    assert proposal.assessment.unit.instansi.facts.count() == 4
    call_command("seed_demo", "--password", "demo-sandi-123", "--filled", stdout=StringIO())
    assert Proposal.objects.count() == 1
