"""A plan item's status never contradicts its progress."""

import pytest

from plans import services
from plans.models import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status, progress, expected_status, expected_progress", [
    (PlanStatus.BELUM, 60, PlanStatus.BERJALAN, 60),
    (PlanStatus.BERJALAN, 100, PlanStatus.SELESAI, 100),
    (PlanStatus.BELUM, 100, PlanStatus.SELESAI, 100),
    (PlanStatus.SELESAI, 40, PlanStatus.SELESAI, 100),
    (PlanStatus.BERJALAN, 0, PlanStatus.BERJALAN, 0),
    (PlanStatus.BELUM, 0, PlanStatus.BELUM, 0),
])
def test_created_and_edited_items_agree(cast, make_item, status, progress, expected_status, expected_progress):
    created = make_item(status=status, progress=progress)
    assert (created.status, created.progress) == (expected_status, expected_progress)
    other = make_item(steps="Lain")
    edited = services.plan_item_update(item=other, user=cast.koordinator, expected_version=other.version,
                                       status=status, progress=progress)
    assert (edited.status, edited.progress) == (expected_status, expected_progress)
