import pytest

from plans import services
from zi_portal.celery import app


@pytest.fixture(autouse=True)
def eager():
    """The beat task runs in-process whatever REDIS_URL says (CI's PostgreSQL pass sets it)."""
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def make_item(cast):
    """Create plan items through the service, as the pages do."""

    def make(path="A.I.1.i", steps="Menyusun SK tim kerja", target="Juni 2026", user=None, **kwargs):
        indicator = cast.assessment.instrument.nodes.get(path=path)
        return services.plan_item_create(assessment=kwargs.pop("assessment", cast.assessment), indicator=indicator,
                                         steps=steps, output=kwargs.pop("output", "SK Tim"), target_text=target,
                                         user=user or cast.koordinator, **kwargs)

    return make
