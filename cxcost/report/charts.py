"""The one place that builds each chart, for the app and for the exports alike.

Every builder takes model outputs and a language and returns a
``plotly.graph_objects.Figure`` that an executive can read on its own: the
title states the finding, axes carry units, money ticks and hover texts are
formatted by ``cxcost.i18n.format_money`` in the scenario currency, and each
driver of churn always has the same colour from a colour-blind-safe palette.

Text that comes from a preset or a link (channel names) is HTML-escaped before
it goes into a figure, because plotly interprets a subset of HTML in labels.

Each figure is assembled as one plain spec (traces and layout) and built once by
``go.Figure(spec)``: plotly's incremental ``update_*``/``add_*`` calls and
templates cost tens of milliseconds a figure, too slow for an app that
re-renders on every slider move. Plotly's property checks run in the tests only
(``VALIDATE``).

References
----------
.. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures
   and presentations that are friendly to colorblind people", 2008
   (https://jfly.uni-koeln.de/color/): the palette used here.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import plotly.graph_objects as go

from cxcost.actions import Action
from cxcost.churn import DRIVERS
from cxcost.compare import Comparison
from cxcost.evaluate import Result
from cxcost.i18n import (
    DRIVER_KEYS,
    Language,
    basis_label,
    currency_label,
    format_count,
    format_duration_seconds,
    format_money,
    format_number,
    format_percent,
    has_message,
    t,
    tn,
)
from cxcost.optimize import CostCurve, TrainingCurve
from cxcost.report import content
from cxcost.report.actions import best_move
from cxcost.report.levers import lever_label, setting_value
from cxcost.report.margins import fit_margins
from cxcost.uncertainty import MonteCarloResult, TornadoBar, UncertaintyReport

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration

OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe-Ito palette [1]: distinguishable with every common colour-vision deficiency."""

DRIVER_COLOURS: Final[dict[str, str]] = {
    "wait": OKABE_ITO["blue"],
    "rudeness": OKABE_ITO["vermillion"],
    "dismissiveness": OKABE_ITO["bluish_green"],
}
"""Fixed colour of each churn driver in every chart."""

SERIES_COLOURS: Final[dict[str, str]] = {
    "service_cost": OKABE_ITO["sky_blue"],
    "training_cost": OKABE_ITO["sky_blue"],
    "churn_cost": OKABE_ITO["reddish_purple"],
    "total_cost": OKABE_ITO["black"],
    "silent": "#7F7F7F",
    "complaining": OKABE_ITO["orange"],
    "service_level": OKABE_ITO["blue"],
    "abandonment": OKABE_ITO["vermillion"],
    "mean_wait": OKABE_ITO["orange"],
    "repeat_contacts": OKABE_ITO["reddish_purple"],
    "gain": OKABE_ITO["bluish_green"],
    "loss": OKABE_ITO["vermillion"],
    "neutral": "#7F7F7F",
}
"""Colours of the other series, chosen not to clash with the drivers."""

FIGURE_HEIGHT: Final = 430
_NO_TEMPLATE: Final[Spec] = {"data": {"scatter": [{"type": "scatter"}]}}
"""Plotly's template "none" as its checks spell it out (without them, the name would
reach the browser as it is)."""
VALIDATE = False
"""Whether figures are built with plotly's property checks (its ``_validate``).

Off in the app and the exports: the checks take about 1 ms of a figure's 1.4 ms,
twice on every slider move (the Overview's two charts), and the figure is the
same without them. The test suite turns them on (``tests/conftest.py``), so that
a misspelt or out-of-range property fails the tests that build the figure.
"""
COMPACT_TORNADO_BARS: Final = 6
"""Inputs the compact tornado (the printed summary's) shows: the largest swings."""
_TITLE_WIDTH: Final = 52
_NARROW_TITLE_WIDTH: Final = 34
_AXIS_TICKS: Final = 6
_HISTOGRAM_BINS: Final = 60
_FONT: Final = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"
FULL_WIDTH: Final = 820
"""A full-width chart's width in the app at a 1280 px window [px] (``margins.fit_margins``)."""
HALF_WIDTH: Final = 402
"""A chart's width in one of two columns (Staffing, Quality & training) [px]."""
THREE_FIFTHS_WIDTH: Final = 484
"""The Overview's driver chart, in a 3:2 column pair [px]."""
TWO_FIFTHS_WIDTH: Final = 320
"""The Overview's churner chart, in a 3:2 column pair [px]."""


Spec = dict[str, Any]

_GRID: Final = "#E5EAF2"
_MUTED: Final = "#555555"
_AXIS_STYLE: Final[Spec] = {
    "automargin": True,
    "showgrid": True,
    "gridcolor": _GRID,
    "zeroline": True,
    "zerolinecolor": "#C8D1DC",
    "zerolinewidth": 1.5,
    "showline": False,
    "ticks": "",
}


def _text(value: str) -> str:
    """Text from a preset or link, safe inside plotly's HTML-like labels."""
    return html.escape(value, quote=False)


