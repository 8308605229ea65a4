import pytest

from plans import services


@pytest.fixture
def make_item(cast):
    """Create plan items through the service, as the pages do."""

    def make(path="A.I.1.i", steps="Menyusun SK tim kerja", target="Juni 2026", user=None, **kwargs):
        indicator = cast.assessment.instrument.nodes.get(path=path)
        return services.plan_item_create(assessment=kwargs.pop("assessment", cast.assessment), indicator=indicator,
                                         steps=steps, output=kwargs.pop("output", "SK Tim"), target_text=target,
                                         user=user or cast.koordinator, **kwargs)

    return make
