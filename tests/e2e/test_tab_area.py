"""The fragments of the page (``cxcost.ui.app``), in a real Chromium.

A tab click, or a widget inside a tab, reruns the tabs' fragment alone (``_tab_area``);
a lever in the sidebar (a channel's representatives, the training) reruns the results'
fragment alone (``_results``): the levers, the main area and the share area, not the
sidebar's other controls and closed groups (issue 16's tab switch and slider move).
What changes the page outside a fragment (the plan applied to the sidebar, a new
baseline for the headline's deltas, an input of a closed group) reruns the whole
app. Each test reads the rerun's kind from the page's websocket: Streamlit ends a
whole run with ``script_finished`` status 0 and a fragment's with 3.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .pages import ARTIFACTS, METRIC_VALUE, PHONE_REPS, ROOT, wait_idle

pytestmark = pytest.mark.e2e

WHOLE_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FRAGMENT_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
CARDS = ".st-key-ui-cards"
DELTA = f'{CARDS} [data-testid="stMetricDelta"]'
PLANNER = ".st-key-ui-staffing-plan"
RUN_WAIT_SECONDS = 60


class Runs:
    """The ``script_finished`` statuses the page received, in order."""

    def __init__(self) -> None:
        self.statuses: list[int] = []

    def listen(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") == "script_finished":
            self.statuses.append(int(message.script_finished))

    def since(self, mark: int) -> list[int]:
        """The statuses received after the first ``mark`` ones (what a click caused)."""
        return self.statuses[mark:]


@pytest.fixture
def app(context: BrowserContext, app_url: str) -> tuple[Page, Runs]:
    """A fresh session, loaded and idle, with its websocket's run endings recorded."""
    runs = Runs()
    page = context.new_page()
    page.on("websocket", runs.listen)
    page.goto(app_url)
    page.wait_for_selector(METRIC_VALUE, timeout=60_000)
    wait_idle(page)
    return page, runs


def _phone_reps(page: Page) -> str:
    return page.locator(f'{PHONE_REPS} [data-testid="stSliderThumbValue"]').inner_text()


def _after_a_run(page: Page, runs: Runs, act: Callable[[], None]) -> None:
    """Do ``act``, wait for the run it asks for to end, then for the page to be idle.

    ``wait_idle`` alone can pass before a click's run has begun on a busy machine, and
    that run's end would then count as the next click's.
    """
    mark = len(runs.statuses)
    act()
    for _ in range(RUN_WAIT_SECONDS * 10):
        if len(runs.statuses) > mark:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"no run ended within {RUN_WAIT_SECONDS} s")
    wait_idle(page)


def _moved_alone(statuses: list[int]) -> bool:
    """Whether a lever's move ran the results' fragment alone: its own run is the first
    to end. The waiting line's polls for the new plan (fragment runs) may follow, and
    the whole run that shows the plan once it is there."""
    return statuses[:1] == [FRAGMENT_RUN]


def _open_tab(page: Page, runs: Runs, name: str) -> None:
    _after_a_run(page, runs, page.get_by_role("tab", name=name, exact=True).click)