def _title(text: str, width: int = _TITLE_WIDTH) -> str:
    """Wrap a long title onto lines of at most ``width`` characters (a narrow chart)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _axis(title: str, **settings: Any) -> Spec:
    """An axis with the house style, a title (with its unit) and any other settings."""
    return {**_AXIS_STYLE, "title": {"text": title, "standoff": 12}, **settings}


_SHARE_STEPS: Final = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5)


def _share_ticks(high: float, language: Language) -> Spec:
    """Tick settings of a share axis from 0 to ``high``: "20%" in English, "20 %" in Norwegian.

    Plotly's d3 formats cannot put a space before "%", so outside English the ticks
    are listed, each written by Babel (``format_percent``).
    """
    if language == "en":
        return {"tickformat": ".0%"}
    step = next((s for s in _SHARE_STEPS if high / s <= 7), 1.0)
    count = int(high / step + 1e-9) + 1
    values = [round(i * step, 6) for i in range(count)]
    digits = max(0, -math.floor(math.log10(step * 100) + 1e-9))
    return {
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [format_percent(v, language, digits) for v in values],
    }


def _layout(
    title: str,
    language: Language,
    subtitle: str | None = None,
    title_width: int = _TITLE_WIDTH,
    **settings: Any,
) -> Spec:
    """The house layout: left-aligned finding as title, white, legend below, locale separators.

    ``title_width`` [characters] wraps the title (and 1.3 x it the subtitle) for
    a chart drawn narrower than the others.
    """
    wrapped = _title(title, title_width)
    title_spec: Spec = {"text": wrapped, "x": 0.0, "xanchor": "left", "font": {"size": 17}}
    # Room above the plot: the title's lines, the subtitle's, and the labels of vertical lines.
    top = 45 + 22 * wrapped.count("<br>")
    if subtitle:
        wrapped_subtitle = "<br>".join(textwrap.wrap(subtitle, int(title_width * 1.3)))
        title_spec["subtitle"] = {"text": wrapped_subtitle, "font": {"size": 13}}
        top += 30 + 17 * (wrapped_subtitle.count("<br>") + 1)
    layout: Spec = {
        "template": _NO_TEMPLATE,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": list(OKABE_ITO.values())[1:],
        "hovermode": "closest",
        "title": title_spec,
        "font": {"family": _FONT, "size": 13, "color": "#262730"},
        "height": FIGURE_HEIGHT,
        "margin": {"l": 70, "r": 30, "t": top + 30, "b": 60},
        # The legend at the foot of the whole figure, not below the plot at a share of
        # its height: the margin then grows to hold tick labels, axis title and legend
        # one under the other, so rotated ticks on a narrow screen never reach them.
        "legend": {
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0.0,
            "x": 0.0,
        },
        "separators": ", " if language == "nb" else ".,",
        "hoverlabel": {"font": {"family": _FONT}},
    }
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def _figure(data: list[Spec], layout: Spec, drawn_width: int = FULL_WIDTH) -> go.Figure:
    """The figure, its margins fitted to its labels and legend (``margins.fit_margins``)
    for the width it is drawn at in the app, so that plotly draws it once."""
    fitted = fit_margins(data, layout, drawn_width)
    return go.Figure({"data": data, "layout": fitted}, _validate=VALIDATE)


def _vline(x: float, label: str, position: str = "right", xref: str = "x") -> tuple[Spec, Spec]:
    """A dashed vertical line across the plot and its label at the top.

    ``position`` "right" puts the label right of the line, "left" left of it.
    """
    shape = {
        "type": "line",
        "xref": xref,
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dash", "color": SERIES_COLOURS["neutral"], "width": 1.5},
    }
    annotation = {
        "x": x,
        "xref": xref,
        "y": 1.0,
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "left" if position == "right" else "right",
        "showarrow": False,
        "text": label,
        "font": {"color": _MUTED},
    }
    return shape, annotation


def nice_ticks(low: float, high: float, count: int = _AXIS_TICKS) -> list[float]:
    """Round tick positions (1, 2, 2.5, 5 x 10^k steps) covering [low, high].

    Examples
    --------
    >>> nice_ticks(0, 7_345_155)
    [0.0, 2000000.0, 4000000.0, 6000000.0, 8000000.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    n = round((stop - start) / step)
    return [float(start + i * step) for i in range(n + 1)]


def _money_ticks(
    values: Sequence[float],
    currency: str,
    language: Language,
    include_zero: bool = True,
    count: int = _AXIS_TICKS,
    with_range: bool = True,
) -> Spec:
    """tickvals/ticktext (and range) for a money axis, every label from ``format_money``."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return {}
    low, high = min(finite), max(finite)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high, count)
    spec: Spec = {
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [format_money(v, currency, language) for v in ticks],
    }
    if with_range and ticks:
        spec["range"] = [ticks[0], ticks[-1]]
    return spec


def _money_per_year_title(currency: str, language: Language) -> str:
    return t("axis.money_per_year", language, currency=currency_label(currency, language))


def _money_hover(values: Sequence[float], currency: str, language: Language) -> list[str]:
    return [
        t("hover.money_per_year", language, value=format_money(v, currency, language))
        for v in values
    ]


def _nearest_index(values: Sequence[float], target: float) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - target))


def _line(
    x: Sequence[float],
    y: Sequence[float | None],
    name: str,
    colour: str,
    width: float = 2.5,
    dash: str = "solid",
    hovertext: list[str] | None = None,
    **settings: Any,
) -> Spec:
    trace: Spec = {
        "type": "scatter",
        "mode": "lines",
        "x": list(x),
        "y": list(y),
        "name": name,
        "line": {"color": colour, "width": width, "dash": dash},
    }
    if hovertext is not None:
        trace["hovertext"] = hovertext
        trace["hoverinfo"] = "text+name+x"
    return {**trace, **settings}


def _minimum_and_current(
    x: Sequence[float],
    y: Sequence[float],
    best_index: int,
    current: float,
    label_best: str,
    label_current: str,
    currency: str,
    language: Language,
) -> tuple[Spec, list[Spec], list[Spec]]:
    """A star on the curve's minimum, its label, and a dashed line at the current level.

    The current level's label sits right of its line (clear of the y axis); the
    minimum's label points away from the current line.

    Returns
    -------
    (trace, shapes, annotations)
    """
    best = x[best_index]
    best_right = best >= current
    star = {
        "type": "scatter",
        "mode": "markers",
        "x": [best],
        "y": [y[best_index]],
        "marker": {"symbol": "star", "size": 16, "color": SERIES_COLOURS["total_cost"]},
        "name": label_best,
        "hovertext": _money_hover([y[best_index]], currency, language),
        "hoverinfo": "text+name",
        "showlegend": False,
    }
    label = {
        "x": best,
        "y": y[best_index],
        "text": f"<b>{label_best}</b>",
        "showarrow": True,
        "arrowhead": 0,
        "ax": 30 if best_right else -30,
        "ay": -45,
        "xanchor": "left" if best_right else "right",
        "font": {"color": SERIES_COLOURS["total_cost"]},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    shape, now = _vline(current, label_current, "right")
    return star, [shape], [label, now]


def driver_breakdown_figure(result: Result, language: Language = "en") -> go.Figure:
    """Lost revenue per year by driver: waiting, rudeness, dismissiveness.

    Parameters
    ----------
    result : the scenario's result (``revenue_at_risk_by_driver`` [currency/year])
    language : "en" or "nb"
    """
    currency = result.currency
    values = [result.revenue_at_risk_by_driver.get(d, 0.0) for d in DRIVERS]
    names = [t(DRIVER_KEYS[d], language) for d in DRIVERS]
    total = result.revenue_at_risk_per_year
    if total > 0:
        top = max(range(len(DRIVERS)), key=lambda i: values[i])
        title = t(
            "chart.driver.title",
            language,
            driver=names[top],
            amount=format_money(values[top], currency, language),
            total=format_money(total, currency, language),
        )
    else:
        title = t("chart.driver.title_none", language)
    shares = [v / total if total > 0 else 0.0 for v in values]
    labels = [
        f"{format_money(v, currency, language)} ({format_percent(s, language, 0)})"
        for v, s in zip(values, shares, strict=True)
    ]
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": names,
        "marker": {"color": [DRIVER_COLOURS[d] for d in DRIVERS]},
        "text": labels,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": _money_hover(values, currency, language),
        "hoverinfo": "text+y",
    }
    layout = _layout(
        title,
        language,
        showlegend=False,
        margin={"l": 120, "r": 40},
        xaxis=_axis(
            _money_per_year_title(currency, language),
            **_money_ticks([v * 1.3 for v in values], currency, language),
        ),
        yaxis=_axis("", autorange="reversed", showgrid=False),
    )
    return _figure([bar], layout, THREE_FIFTHS_WIDTH)


def churners_figure(result: Result, language: Language = "en") -> go.Figure:
    """Customers lost per year who leave silently against those who complain first."""
    silent = result.silent_churners_per_year
    complaining = result.complaining_churners_per_year
    subtitle: str | None = None
    if result.silent_per_complaint is not None:
        # The silent leavers' part of the revenue at risk: what the complaints never show.
        lost = silent + complaining
        revenue = result.revenue_at_risk_per_year * silent / lost if lost > 0 else 0.0
        title = t(
            "chart.churners.title",
            language,
            count=format_number(silent, language),
            revenue=format_money(revenue, result.currency, language),
        )
        ratio = format_number(result.silent_per_complaint, language, 0)
        subtitle = t("chart.churners.subtitle", language, ratio=ratio)
    else:
        title = t("chart.churners.title_none", language, count=format_number(silent, language))
    values = [silent, complaining]
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": [t("series.silent", language), t("series.complaining", language)],
        "marker": {"color": [SERIES_COLOURS["silent"], SERIES_COLOURS["complaining"]]},
        "text": [format_number(v, language) for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hoverinfo": "x+y",
    }
    ticks = nice_ticks(0.0, max([*values, 1.0]) * 1.2, 4)
    layout = _layout(
        title,
        language,
        subtitle,
        # The app draws this chart in the narrower column (2 of 5 parts).
        title_width=_NARROW_TITLE_WIDTH,
        showlegend=False,
        height=320 + (60 if subtitle else 0),
        margin={"l": 150, "r": 40},
        xaxis=_axis(
            t("axis.customers_per_year", language),
            tickmode="array",
            tickvals=ticks,
            ticktext=[format_number(v, language, compact=True) for v in ticks],
            range=[0, ticks[-1]],
        ),
        yaxis=_axis("", autorange="reversed", showgrid=False),
    )
    return _figure([bar], layout, TWO_FIFTHS_WIDTH)


def _cost_lines(
    x: Sequence[float],
    series: Sequence[tuple[str, Sequence[float]]],
    currency: str,
    language: Language,
) -> list[Spec]:
    """Cost lines (service or training cost, churn cost, total) against one lever."""
    return [
        _line(
            x,
            values,
            t(f"series.{field}", language),
            SERIES_COLOURS[field],
            4.0 if field == "total_cost" else 2.5,
            hovertext=_money_hover(values, currency, language),
        )
        for field, values in series
    ]


def staffing_curve_title(curve: CostCurve, language: Language, channel: str) -> str:
    """The staffing curve's title, the same on the app's chart, its images and the
    workbook's chart: the cheapest representatives against today's; ``channel`` is the
    channel's name as the chart or the workbook writes it."""
    best = curve.representatives[curve.best_index]
    return tn(
        "chart.staffing.title",
        best,
        language,
        channel=channel,
        best=format_count(best, language),
        current=format_count(curve.current_representatives, language),
    )


def staffing_curve_figure(curve: CostCurve, language: Language = "en") -> go.Figure:
    """The U-shaped total CX cost against one channel's representatives.

    Service cost rises with representatives, churn cost falls; the total is
    marked at its minimum, the staffing within 1 % of it is shaded
    (``band_low``-``band_high``) and the current staffing is a dashed line.
    """
    currency = curve.currency
    channel = _text(curve.channel_name)
    x = curve.representatives
    current = curve.current_representatives
    title = staffing_curve_title(curve, language, channel)
    return _u_curve_figure(
        x,
        (
            ("service_cost", curve.service_cost),
            ("churn_cost", curve.churn_cost),
            ("total_cost", curve.total_cost),
        ),
        curve.best_index,
        current,
        (format_count(x[curve.best_index], language), format_count(current, language)),
        title,
        t("axis.representatives", language, channel=channel),
        currency,
        language,
        band=(curve.band_low, curve.band_high),
    )


def _flat_band(band: tuple[float, float], language: Language) -> tuple[Spec, Spec]:
    """A shaded strip over the levels whose total cost is within 1 % of the minimum, below
    the lines, and its label at the bottom of the plot."""
    low, high = band
    shape = {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": low,
        "x1": high,
        "y0": 0,
        "y1": 1,
        "layer": "below",
        "line": {"width": 0},
        "fillcolor": "rgba(0, 158, 115, 0.13)",
    }
    label = {
        "x": (low + high) / 2,
        "xref": "x",
        "y": 0.0,
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "center",
        "showarrow": False,
        "text": t("chart.v3.band", language),
        "font": {"color": OKABE_ITO["bluish_green"], "size": 11},
    }
    return shape, label


def _u_curve_figure(
    x: Sequence[float],
    series: Sequence[tuple[str, Sequence[float]]],
    best_index: int,
    current: float,
    marks: tuple[str, str],
    title: str,
    x_title: str,
    currency: str,
    language: Language,
    band: tuple[float, float] | None = None,
) -> go.Figure:
    """Cost lines (the last one the total) with the total's minimum starred and the
    current level marked; ``marks`` are the minimum's and the current level's labels;
    ``band`` (low, high) is shaded: the levels within 1 % of the minimum."""
    total = series[-1][1]
    star, shapes, annotations = _minimum_and_current(
        x,
        total,
        best_index,
        current,
        t("series.minimum", language, value=marks[0]),
        t("series.current", language, value=marks[1]),
        currency,
        language,
    )
    if band is not None:
        band_shape, band_label = _flat_band(band, language)
        shapes = [band_shape, *shapes]
        annotations = [*annotations, band_label]
    layout = _layout(
        title,
        language,
        shapes=shapes,
        annotations=annotations,
        xaxis=_axis(x_title),
        yaxis=_axis(
            _money_per_year_title(currency, language),
            **_money_ticks([v for _, values in series for v in values], currency, language),
        ),
    )
    return _figure([*_cost_lines(x, series, currency, language), star], layout, HALF_WIDTH)


def _wait_unit(waits_seconds: Sequence[float]) -> tuple[float, str]:
    """Seconds, minutes or hours for a wait axis, whichever keeps the numbers readable."""
    finite = [w for w in waits_seconds if math.isfinite(w)]
    longest = max(finite) if finite else 0.0
    if longest < 180.0:
        return 1.0, "axis.wait_seconds"
    if longest < 3 * 3600.0:
        return 60.0, "axis.wait_minutes"
    return 3600.0, "axis.wait_hours"


def queue_curves_figure(curve: CostCurve, language: Language = "en") -> go.Figure:
    """Service level, abandonment (left, %) and mean wait (right) against representatives."""
    channel = _text(curve.channel_name)
    x = curve.representatives
    now = _nearest_index(x, curve.current_representatives)
    title = tn(
        "chart.queue.title",
        curve.current_representatives,
        language,
        channel=channel,
        service_level=format_percent(curve.service_level[now], language, 0),
        current=format_count(curve.current_representatives, language),
    )
    scale, axis_key = _wait_unit(curve.mean_wait_seconds)
    waits = [w / scale if math.isfinite(w) else None for w in curve.mean_wait_seconds]
    wait_ticks = nice_ticks(0.0, max([w for w in waits if w is not None] + [1.0]))
    data = [
        _line(
            x,
            curve.service_level,
            t("series.service_level", language),
            SERIES_COLOURS["service_level"],
            3.0,
        ),
        _line(
            x,
            curve.p_abandon,
            t("series.abandonment", language),
            SERIES_COLOURS["abandonment"],
            dash="dot",
        ),
        _line(
            x,
            waits,
            t("series.mean_wait", language),
            SERIES_COLOURS["mean_wait"],
            dash="dash",
            yaxis="y2",
            hovertext=[format_duration_seconds(w, language) for w in curve.mean_wait_seconds],
        ),
    ]
    shape, label = _vline(
        curve.current_representatives,
        t("series.current", language, value=format_count(x[now], language)),
    )
    layout = _layout(
        title,
        language,
        shapes=[shape],
        annotations=[label],
        margin={"r": 70},
        xaxis=_axis(t("axis.representatives", language, channel=channel)),
        yaxis=_axis(t("axis.share", language), range=[0, 1.05], **_share_ticks(1.05, language)),
        yaxis2=_axis(
            t(axis_key, language),
            overlaying="y",
            side="right",
            showgrid=False,
            zeroline=False,
            tickmode="array",
            tickvals=wait_ticks,
            range=[0, wait_ticks[-1] * 1.05],
            ticklabelstandoff=8,
        ),
    )
    return _figure(data, layout, HALF_WIDTH)


def training_curve_figure(curve: TrainingCurve, language: Language = "en") -> go.Figure:
    """Training cost against the churn cost it prevents, and their total, by training hours."""
    currency = curve.currency
    x = curve.hours
    best = x[curve.best_index]
    current = curve.current_hours
    title = content.training_curve_title(curve, language)
    return _u_curve_figure(
        x,
        (
            ("training_cost", curve.training_cost),
            ("churn_cost", curve.churn_cost),
            ("total_cost", curve.total_cost),
        ),
        curve.best_index,
        current,
        (format_number(best, language), format_number(current, language)),
        title,
        t("axis.training_hours", language),
        currency,
        language,
        band=(curve.band_low, curve.band_high),
    )


def training_quality_figure(curve: TrainingCurve, language: Language = "en") -> go.Figure:
    """Rude and dismissive shares (left, %) and revenue at risk (right) by training hours."""
    currency = curve.currency
    x = curve.hours
    data = [
        _line(
            x, curve.rude_share, t("series.rude_share", language), DRIVER_COLOURS["rudeness"], 3.0
        ),
        _line(
            x,
            curve.dismissive_share,
            t("series.dismissive_share", language),
            DRIVER_COLOURS["dismissiveness"],
            3.0,
        ),
        _line(
            x,
            curve.revenue_at_risk,
            t("series.revenue_at_risk", language),
            SERIES_COLOURS["total_cost"],
            2.0,
            dash="dash",
            yaxis="y2",
            hovertext=_money_hover(curve.revenue_at_risk, currency, language),
        ),
    ]
    shape, label = _vline(
        curve.current_hours,
        t("series.current", language, value=format_number(curve.current_hours, language)),
    )
    top = max([*curve.rude_share, *curve.dismissive_share, 0.01])
    layout = _layout(
        t("chart.training_quality.title", language),
        language,
        shapes=[shape],
        annotations=[label],
        margin={"r": 70},
        xaxis=_axis(t("axis.training_hours", language)),
        yaxis=_axis(
            t("axis.share", language), range=[0, top * 1.1], **_share_ticks(top * 1.1, language)
        ),
        yaxis2=_axis(
            t(
                "axis.revenue_at_risk_per_year",
                language,
                currency=currency_label(currency, language),
            ),
            overlaying="y",
            side="right",
            showgrid=False,
            zeroline=False,
            ticklabelstandoff=8,
            **_money_ticks(curve.revenue_at_risk, currency, language),
        ),
    )
    return _figure(data, layout, HALF_WIDTH)


def repeat_contacts_figure(curve: TrainingCurve, language: Language = "en") -> go.Figure:
    """Repeat contacts per year from unresolved issues, by training hours."""
    now = _nearest_index(curve.hours, curve.current_hours)
    repeats = format_number(curve.repeat_contacts_per_year[now], language, compact=True)
    area = _line(
        curve.hours,
        curve.repeat_contacts_per_year,
        t("series.repeat_contacts", language),
        SERIES_COLOURS["repeat_contacts"],
        3.0,
        fill="tozeroy",
    )
    shape, label = _vline(
        curve.current_hours,
        t("series.current", language, value=format_number(curve.current_hours, language)),
    )
    layout = _layout(
        t("chart.repeat.title", language, repeats=repeats),
        language,
        showlegend=False,
        shapes=[shape],
        annotations=[label],
        xaxis=_axis(t("axis.training_hours", language)),
        yaxis=_axis(t("axis.contacts_per_year", language), rangemode="tozero", tickformat=",.0f"),
    )
    return _figure([area], layout)


def comparison_figure(comparison: Comparison, language: Language = "en") -> go.Figure:
    """Net cash flow per year (bars) and cumulative NPV (line) over the horizon."""
    currency = comparison.currency
    horizon = comparison.horizon_years
    key = "chart.comparison.title_gain" if comparison.npv >= 0 else "chart.comparison.title_loss"
    title = tn(
        key,
        horizon,
        language,
        npv=format_money(abs(comparison.npv), currency, language),
        years=horizon,
    )
    flows = comparison.cash_flow_by_year
    npv = comparison.cumulative_npv_by_year
    bars = {
        "type": "bar",
        "x": list(range(1, horizon + 1)),
        "y": flows,
        "name": t("series.cash_flow", language),
        "opacity": 0.75,
        "marker": {
            "color": [SERIES_COLOURS["gain"] if v >= 0 else SERIES_COLOURS["loss"] for v in flows]
        },
        "hovertext": [format_money(v, currency, language) for v in flows],
        "hoverinfo": "text+name",
    }
    line = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": list(range(horizon + 1)),
        "y": npv,
        "name": t("series.cumulative_npv", language),
        "line": {"color": SERIES_COLOURS["total_cost"], "width": 3},
        "hovertext": [format_money(v, currency, language) for v in npv],
        "hoverinfo": "text+name",
    }
    layout = _layout(
        title,
        language,
        xaxis=_axis(t("axis.year", language), dtick=1),
        yaxis=_axis(
            t("axis.money", language, currency=currency_label(currency, language)),
            zerolinecolor=_MUTED,
            **_money_ticks([*flows, *npv], currency, language),
        ),
    )
    return _figure([bars, line], layout)


