"""Browser latency: what one person waits for in the app, in a real headless Chromium.

Issue 16's targets, each measured as a list of samples (median and 95th
percentile) in Debian's Chromium (``/usr/bin/chromium``, driven by Playwright,
nothing downloaded) against ``streamlit run app.py`` on loopback:

- **cold start**: from spawning ``streamlit run app.py`` (a fresh process for
  every sample) to the first headline metric visible in a page that navigates
  as soon as ``/_stcore/health`` answers (polled every 20 ms); the page
  navigation is included, the browser is already open. The server-only part
  (spawn to health ok) is reported beside it.
- **new session, warm server**: a new browser context and ``page.goto(url)``
  until the first headline metric is visible, on a server that has already
  served one session. Its peer: a bare Streamlit page (``benchmarks/bare_page.py``,
  a title and four metrics) served the same way, with the app's server settings, and
  opened in turn with the app's samples: what any Streamlit page costs here and now.
- **share link**: ``page.goto`` of a share link (``?s=``) of a preset other than
  the default, until the headline is visible and shows that scenario (the
  caption names it and the headline differs from the default preset's). Every
  sample opens a scenario the server has not priced yet (the phone
  representatives differ by one per sample), as a colleague's link would.
- **slider move**: the phone-representatives slider of one session takes one
  keyboard step; from the key press until the rerun it asked for has finished
  (its ``script_finished`` on the page's websocket), the headline numbers have
  changed and the "running" status widget is gone. Every move prices a value
  not seen before in the run: the walk goes one way, and after 16 steps
  (``WALK_STEPS``, as in the load test) or at the slider's end the training
  slider moves one step (not timed) before the walk turns.
- **tab switch**: each tab clicked in turn (``st.tabs`` renders only the open
  tab, so a click reruns the script); from the click until the clicked tab is
  selected, its panel shows content that is not stale, the status widget is
  gone and, if the click sent a rerun, that rerun's ``script_finished`` has
  arrived. Reported per tab and over all tabs.

The slider and tab figures are timed by the page's own clock (``_INPUT_CLOCK``):
from the key press's or pointer press's event time to the first animation frame
that shows the result, after the rerun's ``script_finished`` has reached the
page. Timed from this script instead, each sample also held three or four of
Playwright's round trips to a browser that is busy drawing (about 100 ms); that
time is reported beside them, without a target ("with Playwright's round trips").
The new-session and share-link figures are timed by the page's clock too
(``_LOAD_CLOCK``): from the navigation's start to the first animation frame that
shows the headline. This script's own view (from before ``page.goto`` until it has
seen the headline) is reported beside them: right after its first frame a new page
compiles its widgets' code and asks for its charts, and Playwright's answer waits
for that, 0.5–0.8 s on 2026-12-06.

Errors (must be 0; the exit status is 1 otherwise): a server that does not
start, a wait that times out, a rerun that does not finish successfully, a
headline that does not change after a move, a Streamlit exception element, a
JavaScript error on the page, a websocket that closes while a session is in use.
A figure over its target is reported as "over", not as an error.

By default the server runs alone on CPU 0 and the browser (with this script)
on the other CPUs, as in ``benchmarks/load_test.py`` (``--no-pin`` lets them
share). The server, selectors, browser settings and the websocket listener come
from ``benchmarks/load_test.py``.

Usage::

    python benchmarks/browser_latency.py                 # 8.5 min with the app of 2026-12-05
    python benchmarks/browser_latency.py --quick         # 2 samples each, 3 moves, 1 round of tabs
    python benchmarks/browser_latency.py --json latency.json

Every wait is bounded by a timeout; the script stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import logging
import math
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, async_playwright
from playwright.async_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
# Run as a script from a checkout, the repository root is not on sys.path.
for _folder in (ROOT, ROOT / "benchmarks"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from load_test import (  # noqa: E402
    _HEADLINE_CHANGED_AND_IDLE,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    FINISHED_OK,
    HEADLINE,
    METRIC,
    PHONE_SLIDER,
    RERUN_TIMEOUT_SECONDS,
    STARTUP_SECONDS,
    STATUS,
    TRAINING_SLIDER,
    WALK_STEPS,
    Server,
    _percentile,
    _Session,
    free_port,
    streamlit_server,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from cxcost import presets  # noqa: E402

HEALTH_POLL_SECONDS = 0.020
HEALTH_TIMEOUT_SECONDS = 0.5
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
BARE_PAGE = "benchmarks/bare_page.py"
"""The new-session figure's peer, served from the repository's root (its ``.streamlit/``)."""
SHARE_PRESET = "b2b-software"
"""The share link's preset: not the default one, and its link is short enough to share."""
SHARE_FIELD = "channels.0.representatives"
MAX_ERRORS = 20
CACHE_LOGGERS = ("cache_data_api", "cache_resource_api")
# What stops a phase (a page that never loads, a server that does not start): an
# error of the run, and the table is still printed.
PHASE_ERRORS = (PlaywrightError, TimeoutError, RuntimeError)

# The share link has opened: the headline is visible, the caption of the main area
# names the link's scenario, and the headline is not the default preset's.
_SHARED_SCENARIO_SHOWN = """
([metric, headline, name, defaultHeadline]) => {
    const main = document.querySelector('[data-testid="stMain"]') || document;
    const shown = Array.from(main.querySelectorAll(metric))
        .some((element) => element.checkVisibility());
    if (!shown) return false;
    const named = Array.from(main.querySelectorAll('[data-testid="stCaptionContainer"]'))
        .some((element) => element.textContent.includes(name));
    const text = Array.from(main.querySelectorAll(headline))
        .map((element) => element.textContent).join("|");
    return named && text !== defaultHeadline;
}
"""

