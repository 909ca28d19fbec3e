"""The app in a real headless Chromium: it loads, shows numbers and charts, reacts to a slider.

Screenshots of every tab go to ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect
from scripts import load_script
from streamlit.proto.BackMsg_pb2 import BackMsg

from cxcost.ui.assumptions import TABLE_CLASS

from .pages import ARTIFACTS, PHONE_REPS, open_tab, wait_idle

pytestmark = pytest.mark.e2e

EXCEPTION = '[data-testid="stException"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
CHART = '[data-testid="stPlotlyChart"]'
# Each chart's sides whose margin plotly widened beyond the figure's (it then drew
# the chart twice): cxcost.report.margins fits them for the app's widths.
GROWN_MARGINS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .map((chart) => [chart.querySelector('.gtitle')?.textContent ?? '?',
        ['l', 'r', 'b', 't'].filter((side) =>
            chart._fullLayout._size[side] - chart._fullLayout.margin[side] > 1)])
    .filter(([, sides]) => sides.length > 0)"""


def _headline(page: Page) -> str:
    return page.locator(METRIC_VALUE).first.inner_text()


def _top(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def _first_run_only(route: WebSocketRoute) -> None:
    """Pass a page's websocket through, but for every run it asks for after its first."""
    server = route.connect_to_server()
    runs = 0

    def forward(message: str | bytes) -> None:
        nonlocal runs
        if isinstance(message, bytes):
            sent = BackMsg()
            sent.ParseFromString(message)
            if sent.WhichOneof("type") == "rerun_script":
                runs += 1
                if runs > 1:
                    return
        server.send(message)

    route.on_message(forward)


def test_the_headline_stays_put_when_the_first_pages_next_run_comes(
    page: Page, context: BrowserContext, app_url: str
) -> None:
    """A new session's first run draws the Overview's headline under an empty space
    where the tab bar goes; the bar comes with the next run (``cxcost.ui.pending``)."""
    context.route_web_socket(re.compile(r".*/_stcore/stream$"), _first_run_only)
    first = context.new_page()
    first.goto(app_url)
    first.wait_for_selector(METRIC_VALUE, timeout=60_000)
    first.wait_for_timeout(1_500)  # two of the page's asks for its next run, held back
    expect(first.locator(".st-key-ui-pending-paint-tabs")).to_be_visible()
    expect(first.get_by_role("tab")).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(8)
    for selector in (".st-key-ui-finding", "h1"):
        assert _top(first, selector) == pytest.approx(_top(page, selector), abs=1.0), selector
    # The finding is taller once its plan is worked out: the cards follow it.
    assert _top(first, ".st-key-ui-cards") <= _top(page, ".st-key-ui-cards")


def test_page_loads_with_headline_and_charts(page: Page) -> None:
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.locator(METRIC_VALUE)).to_have_count(4)
    assert _headline(page).startswith("USD ")
    cards = page.locator(".st-key-ui-cards")
    expect(cards).to_contain_text("Churn cost")
    expect(cards).to_contain_text("Total CX cost")
    expect(cards).to_contain_text("lifetime margin")
    expect(page.get_by_text("Money per year, steady state.")).to_be_visible()
    charts = page.locator(CHART)
    assert charts.count() >= 2
    for index in range(charts.count()):
        expect(charts.nth(index).locator(".main-svg").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "overview.png", full_page=True)


def test_slider_updates_headline(page: Page) -> None:
    before = _headline(page)
    handle = page.locator(f'{PHONE_REPS} input[type="range"]')
    handle.focus()
    for _ in range(20):  # 0.5 FTE a step: 10 more phone representatives
        handle.press("ArrowRight")
    # Each new scenario runs the optimiser for the one recommendation: allow for it.
    expect(page.locator(METRIC_VALUE).first).not_to_have_text(before, timeout=180_000)
    wait_idle(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert page.locator('[data-testid="stMetricDelta"]').first.inner_text().startswith("-USD")


def test_every_tab_renders(page: Page) -> None:
    # A change first, so that Compare and Uncertainty have something to show.
    handle = page.locator(f'{PHONE_REPS} input[type="range"]')
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")
    wait_idle(page)
    tabs = page.locator('[data-testid="stTab"]')
    assert tabs.count() == 8
    for index in range(tabs.count()):
        open_tab(page, tabs.nth(index))
        if index == 5:
            expect(page.locator(".st-key-ui-uncertainty-describes")).to_contain_text(
                "Current inputs"
            )
            page.locator(".st-key-ui-uncertainty-run button").click()
            expect(page.locator(".st-key-ui-uncertainty-break_even")).to_contain_text(
                "pays off", timeout=120_000
            )
            wait_idle(page)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        if index < 6:  # every tab but Assumptions and Calibrate has charts
            assert page.locator(CHART).count() >= 1, tabs.nth(index).inner_text()
            assert page.evaluate(GROWN_MARGINS) == [], "a chart was drawn twice"
        elif index == 6:  # Assumptions: one table, wrapped rather than cut
            table = page.locator(f'[data-testid="stMain"] table.{TABLE_CLASS}')
            expect(table).to_have_count(1)
            assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")
        else:  # Calibrate, before an upload: the contact and the complaint uploader
            expect(page.locator('[data-testid="stFileUploaderDropzoneInput"]')).to_have_count(2)
        name = tabs.nth(index).inner_text().lower().replace(" & ", "-").replace(" ", "-")
        page.screenshot(path=ARTIFACTS / f"tab-{index + 1}-{name}.png", full_page=True)


def test_practices_tab_ranks_the_levers_and_applies_the_best(page: Page) -> None:
    """The Practices tab: the best move, the ranked table and its two charts; "Apply"
    moves that lever's slider in the sidebar and the page stays free of errors."""
    open_tab(page, page.get_by_role("tab", name="Practices"))
    do_first = page.locator(".st-key-ui-practices-do_first")
    expect(do_first).to_contain_text("Do first:", timeout=120_000)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    assert page.locator(CHART).count() == 2
    before = do_first.inner_text()
    page.locator(".st-key-ui-practices-apply button").click()
    wait_idle(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(do_first).not_to_have_text(before, timeout=120_000)
    page.screenshot(path=ARTIFACTS / "practices.png", full_page=True)


def test_norwegian(page: Page) -> None:
    page.get_by_text("Norsk bokmål").click()
    wait_idle(page)
    expect(page.get_by_role("tab", name="Oversikt")).to_be_visible()
    # The headline follows once the rerun in Norwegian has drawn it.
    expect(page.locator('[data-testid="stMetricValue"]').first).to_contain_text(
        "mill.", timeout=60_000
    )
    assert "mill." in _headline(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "overview-nb.png", full_page=True)


def test_calibrate_from_an_uploaded_log(page: Page, tmp_path: Path) -> None:
    """Upload a contact and a complaint log, fit, apply: the sidebar takes the values."""
    generator = load_script("examples", "generate_contacts")
    contacts, complaints, _ = generator.write_logs(tmp_path, 5_000, 11)
    open_tab(page, page.get_by_role("tab", name="Calibrate"))
    uploads = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploads.nth(0).set_input_files(str(contacts))
    wait_idle(page)
    uploads.nth(1).set_input_files(str(complaints))
    wait_idle(page)
    page.get_by_role("button", name="Fit from the data").click()
    wait_idle(page)
    expect(page.get_by_text("Assumptions fitted from")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name=re.compile(r"Apply the \d+ selected values")).click()
    wait_idle(page)
    expect(page.get_by_text("fitted values are now in the scenario")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "calibrate.png")