def _histogram(values: np.ndarray) -> tuple[list[float], list[float], float]:
    """Bin centres, share of draws per bin [0-1] and the bin width."""
    counts, edges = np.histogram(values, bins=_HISTOGRAM_BINS)
    centres = (edges[:-1] + edges[1:]) / 2.0
    return centres.tolist(), (counts / max(values.size, 1)).tolist(), float(edges[1] - edges[0])


def _distribution(
    values: np.ndarray, axis: str, colour: str, currency: str, language: Language
) -> tuple[Spec, list[Spec], list[Spec]]:
    """Pre-binned histogram of draws on x axis ``axis`` ("" or "2"), with P10/P50/P90 lines.

    Bins are computed here, so the figure holds 60 bars instead of every draw.
    """
    centres, shares, width = _histogram(values)
    bars = {
        "type": "bar",
        "x": centres,
        "y": shares,
        "width": width,
        "opacity": 0.8,
        "marker": {"color": colour},
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "hovertext": [format_money(c, currency, language) for c in centres],
        "hoverinfo": "text+y",
        "showlegend": False,
    }
    shapes, annotations = [], []
    for q, dash in ((10, "dot"), (50, "solid"), (90, "dot")):
        value = float(np.percentile(values, q))
        shape, label = _vline(value, f"P{q}", "right", xref=f"x{axis}")
        shape["line"] = {"color": "#333333", "dash": dash, "width": 1.5}
        label["xanchor"] = "center"
        shapes.append(shape)
        annotations.append(label)
    return bars, shapes, annotations


