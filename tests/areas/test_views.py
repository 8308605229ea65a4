import pytest
from django.urls import reverse

from accounts.models import Membership
from areas.models import Stage, StageChange
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ALL_ROLES = ["admin", "koordinator", "timkerja", "tpi", "pimpinan", "outsider"]


def test_anonymous_visitors_are_sent_to_login(client, cast, instrument_90):
    for url in [
        reverse("areas:instruments"),
        reverse("areas:instrument", args=[instrument_90.uuid]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url, url
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.MANDIRI})
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_signed_in_user_browses_the_instruments(client, cast, instrument_90, role):
    client_for(client, getattr(cast, role))
    assert client.get(reverse("areas:instruments")).status_code == 200
    response = client.get(reverse("areas:instrument", args=[instrument_90.uuid]))
    assert response.status_code == 200
    assert "A.I.1.i.a" in response.content.decode()


def test_the_instrument_browser_searches_questions_and_criteria(client, cast, instrument_90):
    client_for(client, cast.timkerja)
    page = client.get(reverse("areas:instrument", args=[instrument_90.uuid]), {"q": "LHKPN"}).content.decode()
    assert "A.II.5.iii.a.a" in page
    assert "A.I.1.i.a" not in page
    assert "pertanyaan cocok" in page
    empty = client.get(reverse("areas:instrument", args=[instrument_90.uuid]), {"q": "zzzzqqq"}).content.decode()
    assert "Tidak ada yang cocok" in empty


def test_the_instrument_browser_shows_weights_types_criteria_and_thresholds(client, cast, instrument_10):
    client_for(client, cast.pimpinan)
    page = client.get(reverse("areas:instrument", args=[instrument_10.uuid])).content.decode()
    assert "Manajemen Perubahan" in page and "bobot 8" in page
    assert "A/B/C/D/E" in page
    assert "asumsi" in page  # inferred answer types and weights are marked
    assert "belum terkonfirmasi" in page


@pytest.mark.parametrize("role, status", [
    ("admin", 302), ("koordinator", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 404),
])
def test_stage_change_access(client, cast, role, status):
    client_for(client, getattr(cast, role))
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.MANDIRI})
    assert response.status_code == status
    cast.assessment.refresh_from_db()
    assert (cast.assessment.stage == Stage.MANDIRI) == (status == 302)


def test_a_stage_change_is_recorded_with_who_and_when(client, cast):
    client_for(client, cast.koordinator)
    client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.MANDIRI, "note": "Siap"})
    change = StageChange.objects.get(assessment=cast.assessment)
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        Stage.PEMBANGUNAN, Stage.MANDIRI, cast.koordinator, "Siap")
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage_changed_at is not None


def test_a_final_assessment_is_read_only_for_the_koordinator(client, cast):
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    client_for(client, cast.koordinator)
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.REVIU})
    assert response.status_code == 403
    page = client.get(reverse("workspace:overview", args=[cast.assessment.code])).content.decode()
    assert "sudah final" in page and "Ubah tahap penilaian" not in page


def test_reopening_a_final_assessment_needs_a_reason(client, cast):
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    client_for(client, cast.admin)
    client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.REVIU, "note": " "})
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == Stage.FINAL
    client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": Stage.REVIU, "note": "Koreksi"})
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == Stage.REVIU


def test_an_unknown_stage_changes_nothing(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": "lompat"}, follow=True)
    assert "Tahap tidak valid" in response.content.decode()
    cast.assessment.refresh_from_db()
    assert cast.assessment.stage == Stage.PEMBANGUNAN
    assert not StageChange.objects.exists()


def test_membership_is_required_per_unit_not_per_instance(cast):
    assert Membership.objects.filter(user=cast.outsider, unit=cast.unit).count() == 0