# The page's own clock for an input's latency (performance.now(), the timebase of
# an event's timeStamp), so that Playwright's round trips (the key press sent over
# CDP, the waits reported back) are not counted. Added to every page before its
# scripts run. Armed with a predicate just before the input, it notes:
# - the input: the first keydown or pointerdown after arming (its event.timeStamp);
# - each ForwardMsg "script_finished" that arrives, with its status (the message's
#   top-level protobuf field, read from the bytes; field number from Streamlit's proto);
# - every animation frame until stopped: its time and whether the predicate held.
# The input is "on screen" at the first frame where the predicate holds, after the
# input and (if armed to wait for one) after the first rerun (the whole app's or a
# fragment's) that ended successfully: what the script's own checks wait for,
# without their round trips.
_INPUT_CLOCK = """
(() => {
    const SCRIPT_FINISHED = SCRIPT_FINISHED_FIELD;
    const OK = FINISHED_OK_STATUSES;
    const clock = {running: false};
    window.__cxClock = clock;
    const readVarint = (bytes, at) => {
        let value = 0, scale = 1, byte;
        do {
            byte = bytes[at++];
            value += (byte & 0x7f) * scale;
            scale *= 128;
        } while (byte & 0x80);
        return [value, at];
    };
    const finishedStatus = (data) => {
        if (!(data instanceof ArrayBuffer)) return null;
        const bytes = new Uint8Array(data);
        let at = 0;
        while (at < bytes.length) {
            let key, value;
            [key, at] = readVarint(bytes, at);
            const field = Math.floor(key / 8), wire = key % 8;
            if (wire === 0) {
                [value, at] = readVarint(bytes, at);
                if (field === SCRIPT_FINISHED) return value;
            } else if (wire === 2) {
                [value, at] = readVarint(bytes, at);
                at += value;
            } else if (wire === 1) {
                at += 8;
            } else if (wire === 5) {
                at += 4;
            } else {
                return null;
            }
        }
        return null;
    };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", (event) => {
                if (!clock.running) return;
                const status = finishedStatus(event.data);
                if (status !== null) clock.finished.push([performance.now(), status]);
            });
        }
    };
    const onInput = (event) => {
        if (clock.running && clock.input === null) clock.input = event.timeStamp;
    };
    window.addEventListener("keydown", onInput, true);
    window.addEventListener("pointerdown", onInput, true);
    // From when on the page may show the result: the input, or the end of the rerun
    // (the whole app's, or a fragment's: a tab click reruns the tabs' fragment alone).
    const from = () => {
        if (clock.input === null) return null;
        if (!clock.afterRerun) return clock.input;
        const end = clock.finished.find(([at, status]) => at >= clock.input && OK.includes(status));
        return end ? end[0] : null;
    };
    clock.arm = (source, arg, afterRerun) => {
        const predicate = new Function("return (" + source + ");")();
        const armed = (clock.armed || 0) + 1;
        Object.assign(clock, {
            running: true, armed, afterRerun, input: null, finished: [], frames: [],
        });
        const tick = () => {
            if (!clock.running || clock.armed !== armed) return;
            // The predicate is asked only once the result may be there: asked on every
            // frame of a rerun, it would take the page's time it measures.
            let held = false;
            if (from() !== null) {
                try { held = Boolean(predicate(arg)); } catch (error) { held = false; }
            }
            clock.frames.push([performance.now(), held]);
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    };
    // Resolves once a frame after the rerun's end shows the result (the script may ask
    // before the page has taken the rerun's last message), or after 120 frames.
    clock.stop = () => new Promise((resolve) => {
        const settle = (framesLeft) => {
            const start = from();
            // The first frame from then on where the predicate held (a later rerun,
            // such as the plan's waiting line asking again, may show the status widget
            // once more).
            const shown = start === null
                ? null
                : clock.frames.find(([at, held]) => at >= start && held);
            if (shown || framesLeft <= 0) {
                clock.running = false;
                const held = clock.frames.filter(([, h]) => h).length;
                const statuses = clock.finished.map(([, status]) => status).join(",");
                resolve(shown
                    ? shown[0] - clock.input
                    : `input ${clock.input === null ? "not seen" : "seen"}; runs ended with `
                        + `status [${statuses}]; ${clock.frames.length} frames, `
                        + `${held} showing it`);
                return;
            }
            requestAnimationFrame(() => settle(framesLeft - 1));
        };
        settle(120);
    });
})();
""".replace(
    "SCRIPT_FINISHED_FIELD", str(ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number)
).replace("FINISHED_OK_STATUSES", json.dumps(list(FINISHED_OK)))


# The page's own clock for a page load: from the navigation's start (the document's
# performance.timeOrigin, so performance.now() itself) to the first animation frame
# where ``predicate(arg)`` holds. Added to a new context before its page navigates,
# with the predicate and its argument filled in; it asks on every frame from the
# document's start, as Playwright's polling="raf" does, and stops once it held.
_LOAD_CLOCK = """
(([source, arg]) => {
    const predicate = new Function("return (" + source + ");")();
    const load = {shown: null};
    window[CLOCK_NAME] = load;
    const tick = () => {
        let held = false;
        try { held = Boolean(predicate(arg)); } catch (error) { held = false; }
        if (held) {
            load.shown = performance.now();
            return;
        }
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})(LOAD_ARGUMENTS);
"""