def monte_carlo_figure(mc: MonteCarloResult, language: Language = "en") -> go.Figure:
    """Distribution of revenue at risk and, with a proposal, of its net benefit per year."""
    currency = mc.currency
    label = currency_label(currency, language)
    summary = mc.summary()
    rar_title = t(
        "chart.mc.title",
        language,
        p10=format_money(summary.revenue_at_risk_p10, currency, language),
        p90=format_money(summary.revenue_at_risk_p90, currency, language),
    )
    rar_axis = _axis(
        t("axis.revenue_at_risk_per_year", language, currency=label),
        **_money_ticks(
            [float(mc.revenue_at_risk.min()), float(mc.revenue_at_risk.max())],
            currency,
            language,
            include_zero=False,
            count=_AXIS_TICKS if mc.net_benefit is None else 4,
            with_range=False,
        ),
    )
    draws_axis = _axis(t("axis.draws", language), tickformat=".1%")
    bars, shapes, annotations = _distribution(
        mc.revenue_at_risk, "", SERIES_COLOURS["churn_cost"], currency, language
    )
    if mc.net_benefit is None or summary.probability_pays_off is None:
        layout = _layout(
            rar_title,
            language,
            showlegend=False,
            bargap=0.0,
            shapes=shapes,
            annotations=annotations,
            xaxis=rar_axis,
            yaxis=draws_axis,
        )
        return _figure([bars], layout)
    gains = mc.net_benefit
    gain_bars, gain_shapes, gain_annotations = _distribution(
        gains, "2", SERIES_COLOURS["gain"], currency, language
    )
    if float(gains.min()) < 0.0 < float(gains.max()):
        break_even, _ = _vline(0.0, "", xref="x2")
        break_even["line"] = {"color": SERIES_COLOURS["loss"], "width": 2}
        gain_shapes.append(break_even)
    title = t(
        "chart.mc_benefit.title",
        language,
        probability=format_percent(summary.probability_pays_off, language, 0),
        p50=format_money(summary.net_benefit_p50 or 0.0, currency, language),
    )
    layout = _layout(
        title,
        language,
        rar_title,
        showlegend=False,
        bargap=0.0,
        shapes=shapes + gain_shapes,
        annotations=annotations + gain_annotations,
        xaxis={**rar_axis, "domain": [0.0, 0.45]},
        yaxis=draws_axis,
        xaxis2=_axis(
            t("axis.net_benefit_per_year", language, currency=label),
            domain=[0.55, 1.0],
            anchor="y2",
            **_money_ticks(
                [float(gains.min()), float(gains.max())],
                currency,
                language,
                include_zero=False,
                count=4,
                with_range=False,
            ),
        ),
        yaxis2=_axis("", anchor="x2", tickformat=".1%"),
    )
    return _figure([bars, gain_bars], layout)


