"""Chart specifications: plain data that static/js/dashboards.js draws with Chart.js on the page and
dashboards/svg.py draws as SVG in the PDF, so both show the same numbers in the same colours.

A spec: {"title", "labels": [[line, ...], ...], "datasets": [{"label", "data", "color"}],
"stacked", "horizontal", "max", "unit", "lines": [{"label", "value", "color"}]}. Data values are
plain numbers (or null for "no value"); the page formats them in Indonesian.
"""

import textwrap

from django.utils.translation import gettext as _

# Okabe–Ito: distinguishable with the common forms of colour blindness.
UNIT = "#0072B2"
TPI = "#E69F00"
LINE_COLORS = {"WBK": "#D55E00", "WBBM": "#009E73"}
STATUS_COLORS = {"draft": "#999999", "diajukan": "#56B4E9", "diterima": "#009E73", "perlu_perbaikan": "#D55E00"}
PLAN_COLORS = {"done": "#009E73", "on_time": "#56B4E9", "late": "#D55E00"}
LABEL_WIDTH = 20


def wrap(text: str, width: int = LABEL_WIDTH) -> list[str]:
    """A long axis label as lines (Chart.js draws an array as several lines)."""
    return textwrap.wrap(text, width) or [text]


def spec(*, title, labels, datasets, horizontal=True, stacked=False, max_value=None, unit="", lines=(),
         kind="bar", counts=False) -> dict:
    """counts=True: the values are counts, so the axis shows whole numbers only."""
    return {
        "title": title,
        "kind": kind,
        "labels": [wrap(label) for label in labels],
        "datasets": datasets,
        "horizontal": horizontal,
        "stacked": stacked,
        "max": max_value,
        "unit": unit,
        "counts": counts,
        "lines": [{"label": f"{name} {_number(value)}{unit}", "value": value, "color": LINE_COLORS.get(name, "#000")}
                  for name, value in lines],
    }


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def unit_charts(dashboard) -> dict[str, dict]:
    """Every chart of the unit dashboard, by the key its canvas names (data-chart)."""
    charts = {}
    for number, label in enumerate(dashboard.part_labels):
        shown = [area for area in dashboard.areas if area.parts[number] is not None]
        charts[f"area-{number}"] = spec(
            title=_("%(part)s per area (%% dari bobot)") % {"part": label},
            labels=[area.name for area in shown],
            datasets=[
                {"label": _("Unit"), "color": UNIT, "data": [_rounded(a.parts[number].unit_percent) for a in shown]},
                {"label": _("TPI"), "color": TPI, "data": [_rounded(a.parts[number].tpi_percent) for a in shown]},
            ],
            max_value=100, unit="%", lines=dashboard.area_lines,
        )
    rows = dashboard.evidence
    charts["evidence"] = spec(
        title=_("Status bukti per area (jumlah bukti)"),
        labels=[row.name for row in rows],
        datasets=[{"label": label, "color": STATUS_COLORS[key], "data": [getattr(row, key) for row in rows]}
                  for key, label in (("draft", _("Draf")), ("diajukan", _("Diajukan")), ("diterima", _("Diterima")),
                                     ("perlu_perbaikan", _("Perlu perbaikan")))],
        stacked=True, counts=True,
    )
    plans = dashboard.plans
    charts["plans"] = spec(
        title=_("Rencana aksi per area"),
        labels=[row.name for row in plans],
        datasets=[{"label": label, "color": PLAN_COLORS[key], "data": [getattr(row, key) for row in plans]}
                  for key, label in (("done", _("Selesai")), ("on_time", _("Tepat waktu")),
                                     ("late", _("Terlambat")))],
        stacked=True, counts=True,
    )
    points = dashboard.monev
    charts["monev"] = spec(
        title=_("Tren monev per periode (%)"),
        kind="line",
        horizontal=False,
        labels=[point.period.label for point in points],
        datasets=[
            {"label": _("Rata-rata progres"), "color": UNIT,
             "data": [_rounded(point.average_progress) for point in points]},
            {"label": _("Rencana aksi selesai"), "color": PLAN_COLORS["done"],
             "data": [_rounded(point.done_percent) for point in points]},
        ],
        max_value=100, unit="%",
    )
    return charts


def overview_chart(rows, total_lines) -> dict:
    """Unit and TPI totals of the units on the current page."""
    return spec(
        title=_("Nilai total per unit"),
        labels=[row.assessment.unit.name for row in rows],
        datasets=[
            {"label": _("Nilai unit"), "color": UNIT, "data": [_rounded(row.unit_total) for row in rows]},
            {"label": _("Nilai TPI"), "color": TPI, "data": [_rounded(row.tpi_total) for row in rows]},
        ],
        max_value=100, lines=total_lines,
    )
