"""Charts as inline SVG for the dashboard PDF (WeasyPrint draws SVG; no browser, no JavaScript).

Every chart spec of dashboards/charts.py is drawn as horizontal bars, one row per label: grouped
bars (one per dataset) or one stacked bar, with the value written beside each bar and dashed
lines for the thresholds. Text is escaped; numbers are written by accounts.formatting in the
document's language (Indonesian decimal comma, English decimal point).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.formatting import format_number

WIDTH = 480
LABEL_WIDTH = 140
VALUE_WIDTH = 60
BAR = 10
BAR_GAP = 2
STACK_BAR = 14
ROW_GAP = 9
LINE_HEIGHT = 11
LEGEND_HEIGHT = 22
FONT = 'font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="9"'


def _text(x, y, content, *, anchor="start", fill="#111", bold=False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{weight} {FONT}>'
            f"{escape(content)}</text>")


def _value(value, unit: str) -> str:
    return "–" if value is None else format_number(value, 2, trim=True) + unit


def render(spec: dict, width: int = WIDTH) -> SafeString:
    """The chart as an <svg> element sized to its rows (scales to the width of its container).

    `width` is in the drawing's own units, with text 9 units high: the wider, the smaller the text
    once the drawing is scaled to its container."""
    datasets, labels, unit = spec["datasets"], spec["labels"], spec["unit"]
    stacked = spec["stacked"]
    if stacked:
        totals = [sum(d["data"][i] or 0 for d in datasets) for i in range(len(labels))]
    else:
        totals = [v for d in datasets for v in d["data"] if v is not None]
    maximum = spec["max"] or max([*totals, *(line["value"] for line in spec["lines"]), 1])
    plot_width = width - LABEL_WIDTH - VALUE_WIDTH
    bars_height = STACK_BAR if stacked else len(datasets) * (BAR + BAR_GAP)
    parts = [_legend(spec)]
    y = LEGEND_HEIGHT + 14 + LINE_HEIGHT * max(0, len(spec["lines"]) - 1)  # room for staggered line labels
    top = y
    for index, label_lines in enumerate(labels):
        row_height = max(bars_height, len(label_lines) * LINE_HEIGHT)
        for number, line in enumerate(label_lines):
            parts.append(_text(LABEL_WIDTH - 6, y + 9 + number * LINE_HEIGHT, line, anchor="end"))
        if stacked:
            parts.append(_stacked_bar(datasets, index, y, maximum, plot_width, unit))
        else:
            for number, dataset in enumerate(datasets):
                parts.append(_bar(dataset, dataset["data"][index], y + number * (BAR + BAR_GAP), maximum,
                                  plot_width, unit))
        y += row_height + ROW_GAP
    bottom = y - ROW_GAP + 4
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{top - 4}" x2="{LABEL_WIDTH}" y2="{bottom}" stroke="#555" '
                 'stroke-width="0.8"/>')
    for number, line in enumerate(spec["lines"]):
        x = LABEL_WIDTH + plot_width * min(line["value"], maximum) / maximum
        label_y = top - 8 - number * LINE_HEIGHT  # one above the other: close thresholds stay readable
        parts.append(f'<line x1="{x:.1f}" y1="{label_y + 2}" x2="{x:.1f}" y2="{bottom}" stroke="{line["color"]}" '
                     'stroke-width="1.2" stroke-dasharray="4 3"/>')
        parts.append(_text(x, label_y, line["label"], anchor="middle", fill=line["color"], bold=True))
    height = bottom + 6
    title = escape(spec["title"])
    return mark_safe(  # noqa: S308 -- every piece of text above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{title}"><title>{title}</title>{"".join(parts)}</svg>'
    )


def _legend(spec) -> str:
    parts = []
    x = LABEL_WIDTH
    for dataset in spec["datasets"]:
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{dataset["color"]}"/>')
        parts.append(_text(x + 14, 15, dataset["label"]))
        x += 24 + 6 * len(dataset["label"])
    return "".join(parts)


def _bar(dataset, value, y, maximum, plot_width, unit) -> str:
    width = plot_width * min(value or 0, maximum) / maximum
    bar = f'<rect x="{LABEL_WIDTH}" y="{y:.1f}" width="{width:.1f}" height="{BAR}" fill="{dataset["color"]}"/>'
    return bar + _text(LABEL_WIDTH + width + 4, y + BAR - 1.5, _value(value, unit))


def _stacked_bar(datasets, index, y, maximum, plot_width, unit) -> str:
    parts = []
    x = LABEL_WIDTH
    total = 0
    for dataset in datasets:
        value = dataset["data"][index] or 0
        total += value
        width = plot_width * value / maximum
        if width > 0:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{STACK_BAR}" '
                         f'fill="{dataset["color"]}"/>')
            if width >= 16:
                parts.append(_text(x + width / 2, y + STACK_BAR - 3.5, _value(value, unit), anchor="middle",
                                   fill="#000"))
        x += width
    parts.append(_text(x + 4, y + STACK_BAR - 3.5, _value(total, unit), bold=True))
    return "".join(parts)