def _range_text(bar: TornadoBar, language: Language) -> str:
    """The range as multipliers of the input's own value: "0.5–1.8 ×"."""
    return f"{format_number(bar.low, language, 2)}–{format_number(bar.high, language, 2)} ×"


_PARAM_KEYS: Final = frozenset(
    f"param.{p}" for p in ("wait_churn_max", "rude_churn", "dismissive_churn", "patience_factor")
)


def _parameter_label(bar: TornadoBar, language: Language) -> str:
    key = f"param.{bar.parameter}"
    if key in _PARAM_KEYS:
        return t(key, language)
    v3_key = f"param.v3.{bar.parameter}"
    return t(v3_key, language) if has_message(v3_key) else _text(bar.label)


def net_benefit_tornado_figure(
    report: UncertaintyReport, language: Language = "en", *, compact: bool = False
) -> go.Figure:
    """The recommended plan's net benefit with each uncertain input at the low and the high end.

    Each input gets two bars from the reference line (the plan's net benefit at
    every input's own value): a blue one to its value at the low end of the
    input's range, an orange one to its value at the high end. The bars and
    the reference come from one analysis, so every surface that is handed the
    same analysis draws the same chart.

    Parameters
    ----------
    report : ``cxcost.uncertainty.analyse(scenario, plan)``; its ``tornado``
        (largest swing first, with ``net_benefit_low`` and ``net_benefit_high``)
        and ``headline["net_benefit_per_year"]`` [currency/year], the reference
    language : "en" or "nb"
    compact : the printed summary's version: the ``COMPACT_TORNADO_BARS``
        largest swings, labels without their ranges, three money ticks and no
        axis title (the page's heading names the unit)

    Raises
    ------
    ValueError
        The analysis judged no plan (``analyse`` without a proposal).
    """
    if "net_benefit_per_year" not in report.headline:
        raise ValueError(
            "the tornado of the plan's net benefit needs an analysis of a plan "
            "(analyse(scenario, proposal)); this one has no proposal"
        )
    reference = report.headline["net_benefit_per_year"]
    currency = report.currency
    shown = [
        bar
        for bar in report.tornado
        if bar.net_benefit_low is not None and bar.net_benefit_high is not None
    ][: COMPACT_TORNADO_BARS if compact else None]
    labels = [
        _parameter_label(b, language)
        if compact
        else f"{_parameter_label(b, language)} ({_range_text(b, language)})"
        for b in shown
    ]
    title = (
        t(
            "chart.v3.tornado.title",
            language,
            parameter=_parameter_label(shown[0], language),
            swing=format_money(shown[0].swing, currency, language),
        )
        if shown
        else ""
    )
    data = []
    for field, key, colour in (
        ("net_benefit_low", "series.low_end", SERIES_COLOURS["service_level"]),
        ("net_benefit_high", "series.high_end", SERIES_COLOURS["abandonment"]),
    ):
        values = [float(getattr(b, field)) for b in shown]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "base": [reference] * len(values),
                "x": [v - reference for v in values],
                "name": t(key, language),
                "offsetgroup": field,
                "marker": {"color": colour},
                "hovertext": [format_money(v, currency, language) for v in values],
                "hoverinfo": "text+name",
            }
        )
    shape, label = _vline(reference, "")
    shape["line"] = {"color": "#333333", "width": 2}
    label["text"] = t(
        "chart.v3.tornado.reference", language, value=format_money(reference, currency, language)
    )
    label["xanchor"] = "center"
    shapes = [shape]
    every = [reference] + [
        float(v) for b in shown for v in (b.net_benefit_low, b.net_benefit_high) if v is not None
    ]
    if min(every) < 0.0 < max(every):
        zero, _ = _vline(0.0, "")
        zero["line"] = {"color": SERIES_COLOURS["loss"], "width": 1.5, "dash": "dot"}
        shapes.append(zero)
    axis_title = t(
        "axis.net_benefit_per_year", language, currency=currency_label(currency, language)
    )
    layout = _layout(
        title,
        language,
        barmode="group",
        bargap=0.25,
        shapes=shapes,
        annotations=[label],
        margin={"l": 215 if compact else 300},
        height=max(FIGURE_HEIGHT, 140 + 34 * len(shown)),
        xaxis=_axis(
            "" if compact else axis_title,
            **({"tickangle": 0} if compact else {}),
            **_money_ticks(
                every, currency, language, include_zero=False, count=3 if compact else _AXIS_TICKS
            ),
        ),
        yaxis=_axis("", autorange="reversed", showgrid=False),
    )
    return _figure(data, layout)


