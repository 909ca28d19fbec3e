"""Margins that already hold what plotly's automargin would add, so a chart draws once.

Plotly draws a figure with its base margins, then measures what the axes (tick
labels, titles) and a legend at the foot of the figure need; when that is more
than the margins it draws the whole figure again (``automargin``). Every chart
of cxcost used to be drawn twice that way, on every tab switch and in every
export: half the time plotly spends on a chart.

``fit_margins`` estimates what plotly will measure, from the labels' widths in
Arial's metrics, and widens the base margins to hold it. The estimate is made
for the width the chart is drawn at in the app at a 1280 px window (the
legend's rows depend on it). Axes keep ``automargin``: where the estimate is
short (a narrower window, another font, long labels turned by plotly), plotly
still makes room, at the cost of the second drawing, so nothing is ever cut.

The constants were measured in Chromium with plotly.js 3 and 4 (the page's
labels in Liberation Sans, Arial's metric twin): a y axis needs its widest tick
label plus ``Y_AXIS_EXTRA`` px, an x axis with a one-line title
``X_AXIS_DEPTH`` px, a legend row ``LEGEND_ROW`` px plus ``LEGEND_PAD``.
``tests/e2e/test_chart_margins.py`` draws every chart of two presets in Chromium and
checks that none grows its margins at the width it was fitted for, nor at the image
export's width; ``tests/e2e/test_browser.py`` checks the charts on every tab of the app.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

Spec = dict[str, Any]

# Advance widths of Liberation Sans Regular (metric-compatible with Arial, the
# font the house font list falls back to in Chromium on Linux and Windows), in
# 1/2048 em, read from the font's hmtx table with fontTools.
_WIDTHS_2048: Final[Mapping[int, str]] = {
    391: "'",
    455: "ijl",
    532: "|",
    569: " !,./:;I[\\]ft·\u00a0",
    682: "()-`r",
    684: "{}",
    727: '"',
    797: "*",
    819: "°",
    961: "^",
    1024: "Jcksvxyz",
    1139: "#$0123456789?L_abdeghnopquåéöäü–€£§",
    1180: "µ",
    1196: "+<=>~−×",
    1251: "FTZø",
    1366: "&ABEKPSVXYÅÉÄ",
    1479: "CDHNRUwÜ",
    1593: "GOQØÖ",
    1706: "Mm",
    1821: "%æ",
    1933: "W",
    2048: "Æ—…",
    2079: "@",
}
_EM: Final = 2048
_CHAR_EM: Final[Mapping[str, float]] = {
    char: width / _EM for width, chars in _WIDTHS_2048.items() for char in chars
}
_UNKNOWN_EM: Final = 1.0
"""Any other character: as wide as the widest letters, so the estimate errs wide."""

FONT_SIZE: Final = 13.0
"""The layout's font size [px], which tick labels and legend entries take."""
Y_AXIS_EXTRA: Final = 36.3
"""A y axis's push beyond its widest tick label [px]: tick gap, standoff, title line."""
X_AXIS_DEPTH: Final = 52.3
"""An x axis's push below the plot [px]: a row of tick labels, standoff 12, a title line."""
X_LABEL_OVERHANG: Final = 13.0
"""Room an x axis wants beyond its outermost tick labels' ends [px] (12, and 1 to spare)."""
LEGEND_ROW: Final = 20.0
"""A legend row's height [px] at the house font size."""
LEGEND_PAD: Final = 10.0
"""The legend's padding above and below its rows [px]."""
LEGEND_SYMBOL: Final = 40.0
"""A legend entry's width besides its text [px]: the symbol and the gaps around it."""
LEGEND_GAP: Final = 5.0
"""Plotly's gap between legend entries [px]."""
LABEL_LINE: Final = FONT_SIZE * 1.25
"""A tick label line's height as plotly reckons it when it turns labels [px]."""
LABEL_GAP: Final = 2.0
"""Room plotly wants between two x tick labels side by side before it turns them [px]."""
SLACK: Final = 1.0
"""Added to every fitted margin [px]: plotly redraws when a margin moves by more than 1 px."""

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The width of plotly label text in Arial's metrics [px]: its widest line.

    ``<br>`` breaks lines; other tags (``<b>``, ``<sup>``) are left out and
    entities (``&amp;``) read as the character they stand for.

    >>> round(text_width("USD 6M"), 1)
    49.1
    >>> text_width("a<br>abc") == text_width("abc")
    True
    """
    lines = _BREAK.split(text)
    return max(
        sum(_CHAR_EM.get(char, _UNKNOWN_EM) for char in html.unescape(_TAG.sub("", line))) * size
        for line in lines
    )


def _axis_traces(data: Sequence[Spec], axis_name: str) -> list[Spec]:
    """The traces drawn on a layout axis ("xaxis", "yaxis2", ...)."""
    letter = axis_name[0]
    short = letter + axis_name[5:]
    return [trace for trace in data if trace.get(f"{letter}axis", letter) == short]


def _list(values: Any) -> list[Any]:
    """Values from a spec (absent, a list, a tuple or a numpy array) as a list."""
    return [] if values is None else list(values)


def _category_labels(traces: Iterable[Spec], letter: str) -> list[str]:
    """A category axis's labels: the values of horizontal bars or a heatmap on it."""
    labels: list[str] = []
    for trace in traces:
        categorical = trace.get("type") == "heatmap" or (
            trace.get("type") == "bar" and trace.get("orientation") == "h" and letter == "y"
        )
        if categorical:
            labels.extend(str(value) for value in _list(trace.get(letter)))
    return labels


