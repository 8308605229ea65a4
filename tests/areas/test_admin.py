import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Role
from areas.models import Instrument
from tests.conftest import client_for, load_instrument_data

pytestmark = pytest.mark.django_db


def upload(data: bytes, name="instrumen.json"):
    return SimpleUploadedFile(name, data, content_type="application/json")


def test_an_admin_loads_a_new_regulation_by_upload_without_code(client, cast):
    data = copy.deepcopy(load_instrument_data("permenpanrb-90-2021"))
    data["code"] = "permenpanrb-uji-2027"
    client_for(client, cast.admin)
    response = client.post(reverse("admin:areas_instrument_import"),
                           {"file": upload(json.dumps(data).encode())})
    assert response.status_code == 302
    assert Instrument.objects.get(code="permenpanrb-uji-2027").questions.count() == 113


def test_a_broken_upload_is_explained_and_imports_nothing(client, cast):
    client_for(client, cast.admin)
    count = Instrument.objects.count()
    page = client.post(reverse("admin:areas_instrument_import"), {"file": upload(b"{rusak")}).content.decode()
    assert "bukan JSON yang valid" in page
    page = client.post(reverse("admin:areas_instrument_import"),
                       {"file": upload(json.dumps({"format": "x"}).encode())}).content.decode()
    assert "bukan instrumen ZI Portal" in page
    assert Instrument.objects.count() == count


def test_the_instrument_import_page_is_for_admins_only(client, cast):
    client_for(client, cast.koordinator)
    response = client.get(reverse("admin:areas_instrument_import"))
    assert response.status_code == 302 and "login" in response.url


def test_the_admin_membership_form_keeps_the_tpi_independent(client, cast):
    client_for(client, cast.admin)
    page = client.post(reverse("admin:accounts_membership_add"), {
        "user": cast.timkerja.pk, "unit": cast.unit.pk, "role": Role.TPI}).content.decode()
    assert "TPI harus independen" in page
    assert Membership.objects.filter(user=cast.timkerja).count() == 1


def test_admin_pages_open(client, cast):
    client_for(client, cast.admin)
    for name in ["admin:areas_instrument_changelist", "admin:areas_question_changelist",
                 "admin:accounts_unit_changelist", "admin:areas_assessment_changelist"]:
        assert client.get(reverse(name)).status_code == 200, name
    question = cast.assessment.instrument.questions.first()
    assert client.get(reverse("admin:areas_question_change", args=[question.pk])).status_code == 200


def test_editing_expected_evidence_in_the_admin_retires_the_cached_tree(client, cast):
    from areas.selectors import cached_sections

    client.force_login(cast.admin)
    instrument = cast.assessment.instrument
    _sections, by_path = cached_sections(instrument)
    question = by_path["A.I.1.i.a"]
    url = reverse("admin:areas_question_change", args=[question.pk])
    response = client.post(url, {"expected_evidence": '["Dokumen baru"]'})
    assert response.status_code == 302
    instrument.refresh_from_db()
    _sections, by_path = cached_sections(instrument)
    assert by_path["A.I.1.i.a"].expected_evidence == ["Dokumen baru"]