def test_a_tab_click_reruns_the_tabs_alone_and_a_slider_the_results_alone(
    app: tuple[Page, Runs],
) -> None:
    page, runs = app
    # The first visit waits for the planner's table (worked out in the background),
    # which reruns the whole app once it is there; the second is a plain tab switch.
    _open_tab(page, runs, "Staffing")
    expect(page.locator(PLANNER)).to_be_visible(timeout=120_000)
    wait_idle(page)
    _open_tab(page, runs, "Overview")
    mark = len(runs.statuses)
    _open_tab(page, runs, "Staffing")
    assert runs.since(mark) == [FRAGMENT_RUN], runs.since(mark)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)
    expect(main.locator('[data-testid="stDataFrame"]')).to_have_count(2)

    mark = len(runs.statuses)
    heading = page.locator(".st-key-ui-staffing-heading").inner_text()
    handle = page.locator(f'{PHONE_REPS} input[type="range"]')
    handle.focus()
    _after_a_run(page, runs, lambda: handle.press("ArrowRight"))
    assert _moved_alone(runs.since(mark)), runs.since(mark)
    # The open tab is drawn again for the new staffing, not left stale.
    expect(page.locator(".st-key-ui-staffing-heading")).not_to_have_text(heading)
    expect(main.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)
    # Back to the value the page opened with, whose plan is known: the lever's run is
    # the only one (no wait for a plan, no whole run to show it), and the tabs'
    # fragment it drew still reruns alone.
    mark = len(runs.statuses)
    _after_a_run(page, runs, lambda: handle.press("ArrowLeft"))
    expect(page.locator(".st-key-ui-staffing-heading")).to_have_text(heading)
    assert runs.since(mark) == [FRAGMENT_RUN], runs.since(mark)
    mark = len(runs.statuses)
    _open_tab(page, runs, "Overview")
    assert runs.since(mark) == [FRAGMENT_RUN], runs.since(mark)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_lever_keeps_the_sidebar_and_a_closed_group_reruns_the_whole_app(
    app: tuple[Page, Runs],
) -> None:
    """A lever's fragment run leaves the rest of the sidebar as it was; an input outside
    the fragment (an opened group's) reruns the whole app with the lever's value kept."""
    page, runs = app
    sidebar = page.locator('[data-testid="stSidebar"]')
    groups = sidebar.locator('[data-testid="stExpander"]').count()
    handle = page.locator(f'{PHONE_REPS} input[type="range"]')
    handle.focus()
    for _ in range(2):
        mark = len(runs.statuses)
        _after_a_run(page, runs, lambda: handle.press("ArrowRight"))
        assert _moved_alone(runs.since(mark)), runs.since(mark)
    moved = _phone_reps(page)
    expect(sidebar.locator('[data-testid="stExpander"]')).to_have_count(groups)
    expect(sidebar.locator(".st-key-ui-preset")).to_be_visible()
    expect(sidebar.locator(".st-key-sidebar-share button").first).to_be_visible()

    mark = len(runs.statuses)
    _after_a_run(page, runs, page.locator(".st-key-ui-group-business summary").click)
    assert WHOLE_RUN in runs.since(mark), runs.since(mark)
    customers = page.locator(".st-key-in-business-customers input")
    headline = page.locator(METRIC_VALUE).first.inner_text()
    mark = len(runs.statuses)

    def type_customers() -> None:
        customers.fill("250000")
        customers.press("Enter")

    _after_a_run(page, runs, type_customers)
    assert WHOLE_RUN in runs.since(mark), runs.since(mark)
    expect(page.locator(METRIC_VALUE).first).not_to_have_text(headline)
    expect(page.locator(f'{PHONE_REPS} [data-testid="stSliderThumbValue"]')).to_have_text(moved)
    expect(customers).to_have_value("250000")

    # The next lever move prices the new customer count: still a fragment run. (The
    # cards' values with their changes: one step can leave a rounded value as it was.)
    cards = page.locator(CARDS)
    before = cards.inner_text()
    mark = len(runs.statuses)
    _after_a_run(page, runs, lambda: handle.press("ArrowLeft"))
    assert _moved_alone(runs.since(mark)), runs.since(mark)
    expect(cards).not_to_have_text(before)
    expect(customers).to_have_value("250000")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_choice_on_a_tab_is_kept_while_another_tab_is_open(app: tuple[Page, Runs]) -> None:
    page, runs = app
    _open_tab(page, runs, "Staffing")
    chat = page.get_by_role("radiogroup").get_by_text("Chat", exact=True)
    _after_a_run(page, runs, chat.click)
    heading = page.locator(".st-key-ui-staffing-heading")
    expect(heading).to_contain_text("Chat:", timeout=120_000)
    expect(page.locator(PLANNER)).to_be_visible(timeout=120_000)
    wait_idle(page)
    _open_tab(page, runs, "Overview")
    mark = len(runs.statuses)
    _open_tab(page, runs, "Staffing")
    expect(heading).to_contain_text("Chat:")
    expect(page.get_by_role("radio", name="Chat")).to_be_checked()
    assert set(runs.since(mark)) == {FRAGMENT_RUN}, runs.since(mark)


def test_applying_the_plan_moves_the_sidebar_sliders(app: tuple[Page, Runs]) -> None:
    """The Overview's "apply" writes the plan into the sidebar: the whole app reruns."""
    page, runs = app
    before = _phone_reps(page)
    mark = len(runs.statuses)
    _after_a_run(page, runs, page.locator(".st-key-ui-apply_plan button").click)
    assert WHOLE_RUN in runs.since(mark), runs.since(mark)
    expect(page.locator(f'{PHONE_REPS} [data-testid="stSliderThumbValue"]')).not_to_have_text(
        before
    )
    # The headline now prices the plan, against the preset as loaded.
    expect(page.locator(DELTA).first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "plan-applied.png")


def test_saving_the_baseline_updates_the_headline_deltas(app: tuple[Page, Runs]) -> None:
    """Compare's "save as baseline" changes what the headline's deltas refer to."""
    page, runs = app
    handle = page.locator(f'{PHONE_REPS} input[type="range"]')
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    _after_a_run(page, runs, lambda: handle.press("ArrowRight"))
    expect(page.locator(DELTA).first).to_be_visible()
    _open_tab(page, runs, "Compare")
    mark = len(runs.statuses)
    _after_a_run(page, runs, page.locator(".st-key-ui-compare-save_baseline button").click)
    assert WHOLE_RUN in runs.since(mark), runs.since(mark)
    expect(page.locator(DELTA)).to_have_count(0)


def test_a_file_opened_in_the_share_area_reruns_the_whole_app(
    app: tuple[Page, Runs], tmp_path: Path
) -> None:
    """The share area is drawn by the results' fragment, but the file it opens changes the
    loaded scenario, and with it the sidebar: the whole app reruns and shows the file."""
    page, runs = app
    scenario = json.loads((ROOT / "cxcost/data/presets/us-ecommerce.json").read_text())
    scenario["name"] = "Opened from a file"
    scenario["channels"][0]["representatives"] = 33
    opened = tmp_path / "opened.json"
    opened.write_text(json.dumps(scenario), encoding="utf-8")
    page.locator(".st-key-share-open button").first.click()
    upload = page.locator('.st-key-share-upload input[type="file"]')
    mark = len(runs.statuses)
    _after_a_run(page, runs, lambda: upload.set_input_files(str(opened)))
    assert WHOLE_RUN in runs.since(mark), runs.since(mark)
    expect(page.locator(f'{PHONE_REPS} [data-testid="stSliderThumbValue"]')).to_have_text("33.0")
    expect(page.locator(".st-key-share-upload_note")).to_contain_text("Opened from a file")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
