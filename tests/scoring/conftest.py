"""Helpers for the scoring tests that touch the database (answers, pages, command)."""

import pytest

from areas.models import Question, Stage
from scoring import services
from scoring.models import Side

HTMX = {"HTTP_HX_REQUEST": "true"}


def question(assessment, path) -> Question:
    return Question.objects.get(instrument=assessment.instrument, path=path)


def answer(assessment, path, value, *, side=Side.UNIT, user, note="", expected_version=None):
    """Save an answer the way the page does, based on the version currently stored."""
    q = question(assessment, path)
    if expected_version is None:
        stored = q.answers.filter(assessment=assessment, side=side).first()
        expected_version = stored.version if stored else 0
    return services.answer_set(
        assessment=assessment, question=q, side=side, user=user, value=value, note=note,
        expected_version=expected_version,
    )


def set_stage(assessment, stage):
    assessment.stage = stage
    assessment.save(update_fields=["stage"])


@pytest.fixture
def reviu(cast):
    set_stage(cast.assessment, Stage.REVIU)
    return cast.assessment
