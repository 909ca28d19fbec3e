"""Every chart is drawn once: its fitted margins hold what plotly's automargin measures.

``cxcost.report.margins.fit_margins`` widens each figure's margins for the width the
app draws it at (a 1280 px window), so that plotly does not draw it a second time
with wider ones. Here Chromium draws every chart of two presets, in English and
Norwegian, with the plotly.js that ships in the plotly package, at that width and
at the image export's width, and the margins plotly settles on must be the ones
the figure brought. The widths of label text the estimate is built on are checked
against Chromium's own measurement.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final

import plotly.graph_objects as go
import pytest
from playwright.sync_api import Browser, Page
from plotly.offline import get_plotlyjs

from cxcost.i18n import Language
from cxcost.presets import load_preset
from cxcost.report import charts
from cxcost.report.bundle import chart_figures, compute_report_inputs
from cxcost.report.images import DEFAULT_WIDTH
from cxcost.report.margins import text_width

pytestmark = pytest.mark.e2e

PRESETS: Final = ("us-ecommerce", "no-bank")
LANGUAGES: Final[tuple[Language, ...]] = ("en", "nb")

# Plotly draws the figure; the margins it settles on and the ones it was given.
_DRAW: Final = """async ([figure, width]) => {
  const host = document.getElementById("host");
  host.innerHTML = "";
  const chart = document.createElement("div");
  host.appendChild(chart);
  const layout = {...figure.layout, width: width};
  await Plotly.newPlot(chart, figure.data, layout, {displaylogo: false});
  const size = chart._fullLayout._size, margin = chart._fullLayout.margin;
  return {size: {l: size.l, r: size.r, b: size.b, t: size.t},
          margin: {l: margin.l, r: margin.r, b: margin.b, t: margin.t}};
}"""

_MEASURE: Final = """([texts, kerning]) => {
  const canvas = document.createElement("canvas").getContext("2d");
  canvas.font = "13px Arial";
  canvas.fontKerning = kerning;
  return texts.map((text) => canvas.measureText(text).width);
}"""


def drawn_width(name: str) -> int:
    """The width the app draws a report chart at (by its name in ``chart_figures``)."""
    if name.startswith(("staffing-", "queues-")) or name in ("training", "training-quality"):
        return charts.HALF_WIDTH
    return {"drivers": charts.THREE_FIFTHS_WIDTH, "churners": charts.TWO_FIFTHS_WIDTH}.get(
        name, charts.FULL_WIDTH
    )


@pytest.fixture(scope="module")
def plotly_page(browser: Browser) -> Iterator[Page]:
    """A blank page with plotly.js and a host for one chart."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_content('<html><body style="margin:0"><div id="host"></div></body></html>')
        page.add_script_tag(content=get_plotlyjs())
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def figures() -> dict[str, go.Figure]:
    """Every report chart of the presets in both languages, by "preset/language/name"."""
    found: dict[str, go.Figure] = {}
    for stem in PRESETS:
        inputs = compute_report_inputs(load_preset(stem))
        for language in LANGUAGES:
            for name, figure in chart_figures(inputs, language).items():
                found[f"{stem}/{language}/{name}"] = figure
    return found


def _grown(page: Page, figure: go.Figure, width: int) -> dict[str, tuple[float, float]]:
    """The sides whose margin plotly widened: side -> (given, settled on) [px]."""
    drawn: dict[str, Any] = page.evaluate(_DRAW, [json.loads(figure.to_json()), width])
    return {
        side: (drawn["margin"][side], drawn["size"][side])
        for side in "lrbt"
        if drawn["size"][side] - drawn["margin"][side] > 1
    }


def test_no_chart_grows_its_margins_at_its_width(
    plotly_page: Page, figures: dict[str, go.Figure]
) -> None:
    grown = {
        f"{key} at {drawn_width(key.rsplit('/', 1)[1])} px": sides
        for key, figure in figures.items()
        if (sides := _grown(plotly_page, figure, drawn_width(key.rsplit("/", 1)[1])))
    }
    assert len(figures) > 40
    assert not grown, f"drawn twice (margin given, settled on): {grown}"


def test_no_chart_grows_its_margins_as_an_image(
    plotly_page: Page, figures: dict[str, go.Figure]
) -> None:
    grown = {
        key: sides
        for key, figure in figures.items()
        if (sides := _grown(plotly_page, figure, DEFAULT_WIDTH))
    }
    assert not grown, f"drawn twice (margin given, settled on): {grown}"


def test_an_unfitted_chart_does_grow(plotly_page: Page, figures: dict[str, go.Figure]) -> None:
    """The check above can fail: the staffing chart with the house base margins grows."""
    figure = go.Figure(figures["us-ecommerce/en/staffing-1-phone"])
    figure.update_layout(margin={"l": 70, "r": 30, "b": 60})
    assert set(_grown(plotly_page, figure, charts.HALF_WIDTH)) == {"l", "b"}


def test_label_widths_match_chromium(plotly_page: Page) -> None:
    """Arial's widths (Liberation Sans in Chromium on Linux) as the estimate reads them:
    the letters' advances exactly, and never less than the kerned text."""
    texts = [
        "USD 6M",
        "2,5 mill. USD",
        "Kostnad ved kundeflukt",
        "Total CX cost",
        "Øre: 100 % (æøå ÆØÅ)",
        "NOK 0–1,5 × W@m",
        "{[Quality & training]}",
    ]
    advances = plotly_page.evaluate(_MEASURE, [texts, "none"])
    kerned = plotly_page.evaluate(_MEASURE, [texts, "normal"])
    for text, advance, drawn in zip(texts, advances, kerned, strict=True):
        assert text_width(text) == pytest.approx(advance, abs=0.05), text
        # Kerning ("To") only brings letters closer: the estimate never falls short.
        assert text_width(text) >= drawn - 0.05, text
