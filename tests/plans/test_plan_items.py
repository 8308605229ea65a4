from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from plans import services
from plans.models import PlanItem, PlanStatus

pytestmark = pytest.mark.django_db


def test_a_plan_item_understands_its_indonesian_target(cast, make_item):
    item = make_item(target="Juli - Des")
    year = cast.assessment.year
    assert (item.target_start, item.target_end) == (date(year, 7, 1), date(year, 12, 31))
    assert item.target_label


def test_an_unknown_target_is_refused_and_nothing_is_saved(cast, make_item):
    with pytest.raises(ValidationError) as error:
        make_item(target="segera")
    assert "tidak dipahami" in str(error.value)
    assert not PlanItem.objects.exists()


@time_machine.travel(date(2026, 7, 15), tick=False)
def test_an_item_is_late_after_its_target_unless_done(cast, make_item):
    cast.assessment.year = 2026
    cast.assessment.save()
    june = make_item(target="Juni 2026")
    july = make_item(target="Juli 2026")
    done = make_item(target="Mei 2026", status=PlanStatus.SELESAI)
    today = date(2026, 7, 15)
    assert june.is_late_on(today) and not july.is_late_on(today) and not done.is_late_on(today)
    assert list(PlanItem.objects.late(today)) == [june]


def test_done_means_full_progress_and_progress_is_bounded(cast, make_item):
    assert make_item(status=PlanStatus.SELESAI, progress=40).progress == 100
    with pytest.raises(ValidationError):
        make_item(progress=101)


def test_items_are_reordered_within_their_indicator(cast, make_item):
    first, _second, third = make_item(steps="satu"), make_item(steps="dua"), make_item(steps="tiga")
    services.plan_item_move(item=third, direction="up")
    ordered = list(PlanItem.objects.filter(indicator=first.indicator).order_by("order").values_list("steps", flat=True))
    assert ordered == ["satu", "tiga", "dua"]
    services.plan_item_move(item=first, direction="up")  # already first: nothing changes
    assert PlanItem.objects.get(pk=first.pk).order == 1


def test_an_item_with_monev_cannot_be_deleted(cast, make_item):
    item = make_item()
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    services.monev_entry_set(period=period, plan_item=item, user=cast.koordinator, realisasi="SK terbit",
                             progress=50, kendala="", tindak_lanjut="")
    with pytest.raises(ValidationError, match="catatan monev"):
        services.plan_item_delete(item=item)
    assert PlanItem.objects.filter(pk=item.pk).exists()


@time_machine.travel(date(2027, 1, 10), tick=False)
def test_carry_over_copies_unfinished_items_and_keeps_the_old_history(cast, make_item, instrument_90):
    old_item = make_item(steps="Belum selesai", status=PlanStatus.BERJALAN, progress=60)
    make_item(steps="Sudah selesai", status=PlanStatus.SELESAI)
    period = services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")[0]
    services.monev_entry_set(period=period, plan_item=old_item, user=cast.koordinator, realisasi="Rapat",
                             progress=60, kendala="", tindak_lanjut="")
    from areas.services import assessment_create

    next_year = assessment_create(unit=cast.unit, instrument=instrument_90, year=cast.assessment.year + 1,
                                  previous=cast.assessment)
    created = services.plans_carry_over(source=cast.assessment, target=next_year,
                                        items=list(cast.assessment.plan_items.all()), user=cast.koordinator)
    assert [c.steps for c in created] == ["Belum selesai"]
    copy = created[0]
    assert copy.carried_from == old_item and copy.status == PlanStatus.BELUM and copy.target_end is None
    assert old_item.monev_entries.count() == 1 and copy.monev_entries.count() == 0
    again = services.plans_carry_over(source=cast.assessment, target=next_year,
                                      items=list(cast.assessment.plan_items.all()), user=cast.koordinator)
    assert again == []  # carried once only


def test_carry_over_refuses_an_unrelated_assessment(cast, make_item):
    with pytest.raises(ValidationError):
        services.plans_carry_over(source=cast.other_assessment, target=cast.assessment, items=[],
                                  user=cast.koordinator)
