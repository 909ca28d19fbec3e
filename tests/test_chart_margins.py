"""cxcost.report.margins: margins fitted to a chart's labels and legend, so plotly draws once.

Reference cases are what Chromium's plotly measured for the staffing chart
(``tests/e2e/test_chart_margins.py`` checks every chart of two presets the same
way); the properties hold for any labels, legend and width.
"""

from __future__ import annotations

import copy
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxcost.optimize import cost_curve
from cxcost.presets import load_preset
from cxcost.report import charts
from cxcost.report.margins import (
    FONT_SIZE,
    LEGEND_PAD,
    LEGEND_ROW,
    X_AXIS_DEPTH,
    Y_AXIS_EXTRA,
    fit_margins,
    text_width,
)

Spec = dict[str, Any]

# What plotly.js (3.8 in Streamlit, 4.1 in the plotly package) measured in Chromium
# for the default preset's phone staffing chart at 402 px, drawn with the house base
# margins (l 70, r 30, b 60): the y axis pushed 85.3 px (101.2 in Norwegian), the x
# axis 52.2 px, and the three-entry legend took two rows (50 px; three rows, 70 px, in
# Norwegian).
MEASURED_LEFT = {"en": 85.325, "nb": 101.216}
MEASURED_BOTTOM = {"en": 52.2 + 50.0, "nb": 52.2 + 70.0}


@pytest.mark.parametrize("language", ["en", "nb"])
def test_staffing_chart_margins_hold_what_plotly_measured(language: str) -> None:
    scenario = load_preset("us-ecommerce")
    figure = charts.staffing_curve_figure(cost_curve(scenario, 0), language)  # type: ignore[arg-type]
    margin = figure.layout.margin
    assert MEASURED_LEFT[language] < margin.l <= MEASURED_LEFT[language] + 3
    assert MEASURED_BOTTOM[language] < margin.b <= MEASURED_BOTTOM[language] + 3
    assert margin.r == 30  # nothing stands out on the right


def test_text_width_by_hand() -> None:
    # Liberation Sans advance widths: "U" 1479, "S" 1366, "D" 1479, " " 569, "6" 1139,
    # "M" 1706 (1/2048 em) -> 7738 / 2048 * 13 px.
    assert text_width("USD 6M") == pytest.approx(7738 / 2048 * 13)
    assert text_width("USD 6M", 26) == pytest.approx(2 * text_width("USD 6M"))
    assert text_width("") == 0.0
    assert text_width("<b>ab</b>") == text_width("ab")
    assert text_width("a &amp; b") == text_width("a & b")
    # A character outside the table counts as 1 em: the estimate errs wide.
    assert text_width("中") == FONT_SIZE


_TEXT = st.text(alphabet=string.printable.strip() + "æøåÆØÅ –×%", max_size=30)


@given(_TEXT, _TEXT)
def test_text_width_adds_up_and_takes_the_widest_line(first: str, second: str) -> None:
    first, second = first.replace("<", ""), second.replace("<", "")
    first, second = first.replace("&", ""), second.replace("&", "")
    assert text_width(first + second) == pytest.approx(text_width(first) + text_width(second))
    assert text_width(f"{first}<br>{second}") == max(text_width(first), text_width(second))


def _axis(**settings: Any) -> Spec:
    return {"automargin": True, "title": {"text": "Title", "standoff": 12}, **settings}


