"""Helpers for driving the app in the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
"""Screenshots and the server log of the browser tests (git-ignored)."""


def wait_idle(page: Page) -> None:
    """Wait until the app has finished its rerun, the background work it waits for is
    shown (no waiting line of ``cxcost.ui.pending`` left) and the charts are drawn."""
    page.wait_for_timeout(400)
    page.wait_for_selector('[class*="st-key-ui-pending"]', state="detached", timeout=120_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
                 .every(chart => chart.querySelector('.main-svg'))""",
        timeout=120_000,
    )
    page.wait_for_timeout(300)


METRIC_VALUE = '[data-testid="stMetricValue"]'
PHONE_REPS = ".st-key-in-channels-0-representatives"
"""The sidebar's phone-representatives slider (``cxcost.ui.fields.widget_key``)."""


def open_app(context: BrowserContext, url: str) -> Page:
    """A new page of ``context`` on ``url``, once its headline is shown and it is idle."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(METRIC_VALUE, timeout=60_000)
    wait_idle(page)
    return page


def open_group(page: Page, name: str) -> None:
    """Open a closed sidebar group (``cxcost.ui.sidebar.LAZY_GROUPS``) by its name."""
    page.locator(f".st-key-ui-group-{name} summary").click()
    wait_idle(page)
