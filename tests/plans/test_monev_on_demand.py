"""Monev periods open as they are needed, and a period's table is saved with one button."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from plans import services
from plans.models import MonevEntry, MonevPeriod
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2026(cast):
    cast.assessment.year = 2026
    cast.assessment.save()
    return cast.assessment


@pytest.mark.parametrize("today, kind, labels", [
    (date(2026, 8, 20), "triwulan", ["Triwulan III 2026", "Triwulan IV 2026"]),
    (date(2026, 11, 30), "triwulan", ["Triwulan IV 2026"]),
    (date(2026, 3, 5), "bulanan", ["Maret 2026", "April 2026"]),
    (date(2025, 10, 1), "bulanan", ["Januari 2026", "Februari 2026"]),
    (date(2027, 2, 1), "triwulan", ["Triwulan IV 2026"]),
])
def test_only_the_running_and_the_next_period_are_opened(year_2026, today, kind, labels):
    created = services.monev_periods_open(assessment=year_2026, kind=kind, today=today)
    assert [p.label for p in created] == labels
    assert services.monev_periods_open(assessment=year_2026, kind=kind, today=today) == []


@time_machine.travel(date(2026, 8, 20), tick=False)
def test_the_koordinator_opens_periods_from_the_monev_page(client, cast, year_2026):
    client_for(client, cast.koordinator)
    response = client.post(reverse("plans:monev", args=[year_2026.code]), {"kind": "triwulan"})
    assert response.status_code == 302
    assert list(MonevPeriod.objects.filter(assessment=year_2026).values_list("label", flat=True)) == [
        "Triwulan III 2026", "Triwulan IV 2026"]


def _row(prefix, *, version=0, realisasi="", progress=0, kendala="", tindak_lanjut=""):
    return {f"{prefix}-version": version, f"{prefix}-realisasi": realisasi, f"{prefix}-progress": progress,
            f"{prefix}-kendala": kendala, f"{prefix}-tindak_lanjut": tindak_lanjut}


@time_machine.travel(date(2026, 8, 20), tick=False)
def test_one_save_records_every_changed_row_and_skips_untouched_ones(client, cast, year_2026, make_item):
    first, second, untouched = make_item(steps="Satu"), make_item(steps="Dua"), make_item(steps="Tiga")
    period = services.monev_periods_open(assessment=year_2026, kind="triwulan", today=date(2026, 8, 20))[0]
    client_for(client, cast.koordinator)
    page = client.get(reverse("plans:period", args=[period.code])).content.decode()
    assert page.count("Simpan semua catatan") == 1 and f"plans/monev/{period.code}/entri/" not in page
    data = {**_row(first.code, realisasi="SK terbit", progress=100), **_row(second.code, progress=40),
            **_row(untouched.code)}
    response = client.post(reverse("plans:period", args=[period.code]), data)
    assert response.status_code == 302
    entries = {e.plan_item_id: e.progress for e in MonevEntry.objects.filter(period=period)}
    assert entries == {first.pk: 100, second.pk: 40}


@time_machine.travel(date(2026, 8, 20), tick=False)
def test_a_stale_row_refuses_the_whole_save_and_keeps_what_was_typed(client, cast, year_2026, make_item):
    first, second = make_item(steps="Satu"), make_item(steps="Dua")
    period = services.monev_periods_open(assessment=year_2026, kind="triwulan", today=date(2026, 8, 20))[0]
    services.monev_entry_set(period=period, plan_item=second, user=cast.timkerja, realisasi="lebih dulu",
                             progress=10, kendala="", tindak_lanjut="")
    client_for(client, cast.koordinator)
    data = {**_row(first.code, realisasi="ketikan saya", progress=50), **_row(second.code, version=0, progress=60)}
    response = client.post(reverse("plans:period", args=[period.code]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ketikan saya" in html and "sudah diubah" in html
    assert list(MonevEntry.objects.filter(period=period).values_list("progress", flat=True)) == [10]


def test_a_member_who_cannot_write_gets_403_and_an_outsider_404(client, cast, make_item):
    make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    client_for(client, cast.pimpinan)
    assert client.post(reverse("plans:period", args=[period.code]), {}).status_code == 403
    client.logout()
    client_for(client, cast.outsider)
    assert client.post(reverse("plans:period", args=[period.code]), {}).status_code == 404