# A slider in the sidebar (drawn in a session's second run, ``cxcost.ui.pending``).
SIDEBAR_SLIDER = '[data-testid="stSidebar"] [data-testid="stSlider"]'

# A headline metric is visible (what ``page.wait_for_selector(METRIC)`` waits for).
_METRIC_VISIBLE = """
(metric) => Array.from(document.querySelectorAll(metric))
    .some((element) => element.checkVisibility())
"""
_HEADLINE_SHOWN: Final = (_METRIC_VISIBLE, METRIC)
"""A new page's condition (the predicate and its argument): a headline metric is visible."""


def load_clock(predicate: str, arg: Any, name: str = "__cxLoad") -> str:
    """``_LOAD_CLOCK`` for one page: the predicate's source and its JSON argument; the
    time lands in ``window[name].shown``."""
    return _LOAD_CLOCK.replace("LOAD_ARGUMENTS", json.dumps([predicate.strip(), arg])).replace(
        "CLOCK_NAME", json.dumps(name)
    )


# The tab labelled ``label`` is selected, its panel holds an element that is not
# stale (a lazily rendered tab's panel is empty until its rerun sends it), and
# the "running" status widget is gone.
_TAB_SHOWN = """
([label, status]) => {
    const tab = Array.from(document.querySelectorAll('[role="tab"]'))
        .find((element) => element.textContent.trim() === label);
    if (!tab || tab.getAttribute("aria-selected") !== "true") return false;
    const panel = Array.from(document.querySelectorAll('[role="tabpanel"]'))
        .find((element) => element.getAttribute("aria-labelledby") === tab.id);
    if (!panel || panel.innerText.trim() === "") return false;
    const fresh = Array.from(panel.querySelectorAll('[data-testid="stElementContainer"]'))
        .some((element) => element.getAttribute("data-stale") !== "true");
    return fresh && document.querySelector(status) === null;
}
"""


# ---------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class Target:
    """A figure's target: the median and/or the 95th percentile under a bound [ms]."""

    p50_ms: float | None = None
    p95_ms: float | None = None

    def text(self) -> str:
        parts = [
            f"{name} < {_duration(bound)}"
            for name, bound in (("p50", self.p50_ms), ("p95", self.p95_ms))
            if bound is not None
        ]
        return ", ".join(parts) if parts else "–"


@dataclass
class Figure:
    """One measured figure: its samples [ms] and its target."""

    name: str
    target: Target = field(default_factory=Target)
    samples_ms: list[float] = field(default_factory=list)

    @property
    def p50_ms(self) -> float:
        return _percentile(self.samples_ms, 0.50)

    @property
    def p95_ms(self) -> float:
        return _percentile(self.samples_ms, 0.95)

    def verdict(self) -> str:
        """``ok``, ``over`` (a percentile above its bound), ``–`` (no target, no samples)."""
        checks = [
            (value, bound)
            for value, bound in (
                (self.p50_ms, self.target.p50_ms),
                (self.p95_ms, self.target.p95_ms),
            )
            if bound is not None
        ]
        if not checks or not self.samples_ms:
            return "–"
        return "ok" if all(value < bound for value, bound in checks) else "over"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "samples_ms": self.samples_ms,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "target_p50_ms": self.target.p50_ms,
            "target_p95_ms": self.target.p95_ms,
            "verdict": self.verdict(),
        }


COLD_START = "cold start: server start → first metrics"
SERVER_START = "cold start, server only: spawn → health ok"
WARM_SESSION = "new session, warm server"
WARM_SESSION_PEER = "new session, a bare Streamlit page (peer)"
WARM_SESSION_ROUND_TRIPS = "new session, with Playwright's round trips"
WARM_SESSION_DRAWN = "new session: charts and tables drawn"
WARM_SESSION_INPUTS = "new session: sidebar's sliders shown"
PAGE_FILES_NAGLE = "page files in a row, one connection, before the app's first run"
PAGE_FILES = "page files in a row, one connection"
SHARE_LINK = "share link opens"
SHARE_LINK_ROUND_TRIPS = "share link, with Playwright's round trips"
SLIDER_MOVE = "slider move → new headline"
SLIDER_MOVE_ROUND_TRIPS = "slider move, with Playwright's round trips"
TAB_SWITCH = "tab switch, all tabs"
TAB_SWITCH_ROUND_TRIPS = "tab switch, with Playwright's round trips"


def tab_figure_name(label: str) -> str:
    """The figure of one tab's switches."""
    return f"tab switch → {label}"


@dataclass
class Latency:
    """Everything one run measured."""

    figures: dict[str, Figure]
    errors: list[str] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "figures": [f.as_dict() for f in self.figures.values()],
            "errors": self.errors,
        }


def empty_figures(tab_labels: Sequence[str]) -> dict[str, Figure]:
    """Every figure of a run, in the table's order, without samples."""
    tab = Target(p50_ms=300.0)
    figures = [
        Figure(COLD_START, Target(p50_ms=4000.0)),
        Figure(SERVER_START),
        Figure(WARM_SESSION, Target(p50_ms=1500.0)),
        Figure(WARM_SESSION_PEER),
        Figure(WARM_SESSION_ROUND_TRIPS),
        Figure(WARM_SESSION_INPUTS),
        Figure(WARM_SESSION_DRAWN),
        Figure(PAGE_FILES_NAGLE),
        Figure(PAGE_FILES),
        Figure(SHARE_LINK, Target(p50_ms=2000.0)),
        Figure(SHARE_LINK_ROUND_TRIPS),
        Figure(SLIDER_MOVE, Target(p50_ms=250.0, p95_ms=500.0)),
        Figure(SLIDER_MOVE_ROUND_TRIPS),
        Figure(TAB_SWITCH, tab),
        Figure(TAB_SWITCH_ROUND_TRIPS),
        *(Figure(tab_figure_name(label), tab) for label in tab_labels),
    ]
    return {f.name: f for f in figures}


