"""The HTML report's tornado as Chromium draws it: both ends' bars, the centre line,
and tick labels, axis title and legend clear of one another, wide and narrow."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import pytest
from playwright.sync_api import Browser

from cxcost.presets import load_preset
from cxcost.report.bundle import build_document, compute_report_inputs

pytestmark = pytest.mark.e2e

# Bounding boxes of the tornado's text groups, and which groups touch.
_BOXES: Final = """(chart) => {
  const boxes = (selector) => Array.from(chart.querySelectorAll(selector))
    .map((e) => e.getBoundingClientRect()).filter((b) => b.width > 0)
    .map((b) => ({left: b.left, right: b.right, top: b.top, bottom: b.bottom}));
  return {
    xticks: boxes('.xtick text'), xtitle: boxes('.g-xtitle text'),
    yticks: boxes('.ytick text'), legend: boxes('.legend .bg'),
    bars: chart.querySelectorAll('.trace.bars .point path').length,
    lines: chart.querySelectorAll('.shapelayer path').length,
  };
}"""


def _touch(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


@pytest.fixture(scope="module")
def report_html() -> str:
    inputs = compute_report_inputs(load_preset("us-ecommerce"))
    return build_document(inputs, "html", "en", date(2026, 12, 5)).content.decode("utf-8")


@pytest.mark.parametrize("width", [480, 1280])
def test_html_tornado_is_drawn_whole_and_readable(
    browser: Browser, report_html: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.set_content(report_html, wait_until="load")
        # The one wide chart of bars: the tornado (the other wide one is the heatmap).
        chart = page.locator(".chart.wide").filter(has=page.locator(".trace.bars"))
        chart.wait_for()
        page.wait_for_timeout(500)  # plotly's responsive relayout
        found: dict[str, Any] = chart.evaluate(_BOXES)
    finally:
        context.close()
    inputs = 16  # the us-ecommerce tornado's uncertain inputs
    assert found["bars"] == 2 * inputs, "a low-end and a high-end bar for every input"
    assert found["lines"] >= 1, "the centre line"
    (title,) = found["xtitle"]
    (legend,) = found["legend"]
    groups = ("xticks", "yticks")
    for group in groups:
        for box in found[group]:
            assert not _touch(box, title), f"{group} on the axis title at {width} px"
            assert not _touch(box, legend), f"{group} on the legend at {width} px"
    assert not _touch(title, legend), f"axis title on the legend at {width} px"
    assert max(box["bottom"] for box in found["xticks"]) <= title["top"] + 1
    assert title["bottom"] <= legend["top"] + 1