def arrival_profile_figure(profile: Sequence[float], language: Language = "en") -> go.Figure:
    """The week's relative arrivals as a day x hour heatmap (white = closed)."""
    grid = np.asarray(profile, dtype=np.float64).reshape(7, 24)
    open_hours = int((grid > 0).sum())
    heatmap = {
        "type": "heatmap",
        "z": np.where(grid > 0, grid, np.nan).tolist(),
        "x": list(range(24)),
        "y": [t(f"day.{d}", language) for d in range(7)],
        "colorscale": [[0.0, "#DCEBF7"], [1.0, OKABE_ITO["blue"]]],
        "showscale": False,
        "hoverongaps": False,
        "xgap": 1,
        "ygap": 1,
    }
    layout = _layout(
        t("chart.profile.title", language, open_hours=open_hours),
        language,
        height=300,
        margin={"l": 60, "t": 70},
        xaxis=_axis(t("profile.hour", language), dtick=2, showgrid=False, zeroline=False),
        yaxis=_axis("", autorange="reversed", showgrid=False, zeroline=False),
    )
    return _figure([heatmap], layout)


def calibration_fit_figure(calibration: Calibration, language: Language = "en") -> go.Figure:
    """Observed against fitted churn by what went wrong: the calibration's fit check.

    One pair of bars per group of contacts (abandoned, rude, unresolved, none of
    these): the share that churned in the log and the share the fitted churn
    equation expects. Close pairs mean the fitted values explain the data.
    """
    from cxcost.calibrate.calibration import FIT_CHECK_FLAG_KEYS  # loaded with the calibration

    rows = [row for row in calibration.fit_check if row.group == "flag"]
    names = [t(FIT_CHECK_FLAG_KEYS[row.flag], language) for row in rows]
    bars = [
        {
            "type": "bar",
            "name": t("calibrate.chart.observed", language),
            "x": names,
            "y": [row.observed_share for row in rows],
            "marker": {"color": OKABE_ITO["blue"]},
            "customdata": [[row.contacts, row.churned] for row in rows],
            "hovertemplate": "%{x}: %{y:.2%} (%{customdata[1]:,} / %{customdata[0]:,})"
            "<extra></extra>",
        },
        {
            "type": "bar",
            "name": t("calibrate.chart.fitted", language),
            "x": names,
            "y": [row.fitted_share for row in rows],
            "marker": {"color": OKABE_ITO["orange"]},
            "hovertemplate": "%{x}: %{y:.2%}<extra></extra>",
        },
    ]
    layout = _layout(
        t("calibrate.chart.fit_title", language),
        language,
        barmode="group",
        xaxis=_axis(""),
        yaxis=_axis(t("calibrate.chart.churn_axis", language), tickformat=".1%"),
    )
    return _figure(bars, layout)


