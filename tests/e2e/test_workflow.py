"""The consultant's round trip in a real headless Chromium: rename, edit, share, reopen.

A consultant renames the scenario for a client, moves a slider and copies the
share link; a new browser opening that link sees the same name, the same
headline, the same delta against the baseline, and the file it saves is named
after the client and the scenario.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cxcost.i18n import t
from cxcost.presets import DEFAULT_PRESET, decode_link_pair, load_preset, pair_from_json

from .pages import ARTIFACTS, PHONE_REPS, open_app, open_group, wait_idle

pytestmark = pytest.mark.e2e

EXCEPTION = '[data-testid="stException"]'
METRIC = '[data-testid="stMetric"]'
POPOVER_BODY = '[data-testid="stPopoverBody"]'
DELTA = '[data-testid="stMetricDelta"]'


def _card(page: Page, label: str) -> str:
    return page.locator(METRIC).filter(has_text=label).first.inner_text()


def _type(page: Page, key: str, text: str) -> None:
    box = page.locator(f".st-key-{key.replace('.', '-')} input")
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def test_a_renamed_proposal_travels_by_link_with_its_baseline(
    browser: Browser, context: BrowserContext, app_url: str
) -> None:
    page = open_app(context, app_url)
    open_group(page, "scenario")
    _type(page, "in.name", "Proposal 2027")
    _type(page, "in.client", "ACME Retail")
    slider = page.locator(f'{PHONE_REPS} input[type="range"]')
    slider.focus()
    for _ in range(4):
        slider.press("ArrowRight")
    # Each new scenario runs the optimiser for the one recommendation: allow for it.
    expect(page.locator(DELTA).first).to_be_visible(timeout=180_000)
    wait_idle(page)
    expect(page.get_by_text("Proposal 2027 for ACME Retail").first).to_be_visible()
    label = t("card.revenue_at_risk", "en")
    card = _card(page, label)

    page.locator(".st-key-share-link button:visible").first.click()
    body = page.locator(POPOVER_BODY).last
    expect(body.locator('[data-testid="stCode"]')).to_be_visible(timeout=30_000)
    wait_idle(page)
    link = body.locator('[data-testid="stCode"]').inner_text().strip()
    page.screenshot(path=ARTIFACTS / "workflow-link.png")
    pair = decode_link_pair(link.split("s=", 1)[1])
    assert (pair.scenario.name, pair.scenario.client) == ("Proposal 2027", "ACME Retail")
    # The default preset's link is near 2,000 characters with a baseline: both may
    # travel without their translated sources (link_pair); every number travels.
    assert pair.baseline is not None
    preset = load_preset(DEFAULT_PRESET)
    assert pair.baseline.model_dump(exclude={"translations"}) == preset.model_dump(
        exclude={"translations"}
    )

    fresh = browser.new_context(viewport={"width": 1440, "height": 1800}, accept_downloads=True)
    try:
        opened = open_app(fresh, link)
        expect(opened.locator(DELTA).first).to_be_visible(timeout=180_000)
        expect(opened.get_by_text("Proposal 2027 for ACME Retail").first).to_be_visible()
        assert _card(opened, label) == card  # same value, same delta against the baseline
        expect(opened.locator(EXCEPTION)).to_have_count(0)
        button = opened.locator(".st-key-share-download button:visible")
        with opened.expect_download(timeout=60_000) as info:
            button.click()
        assert info.value.suggested_filename == "acme-retail-proposal-2027.json"
        saved = pair_from_json(Path(info.value.path()).read_bytes())
        assert saved == pair
        opened.screenshot(path=ARTIFACTS / "workflow-opened.png")
    finally:
        fresh.close()