def _duration(milliseconds: float) -> str:
    if not math.isfinite(milliseconds):
        return "–"
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:,.2f} s"
    return f"{milliseconds:,.0f} ms"


def table(latency: Latency) -> str:
    """The figures as a Markdown table: figure | samples | p50 | p95 | target | verdict."""
    lines = [
        "| figure | samples | p50 | p95 | target | verdict |",
        "|---|---:|---:|---:|---|---|",
    ]
    for f in latency.figures.values():
        lines.append(
            f"| {f.name} | {len(f.samples_ms)} | {_duration(f.p50_ms)} | {_duration(f.p95_ms)} "
            f"| {f.target.text()} | {f.verdict()} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Helpers


class _Run:
    """A run's shared state: its figures, its errors, how it reports progress."""

    def __init__(self, latency: Latency, progress: Callable[[str], None] | None) -> None:
        self.latency = latency
        self._progress = progress

    def say(self, line: str) -> None:
        if self._progress is not None:
            self._progress(line)

    def error(self, text: str) -> None:
        self.latency.errors.append(text)
        self.say(f"error: {text}")

    def add(self, name: str, milliseconds: float) -> None:
        self.latency.figures[name].samples_ms.append(milliseconds)

    @property
    def failing(self) -> bool:
        return len(self.latency.errors) >= MAX_ERRORS

    async def check_page(self, page: Page, what: str) -> None:
        """An error for a Streamlit exception element on the page."""
        if await page.locator(EXCEPTION).count():
            self.error(f"{what}: exception shown on the page")

    def collect(self, session: _Session, what: str, sockets_before: int = 0) -> None:
        """Errors the session's listeners saw: JavaScript errors, closed websockets."""
        for text in session.js_errors:
            self.error(f"{what}: JS error {text}")
        session.js_errors.clear()
        if session.closed_sockets > sockets_before:
            self.error(f"{what}: websocket closed while in use")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(
            f"{url}/_stcore/health", timeout=HEALTH_TIMEOUT_SECONDS
        ) as reply:
            return bool(reply.status == 200 and reply.read().strip() == b"ok")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextlib.contextmanager
def _spawned_server(cpus: set[int] | None) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A fresh ``streamlit run app.py`` on a free loopback port, not waited for.

    The same command as ``load_test.streamlit_server``, which polls the health
    endpoint only every 0.25 s; a cold start needs the moment it answers.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        try:
            yield process, f"http://127.0.0.1:{port}"
        finally:
            _stop_group(process)
            if process.returncode not in (0, -signal.SIGTERM):
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                print(f"streamlit exited with {process.returncode}:\n{tail}", file=sys.stderr)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    # The server if it did not stop, and any worker it left behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


async def _new_page(
    browser: Browser, index: int, clock: str | None = None
) -> tuple[BrowserContext, Page, _Session]:
    """A new browser context (its own Streamlit session) with its websocket listener,
    the input clock and, if given, a load clock (``load_clock``)."""
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(_INPUT_CLOCK)
    if clock is not None:
        await context.add_init_script(clock)
    page = await context.new_page()
    session = _Session(index)
    await session.attach(context, page)
    return context, page, session


async def _settle(session: _Session, page: Page, since: int, timeout: float) -> None:
    """Wait for a rerun after the first ``since`` to finish, then for a quiet page.

    Quiet: no new ``script_finished`` and no status widget for 0.3 s, so that
    no rerun of this session is still under way when the next sample starts.
    """
    await session.wait_completed(since, timeout)
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        count = len(session.finished)
        await asyncio.sleep(0.3)
        if len(session.finished) == count and await page.locator(STATUS).count() == 0:
            return
    raise TimeoutError


async def _headline(page: Page) -> str:
    return "|".join(await page.locator(HEADLINE).all_text_contents())


def _timeout_ms(seconds: float) -> float:
    return seconds * 1000


def _not_shown(what: str, error: Exception) -> str:
    return f"{what}: not shown within {RERUN_TIMEOUT_SECONDS:g} s ({type(error).__name__})"


# ---------------------------------------------------------------------------
# The phases


class _SampleError(Exception):
    """A sample that could not be measured; its message names the step."""


async def _cold_starts(run: _Run, browser: Browser, samples: int, cpus: set[int] | None) -> None:
    """Fresh server per sample; a page navigates as soon as the health check answers."""
    for index in range(samples):
        if run.failing:
            return
        what = f"cold start {index + 1}"
        run.say(f"{what}/{samples}")
        context, page, session = await _new_page(browser, index)
        try:
            server_ms, shown_ms = await _cold_start(run, what, page, session, cpus)
        except _SampleError as failure:
            run.error(f"{what}: {failure}")
        else:
            run.add(SERVER_START, server_ms)
            run.add(COLD_START, shown_ms)
        finally:
            await context.close()


async def _cold_start(
    run: _Run, what: str, page: Page, session: _Session, cpus: set[int] | None
) -> tuple[float, float]:
    """Spawn → health ok, and spawn → first metric visible [ms]."""
    started = time.perf_counter()
    with _spawned_server(cpus) as (process, url):
        try:
            deadline = started + STARTUP_SECONDS
            while not _healthy(url):
                if process.poll() is not None:
                    raise _SampleError(f"streamlit exited with status {process.returncode}")
                if time.perf_counter() > deadline:
                    raise _SampleError(f"no health within {STARTUP_SECONDS:g} s")
                await asyncio.sleep(HEALTH_POLL_SECONDS)
            healthy = time.perf_counter()
            try:
                await page.goto(url, wait_until="commit", timeout=_timeout_ms(STARTUP_SECONDS))
                await page.wait_for_selector(METRIC, timeout=_timeout_ms(STARTUP_SECONDS))
            except PlaywrightError as error:
                raise _SampleError(f"no metrics shown ({type(error).__name__})") from error
            shown = time.perf_counter()
            # The first run finishes before the server stops, so that an error anywhere
            # on the page is seen; no figure depends on it.
            try:
                await _settle(session, page, 0, RERUN_TIMEOUT_SECONDS)
            except TimeoutError as error:
                raise _SampleError("the first run did not finish") from error
        finally:
            # Before the server stops, which closes the page's websocket.
            await run.check_page(page, what)
            run.collect(session, what)
    return (healthy - started) * 1000, (shown - started) * 1000


# The first page's charts are drawn (plotly's SVG is there) and no placeholder is left.
_FIRST_PAGE_DRAWN = """
() => document.querySelector('[class*="st-key-ui-pending-paint"]') === null
    && document.querySelector('[data-testid="stPlotlyChart"] .main-svg') !== null
"""


@dataclass(frozen=True)
class _Opened:
    """One page load: by the page's clock, and as this script saw it [ms]."""

    page_ms: float
    script_ms: float


async def _open_timed(
    run: _Run,
    browser: Browser,
    url: str,
    what: str,
    index: int,
    shown: tuple[str, Any],
    drawn: str | None = None,
) -> _Opened | None:
    """Open ``url`` in a new context until the predicate ``shown`` (its source and
    argument) holds; then settle and close.

    Timed twice: by the page's clock (``_LOAD_CLOCK``: navigation start to the
    first frame where it holds), and from before ``page.goto`` until this script
    has seen it hold, Playwright's round trips to a page that is still busy
    drawing included. With ``drawn`` (a figure's name), also the ms until the
    first page's charts and tables are drawn (``cxcost.ui.pending.first_page``),
    as this script sees it, added to that figure; and, by the page's clock, until
    a slider shows in the sidebar (``WARM_SESSION_INPUTS``).
    """
    predicate, arg = shown
    clocks = load_clock(predicate, arg)
    if drawn is not None:
        clocks += load_clock(_METRIC_VISIBLE, SIDEBAR_SLIDER, "__cxInputs")
    context, page, session = await _new_page(browser, index, clocks)
    try:
        started = time.perf_counter()
        try:
            await page.goto(url, wait_until="commit", timeout=_timeout_ms(RERUN_TIMEOUT_SECONDS))
            await page.wait_for_function(
                predicate, arg=arg, polling="raf", timeout=_timeout_ms(RERUN_TIMEOUT_SECONDS)
            )
        except (PlaywrightError, TimeoutError) as error:
            run.error(_not_shown(what, error))
            return None
        milliseconds = (time.perf_counter() - started) * 1000
        page_ms = await page.evaluate("() => window.__cxLoad && window.__cxLoad.shown")
        if not isinstance(page_ms, int | float):
            run.error(f"{what}: the page's clock saw no frame that shows it")
            return None
        if drawn is not None:
            try:
                await page.wait_for_function(
                    _FIRST_PAGE_DRAWN, polling="raf", timeout=_timeout_ms(RERUN_TIMEOUT_SECONDS)
                )
                run.add(drawn, (time.perf_counter() - started) * 1000)
            except (PlaywrightError, TimeoutError) as error:
                run.error(_not_shown(f"{what}, its charts", error))
            inputs_ms = await page.evaluate("() => window.__cxInputs && window.__cxInputs.shown")
            if isinstance(inputs_ms, int | float):
                run.add(WARM_SESSION_INPUTS, float(inputs_ms))
            else:
                run.error(f"{what}: the page's clock saw no frame that shows its sliders")
        try:
            await _settle(session, page, 0, RERUN_TIMEOUT_SECONDS)
        except TimeoutError:
            run.error(f"{what}: the first run did not finish")
        await run.check_page(page, what)
        run.collect(session, what)
        return _Opened(float(page_ms), milliseconds)
    finally:
        await context.close()


def share_links(base_url: str, samples: int) -> list[tuple[str, str]]:
    """``samples`` share links of ``SHARE_PRESET``, each a scenario of its own, and its name.

    The phone representatives differ by one per link, so the server prices every
    link afresh (as it would a colleague's link) instead of reusing a cached result.
    """
    scenario = presets.load_preset(SHARE_PRESET)
    start = scenario.channels[0].representatives
    name = presets.localized_scenario(scenario, "en").name
    return [
        (
            presets.share_url(
                presets.apply_overrides(scenario, [f"{SHARE_FIELD}={start + index + 1:g}"]),
                f"{base_url}/",
            ),
            name,
        )
        for index in range(samples)
    ]


async def _warm_sessions(
    run: _Run, browser: Browser, url: str, samples: int, server_cpus: set[int] | None
) -> None:
    """New sessions of the app, each beside one of the bare page (``WARM_SESSION_PEER``).

    The peer's server runs on the app server's CPUs during this phase alone (idle, it
    would still take a little of their time in the others). The two take turns at
    going first, so that both see the machine as it is at that moment.
    """
    run.say("starting the peer: a bare Streamlit page")
    with contextlib.ExitStack() as stack:
        peer: str | None = None
        try:
            peer = stack.enter_context(streamlit_server(cpus=server_cpus, script=BARE_PAGE)).url
        except RuntimeError as error:
            run.error(f"the bare page's server: {_first_line(error)}")
        if peer is not None:
            # Its first run, in a process that has not drawn a page yet, is no sample.
            await _open_timed(run, browser, peer, "bare page, first session", 99, _HEADLINE_SHOWN)
        for index in range(samples):
            if run.failing:
                return
            run.say(f"new session on the warm server {index + 1}/{samples}")
            app_first = index % 2 == 0
            if app_first:
                await _app_session(run, browser, url, index)
            if peer is not None:
                await _peer_session(run, browser, peer, index)
            if not app_first:
                await _app_session(run, browser, url, index)


async def _app_session(run: _Run, browser: Browser, url: str, index: int) -> None:
    what = f"new session {index + 1}"
    opened = await _open_timed(
        run, browser, url, what, 100 + index, _HEADLINE_SHOWN, WARM_SESSION_DRAWN
    )
    if opened is not None:
        run.add(WARM_SESSION, opened.page_ms)
        run.add(WARM_SESSION_ROUND_TRIPS, opened.script_ms)


async def _peer_session(run: _Run, browser: Browser, url: str, index: int) -> None:
    what = f"bare page {index + 1}"
    opened = await _open_timed(run, browser, url, what, 150 + index, _HEADLINE_SHOWN)
    if opened is not None:
        run.add(WARM_SESSION_PEER, opened.page_ms)


async def _share_links(
    run: _Run, browser: Browser, url: str, samples: int, default_headline: str
) -> None:
    for index, (link, name) in enumerate(share_links(url, samples)):
        if run.failing:
            return
        run.say(f"share link {index + 1}/{samples}")
        what = f"share link {index + 1}"
        shown = (_SHARED_SCENARIO_SHOWN, [METRIC, HEADLINE, name, default_headline])
        opened = await _open_timed(run, browser, link, what, 200 + index, shown)
        if opened is not None:
            run.add(SHARE_LINK, opened.page_ms)
            run.add(SHARE_LINK_ROUND_TRIPS, opened.script_ms)


async def _move_training(page: Page, session: _Session) -> None:
    """One step of the training slider (untimed): what follows prices new scenarios."""
    training = page.locator(TRAINING_SLIDER).first
    seen = len(session.finished)
    before = await training.input_value()
    await training.press("ArrowRight")
    if await training.input_value() == before:
        await training.press("ArrowLeft")
    await _settle(session, page, seen, RERUN_TIMEOUT_SECONDS)


async def _arm_clock(page: Page, predicate: str, arg: Any) -> None:
    """Start the page's clock (``_INPUT_CLOCK``) for the next input, which reruns the app."""
    await page.evaluate(
        "([source, arg]) => window.__cxClock.arm(source, arg, true)", [predicate, arg]
    )


async def _clocked_ms(page: Page) -> float | str:
    """Stop the page's clock: input → on screen [ms]; or, if it saw no input, no full
    rerun that ended well after it or no frame that shows the result, what it saw."""
    shown = await page.evaluate("() => window.__cxClock.stop()")
    return shown if isinstance(shown, str) else float(shown)


async def _slider_moves(
    run: _Run, page: Page, session: _Session, moves: int, think_seconds: float
) -> None:
    """Walk the phone slider one step per move; time key press → new headline, idle."""
    slider = page.locator(PHONE_SLIDER).first
    key = "ArrowRight"
    turns = 0
    done = 0
    walked = 0
    while done < moves and not run.failing:
        if walked >= WALK_STEPS:
            # At the slider's end, or far from where it started, where one step moves
            # the rounded headline and its changes against the baseline too little to
            # show: turn, on a new training level.
            key, walked = ("ArrowLeft" if key == "ArrowRight" else "ArrowRight"), 0
            await _move_training(page, session)
        before_text = await _headline(page)
        before_value = await slider.input_value()
        seen = len(session.finished)
        await _arm_clock(page, _HEADLINE_CHANGED_AND_IDLE, [HEADLINE, STATUS, before_text])
        started = time.perf_counter()
        await slider.press(key)
        if await slider.input_value() == before_value:
            await _clocked_ms(page)
            # The slider's end: turn (above), on a new training level so that the way
            # back prices new scenarios too.
            turns += 1
            if turns > 2:
                run.error("the phone slider does not move either way")
                return
            walked = WALK_STEPS
            continue
        turns = 0
        done += 1
        walked += 1
        what = f"slider move {done}"
        try:
            _, status, _ = await session.wait_completed(seen, RERUN_TIMEOUT_SECONDS)
        except TimeoutError:
            run.error(f"{what}: no rerun finished within {RERUN_TIMEOUT_SECONDS:g} s")
            continue
        if status not in FINISHED_OK:
            run.error(f"{what}: rerun finished with status {status}")
        try:
            await page.wait_for_function(
                _HEADLINE_CHANGED_AND_IDLE,
                arg=[HEADLINE, STATUS, before_text],
                polling="raf",
                timeout=_timeout_ms(RERUN_TIMEOUT_SECONDS),
            )
        except PlaywrightError:
            run.error(f"{what}: the headline did not change")
        else:
            shown = await _clocked_ms(page)
            round_trips = (time.perf_counter() - started) * 1000
            if isinstance(shown, str):
                run.error(f"{what}: the page's clock did not see the move shown ({shown})")
            else:
                run.add(SLIDER_MOVE, shown)
                run.add(SLIDER_MOVE_ROUND_TRIPS, round_trips)
        await run.check_page(page, what)
        await asyncio.sleep(think_seconds)


async def _tab_switches(
    run: _Run, page: Page, session: _Session, labels: Sequence[str], cycles: int
) -> None:
    """Click every tab in turn, from the second to the first, ``cycles`` times."""
    order = [*labels[1:], labels[0]]
    for cycle in range(cycles):
        for label in order:
            if run.failing:
                return
            what = f"tab {label!r}, round {cycle + 1}"
            seen = len(session.finished)
            sent = len(session.reruns_sent)
            tab = page.get_by_role("tab", name=label, exact=True)
            if not await tab.count():
                run.error(f"{what}: no tab of that name on the page")
                continue
            await _arm_clock(page, _TAB_SHOWN, [label, STATUS])
            started = time.perf_counter()
            try:
                await tab.click(timeout=_timeout_ms(RERUN_TIMEOUT_SECONDS))
                await _tab_shown(page, label)
                if len(session.reruns_sent) > sent or len(session.finished) > seen:
                    # The click reran the script: the tab is drawn once that rerun has
                    # finished and the page has taken its last elements and its status.
                    _, status, _ = await session.wait_completed(seen, RERUN_TIMEOUT_SECONDS)
                    if status not in FINISHED_OK:
                        run.error(f"{what}: rerun finished with status {status}")
                    await _tab_shown(page, label)
            except (PlaywrightError, TimeoutError) as error:
                run.error(_not_shown(what, error))
            else:
                shown = await _clocked_ms(page)
                round_trips = (time.perf_counter() - started) * 1000
                if isinstance(shown, str):
                    run.error(f"{what}: the page's clock did not see the tab drawn ({shown})")
                else:
                    run.add(tab_figure_name(label), shown)
                    run.add(TAB_SWITCH, shown)
                    run.add(TAB_SWITCH_ROUND_TRIPS, round_trips)
            await run.check_page(page, what)
            with contextlib.suppress(TimeoutError):
                await _settle(session, page, seen, RERUN_TIMEOUT_SECONDS)


async def _tab_shown(page: Page, label: str) -> None:
    await page.wait_for_function(
        _TAB_SHOWN,
        arg=[label, STATUS],
        polling="raf",
        timeout=_timeout_ms(RERUN_TIMEOUT_SECONDS),
    )


_PAGE_FILE = re.compile(r'(?:src|href)="\./(static/[^"]+)"')


def page_files_ms(url: str) -> float:
    """Every file Streamlit's page names in its HTML (``./static/...``), fetched one after
    another over one keep-alive connection, as a browser's connection takes its share [ms].

    With Nagle's algorithm on, each file after the first waits for the client's delayed
    acknowledgement (about 40 ms); ``cxcost.ui.nodelay`` turns it off in the app's first run.
    """
    with urllib.request.urlopen(f"{url}/", timeout=RERUN_TIMEOUT_SECONDS) as reply:
        files = _PAGE_FILE.findall(reply.read().decode())
    if not files:
        raise _SampleError("the page names no static files")
    where = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(where.netloc, timeout=RERUN_TIMEOUT_SECONDS)
    try:
        started = time.perf_counter()
        for name in files:
            connection.request("GET", f"/{name}")
            answer = connection.getresponse()
            answer.read()
            if answer.status != 200:
                raise _SampleError(f"{name}: HTTP {answer.status}")
        return (time.perf_counter() - started) * 1000
    finally:
        connection.close()


async def _page_files(run: _Run, url: str, figure: str) -> None:
    try:
        run.add(figure, await asyncio.to_thread(page_files_ms, url))
    except (_SampleError, OSError, http.client.HTTPException) as error:
        run.error(f"{figure}: {error}")


async def _warm_server_phases(
    run: _Run,
    browser: Browser,
    server: Server,
    options: Options,
    tab_labels: Sequence[str],
    server_cpus: set[int] | None,
) -> None:
    """On one server: a first session, new sessions, share links, then slider and tabs.

    The first session stays open (idle) while the others come and go, and then
    moves the slider and switches the tabs.
    """
    await _page_files(run, server.url, PAGE_FILES_NAGLE)
    run.say("first session on the warm server")
    context, page, session = await _new_page(browser, 0)
    try:
        await page.goto(server.url, timeout=_timeout_ms(STARTUP_SECONDS))
        await page.wait_for_selector(PHONE_SLIDER, timeout=_timeout_ms(STARTUP_SECONDS))
        # The page's third run draws its charts and tables a second after the first
        # (cxcost.ui.pending); until 2026-12-06 that landed in the first new-session
        # sample, 2.8-3.0 s against 1.5-1.7 s for the others, on the browser's one CPU.
        await page.wait_for_function(
            _FIRST_PAGE_DRAWN, polling="raf", timeout=_timeout_ms(STARTUP_SECONDS)
        )
        await _settle(session, page, 0, STARTUP_SECONDS)
        default_headline = await _headline(page)
        sockets = session.closed_sockets
        await _page_files(run, server.url, PAGE_FILES)
        await _warm_sessions(run, browser, server.url, options.samples, server_cpus)
        await _share_links(run, browser, server.url, options.samples, default_headline)
        run.say(f"{options.moves} slider moves, {options.tab_cycles} round(s) of tab switches")
        await _slider_moves(run, page, session, options.moves, options.think_seconds)
        await _tab_switches(run, page, session, tab_labels, options.tab_cycles)
        await run.check_page(page, "first session")
        run.collect(session, "first session", sockets)
    finally:
        await context.close()


# ---------------------------------------------------------------------------
# A run


@dataclass(frozen=True)
class Options:
    """How many samples of each figure, and where the processes run."""

    samples: int = 5
    moves: int = 30
    tab_cycles: int = 3
    think_seconds: float = 0.3
    pin: bool = True


QUICK = Options(samples=2, moves=3, tab_cycles=1)


def tab_labels() -> list[str]:
    """The tabs' English labels, in the app's order."""
    import streamlit  # noqa: F401  (creates the loggers quieted below)

    # Outside ``streamlit run`` every cached function of the UI warns once at import
    # that there is no runtime; this process only reads the tab keys.
    quiet = [logging.getLogger(f"streamlit.runtime.caching.{name}") for name in CACHE_LOGGERS]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    try:
        from cxcost.ui.app import TAB_KEYS
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    from cxcost.i18n import t

    return [t(key, "en") for key in TAB_KEYS]


def _machine(chromium_version: str, pinned: bool, load_before: tuple[float, ...]) -> dict[str, Any]:
    cores = os.cpu_count() or 0
    return {
        "cores": cores,
        "placement": (
            "server alone on CPU 0, browser and this script on the others"
            if pinned
            else "server and browser share the cores"
        ),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "chromium": chromium_version,
        "python": platform.python_version(),
        "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def measure(options: Options = Options(), progress: Callable[[str], None] | None = None) -> Latency:
    """Run every phase once; the figures, the errors and the machine's facts.

    Parameters
    ----------
    options : samples per start-up figure, slider moves, tab rounds, pinning
    progress : called with a line of text as each phase starts
    """
    labels = tab_labels()
    latency = Latency(figures=empty_figures(labels))
    load_before = os.getloadavg()
    own_cpus = os.sched_getaffinity(0)
    server_cpus: set[int] | None = None
    if options.pin and len(own_cpus) >= 2:
        server_cpus = {min(own_cpus)}
        # The browser and its driver inherit this process's CPUs.
        os.sched_setaffinity(0, own_cpus - server_cpus)
    try:
        version = asyncio.run(_measure(latency, options, labels, server_cpus, progress))
    finally:
        os.sched_setaffinity(0, own_cpus)
    latency.machine = _machine(version, server_cpus is not None, load_before)
    return latency


async def _measure(
    latency: Latency,
    options: Options,
    labels: Sequence[str],
    server_cpus: set[int] | None,
    progress: Callable[[str], None] | None,
) -> str:
    run = _Run(latency, progress)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            try:
                await _cold_starts(run, browser, options.samples, server_cpus)
            except PHASE_ERRORS as error:
                run.error(f"cold starts stopped: {_first_line(error)}")
            if not run.failing:
                run.say("starting the warm server")
                try:
                    with streamlit_server(cpus=server_cpus) as server:
                        await _warm_server_phases(
                            run, browser, server, options, labels, server_cpus
                        )
                except PHASE_ERRORS as error:
                    run.error(f"warm server phases stopped: {_first_line(error)}")
            return browser.version
        finally:
            await browser.close()


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:300] if lines else ''}"


