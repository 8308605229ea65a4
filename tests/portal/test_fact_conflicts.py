"""Two people recording the same prerequisite: a value changed since the page was loaded is never
overwritten unseen (core.concurrency), on the unit checklist and on the instansi page."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from portal import services
from portal.models import InstansiFact, UnitFact
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.portal.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def seen_on(html: str) -> str:
    """The hidden version map the page's fact form carries."""
    match = re.search(r'name="seen" value="([^"]*)"', html)
    return match.group(1).replace("&quot;", '"') if match else ""


def second_koordinator(cast):
    other = UserFactory(full_name="Koordinator Kedua")
    MembershipFactory(user=other, unit=cast.unit, role="koordinator")
    return other


def test_the_page_carries_the_version_of_every_recorded_value(client, cast):
    fact = services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="80", user=cast.koordinator)
    client_for(client, cast.koordinator)
    html = client.get(reverse("portal:checklist", args=[cast.assessment.code])).content.decode()
    assert json.loads(seen_on(html)) == {"tlhp": fact.version}


def test_a_unit_value_changed_since_the_page_was_loaded_is_not_overwritten(client, cast):
    url = reverse("portal:checklist", args=[cast.assessment.code])
    first, second = client, Client()
    client_for(first, cast.koordinator)
    client_for(second, second_koordinator(cast))
    seen_first = seen_on(first.get(url).content.decode())
    seen_second = seen_on(second.get(url).content.decode())
    assert second.post(url, {"kind": "tlhp", "value": "90", "seen": seen_second}).status_code == 302
    files_before = set(default_storage.listdir("persyaratan")[1]) if default_storage.exists("persyaratan") else set()

    response = first.post(url, {"kind": "tlhp", "value": "70", "seen": seen_first, "document": pdf_upload()})
    assert response.status_code == 400
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "sudah diubah oleh Koordinator Kedua" in page and "Perubahan Anda tidak disimpan" in page
    fact = UnitFact.objects.get()
    assert fact.value == "90" and not fact.document
    files_after = set(default_storage.listdir("persyaratan")[1]) if default_storage.exists("persyaratan") else set()
    assert files_after == files_before  # the refused document was not kept

    # The refused page shows the new value's version: saving again, knowingly, works.
    assert first.post(url, {"kind": "tlhp", "value": "70", "seen": seen_on(page)}).status_code == 302
    assert UnitFact.objects.get().value == "70"


def test_another_prerequisite_saved_meanwhile_does_not_block(client, cast):
    url = reverse("portal:checklist", args=[cast.assessment.code])
    client_for(client, cast.koordinator)
    seen = seen_on(client.get(url).content.decode())
    services.unit_fact_set(assessment=cast.assessment, kind="lhkpn", value="100", user=cast.admin)
    assert client.post(url, {"kind": "tlhp", "value": "95", "seen": seen}).status_code == 302
    assert dict(UnitFact.objects.values_list("kind", "value")) == {"lhkpn": "100", "tlhp": "95"}


def test_an_instansi_value_changed_since_the_page_was_loaded_is_not_overwritten(client, cast):
    url = reverse("portal:instansi", args=[cast.unit.instansi.code]) + f"?tahun={cast.assessment.year}"
    client_for(client, cast.admin)
    seen = seen_on(client.get(url).content.decode())
    services.instansi_fact_set(instansi=cast.unit.instansi, year=cast.assessment.year, kind="sakip", value="A",
                               user=cast.koordinator)
    response = client.post(url, {"action": "fact", "kind": "sakip", "value": "BB", "seen": seen})
    assert response.status_code == 400
    assert "Perubahan Anda tidak disimpan" in re.sub(r"\s+", " ", response.content.decode())
    assert InstansiFact.objects.get().value == "A"


def test_the_service_checks_the_version_only_when_given(cast):
    fact = services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="80", user=cast.koordinator)
    with pytest.raises(ValidationError, match="sudah diubah"):
        services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="60", user=cast.admin, seen="")
    assert services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="60", user=cast.admin,
                                  seen=fact.version).value == "60"
    assert services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="50", user=cast.admin).value == "50"


@pytest.mark.parametrize("seen", ["{bukan json", '["tlhp"]', '{"tlhp": 5}', "\x00"])
def test_a_mangled_version_map_is_a_conflict_never_an_error(client, cast, seen):
    services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="80", user=cast.koordinator)
    client_for(client, cast.koordinator)
    url = reverse("portal:checklist", args=[cast.assessment.code])
    response = client.post(url, {"kind": "tlhp", "value": "20", "seen": seen})
    assert response.status_code == 400
    assert UnitFact.objects.get().value == "80"