def pareto_figure(calibration: Calibration, language: Language = "en") -> go.Figure:
    """Complaint reasons, most frequent first, with the cumulative share and the 80 % line."""
    rows = calibration.pareto
    colours = DRIVER_COLOURS
    bars = {
        "type": "bar",
        "name": t("calibrate.chart.complaints", language),
        "x": [row.reason for row in rows],
        "y": [row.count for row in rows],
        "marker": {"color": [colours.get(str(row.driver), _MUTED) for row in rows]},
        "hovertemplate": "%{x}: %{y:,}<extra></extra>",
    }
    line = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": t("calibrate.chart.cumulative", language),
        "x": [row.reason for row in rows],
        "y": [row.cumulative_share for row in rows],
        "yaxis": "y2",
        "line": {"color": OKABE_ITO["black"]},
        "hovertemplate": "%{x}: %{y:.0%}<extra></extra>",
    }
    layout = _layout(
        t("calibrate.chart.pareto_title", language),
        language,
        xaxis=_axis(""),
        yaxis=_axis(t("calibrate.chart.complaints", language)),
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.05],
            **_share_ticks(1.05, language),
            "showgrid": False,
        },
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "yref": "y2",
                "x0": 0,
                "x1": 1,
                "y0": 0.8,
                "y1": 0.8,
                "line": {"dash": "dash", "color": _MUTED, "width": 1},
            }
        ],
    )
    return _figure([bars, line], layout)


