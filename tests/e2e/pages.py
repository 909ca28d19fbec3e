"""Helpers for driving the app in the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
"""Screenshots and the server log of the browser tests (git-ignored)."""


def wait_idle(page: Page) -> None:
    """Wait until the app has finished its rerun and the charts have been drawn."""
    page.wait_for_timeout(400)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
                 .every(chart => chart.querySelector('.main-svg'))""",
        timeout=120_000,
    )
    page.wait_for_timeout(300)