def report(latency: Latency) -> str:
    """The machine line, the table and the error count, as printed."""
    m = latency.machine
    load = ", ".join(f"{x:.2f}" for x in m["load_average_before"])
    load_after = ", ".join(f"{x:.2f}" for x in m["load_average_after"])
    lines = [
        f"cxcost browser latency, {m['date_utc']}; {m['cores']} CPU cores ({m['placement']}); "
        f"load average {load} before, {load_after} after; Chromium {m['chromium']}; "
        f"Python {m['python']}",
        "",
        table(latency),
        "",
        f"errors: {len(latency.errors)}",
    ]
    lines += [f"- {text}" for text in latency.errors[:MAX_ERRORS]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print one Markdown table; exit status 1 if any error was seen."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 of each, 3 moves, 1 tab round")
    parser.add_argument("--samples", type=int, default=None, help="samples per start-up figure")
    parser.add_argument("--moves", type=int, default=None, help="slider moves")
    parser.add_argument("--tab-rounds", type=int, default=None, help="times every tab is clicked")
    parser.add_argument("--think", type=float, default=None, help="pause after each move [s]")
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false",
        help="let server and browser share every CPU (default: server alone on CPU 0)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Options()
    options = Options(
        samples=base.samples if args.samples is None else args.samples,
        moves=base.moves if args.moves is None else args.moves,
        tab_cycles=base.tab_cycles if args.tab_rounds is None else args.tab_rounds,
        think_seconds=base.think_seconds if args.think is None else args.think,
        pin=args.pin,
    )
    for name, value, lowest in (
        ("--samples", options.samples, 1),
        ("--moves", options.moves, 1),
        ("--tab-rounds", options.tab_cycles, 1),
    ):
        if value < lowest:
            parser.error(f"{name} must be at least {lowest}, not {value}")
    if not 0 <= options.think_seconds <= 60:
        parser.error(f"--think must be between 0 and 60 s, not {options.think_seconds:g}")
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    latency = measure(
        options,
        progress=lambda line: print(f"  {time.strftime('%H:%M:%S')} {line}", file=sys.stderr),
    )
    print(report(latency))
    if args.json is not None:
        args.json.write_text(json.dumps(latency.as_dict(), indent=2) + "\n", encoding="utf-8")
    return 1 if latency.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
