"""The rencana aksi import's refusals through the page and the service, and who may use its views.

Every refusal is an Indonesian sentence naming what was refused and why; nothing is imported and
nothing changes. Rules: docs/plan-import.md.
"""

import dataclasses
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from areas.models import Stage
from plans import services
from plans.models import PlanImport, PlanItem
from tests.conftest import client_for

HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET"]


def _xlsx(rows, name="rencana.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


ROW = ["1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Juni 2026"]


def _preview(cast):
    return services.plan_import_preview(assessment=cast.assessment, user=cast.koordinator, upload=_xlsx([ROW]))


def _messages(response):
    return " ".join(str(message) for message in response.wsgi_request._messages)


def test_an_unknown_column_meaning_on_the_page_is_refused_by_name_and_changes_nothing(client, cast):
    preview = _preview(cast)
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:import-preview", args=[preview.code]),
                           {"action": "remap", "m-0-4": "warna", "m-0-1": "area"})
    assert response.status_code == 302
    assert 'Arti kolom "BUKTI FISIK" tidak dikenal.' in _messages(response)
    before = preview.mapping
    preview.refresh_from_db()
    assert preview.mapping == before and preview.rows[0]["output"] == "SK"


def test_a_commit_into_a_final_assessment_is_refused_and_imports_nothing(client, cast):
    preview = _preview(cast)
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save()
    client_for(client, cast.koordinator)
    refusal = "Penilaian ini sudah final; rencana aksi tidak dapat diimpor."
    for response in (client.post(reverse("plans:import-preview", args=[preview.code])),
                     client.post(reverse("plans:import", args=[cast.assessment.code]), {"file": _xlsx([ROW])})):
        assert response.status_code == 403 and refusal in response.content.decode()
    with pytest.raises(ValidationError, match=refusal):  # the command's path: the service refuses too
        services.plan_import_commit(plan_import=preview, user=cast.koordinator)
    assert not PlanItem.objects.exists() and PlanImport.objects.get().status == PlanImport.Status.PREVIEW


def test_committing_or_remapping_an_import_twice_is_refused(client, cast):
    preview = _preview(cast)
    client_for(client, cast.koordinator)
    url = reverse("plans:import-preview", args=[preview.code])
    client.post(url)
    for data in ({}, {"action": "remap", "m-0-4": "note"}):
        assert "Impor ini sudah diproses." in client.post(url, data, follow=True).content.decode()
    assert PlanItem.objects.count() == 1


def test_more_rows_than_the_limit_are_refused_with_the_count(client, cast, monkeypatch):
    monkeypatch.setattr(services, "MAX_IMPORT_ROWS", 3)
    client_for(client, cast.koordinator)
    rows = [[str(n), *ROW[1:3], f"Langkah {n}", "SK", "Juni 2026"] for n in range(1, 5)]
    response = client.post(reverse("plans:import", args=[cast.assessment.code]), {"file": _xlsx(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Berkas berisi 4 baris rencana aksi, lebih dari 3. Bagi menjadi beberapa berkas" in page
    assert not PlanImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_name(client, cast, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_POLICY", dataclasses.replace(services.IMPORT_POLICY, max_bytes=2000))
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:import", args=[cast.assessment.code]),
                           {"file": _xlsx([ROW], name="besar.xlsx")})
    page = response.content.decode()
    assert response.status_code == 400 and "besar.xlsx" in page and "ditolak" in page
    assert not PlanImport.objects.exists()


def test_a_mapping_outside_the_meanings_is_refused_by_the_service(cast):
    preview = _preview(cast)
    with pytest.raises(ValidationError, match="Pemetaan kolom tidak valid"):
        services.plan_import_remap(plan_import=preview, mapping={"0": {"4": "warna"}})
    preview.refresh_from_db()
    assert preview.rows[0]["output"] == "SK"


# --- who may use the import views --------------------------------------------------------------

ROLES = ["koordinator", "admin", "timkerja", "tpi", "pimpinan", "outsider", None]
# role: (import page GET, import POST, preview GET, remap POST, commit POST, result GET)
EXPECTED = {
    "koordinator": (200, 302, 200, 302, 302, 200),
    "admin": (403, 403, 403, 403, 403, 403),  # sees every unit, imports into none
    "timkerja": (403, 403, 403, 403, 403, 403),
    "tpi": (403, 403, 403, 403, 403, 403),
    "pimpinan": (403, 403, 403, 403, 403, 403),
    "outsider": (404, 404, 404, 404, 404, 404),  # another unit's koordinator
    None: (302, 302, 302, 302, 302, 302),  # to the sign-in page
}


@pytest.mark.parametrize("role", ROLES)
def test_the_import_views_access_matrix(client, cast, role):
    preview, done = _preview(cast), _preview(cast)
    services.plan_import_commit(plan_import=done, user=cast.koordinator)
    items = PlanItem.objects.count()
    client_for(client, getattr(cast, role) if role else None)
    import_url = reverse("plans:import", args=[cast.assessment.code])
    preview_url = reverse("plans:import-preview", args=[preview.code])
    responses = [
        client.get(import_url),
        client.post(import_url, {"file": _xlsx([ROW])}),
        client.get(preview_url),
        client.post(preview_url, {"action": "remap", "m-0-4": "note"}),
        client.post(preview_url),
        client.get(reverse("plans:import-result", args=[done.code])),
    ]
    assert tuple(response.status_code for response in responses) == EXPECTED[role]
    if role is None:
        assert all("/masuk" in response.url or "login" in response.url for response in responses)
    if role != "koordinator":
        assert PlanItem.objects.count() == items and PlanImport.objects.count() == 2
        preview.refresh_from_db()
        assert preview.status == PlanImport.Status.PREVIEW and preview.mapping["0"]["4"] == "output"
