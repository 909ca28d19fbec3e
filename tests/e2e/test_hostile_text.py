"""Issue 15 in a real Chromium: user text stays text, and the link limit end to end.

Bare URLs in names, descriptions and channel names became clickable links (in
slider labels too), and ``&lt;b&gt;`` showed as ``<b>``. A link at the length
limit must open; one above it gets the "use a file" message instead.
"""

from __future__ import annotations

import random
import string

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cxcost.presets import MAX_LINK_CHARS, SCHEMA_VERSION, encode_link, share_url
from cxcost.scenario import Scenario

from .pages import ARTIFACTS, open_app, open_tab

pytestmark = pytest.mark.e2e

EXCEPTION = '[data-testid="stException"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
NAME = "Acme https://login.example-evil.test/sso &lt;b&gt;x&lt;/b&gt;"
DESCRIPTION = "Reset at www.evil.test/reset or mailto:boss@evil.test <b>bold</b> &amp; more"
PHONE = "Phone www.evil.test/phone"
CHAT = "Chat https://evil.test/chat"
WORD_JOINER = "\u2060"
# Any link that leaves the app for what a user typed (the page's own anchors stay).
FOREIGN_LINKS = """els => els.map(e => e.href)
    .filter(h => !h.startsWith(location.origin) && /evil|mailto/.test(h))"""


def _visible_text(page: Page) -> str:
    return page.inner_text("body").replace(WORD_JOINER, "")


def test_urls_and_entities_in_user_text_stay_text_on_every_tab(
    context: BrowserContext, app_url: str
) -> None:
    data = Scenario().model_dump(mode="json")
    data["name"], data["description"] = NAME, DESCRIPTION
    data["channels"][0]["name"], data["channels"][1]["name"] = PHONE, CHAT
    page = open_app(context, share_url(Scenario.model_validate(data), f"{app_url}/"))
    tabs = page.locator('[role="tab"]')
    assert tabs.count() >= 6
    for index in range(tabs.count()):
        open_tab(page, tabs.nth(index))
        assert page.eval_on_selector_all("a", FOREIGN_LINKS) == [], tabs.nth(index).inner_text()
        text = _visible_text(page)
        for typed in (NAME, PHONE, CHAT):
            assert typed in text
        expect(page.locator(EXCEPTION)).to_have_count(0)
    # The Assumptions tab holds the description as typed.
    open_tab(page, page.get_by_role("tab", name="Assumptions"))
    assert DESCRIPTION in _visible_text(page)
    assert page.locator("b", has_text="bold").count() == 0
    page.screenshot(path=ARTIFACTS / "hostile-text-assumptions.png")


def _padded_scenario(texts: int, length: int) -> Scenario:
    noise = random.Random(15)
    alphabet = string.ascii_letters + string.digits
    sources = {
        f"business.note{index}": "".join(noise.choices(alphabet, k=length))
        for index in range(texts)
    }
    return Scenario(name="Link at the limit", sources=sources)


def _largest_link_scenario(base_url: str) -> tuple[Scenario, str]:
    """The scenario whose share link comes closest to MAX_LINK_CHARS from below."""
    low, high = 1, 500
    best: tuple[Scenario, str] | None = None
    while low <= high:
        length = (low + high) // 2
        scenario = _padded_scenario(70, length)
        try:
            url = share_url(scenario, base_url)
        except ValueError:
            high = length - 1
            continue
        best = (scenario, url)
        low = length + 1
    assert best is not None
    return best


def test_a_link_at_the_limit_opens_and_one_above_gets_the_file_advice(
    context: BrowserContext, app_url: str
) -> None:
    scenario, url = _largest_link_scenario(f"{app_url}/")
    assert MAX_LINK_CHARS - 200 < len(url) <= MAX_LINK_CHARS
    page = open_app(context, url)
    assert "Link at the limit" in _visible_text(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)

    # One above: the same packing with ten more texts of noise.
    import base64
    import zlib

    bigger = _padded_scenario(80, len(next(iter(scenario.sources.values()))))
    packed = zlib.compress(bigger.model_dump_json().encode("utf-8"), 9)
    token = f"{SCHEMA_VERSION}." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()
    assert len(token) > MAX_LINK_CHARS
    with pytest.raises(ValueError, match="use a file instead"):
        encode_link(bigger)
    page = open_app(context, f"{app_url}/?s={token}")
    text = _visible_text(page)
    assert "use a file instead" in text
    assert "Link at the limit" not in text
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "link-over-the-limit.png")
