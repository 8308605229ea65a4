"""Access matrix for every evidence view, the download and the preview included.

Whoever sees the assessment reads and downloads; the tim kerja writes on their own areas only,
the koordinator on all; only the unit's TPI reviews; pimpinan and admin only read; other units
(and a TPI assigned elsewhere) get 404; anonymous visitors go to the login page; nothing
changes once the assessment is final.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import Role
from areas.models import Stage
from evidence import services
from evidence.models import Evidence, EvidenceStatus
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import MP_QUESTION, SDM_QUESTION, make_evidence, post_files
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "koordinator", "timkerja", "timkerja_other_area", "tpi", "tpi_other_unit", "pimpinan",
         "outsider", "anonymous"]
READ = {"question", "detail", "download", "preview"}
ALLOWED = {
    # the unit side: upload, link, submit, versions, edits, withdrawals
    **dict.fromkeys(["upload", "link", "submit", "submit-indicator", "add-version", "edit", "withdraw"],
                    {"koordinator", "timkerja"}),
    "accept": {"tpi"},
    "revision": {"tpi"},
    "comment": {"koordinator", "timkerja", "tpi"},
}


def request(client, view, o):
    """Perform `view` on the objects `o` (a draft and a submitted item on o.path)."""
    a = o.assessment
    q_args = [a.code, o.path]
    match view:
        case "question":
            return client.get(reverse("evidence:question", args=q_args))
        case "upload":
            return post_files(client, reverse("evidence:upload", args=q_args), [("baru.pdf", files.pdf())])
        case "link":
            return client.post(reverse("evidence:link", args=q_args),
                               {"url": "https://zi.example.go.id/sk", "title": "SK"})
        case "submit":
            return client.post(reverse("evidence:submit", args=q_args))
        case "submit-indicator":
            indicator = o.path.rsplit(".", 1)[0]
            return client.post(reverse("evidence:submit-indicator", args=[a.code, indicator]))
        case "comment":
            return client.post(reverse("evidence:comment", args=q_args), {"body": "Mohon dicek."})
        case "detail":
            return client.get(reverse("evidence:detail", args=[o.draft.code]))
        case "add-version":
            return post_files(client, reverse("evidence:add-version", args=[o.draft.code]), [("v2.pdf", files.pdf())])
        case "edit":
            return client.post(reverse("evidence:edit", args=[o.draft.code]), {"title": "Judul baru", "version": 1})
        case "withdraw":
            return client.post(reverse("evidence:withdraw", args=[o.draft.code]))
        case "accept":
            return client.post(reverse("evidence:accept", args=[o.submitted.code]))
        case "revision":
            return client.post(reverse("evidence:revision", args=[o.submitted.code]), {"note": "Perbaiki."})
        case "download":
            return client.get(reverse("evidence:download", args=[o.draft.versions.get().code]))
        case "preview":
            return client.get(reverse("evidence:preview", args=[o.draft.versions.get().code]))
    raise AssertionError(view)


def setup(cast, role, *, final=False):
    path = SDM_QUESTION if role == "timkerja_other_area" else MP_QUESTION
    draft = make_evidence(cast.assessment, cast.koordinator, path=path, name="draf.pdf")
    submitted = make_evidence(cast.assessment, cast.koordinator, path=path, name="diajukan.pdf")
    services.evidence_submit(assessment=cast.assessment, questions=[submitted.question], user=cast.koordinator)
    draft.refresh_from_db()
    Evidence.objects.filter(pk=draft.pk).update(status=EvidenceStatus.DRAFT)
    if final:
        cast.assessment.stage = Stage.FINAL
        cast.assessment.save()
    return SimpleNamespace(assessment=cast.assessment, path=path, draft=draft, submitted=submitted)


def user_for(cast, role):
    if role == "anonymous":
        return None
    if role == "timkerja_other_area":
        return cast.timkerja  # assigned MP and PT, acting on an SDM question
    if role == "tpi_other_unit":
        return MembershipFactory(user__username="tpi_lain", unit=cast.other_unit, role=Role.TPI).user
    return getattr(cast, role)


def expected(view, role, final) -> str:
    if role == "anonymous":
        return "login"
    if role in ("outsider", "tpi_other_unit"):
        return "404"
    if view in READ:
        return "200"
    if final or role not in ALLOWED[view]:
        return "403"
    return "done"


def outcome(response) -> str:
    if response.status_code == 302 and response.url.startswith(reverse("accounts:login")):
        return "login"
    if response.status_code == 302:
        return "done"
    return str(response.status_code)


VIEWS = ["question", "upload", "link", "submit", "submit-indicator", "comment", "detail", "add-version", "edit",
         "withdraw", "accept", "revision", "download", "preview"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", VIEWS)
def test_access_matrix(client, cast, view, role):
    o = setup(cast, role)
    client_for(client, user_for(cast, role))
    assert outcome(request(client, view, o)) == expected(view, role, final=False)


@pytest.mark.parametrize("role", ["admin", "koordinator", "timkerja", "tpi", "pimpinan", "outsider"])
@pytest.mark.parametrize("view", VIEWS)
def test_access_matrix_in_a_final_assessment(client, cast, view, role):
    o = setup(cast, role, final=True)
    client_for(client, user_for(cast, role))
    assert outcome(request(client, view, o)) == expected(view, role, final=True)


def test_allowed_writes_really_happen_and_forbidden_ones_change_nothing(client, cast):
    o = setup(cast, "timkerja")
    client_for(client, cast.pimpinan)
    request(client, "withdraw", o)
    request(client, "accept", o)
    o.draft.refresh_from_db()
    o.submitted.refresh_from_db()
    assert not o.draft.withdrawn and o.submitted.status == EvidenceStatus.DIAJUKAN
    client_for(client, cast.tpi)
    request(client, "accept", o)
    client_for(client, cast.timkerja)
    request(client, "withdraw", o)
    o.draft.refresh_from_db()
    o.submitted.refresh_from_db()
    assert o.draft.withdrawn and o.submitted.status == EvidenceStatus.DITERIMA


def test_the_pages_offer_only_what_the_user_may_do(client, cast):
    o = setup(cast, "timkerja")
    url = reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])
    detail = reverse("evidence:detail", args=[o.submitted.code])
    client_for(client, cast.timkerja)
    assert 'id="unggah"' in client.get(url).content.decode()
    assert "Terima bukti" not in client.get(detail).content.decode()
    client_for(client, cast.tpi)
    assert 'id="unggah"' not in client.get(url).content.decode()
    assert "Terima bukti" in client.get(detail).content.decode()
    client_for(client, cast.pimpinan)
    page = client.get(url).content.decode()
    assert 'id="unggah"' not in page and "Kirim komentar" not in page
    assert "Terima bukti" not in client.get(detail).content.decode()


def test_unknown_codes_are_404(client, cast):
    client_for(client, cast.admin)
    zero = "00000000-0000-0000-0000-000000000000"
    for url in [reverse("evidence:detail", args=[zero]), reverse("evidence:download", args=[zero]),
                reverse("evidence:question", args=[cast.assessment.code, "Z.9.9"]),
                reverse("evidence:question", args=[zero, MP_QUESTION])]:
        assert client.get(url).status_code == 404, url


def test_a_question_of_another_instrument_is_404(client, cast, instrument_10):
    client_for(client, cast.koordinator)
    other_path = instrument_10.questions.exclude(path__in=cast.assessment.instrument.questions.values("path"))
    response = client.get(reverse("evidence:question", args=[cast.assessment.code, other_path.first().path]))
    assert response.status_code == 404


def test_the_hasil_questions_are_the_koordinators_only(client, cast):
    client_for(client, cast.timkerja)
    url = reverse("evidence:upload", args=[cast.assessment.code, "B.I.a.a"])
    assert post_files(client, url, [("a.pdf", files.pdf())]).status_code == 403
    client_for(client, cast.koordinator)
    assert post_files(client, url, [("a.pdf", files.pdf())]).status_code == 302
    assert Evidence.objects.filter(question__path="B.I.a.a").count() == 1


# --- the helpers themselves (docs/roles.md) -------------------------------------------------


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_an_indicator_is_read_by_whoever_sees_the_unit(cast):
    from evidence import access

    for who in (cast.pimpinan, cast.tpi, cast.timkerja):
        assessment, indicator = access.get_indicator_for_user(_request(who), cast.assessment.code, "A.I.1.i")
        assert (assessment, indicator.path) == (cast.assessment, "A.I.1.i")


def test_only_the_units_tpi_reviews_and_the_refusal_says_so(cast):
    from django.core.exceptions import PermissionDenied

    from evidence import access
    from tests.evidence.conftest import make_evidence

    item = make_evidence(cast.assessment, cast.koordinator)
    assert access.get_evidence_for_user(_request(cast.tpi), item.code, review=True) == item
    for who in (cast.koordinator, cast.pimpinan):
        with pytest.raises(PermissionDenied, match=r"^Hanya TPI unit ini yang dapat mereviu bukti\.$"):
            access.get_evidence_for_user(_request(who), item.code, review=True)