@st.composite
def figures(draw: st.DrawFn) -> tuple[list[Spec], Spec, float]:
    """A figure like the house's: lines or bars, array or category ticks, maybe a
    legend at the foot, any base margins; and the width it is drawn at."""
    labels = draw(st.lists(_TEXT, min_size=2, max_size=7))
    values = [float(i) for i in range(len(labels))]
    names = draw(st.lists(_TEXT, min_size=1, max_size=5))
    data: list[Spec] = [
        {"type": "scatter", "name": name, "x": values, "y": values} for name in names
    ]
    if draw(st.booleans()):
        data.append({"type": "bar", "orientation": "h", "y": labels, "x": values})
    layout: Spec = {
        "margin": {
            "l": draw(st.integers(0, 300)),
            "r": draw(st.integers(0, 120)),
            "t": 60,
            "b": draw(st.integers(0, 120)),
        },
        "xaxis": _axis(
            tickmode="array", tickvals=values, ticktext=labels, range=[0, len(labels) - 1]
        ),
        "yaxis": _axis(**({"tickformat": ".0%"} if draw(st.booleans()) else {})),
        "yaxis2": _axis(
            side="right",
            overlaying="y",
            tickmode="array",
            tickvals=values,
            ticktext=list(reversed(labels)),
        ),
        "legend": {"orientation": "h", "yref": "container", "y": 0.0},
        "showlegend": draw(st.sampled_from([None, True, False])),
    }
    return data, layout, float(draw(st.integers(200, 1600)))


@given(figures())
def test_fitting_only_ever_widens_the_margins(case: tuple[list[Spec], Spec, float]) -> None:
    data, layout, width = case
    before = copy.deepcopy(layout)
    fitted = fit_margins(data, layout, width)
    assert layout == before  # not changed in place
    assert {k: v for k, v in fitted.items() if k != "margin"} == {
        k: v for k, v in layout.items() if k != "margin"
    }
    for side in "lrb":
        assert fitted["margin"][side] >= layout["margin"][side]
    assert fitted["margin"]["t"] == layout["margin"]["t"]


@given(figures())
def test_fitting_twice_changes_nothing(case: tuple[list[Spec], Spec, float]) -> None:
    data, layout, width = case
    once = fit_margins(data, layout, width)
    assert fit_margins(data, once, width) == once


@given(figures(), st.integers(1, 600))
def test_a_wider_chart_never_needs_more_room(
    case: tuple[list[Spec], Spec, float], more: int
) -> None:
    """Fewer legend rows and fewer turned labels as the width grows; never more margin."""
    data, layout, width = case
    narrow, wide = fit_margins(data, layout, width), fit_margins(data, layout, width + more)
    for side in "lrb":
        assert wide["margin"][side] <= narrow["margin"][side]


@given(figures(), _TEXT.filter(bool))
def test_a_longer_label_never_narrows_the_margin(
    case: tuple[list[Spec], Spec, float], extra: str
) -> None:
    data, layout, width = case
    longer = copy.deepcopy(layout)
    longer["yaxis2"]["ticktext"] = [label + extra for label in longer["yaxis2"]["ticktext"]]
    assert (
        fit_margins(data, longer, width)["margin"]["r"]
        >= (fit_margins(data, layout, width)["margin"]["r"])
    )


def test_the_pushes_add_up_by_hand() -> None:
    """One left axis, one bottom axis and a legend of two rows, added by hand."""
    names = ["Service cost", "Churn cost", "Total CX cost"]
    data = [{"type": "scatter", "name": name, "x": [0, 1], "y": [0, 1]} for name in names]
    layout = {
        "margin": {"l": 10, "r": 30, "t": 60, "b": 10},
        "xaxis": _axis(),
        "yaxis": _axis(tickmode="array", tickvals=[0, 1], ticktext=["USD 0", "USD 6M"]),
        "legend": {"orientation": "h", "yref": "container", "y": 0.0},
    }
    fitted = fit_margins(data, layout, 402)["margin"]
    left = text_width("USD 6M") + Y_AXIS_EXTRA
    assert fitted["l"] == pytest.approx(left + 1, abs=1)
    # 402 - 87 - 30 = 285 px of plot: the entries (40 px + text each) need 345 px,
    # so two rows of two.
    assert fitted["b"] == pytest.approx(X_AXIS_DEPTH + LEGEND_PAD + 2 * LEGEND_ROW + 1, abs=1)
    assert fit_margins(data, layout, 900)["margin"]["b"] == pytest.approx(
        X_AXIS_DEPTH + LEGEND_PAD + LEGEND_ROW + 1, abs=1
    )