def _format_tick(value: float, tickformat: str, separators: str) -> str:
    """``value`` written as plotly's d3 format would (".1%", ",.0f") with the layout's
    separators (decimal mark, then thousands)."""
    match = re.fullmatch(r"(,?)\.(\d+)([f%])", tickformat)
    if match is None:
        return f"{value:,.2f}"
    grouped, digits, kind = match.groups()
    number = value * 100 if kind == "%" else value
    text = f"{number:{',' if grouped else ''}.{digits}f}"
    marks = separators + ".,"
    decimal, thousands = marks[0], marks[1]
    text = text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return text + ("%" if kind == "%" else "")


def _numeric_labels(axis: Spec, traces: Iterable[Spec], letter: str, separators: str) -> list[str]:
    """An auto-ticked number axis's widest labels: its range's ends, or the data's, written
    in its tick format (plotly's ticks lie between them)."""
    tickformat = axis.get("tickformat")
    if not isinstance(tickformat, str):
        return []
    ends: list[float] = [float(value) for value in _list(axis.get("range"))]
    if not ends:
        values = [
            float(value)
            for trace in traces
            for value in _list(trace.get(letter))
            if isinstance(value, int | float) and math.isfinite(value)
        ]
        if not values:
            return []
        # Plotly's autorange pads the data; the next tick can lie a step beyond it.
        ends = [min(values) * 1.2, max(values) * 1.2]
    return [_format_tick(value, tickformat, separators) for value in ends]


def _tick_labels(
    axis: Spec, traces: Sequence[Spec], letter: str, separators: str
) -> list[str] | None:
    """The labels an axis shows, or None when they cannot be told before plotly draws."""
    if axis.get("showticklabels") is False:
        return []
    if axis.get("tickmode") == "array":
        return [str(text) for text in _list(axis.get("ticktext")) or _list(axis.get("tickvals"))]
    categories = _category_labels(traces, letter)
    if categories:
        return categories
    labels = _numeric_labels(axis, traces, letter, separators)
    return labels or None


