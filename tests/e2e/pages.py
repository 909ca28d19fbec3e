"""Helpers for driving the app in the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
"""Screenshots and the server log of the browser tests (git-ignored)."""


IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app === null || app.getAttribute('data-test-script-state') === 'running') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]') !== null) return false;
    const shown = selector => Array.from(document.querySelectorAll(selector))
        .filter(element => element.checkVisibility());
    return shown('[class*="st-key-ui-pending"]').length === 0
        && shown('[class*="st-key-chart-"]').every(box => box.querySelector('.main-svg'));
}"""
"""Whether the page is idle: no run going, no waiting line of ``cxcost.ui.pending``
shown and every chart shown drawn. What a closed tab held stays in the page, hidden
(Streamlit keeps it, with a waiting line that no longer polls, when another tab was
opened before that tab's run had been drawn); only what is shown counts. A chart is
looked for by its box (``cxcost.ui.components.render_chart``): while the browser loads
plotly for a page's first charts (about a second here), the boxes are there and the
charts are not."""

TAB_CLICKS = 3
"""Clicks on a tab before a test gives up on opening it."""

OPEN_PANEL_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stTabPanel"]'))
    .some(panel => panel.checkVisibility()
        && panel.querySelector('[data-testid="stElementContainer"]:not([data-stale="true"])'))"""
"""Whether the open tab shows anything the last run drew (a tab opened anew is empty
until the run its click asked for has drawn it)."""


def wait_idle(page: Page) -> None:
    """Wait until the app has finished its rerun, the background work it waits for is
    shown (no waiting line of ``cxcost.ui.pending`` left) and the charts are drawn."""
    page.wait_for_timeout(400)
    page.wait_for_function(IDLE, timeout=120_000, polling=100)
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE, timeout=120_000, polling=100)


def open_tab(page: Page, tab: Locator) -> None:
    """Click ``tab``, wait until its run has drawn it, then until the page is idle.

    ``wait_idle`` alone can pass before a busy machine has even begun the click's run;
    the next click then lands while this tab is still being drawn. A click that lands
    while another run is being drawn can be lost (that run's tabs say which tab is
    open); the tab is then clicked again, at most ``TAB_CLICKS`` times in all.
    """
    for _ in range(TAB_CLICKS):
        tab.click()
        page.wait_for_function(OPEN_PANEL_DRAWN, timeout=120_000, polling=100)
        wait_idle(page)
        if tab.get_attribute("aria-selected") == "true":
            return
    raise AssertionError(f"the tab {tab.inner_text()!r} did not open after {TAB_CLICKS} clicks")


METRIC_VALUE = '[data-testid="stMetricValue"]'
PHONE_REPS = ".st-key-in-channels-0-representatives"
"""The sidebar's phone-representatives slider (``cxcost.ui.fields.widget_key``)."""


FIRST_PAGE_WHOLE = """() => document.querySelector('[class*="st-key-ui-pending-paint"]') === null"""
"""Whether a new session's first page is whole: its third run has put the charts and
tables in place of every placeholder (``cxcost.ui.pending``). Between two of its
first runs a page can show no placeholder for a frame or two; only a run going then
keeps ``IDLE`` false."""


def open_app(context: BrowserContext, url: str) -> Page:
    """A new page of ``context`` on ``url``, once its first page is whole and it is idle."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(METRIC_VALUE, timeout=60_000)
    page.wait_for_function(FIRST_PAGE_WHOLE, timeout=120_000, polling=100)
    wait_idle(page)
    return page


def open_group(page: Page, name: str) -> None:
    """Open a closed sidebar group (``cxcost.ui.sidebar.LAZY_GROUPS``) by its name."""
    page.locator(f".st-key-ui-group-{name} summary").click()
    wait_idle(page)
