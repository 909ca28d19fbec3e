"""Sharing and export in a real headless Chromium: links, downloads, chart images, hostile names.

A share link made by the CLI opens the app on the same headline as the CLI's
``evaluate``; the download buttons give files that parse back; a scenario name
full of markup stays text. Screenshots of the share area, the share link, the
reports and a chart's export go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Dialog, Locator, Page, expect

from cxcost.i18n import format_money, t
from cxcost.presets import DEFAULT_PRESET, load_preset, scenario_from_json, share_url
from cxcost.scenario import Scenario

from .pages import ARTIFACTS, ROOT, open_app, wait_idle

pytestmark = pytest.mark.e2e

EXCEPTION = '[data-testid="stException"]'
METRIC = '[data-testid="stMetric"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
SHARE_AREA = ".st-key-sidebar-share"
POPOVER_BODY = '[data-testid="stPopoverBody"]'
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
VIEWPORT = {"width": 1440, "height": 1800}


def _cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cxcost", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _metric_value(page: Page, label: str) -> str:
    return page.locator(METRIC).filter(has_text=label).locator(METRIC_VALUE).inner_text()


def _open_popover(page: Page, key: str) -> Locator:
    """Click the popover button with widget key ``key``; its body once it has run."""
    page.locator(f".st-key-{key.replace('.', '-')} button:visible").first.click()
    body = page.locator(POPOVER_BODY).last
    expect(body).to_be_visible(timeout=30_000)
    wait_idle(page)
    return body


def _download(page: Page, key: str, timeout_ms: float = 60_000) -> Path:
    button = page.locator(f".st-key-{key.replace('.', '-')} button:visible")
    expect(button).to_be_visible(timeout=timeout_ms)
    with page.expect_download(timeout=timeout_ms) as info:
        button.click()
    path = Path(info.value.path())
    assert path.stat().st_size > 0
    return path


@pytest.mark.parametrize("preset", ["no-bank"])
def test_a_cli_share_link_opens_on_the_cli_headline(
    context: BrowserContext, app_url: str, preset: str
) -> None:
    link = _cli("link", preset, "--base-url", f"{app_url}/").strip()
    evaluated = json.loads(_cli("evaluate", preset, "--format", "json"))
    expected = format_money(evaluated["revenue_at_risk_per_year"], evaluated["currency"], "en")

    page = open_app(context, link)
    label = t("card.revenue_at_risk", "en")
    assert label == "Revenue at risk"
    assert _metric_value(page, label) == expected
    expect(page.locator(EXCEPTION)).to_have_count(0)
    # The only message is the recommendation's guardrail warnings (no-bank has some).
    alerts = page.locator('[data-testid="stAlert"]')
    expect(alerts.filter(has_not_text=t("rec.warnings", "en"))).to_have_count(0)
    page.locator(SHARE_AREA).screenshot(path=ARTIFACTS / "share-area.png")

    body = _open_popover(page, "share.link")
    shown = body.locator('[data-testid="stCode"]').inner_text().strip()
    assert shown == link  # the same scenario gives the same link back
    page.screenshot(path=ARTIFACTS / "share-link.png")


def test_downloads_give_the_scenario_file_and_a_one_page_summary(
    context: BrowserContext, app_url: str
) -> None:
    from pypdf import PdfReader

    page = open_app(context, app_url)
    scenario_file = _download(page, "share.download")
    assert scenario_file.read_bytes().startswith(b"{")
    assert scenario_from_json(scenario_file.read_bytes()) == load_preset(DEFAULT_PRESET)

    body = _open_popover(page, "share.reports")
    xlsx_button = body.locator(".st-key-share-reports-xlsx button:visible")
    expect(xlsx_button).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.screenshot(path=ARTIFACTS / "share-reports.png")
    summary = _download(page, "share.reports.pdf")
    content = summary.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(PdfReader(summary).pages) == 1
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_chart_exports_as_png_svg_and_pdf(context: BrowserContext, app_url: str) -> None:
    from PIL import Image

    from cxcost.report.charts import FIGURE_HEIGHT

    page = open_app(context, app_url)
    body = _open_popover(page, "export.chart.drivers")
    pdf_button = body.locator(".st-key-export-chart-drivers-pdf button:visible")
    expect(pdf_button).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.screenshot(path=ARTIFACTS / "chart-export.png")
    png = _download(page, "export.chart.drivers.png")
    with Image.open(png) as image:
        # As wide as the export's default, as tall as the figure itself, at scale 2.
        assert image.size == (1800, 2 * FIGURE_HEIGHT)
    assert _download(page, "export.chart.drivers.svg").read_bytes().lstrip().startswith(b"<svg")
    assert _download(page, "export.chart.drivers.pdf").read_bytes().startswith(b"%PDF")
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_hostile_name_in_a_link_renders_literally(context: BrowserContext, app_url: str) -> None:
    scenario = Scenario().model_copy(update={"name": HOSTILE_NAME})
    dialogs: list[str] = []
    page = context.new_page()

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(share_url(scenario, f"{app_url}/"))
    page.wait_for_selector(METRIC_VALUE, timeout=60_000)
    wait_idle(page)
    expect(page.get_by_text(HOSTILE_NAME).first).to_be_visible()
    _open_popover(page, "share.link")
    page.wait_for_timeout(500)  # time for an injected handler to fire
    assert page.locator('img[src="x"]').count() == 0
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert dialogs == []
