"""The admin shows evidence, comments and the audit log, and changes none of them."""

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import AuditEvent, Comment, Evidence
from tests.conftest import client_for
from tests.evidence.conftest import make_evidence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Evidence, Comment, AuditEvent])
def test_the_admin_lists_but_never_adds_changes_or_deletes(client, cast, model):
    app = model._meta.app_label
    evidence = make_evidence(cast.assessment, cast.timkerja, ip_address="198.51.100.4")
    services.comment_add(assessment=cast.assessment, question=evidence.question, user=cast.tpi, body="Cek")
    obj = model.objects.first()
    name = model._meta.model_name
    client_for(client, cast.admin)
    changelist = client.get(reverse(f"admin:{app}_{name}_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:{app}_{name}_change", args=[obj.pk])).status_code == 200  # view only
    assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:{app}_{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_the_audit_log_in_the_admin_shows_who_what_and_the_address(client, cast):
    make_evidence(cast.assessment, cast.timkerja, ip_address="198.51.100.4")
    client_for(client, cast.admin)
    page = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "198.51.100.4" in page and "Unggah berkas" in page and cast.timkerja.username in page
