"""A realistic assessment for the dashboard tests, with time frozen (deadlines, lateness, periods)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from areas.models import Stage
from tests.dashboards.builders import build_assessment_data

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def realistic(cast, frozen):
    """cast's assessment in reviu TPI: answers on both sides in all six areas and hasil, evidence in
    every status, plan items done / on time / late, two monev periods."""
    build_assessment_data(cast.assessment, unit_user=cast.koordinator, tpi_user=cast.tpi, today=frozen)
    cast.assessment.stage = Stage.REVIU
    cast.assessment.save(update_fields=["stage"])
    cast.today = frozen
    return cast
