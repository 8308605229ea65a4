"""One number helper for pages and exports (docs/i18n.md): templates format numbers with `num`
(accounts/formatting.py), never with Django's `floatformat`, and `num` writes what `floatformat`
wrote where that was right."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_formats_numbers_with_floatformat():
    templates = [p for p in ROOT.glob("**/templates/**/*.*") if ".venv" not in p.parts and "var" not in p.parts]
    assert len(templates) > 100
    found = [f"{p.relative_to(ROOT)}:{n}" for p in templates
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bfloatformat\b", line)]
    assert found == []


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("value", [0, 0.5, 1.775, 17.5, 63.2549, 99.995, 100, -1.235, -0.001])
@pytest.mark.parametrize("places", [0, 1, 2])
def test_num_writes_what_floatformat_wrote_for_fixed_places(language, value, places):
    with translation.override(language):
        rendered = Template(f"{{{{ x|num:{places} }}}}").render(Context({"x": value}))
        assert rendered == floatformat(value, places)


@pytest.mark.parametrize("language, expected", [
    ("id", ["0,25", "0,5", "17,5", "100", "1,78"]),
    ("en", ["0.25", "0.5", "17.5", "100", "1.78"]),
])
def test_num_up_to_two_places_drops_trailing_zeros(language, expected):
    with translation.override(language):
        rendered = [Template('{{ x|num:"-2" }}').render(Context({"x": x})) for x in (0.25, 0.5, 17.5, 100, 1.775)]
    assert rendered == expected


def test_num_leaves_empty_values_empty_and_groups_thousands():
    with translation.override("id"):
        assert Template("[{{ x|num }}]").render(Context({"x": None})) == "[]"
        assert Template("{{ x|num:0 }}").render(Context({"x": 12345.6})) == "12.346"
