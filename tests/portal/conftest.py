import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import InstansiType
from portal import services
from scoring.models import Answer
from tests.evidence.conftest import FakeUpload, make_evidence
from tests.evidence.files import pdf

LHKPN = "A.II.5.iii.a.a"
LHKASN = "A.II.5.iii.b.a"
YES_NO = "A.I.1.i.a"  # soal 1
ABC = "A.I.1.i.b"  # soal 2
INDEX = "B.I.a.a"  # soal 125


def answer(assessment, path, side="unit", *, option="", counts=None, index=None, note=""):
    question = assessment.instrument.questions.get(path=path)
    row, _created = Answer.objects.update_or_create(
        assessment=assessment, question=question, side=side,
        defaults={"option": option, "counts": counts, "index": index, "note": note})
    return row


def pdf_upload(name="dokumen.pdf"):
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def record_instansi_facts(instansi, year, user, *, bpk="WTP", sakip="BB", indeks_rb="BB", spip="3"):
    for kind, value in (("bpk_opinion", bpk), ("sakip", sakip), ("indeks_rb", indeks_rb), ("spip", spip)):
        if value is not None:
            services.instansi_fact_set(instansi=instansi, year=year, kind=kind, value=value, user=user)


def record_unit_facts(assessment, user, *, core="ya", tlhp="100", lhkpn="100", lhkasn="100", sakip="BB"):
    for kind, value in (("core_service", core), ("tlhp", tlhp), ("lhkpn", lhkpn), ("lhkasn", lhkasn),
                        ("internal_sakip", sakip)):
        if value is not None:
            services.unit_fact_set(assessment=assessment, kind=kind, value=value, user=user)


def ensure_thresholds():
    """Transactional tests flush the migration-loaded rows; put them back."""
    from portal.models import PrerequisiteThreshold
    from portal.thresholds import load_thresholds

    load_thresholds(PrerequisiteThreshold)


@pytest.fixture(autouse=True)
def _thresholds(db):
    ensure_thresholds()


@pytest.fixture
def proposed(cast):
    return make_proposed(cast)


def make_proposed(cast):
    """The cast's unit with answers on both sides, a file and a link as evidence, proposed for WBK."""
    ensure_thresholds()
    a = cast.assessment
    answer(a, YES_NO, "unit", option="Ya", note="Tim dibentuk dengan SK")
    answer(a, YES_NO, "tpi", option="Tidak", note="SK belum ditandatangani")
    answer(a, ABC, "unit", option="B")
    answer(a, LHKPN, "unit", counts=[10, 1, 4, 5, 9])
    answer(a, INDEX, "tpi", index="3.62")
    cast.file_item = make_evidence(a, cast.koordinator, path=YES_NO, name="sk-tim.pdf")
    from evidence.services import evidence_add_link

    cast.link_item = evidence_add_link(assessment=a, question=a.instrument.questions.get(path=YES_NO),
                                       user=cast.koordinator, url="https://contoh.go.id/sk", title="SK di situs")
    cast.proposal = services.proposal_create(assessment=a, category="WBK", reason="Uji", user=cast.admin)
    return cast


def set_type(instansi, kind):
    instansi.type = kind
    instansi.save(update_fields=["type"])


__all__ = ["FakeUpload", "InstansiType"]