def actions_figure(
    actions: Sequence[Action], currency: str, language: Language = "en"
) -> go.Figure:
    """What to do first: each lever's net benefit per year at its best setting, best on top.

    Parameters
    ----------
    actions : ``cxcost.actions.rank_actions`` (best first)
    currency : the scenario currency
    language : "en" or "nb"
    """
    names = [
        f"{lever_label(a.lever, language)}: {setting_value(a.lever, a.setting, language)}"
        for a in actions
    ]
    values = [a.net_benefit_per_year for a in actions]
    move = best_move(list(actions))
    title = (
        t(
            "chart.actions.title",
            language,
            lever=lever_label(move.lever, language),
            amount=format_money(move.net_benefit_per_year, currency, language),
        )
        if move is not None
        else t("chart.actions.title_none", language)
    )
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": [_text(n) for n in names],
        "marker": {
            "color": [SERIES_COLOURS["gain"] if v >= 0 else SERIES_COLOURS["loss"] for v in values]
        },
        "text": [format_money(v, currency, language) for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": _money_hover(values, currency, language),
        "hoverinfo": "text+y",
    }
    layout = _layout(
        title,
        language,
        subtitle=basis_label("yearly", language),
        showlegend=False,
        height=max(FIGURE_HEIGHT, 90 + 45 * len(actions)),
        margin={"l": 260, "r": 60},
        xaxis=_axis(
            _money_per_year_title(currency, language),
            **_money_ticks([v * 1.3 for v in values] + [0.0], currency, language),
        ),
        yaxis=_axis("", autorange="reversed", showgrid=False),
    )
    return _figure([bar], layout)


def action_drivers_figure(actions: Sequence[Action], language: Language = "en") -> go.Figure:
    """Each lever's effect on the three drivers: customers kept per year, stacked by driver."""
    names = [_text(lever_label(a.lever, language)) for a in actions]
    bars = [
        {
            "type": "bar",
            "orientation": "h",
            "name": t(DRIVER_KEYS[driver], language),
            "x": [a.kept_by_driver.get(driver, 0.0) for a in actions],
            "y": names,
            "marker": {"color": DRIVER_COLOURS[driver]},
            "hovertext": [
                format_number(a.kept_by_driver.get(driver, 0.0), language) for a in actions
            ],
            "hoverinfo": "text+name+y",
        }
        for driver in DRIVERS
    ]
    layout = _layout(
        t("chart.action_drivers.title", language),
        language,
        barmode="relative",
        height=max(FIGURE_HEIGHT, 120 + 45 * len(actions)),
        margin={"l": 260, "r": 40},
        xaxis=_axis(t("chart.action_drivers.axis", language)),
        yaxis=_axis("", autorange="reversed", showgrid=False),
    )
    return _figure(bars, layout)


CHART_BUILDERS: Final[dict[str, Callable[..., go.Figure]]] = {
    "drivers": driver_breakdown_figure,
    "churners": churners_figure,
    "staffing": staffing_curve_figure,
    "queue": queue_curves_figure,
    "training": training_curve_figure,
    "training_quality": training_quality_figure,
    "repeat_contacts": repeat_contacts_figure,
    "comparison": comparison_figure,
    "actions": actions_figure,
    "action_drivers": action_drivers_figure,
    "tornado": net_benefit_tornado_figure,
    "monte_carlo": monte_carlo_figure,
    "profile": arrival_profile_figure,
    "calibration_fit": calibration_fit_figure,
    "pareto": pareto_figure,
}
"""Every chart by its name (the app's element key is ``chart.<name>``) and its one builder.

The app, the HTML report and the chart images call these builders and no
other; ``tests/test_chart_parity.py`` checks that every public ``*_figure``
here is listed, that the app and the exports call only listed builders, and
that the app's figure of each chart equals the exports' figure.
"""