def _legend_rows(data: Sequence[Spec], layout: Spec, plot_width: float) -> int:
    """How many rows plotly's horizontal legend takes in a plot ``plot_width`` px wide
    (0 when the figure shows no legend)."""
    if layout.get("showlegend") is False:
        return 0
    entries = [
        trace for trace in data if trace.get("showlegend", True) and trace.get("name") is not None
    ]
    if len(entries) < 2 and layout.get("showlegend") is not True:
        return 0
    if not entries:
        return 0
    widths = [LEGEND_SYMBOL + text_width(str(trace["name"])) for trace in entries]
    if sum(widths) + LEGEND_GAP * (len(widths) - 1) < plot_width:
        return 1
    # More than a row: every entry takes the widest one's room.
    per_row = max(1, int((plot_width + LEGEND_GAP) // (max(widths) + LEGEND_GAP)))
    return math.ceil(len(widths) / per_row)


def _tick_positions(axis: Spec, labels: Sequence[str], plot_width: float) -> list[float]:
    """Where an x axis's tick labels stand, from the plot's left edge [px].

    From the ticks and the range when both are set; else spread evenly over the
    axis's domain, the outermost at its ends (where plotly may put them).
    """
    low, high = (float(end) for end in _list(axis.get("domain")) or (0.0, 1.0))
    start, length = plot_width * low, plot_width * (high - low)
    values = [float(value) for value in _list(axis.get("tickvals"))]
    ends = [float(value) for value in _list(axis.get("range"))]
    if len(values) == len(labels) and len(ends) == 2 and ends[1] != ends[0]:
        return [start + length * (value - ends[0]) / (ends[1] - ends[0]) for value in values]
    steps = max(len(labels) - 1, 1)
    return [start + length * i / steps for i in range(len(labels))]


def _x_depth(axis: Spec, labels: Sequence[str] | None, plot_width: float) -> float:
    """What an x axis pushes below the plot [px]: deeper when plotly will turn its tick
    labels because two side by side would touch (30 degrees, or 90 when even that
    leaves too little room)."""
    if not labels or len(labels) < 2:
        return X_AXIS_DEPTH
    widths = [text_width(label) for label in labels]
    positions = _tick_positions(axis, labels, plot_width)
    # Plotly judges the angle by the mean spacing against a label line's height.
    spacing = abs(positions[-1] - positions[0]) / (len(labels) - 1)
    touching = any(
        (widths[i] + widths[i + 1]) / 2 + LABEL_GAP >= abs(positions[i + 1] - positions[i])
        for i in range(len(labels) - 1)
    )
    if not touching:
        return X_AXIS_DEPTH
    widest = max(widths)
    if spacing >= math.sqrt(3) * LABEL_LINE:  # cos 30° <= spacing / hypot(spacing, line)
        return X_AXIS_DEPTH + widest * math.sin(math.radians(30)) + SLACK
    return X_AXIS_DEPTH - FONT_SIZE + widest


def _x_overhang(axis: Spec, labels: Sequence[str], plot_width: float) -> tuple[float, float]:
    """How far an x axis's outermost tick labels reach out of the plot, left and right,
    with plotly's 12 px beyond [px]."""
    positions = _tick_positions(axis, labels, plot_width)
    left = max(text_width(labels[0]) / 2 - positions[0], 0.0) + X_LABEL_OVERHANG
    right = max(positions[-1] + text_width(labels[-1]) / 2 - plot_width, 0.0) + X_LABEL_OVERHANG
    return left, right


def _fitted(base: Any, need: float) -> Any:
    """The base margin, or the need (rounded up, with ``SLACK``) when that is more."""
    return math.ceil(need + SLACK) if need > float(base) else base


def fit_margins(data: Sequence[Spec], layout: Spec, drawn_width: float) -> Spec:
    """``layout`` with margins wide enough for what plotly's automargin would add.

    Parameters
    ----------
    data : the figure's traces (plain dicts)
    layout : its layout (a plain dict, with a ``margin``); not changed
    drawn_width : the figure's width in the app at a 1280 px window [px], which
        sets whether tick labels turn and how many rows the legend takes

    Returns
    -------
    dict
        A copy of ``layout`` whose ``margin`` is at least what plotly will
        measure on each side: the y axes' tick labels and titles left and
        right, the x axes and a legend at the foot of the figure below.
    """
    margin = dict(layout.get("margin") or {})
    margin.setdefault("l", 80)
    margin.setdefault("r", 80)
    margin.setdefault("b", 80)
    separators = str(layout.get("separators") or ".,")
    need_left, need_right = float(margin["l"]), float(margin["r"])
    base_width = drawn_width - float(margin["l"]) - float(margin["r"])
    x_axes: list[tuple[Spec, list[str] | None]] = []
    for name, axis in layout.items():
        if not re.fullmatch(r"[xy]axis\d*", name) or not isinstance(axis, dict):
            continue
        if axis.get("automargin") is not True:
            continue
        letter = name[0]
        labels = _tick_labels(axis, _axis_traces(data, name), letter, separators)
        if letter == "x":
            x_axes.append((axis, labels))
            if labels:
                overhang_left, overhang_right = _x_overhang(axis, labels, base_width)
                need_left = max(need_left, overhang_left)
                need_right = max(need_right, overhang_right)
            continue
        if labels is None:
            continue
        widest = max((text_width(label) for label in labels), default=0.0)
        push = widest + Y_AXIS_EXTRA + float(axis.get("ticklabelstandoff", 0) or 0)
        if axis.get("side") == "right":
            need_right = max(need_right, push)
        else:
            need_left = max(need_left, push)
    margin["l"] = _fitted(margin["l"], need_left)
    margin["r"] = _fitted(margin["r"], need_right)
    plot_width = drawn_width - float(margin["l"]) - float(margin["r"])
    need_bottom = max((_x_depth(axis, labels, plot_width) for axis, labels in x_axes), default=0.0)
    legend = layout.get("legend") or {}
    if legend.get("yref") == "container" and legend.get("orientation") == "h":
        rows = _legend_rows(data, layout, plot_width)
        if rows:
            need_bottom += LEGEND_PAD + LEGEND_ROW * rows
    margin["b"] = _fitted(margin["b"], need_bottom)
    return {**layout, "margin": margin}
