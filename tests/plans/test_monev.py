from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from plans import selectors, services
from plans.models import MonevEntry, MonevPeriod, PeriodEvent

pytestmark = pytest.mark.django_db


def test_monthly_and_quarterly_periods_are_generated_once(cast):
    months = services.monev_periods_generate(assessment=cast.assessment, kind="bulanan")
    assert len(months) == 12 and months[0].label.startswith("Januari")
    assert months[1].end == date(cast.assessment.year, 2, 28 if cast.assessment.year % 4 else 29)
    assert services.monev_periods_generate(assessment=cast.assessment, kind="bulanan") == []
    with pytest.raises(ValidationError, match="sudah memakai periode bulanan"):
        services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")
    assert MonevPeriod.objects.filter(assessment=cast.assessment).count() == 12
    quarters = services.monev_periods_generate(assessment=cast.other_assessment, kind="triwulan")
    assert [q.label for q in quarters][1] == f"Triwulan II {cast.other_assessment.year}"
    assert quarters[1].due_date == date(cast.other_assessment.year, 7, 10)


def test_a_closed_period_refuses_entries_until_reopened_with_a_reason(cast, make_item):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    services.monev_period_close(period=period, user=cast.koordinator)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.monev_entry_set(period=period, plan_item=item, user=cast.timkerja, realisasi="x", progress=10,
                                 kendala="", tindak_lanjut="")
    with pytest.raises(ValidationError):
        services.monev_period_reopen(period=period, user=cast.koordinator, reason="  ")
    services.monev_period_reopen(period=period, user=cast.koordinator, reason="Ada data susulan")
    services.monev_entry_set(period=period, plan_item=item, user=cast.timkerja, realisasi="x", progress=10,
                             kendala="", tindak_lanjut="")
    assert MonevEntry.objects.count() == 1
    assert list(PeriodEvent.objects.values_list("action", flat=True)) == ["buka", "tutup"]


def test_an_entry_for_another_assessments_item_is_refused(cast, make_item):
    item = make_item(assessment=cast.other_assessment, user=cast.outsider)
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    with pytest.raises(ValidationError, match="bukan milik"):
        services.monev_entry_set(period=period, plan_item=item, user=cast.koordinator, realisasi="", progress=0,
                                 kendala="", tindak_lanjut="")


@time_machine.travel(date(2026, 8, 20), tick=False)
def test_the_period_summary_counts_done_late_and_on_track_per_area_and_the_change(cast, make_item):
    cast.assessment.year = 2026
    cast.assessment.save()
    done = make_item(path="A.I.1.i", target="Maret 2026")
    late = make_item(path="A.I.1.ii", target="April 2026")
    on_track = make_item(path="A.I.5.i", target="Desember 2026")
    q1, q2 = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[:2]
    services.monev_entry_set(period=q1, plan_item=done, user=cast.koordinator, realisasi="", progress=50,
                             kendala="", tindak_lanjut="")
    services.monev_entry_set(period=q2, plan_item=done, user=cast.koordinator, realisasi="", progress=100,
                             kendala="", tindak_lanjut="")
    summary = selectors.period_summary(q2, today=date(2026, 8, 20))
    rows = {r["area"]: r for r in summary["rows"]}
    assert rows["Manajemen Perubahan"]["done"] == 1
    assert rows["Manajemen Perubahan"]["late"] == 1  # April target, not done by the end of June
    assert rows["Penguatan Pengawasan"]["on_track"] == 1
    assert rows["Manajemen Perubahan"]["done_change"] == 1  # not done at the end of Q1
    assert summary["previous"] == q1
    q1_rows = {r["area"]: r for r in selectors.period_summary(q1, today=date(2026, 8, 20))["rows"]}
    # at the end of March nothing of MP is late yet: March's target ends that day, April's later
    assert (q1_rows["Manajemen Perubahan"]["late"], q1_rows["Manajemen Perubahan"]["on_track"]) == (0, 2)
    assert late.pk and on_track.pk


@time_machine.travel(date(2026, 8, 20), tick=False)
def test_an_item_done_in_a_period_is_not_shown_late_in_it(cast, make_item):
    cast.assessment.year = 2026
    cast.assessment.save()
    item = make_item(target="Januari 2026")
    q1 = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    rows = {r.pk: r for r in selectors.period_rows(q1, today=date(2026, 8, 20))}
    assert rows[item.pk].late_at_period
    services.monev_entry_set(period=q1, plan_item=item, user=cast.koordinator, realisasi="SK terbit", progress=100,
                             kendala="", tindak_lanjut="")
    rows = {r.pk: r for r in selectors.period_rows(q1, today=date(2026, 8, 20))}
    assert not rows[item.pk].late_at_period
