"""Load test: N concurrent browser sessions move sliders in the app on loopback.

Starts ``streamlit run app.py`` on a free 127.0.0.1 port, opens N pages in one
headless Chromium (Debian's ``/usr/bin/chromium``, one browser context per
session, so every page is its own Streamlit session), and lets every session
walk the phone-representatives slider one keyboard step at a time for a fixed
time. Each session first moves the training slider by its own number of steps,
so the sessions price different scenarios instead of sharing cached results.

For every slider move it measures, from the key press:

- **rerun**: from the rerun request leaving the page's websocket to the
  server's ``script_finished`` message arriving (the server's work plus the
  loopback round trip), both stamped by the browser's network service (through
  the DevTools protocol), so a busy renderer does not stretch it;
- **visible**: until the page shows new headline numbers and the "running"
  status widget is gone (what the user sees; includes the browser's own
  rendering of every page's charts, on this machine).

By default the server runs alone on CPU 0 and the browser (with this script)
on the other CPUs (``--no-pin`` lets them share): deployed, the browsers run on
the users' own machines.

Errors (must be 0): a rerun that does not finish within the timeout or does not
finish successfully, a headline that does not change, a Streamlit exception
element on the page, a JavaScript error, a websocket that closes mid-run. A
rerun that Streamlit cuts short because a newer one was asked for (a second
key press while the first still runs) is no error; it is counted as
"superseded" and the measurement waits for the rerun that completes.

The server's CPU time over the slider phase, divided by the reruns it ran,
gives the CPU one slider move costs the server, and over the phase's length
the cores it kept busy: the figures to size replicas by.

Server memory is the resident set size (RSS, ``/proc/<pid>/status`` VmRSS) of
the Streamlit process: before the sessions open (after one warm-up session has
imported the model), its peak while they move sliders, and after every session
is closed and ``server.disconnectedSessionTTL`` (from ``.streamlit/config.toml``)
has passed. Streamlit removes an expired disconnected session only when its
session store next changes, so one more visitor opens and closes the app before
the last reading, as would happen on a live server.

With ``--driver websocket`` no browser is used: every session is a websocket
of this script speaking Streamlit's own protocol (``/_stcore/stream``; the XSRF
token, from the ``_streamlit_xsrf`` cookie that ``/_stcore/health`` sets, as
the second subprotocol entry; protobuf ``BackMsg``/``ForwardMsg``), so at 10 or
30 sessions the figures are the server's and not a single browser's. A slider
move sends a ``rerun_script`` with every widget value the session has set (the
slider's as a one-element ``double_array_value``) and, for a slider a fragment
drew, that fragment's id, as the frontend does; and
**rerun** is from sending it to ``script_finished`` (monotonic clock in this
process). The headline numbers (the ``metric`` elements of the rerun's output)
must change and no ``exception`` element may appear; **visible** is not
measured ("–").

Usage::

    python benchmarks/load_test.py --sessions 1 10 30 --seconds 30
    python benchmarks/load_test.py --driver websocket --sessions 1 10 30 --seconds 30

Every loop is bounded by the run time or a timeout; the script stops by itself.
Each N gets its own server, so one run's leftovers do not count against the next.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
METRIC = '[data-testid="stMetricValue"]'
# The headline: each metric's value and its change against the baseline.
HEADLINE = '[data-testid="stMetricValue"], [data-testid="stMetricDelta"]'
EXCEPTION = '[data-testid="stException"]'
STATUS = '[data-testid="stStatusWidget"]'
PHONE_SLIDER = '.st-key-in-channels-0-representatives input[type="range"]'
TRAINING_SLIDER = '.st-key-in-training-hours_per_rep_per_year input[type="range"]'
STREAMLIT_DEFAULT_TTL = 120.0
FINISHED_EARLY_FOR_RERUN = 2  # ForwardMsg.ScriptFinishedStatus
STARTUP_SECONDS = 90.0
RERUN_TIMEOUT_SECONDS = 60.0
WALK_STEPS = 16
REAP_SECONDS = 3.0
DRIVERS = ("browser", "websocket")
MIB = 1024 * 1024

_HEADLINE_CHANGED_AND_IDLE = """
([selector, status, before]) => {
    const text = Array.from(document.querySelectorAll(selector))
        .map((element) => element.textContent).join("|");
    return text !== before && document.querySelector(status) === null;
}
"""


# ---------------------------------------------------------------------------
# The server


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_bytes(pid: int) -> int:
    """Resident set size of a process [bytes], from /proc (0 if it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far [s], from /proc (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def configured_ttl(root: Path = ROOT) -> float:
    """``server.disconnectedSessionTTL`` from the app's config.toml [s]."""
    config = root / ".streamlit" / "config.toml"
    if not config.exists():
        return STREAMLIT_DEFAULT_TTL
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    return float(data.get("server", {}).get("disconnectedSessionTTL", STREAMLIT_DEFAULT_TTL))


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Field 2 (the command) may hold spaces; fields[0] below is stat(5)'s field 3.
    return text.rsplit(")", 1)[1].split()


def children(pid: int) -> set[int]:
    """The live child processes of ``pid``.

    From /proc/<pid>/task/*/children where the kernel offers it, otherwise from
    the parent field of every process's /proc/<pid>/stat.
    """
    tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
    if tasks:
        found: set[int] = set()
        for task in tasks:
            with contextlib.suppress(OSError):
                found.update(int(child) for child in task.read_text().split())
        return found
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and all its descendants so far [s].

    Each process's user and system time (stat fields 14, 15) plus that of its
    children it has already waited for (16, 17): a worker that came and went
    still counts, through its parent.
    """
    total, todo, seen = 0.0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        fields = _stat(current)
        if fields is None:
            continue
        total += sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        todo.extend(children(current))
    return total


@dataclass
class Server:
    """A running ``streamlit run app.py``."""

    url: str
    pid: int
    log: Path

    def rss(self) -> int:
        """The server's resident set size [bytes]."""
        return rss_bytes(self.pid)

    def cpu(self) -> float:
        """The server's CPU time so far [s]."""
        return cpu_seconds(self.pid)

    def tree_cpu(self) -> float:
        """The server's and its child processes' CPU time so far [s] (the app's
        background worker plans in a child process)."""
        return tree_cpu_seconds(self.pid)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return bool(reply.status == 200 and reply.read().strip() == b"ok")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextlib.contextmanager
def streamlit_server(
    extra_args: Sequence[str] = (),
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    startup_seconds: float = STARTUP_SECONDS,
    cpus: set[int] | None = None,
    script: str = "app.py",
) -> Iterator[Server]:
    """``streamlit run app.py`` on a free loopback port until the block ends.

    Parameters
    ----------
    extra_args : more ``--option value`` arguments for ``streamlit run``
    env : extra environment variables
    cwd : the folder holding ``app.py`` and ``.streamlit/``
    startup_seconds : how long to wait for ``/_stcore/health`` [s]
    cpus : run the server on these CPUs only (Linux); default any
    script : the page to serve, relative to ``cwd`` (``app.py``: cxcost)

    Yields
    ------
    Server
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *extra_args,
    ]  # fmt: skip
    with tempfile.NamedTemporaryFile(
        "wb", prefix="cxcost-streamlit-", suffix=".log", delete=False
    ) as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
    server = Server(url=f"http://127.0.0.1:{port}", pid=process.pid, log=Path(log.name))
    try:
        deadline = time.monotonic() + startup_seconds
        while not _healthy(server.url):
            if process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with status {process.returncode}:\n"
                    + server.log.read_text(errors="replace")[-3000:]
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer within {startup_seconds:.0f} s")
            time.sleep(0.25)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        server.log.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# One browser session


@dataclass
class SessionStats:
    """What one session saw."""

    rerun_ms: list[float] = field(default_factory=list)
    visible_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _Session:
    """One page: its websocket's reruns (with the browser's network timestamps), errors."""

    def __init__(self, index: int) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.index = index
        # (arrival here [perf_counter s], status, browser network timestamp [s])
        self.finished: list[tuple[float, int, float]] = []
        # browser network timestamps of the rerun requests sent [s]
        self.reruns_sent: list[float] = []
        self.arrived = asyncio.Event()
        self.js_errors: list[str] = []
        self.closed_sockets = 0
        self.superseded = 0
        self._back_msg = BackMsg
        self._forward_msg = ForwardMsg
        self.stats = SessionStats()

    async def attach(self, context: Any, page: Any) -> None:
        """Listen to the page's websocket frames through the DevTools protocol.

        Its Network events carry the browser network service's own timestamps,
        so a rerun's time is not stretched by a busy renderer or event delivery.
        """
        page.on("websocket", self._on_websocket)
        page.on("pageerror", self._on_page_error)
        cdp = await context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameSent", self._on_sent)
        cdp.on("Network.webSocketFrameReceived", self._on_received)
        await cdp.send("Network.enable")

    def _on_websocket(self, socket_: Any) -> None:
        if "_stcore/stream" in socket_.url:
            socket_.on("close", self._on_close)

    @staticmethod
    def _payload(params: dict[str, Any]) -> bytes | None:
        response = params.get("response", {})
        if response.get("opcode") != 2:  # binary frames carry the protobuf messages
            return None
        try:
            return base64.b64decode(response.get("payloadData", ""))
        except (ValueError, TypeError):
            return None

    def _on_sent(self, params: dict[str, Any]) -> None:
        payload = self._payload(params)
        if payload is None:
            return
        message = self._back_msg()
        with contextlib.suppress(Exception):  # not a BackMsg: none of our business
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                self.reruns_sent.append(float(params["timestamp"]))

    def _on_received(self, params: dict[str, Any]) -> None:
        payload = self._payload(params)
        if payload is None:
            return
        message = self._forward_msg()
        with contextlib.suppress(Exception):
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "script_finished":
                status = int(message.script_finished)
                self.finished.append((time.perf_counter(), status, float(params["timestamp"])))
                self.arrived.set()

    def _on_close(self, *_: object) -> None:
        self.closed_sockets += 1

    def _on_page_error(self, error: Any) -> None:
        self.js_errors.append(str(error)[:300])

    def rerun_ms(self, finished_at: float) -> float | None:
        """Server time of the rerun that finished at ``finished_at`` (network clock) [ms].

        From the last rerun request sent before it to its ``script_finished``.
        """
        sent = [t for t in self.reruns_sent if t <= finished_at]
        return (finished_at - sent[-1]) * 1000 if sent else None

    async def wait_completed(self, after: int, timeout: float) -> tuple[float, int, float]:
        """The first rerun after the first ``after`` ones that ran to its end.

        Reruns cut short because a newer one was asked for (status
        FINISHED_EARLY_FOR_RERUN, what a quick second slider move does) are
        skipped and counted in ``superseded``.

        Returns
        -------
        (arrival here, status, network timestamp) of that rerun
        """
        deadline = time.perf_counter() + timeout
        index = after
        while True:
            while len(self.finished) <= index:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise TimeoutError
                self.arrived.clear()
                if len(self.finished) > index:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.arrived.wait(), remaining)
            arrived_at, status, stamp = self.finished[index]
            if status != FINISHED_EARLY_FOR_RERUN:
                return arrived_at, status, stamp
            self.superseded += 1
            index += 1


async def _headline(page: Any) -> str:
    texts = await page.locator(HEADLINE).all_text_contents()
    return "|".join(texts)


async def _press(page: Any, selector: str, key: str) -> bool:
    """Press a key on a slider; whether its value moved (False at either end)."""
    slider = page.locator(selector).first
    before = await slider.input_value()
    await slider.press(key)
    return bool(await slider.input_value() != before)


async def _settle(session: _Session, page: Any, since: int, timeout: float) -> None:
    """Wait for a completed rerun after the first ``since`` ones, then for a quiet moment."""
    await session.wait_completed(since, timeout)
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        count = len(session.finished)
        await asyncio.sleep(0.5)
        if len(session.finished) == count and await page.locator(STATUS).count() == 0:
            return


async def _open(browser: Any, url: str, index: int, timeout: float) -> tuple[Any, Any, _Session]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    session = _Session(index)
    await session.attach(context, page)
    await page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    await page.wait_for_selector(METRIC, timeout=timeout * 1000)
    await page.wait_for_selector(PHONE_SLIDER, timeout=timeout * 1000)
    await _settle(session, page, 0, timeout)
    # A different training level per session: different scenarios, no shared cache hits.
    training = page.locator(TRAINING_SLIDER).first
    await training.focus()
    for _ in range(index % 40 + 1):
        pressed = len(session.finished)
        await training.press("ArrowRight")
    await _settle(session, page, pressed, timeout)
    session.superseded = 0
    return context, page, session


def _keep_moving(until: float, moves: int, tries: int) -> bool:
    """Whether a session moves its slider again: until ``until`` (perf_counter time), and
    in any case until it has moved once (at most ``_FIRST_MOVE_TRIES`` tries). On a busy
    machine opening the pages can take the whole time, and a session that never moved
    would measure nothing."""
    return time.perf_counter() < until or (moves == 0 and tries < _FIRST_MOVE_TRIES)


_FIRST_MOVE_TRIES = 3
"""Tries at a session's first move: a slider at its end turns once and moves."""


async def _drive(page: Any, session: _Session, until: float, think_seconds: float) -> None:
    """Walk the phone slider step by step until ``until`` (perf_counter time), and at
    least once (``_keep_moving``)."""
    stats = session.stats
    key, walked = "ArrowRight", 0
    moves, tries = 0, 0
    await page.locator(PHONE_SLIDER).first.focus()
    while _keep_moving(until, moves, tries) and len(stats.errors) < 5:
        tries += 1
        before_text = await _headline(page)
        seen = len(session.finished)
        started = time.perf_counter()
        if not await _press(page, PHONE_SLIDER, key):
            key, walked = ("ArrowLeft" if key == "ArrowRight" else "ArrowRight"), 0
            continue
        moves += 1
        walked += 1
        if walked >= WALK_STEPS:
            key, walked = ("ArrowLeft" if key == "ArrowRight" else "ArrowRight"), 0
        try:
            _, status, stamp = await session.wait_completed(seen, RERUN_TIMEOUT_SECONDS)
        except TimeoutError:
            stats.errors.append(
                f"session {session.index}: no rerun within {RERUN_TIMEOUT_SECONDS:.0f} s"
            )
            continue
        if status not in (0, 3):  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY
            stats.errors.append(f"session {session.index}: rerun finished with status {status}")
        server_ms = session.rerun_ms(stamp)
        if server_ms is None:
            stats.errors.append(f"session {session.index}: no rerun request seen")
        else:
            stats.rerun_ms.append(server_ms)
        try:
            await page.wait_for_function(
                _HEADLINE_CHANGED_AND_IDLE,
                arg=[HEADLINE, STATUS, before_text],
                polling="raf",
                timeout=RERUN_TIMEOUT_SECONDS * 1000,
            )
        except Exception:
            stats.errors.append(f"session {session.index}: headline did not change")
        else:
            stats.visible_ms.append((time.perf_counter() - started) * 1000)
        if await page.locator(EXCEPTION).count():
            stats.errors.append(f"session {session.index}: exception shown on the page")
            break
        await asyncio.sleep(think_seconds)


# ---------------------------------------------------------------------------
# One websocket session (no browser)


STREAM_PATH = "/_stcore/stream"
XSRF_COOKIE = "_streamlit_xsrf"
PHONE_KEY = "in.channels.0.representatives"
TRAINING_KEY = "in.training.hours_per_rep_per_year"
FINISHED_OK = (0, 3)  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY


@dataclass
class _Slider:
    """A slider as the last rerun's delta described it."""

    id: str
    min: float
    max: float
    step: float
    value: float
    fragment_id: str = ""
    """The fragment that drew it ("" if none): moving it reruns that fragment alone."""


@dataclass
class _Rerun:
    """What one rerun sent back."""

    status: int
    milliseconds: float
    headline: str
    sliders: dict[str, _Slider]
    errors: list[str]


def _cookie_header(cookies: Mapping[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _xsrf_cookie(url: str, timeout: float, cookies: Mapping[str, str] | None = None) -> str:
    """The ``_streamlit_xsrf`` cookie (empty if XSRF protection is off).

    The server sets it on its health check, which the frontend polls before it
    opens the websocket; the page itself does not set it. ``cookies`` go with the
    request (a reverse proxy's sticky-session cookie).
    """
    sent = {"Cookie": _cookie_header(cookies)} if cookies else {}
    request = urllib.request.Request(f"{url}/_stcore/health", headers=sent)
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        headers: list[str] = reply.headers.get_all("Set-Cookie") or []
        for header in headers:
            name, _, rest = header.partition("=")
            if name.strip() == XSRF_COOKIE:
                return rest.split(";", 1)[0].strip().strip('"')
    return ""


class _WsSession:
    """One Streamlit session spoken to over its own websocket, as the frontend does.

    Every rerun request carries the state of every widget this session has set
    (the frontend sends all of them); widgets it never set keep the server's
    value. No cached-message hashes are reported, so the server never answers
    with a ``ref_hash`` reference instead of the message itself.

    ``url`` may be a reverse proxy's; ``cookies`` (e.g. its sticky-session
    cookie) go with the health check and the websocket, beside the XSRF cookie.
    """

    def __init__(self, index: int, url: str, cookies: Mapping[str, str] | None = None) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.index = index
        self.url = url
        self.cookies = dict(cookies or {})
        self.xsrf_cookie = ""
        self.session_id = ""
        self.query_string = ""
        self.received_bytes = 0
        self.page_script_hash = ""
        self.sliders: dict[str, _Slider] = {}
        self.headline = ""
        self.superseded = 0
        self.stats = SessionStats()
        self._socket: Any = None
        self._set: dict[str, Any] = {}  # widget id -> WidgetState this session sent
        self._back_msg = BackMsg
        self._forward_msg = ForwardMsg
        self._widget_state = WidgetState

    async def connect(self, timeout: float) -> None:
        """Fetch the XSRF cookie and open the websocket with it."""
        from websockets.asyncio.client import connect
        from websockets.typing import Subprotocol

        cookie = await asyncio.to_thread(_xsrf_cookie, self.url, timeout, self.cookies)
        self.xsrf_cookie = cookie
        # The frontend passes the XSRF token as the second subprotocol entry; the
        # server compares it with the cookie (and the Origin must be the same host).
        protocols = [Subprotocol("streamlit")]
        headers = {"Origin": self.url}
        if cookie:
            protocols.append(Subprotocol(cookie))
        sent = {**self.cookies, XSRF_COOKIE: cookie} if cookie else self.cookies
        if sent:
            headers["Cookie"] = _cookie_header(sent)
        self._socket = await connect(
            "ws" + self.url.removeprefix("http") + STREAM_PATH,
            subprotocols=protocols,
            additional_headers=headers,
            max_size=None,
            open_timeout=timeout,
            close_timeout=5,
        )

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    def set_slider(self, slider: _Slider, value: float) -> None:
        """Send this value of the slider with every later rerun."""
        state = self._widget_state(id=slider.id)
        state.double_array_value.data.append(value)
        self._set[slider.id] = state
        slider.value = value

    def slider(self, key: str) -> _Slider:
        """The slider whose widget id holds the user key ``key``."""
        for widget_id, slider in self.sliders.items():
            if widget_id.endswith(f"-{key}"):  # ids are "$$ID-<hash>-<user key>"
                return slider
        raise LookupError(f"no slider {key!r} in the app's output")

    async def rerun(self, timeout: float, fragment_id: str = "") -> _Rerun:
        """Ask for a rerun with this session's widget states; wait for ``script_finished``.

        With ``fragment_id`` (a moved widget's ``_Slider.fragment_id``) only that
        fragment reruns, as the frontend asks when a widget inside one changes.
        """
        from websockets.exceptions import ConnectionClosed

        message = self._back_msg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.widget_states.widgets.extend(self._set.values())
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.url}/"
        state.fragment_id = fragment_id
        metrics: list[str] = []
        errors: list[str] = []
        sliders: dict[str, _Slider] = {}
        started = time.perf_counter()
        deadline = started + timeout
        await self._socket.send(message.SerializeToString())
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            try:
                data = await asyncio.wait_for(self._socket.recv(), remaining)
            except ConnectionClosed as closed:
                raise ConnectionError(f"websocket closed: {closed}") from closed
            self.received_bytes += len(data)
            reply = self._forward_msg.FromString(data)
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = reply.new_session.page_script_hash
                self.session_id = reply.new_session.initialize.session_id
            elif kind == "ref_hash":
                errors.append("cached-message reference received")
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    errors.append(f"exception: {element.exception.message[:200]}")
                elif which == "metric":
                    # Value and change against the baseline: a one-step move can
                    # leave every rounded value as it was, never every change.
                    metrics.append(f"{element.metric.body} {element.metric.delta}")
                elif which == "slider":
                    s = element.slider
                    # Like the frontend: a value the server sets wins, then the one
                    # this session holds, then the default.
                    mine = self._set.get(s.id)
                    known = self.sliders.get(s.id)
                    if s.set_value and s.value:
                        value = s.value[0]
                        if mine is not None:
                            mine.double_array_value.data[:] = [value]
                    elif mine is not None:
                        value = mine.double_array_value.data[0]
                    elif known is not None:
                        value = known.value
                    else:
                        value = s.default[0]
                    sliders[s.id] = _Slider(
                        s.id, s.min, s.max, s.step, value, reply.delta.fragment_id
                    )
            elif kind == "script_finished":
                status = int(reply.script_finished)
                if status == FINISHED_EARLY_FOR_RERUN:
                    self.superseded += 1
                    continue
                milliseconds = (time.perf_counter() - started) * 1000
                self.sliders.update(sliders)
                headline = "|".join(metrics)
                if headline:
                    self.headline = headline
                return _Rerun(status, milliseconds, headline, sliders, errors)

    async def start(self, timeout: float) -> None:
        """Connect, run the page, move the training slider by ``index % 40 + 1`` steps."""
        await self.connect(timeout)
        first = await self.rerun(timeout)
        self._check(first, "page load")
        if not self.sliders:
            # A session's first run draws no input; its page asks for them half a
            # second later (cxcost.ui.pending), which this rerun stands for.
            self._check(await self.rerun(timeout), "the inputs the first page asks for")
        training = self.slider(TRAINING_KEY)
        steps = self.index % 40 + 1
        value = min(training.max, training.value + steps * training.step)
        self.set_slider(training, round(value, 9))
        self._check(await self.rerun(timeout, training.fragment_id), "training slider")
        self.superseded = 0

    def _check(self, rerun: _Rerun, what: str) -> None:
        prefix = f"session {self.index}: {what}: "
        if rerun.status not in FINISHED_OK:
            self.stats.errors.append(prefix + f"rerun finished with status {rerun.status}")
        self.stats.errors += [prefix + e for e in rerun.errors]


async def _drive_websocket(session: _WsSession, until: float, think_seconds: float) -> None:
    """Walk the phone slider one step at a time until ``until`` (perf_counter time), and
    at least once (``_keep_moving``)."""
    stats = session.stats
    direction, walked = 1, 0
    moves = 0
    # Every try moves the slider (one that cannot move stops the session).
    while _keep_moving(until, moves, moves) and len(stats.errors) < 5:
        phone = session.slider(PHONE_KEY)
        target = round(phone.value + direction * phone.step, 9)
        if not phone.min <= target <= phone.max:
            direction, walked = -direction, 0
            target = round(phone.value + direction * phone.step, 9)
            if not phone.min <= target <= phone.max:
                stats.errors.append(f"session {session.index}: phone slider cannot move")
                break
        walked += 1
        if walked >= WALK_STEPS:
            direction, walked = -direction, 0
        before = session.headline
        session.set_slider(phone, target)
        moves += 1
        try:
            rerun = await session.rerun(RERUN_TIMEOUT_SECONDS, phone.fragment_id)
        except TimeoutError:
            stats.errors.append(
                f"session {session.index}: no rerun within {RERUN_TIMEOUT_SECONDS:.0f} s"
            )
            continue
        except ConnectionError as error:
            stats.errors.append(f"session {session.index}: {error}")
            break
        stats.rerun_ms.append(rerun.milliseconds)
        session._check(rerun, f"phone slider to {target:g}")
        if not rerun.headline or rerun.headline == before:
            stats.errors.append(f"session {session.index}: headline did not change")
        if rerun.errors:
            break
        await asyncio.sleep(think_seconds)


# ---------------------------------------------------------------------------
# One load level


@dataclass
class LoadResult:
    """The figures of one load level."""

    sessions: int
    seconds: float
    moves: int
    rerun_p50_ms: float
    rerun_p95_ms: float
    visible_p50_ms: float
    visible_p95_ms: float
    superseded: int
    server_cpu_ms_per_rerun: float
    server_cores_busy: float
    background_cpu_ms_per_rerun: float
    """The server's child processes' CPU per rerun [ms]: the app's background worker,
    planning the inputs a session settled on (not part of answering the move)."""
    errors: int
    error_samples: list[str]
    rss_before_mib: float
    rss_loaded_mib: float
    rss_peak_mib: float
    per_session_mib: float
    rss_after_mib: float
    after_seconds: float
    open_seconds: float
    driver: str = "browser"


def _percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1])


async def _sample_peak(server: Server, stop: asyncio.Event, peak: list[int]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], server.rss())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def run_load(
    server: Server,
    sessions: int,
    seconds: float,
    think_seconds: float = 0.5,
    after_seconds: float | None = None,
    open_batch: int = 5,
    warm_up: bool = True,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Drive ``sessions`` browser sessions against a running server.

    Parameters
    ----------
    server : the app
    sessions : concurrent sessions (browser contexts)
    seconds : how long every session moves sliders [s]
    think_seconds : pause after each move has shown its result [s]
    after_seconds : wait after closing every session before the last memory
        reading [s]; default the configured disconnected-session TTL + 15 s
    open_batch : sessions opened at a time (a ramp, so page loads do not time out)
    warm_up : open and close one session first, so that the baseline memory
        already holds the imported model and the shared caches
    progress : called with a line of text at the start of every phase

    Returns
    -------
    LoadResult
    """
    from playwright.async_api import async_playwright

    wait_after = configured_ttl() + 15.0 if after_seconds is None else after_seconds

    def say(line: str) -> None:
        if progress is not None:
            progress(line)

    open_timeout = 60.0 + 4.0 * sessions
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if warm_up:
                say("warm-up session")
                context, _, _ = await _open(browser, server.url, 0, open_timeout)
                await context.close()
                await asyncio.sleep(1.0)
            before = server.rss()
            peak = [before]
            stop = asyncio.Event()
            sampler = asyncio.create_task(_sample_peak(server, stop, peak))
            opened_at = time.perf_counter()
            say(f"opening {sessions} sessions")
            opened: list[tuple[Any, Any, _Session]] = []
            for start in range(0, sessions, open_batch):
                batch = range(start + 1, min(start + open_batch, sessions) + 1)
                opened += await asyncio.gather(
                    *(_open(browser, server.url, i, open_timeout) for i in batch)
                )
            open_seconds = time.perf_counter() - opened_at
            loaded = server.rss()
            sockets_before = [s.closed_sockets for _, _, s in opened]
            say(f"sessions open after {open_seconds:.1f} s; moving sliders for {seconds:g} s")
            cpu_before, tree_before, drive_started = (
                server.cpu(),
                server.tree_cpu(),
                time.perf_counter(),
            )
            until = drive_started + seconds
            await asyncio.gather(*(_drive(page, s, until, think_seconds) for _, page, s in opened))
            cpu_used, drive_seconds = server.cpu() - cpu_before, time.perf_counter() - drive_started
            background_used = server.tree_cpu() - tree_before - cpu_used
            stop.set()
            await sampler
            errors: list[str] = []
            for (_, page, session), closed in zip(opened, sockets_before, strict=True):
                errors += session.stats.errors
                errors += [f"session {session.index}: JS error {e}" for e in session.js_errors]
                if session.closed_sockets > closed:
                    errors.append(f"session {session.index}: websocket closed during the run")
                if await page.locator(EXCEPTION).count():
                    errors.append(f"session {session.index}: exception shown at the end")
            for context, _, _ in opened:
                await context.close()
            say(f"sessions closed; waiting {wait_after:g} s")
            await asyncio.sleep(wait_after)
            # Streamlit drops expired disconnected sessions lazily, when its session store
            # next changes: one more visitor who leaves does that, as on a live server.
            probe, _, _ = await _open(browser, server.url, 0, open_timeout)
            await probe.close()
            await asyncio.sleep(REAP_SECONDS if warm_up else 1.0)
            after = server.rss()
        finally:
            await browser.close()
    rerun = [ms for _, _, s in opened for ms in s.stats.rerun_ms]
    visible = [ms for _, _, s in opened for ms in s.stats.visible_ms]
    superseded = sum(s.superseded for _, _, s in opened)
    return _load_result(
        sessions, seconds, rerun, visible, superseded, cpu_used, drive_seconds, errors,
        (before, loaded, peak[0], after), wait_after, open_seconds, "browser", background_used,
    )  # fmt: skip


def _load_result(
    sessions: int,
    seconds: float,
    rerun: list[float],
    visible: list[float],
    superseded: int,
    cpu_used: float,
    drive_seconds: float,
    errors: list[str],
    rss: tuple[int, int, int, int],
    wait_after: float,
    open_seconds: float,
    driver: str,
    background_used: float = float("nan"),
) -> LoadResult:
    """One level's figures; ``rss`` is before, loaded, peak and after close [bytes]."""
    before, loaded, peak, after = rss
    runs = len(rerun) + superseded
    return LoadResult(
        sessions=sessions,
        seconds=seconds,
        moves=len(rerun),
        rerun_p50_ms=_percentile(rerun, 0.50),
        rerun_p95_ms=_percentile(rerun, 0.95),
        visible_p50_ms=_percentile(visible, 0.50),
        visible_p95_ms=_percentile(visible, 0.95),
        superseded=superseded,
        server_cpu_ms_per_rerun=cpu_used * 1000 / runs if runs else float("nan"),
        server_cores_busy=cpu_used / drive_seconds,
        background_cpu_ms_per_rerun=background_used * 1000 / runs if runs else float("nan"),
        errors=len(errors),
        error_samples=errors[:10],
        rss_before_mib=before / MIB,
        rss_loaded_mib=loaded / MIB,
        rss_peak_mib=peak / MIB,
        per_session_mib=(max(peak, loaded) - before) / MIB / sessions,
        rss_after_mib=after / MIB,
        after_seconds=wait_after,
        open_seconds=open_seconds,
        driver=driver,
    )


async def run_load_websocket(
    server: Server,
    sessions: int,
    seconds: float,
    think_seconds: float = 0.5,
    after_seconds: float | None = None,
    open_batch: int = 10,
    warm_up: bool = True,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Drive ``sessions`` websocket sessions (no browser) against a running server.

    The same phases and figures as :func:`run_load`, but every session is a
    websocket of this process speaking Streamlit's protocol, so the rerun time
    is the server's work, its queueing and the loopback round trip, with no page
    rendering; "visible" is not measured (NaN).
    """
    wait_after = configured_ttl() + 15.0 if after_seconds is None else after_seconds
    open_timeout = 60.0 + 2.0 * sessions

    def say(line: str) -> None:
        if progress is not None:
            progress(line)

    async def visit(index: int) -> _WsSession:
        session = _WsSession(index, server.url)
        await session.start(open_timeout)
        return session

    if warm_up:
        say("warm-up session")
        await (await visit(0)).close()
        await asyncio.sleep(1.0)
    before = server.rss()
    peak = [before]
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_peak(server, stop, peak))
    opened_at = time.perf_counter()
    say(f"opening {sessions} websocket sessions")
    opened: list[_WsSession] = []
    try:
        for start in range(0, sessions, open_batch):
            batch = range(start + 1, min(start + open_batch, sessions) + 1)
            opened += await asyncio.gather(*(visit(i) for i in batch))
        open_seconds = time.perf_counter() - opened_at
        loaded = server.rss()
        say(f"sessions open after {open_seconds:.1f} s; moving sliders for {seconds:g} s")
        cpu_before, tree_before, drive_started = (
            server.cpu(),
            server.tree_cpu(),
            time.perf_counter(),
        )
        until = drive_started + seconds
        await asyncio.gather(*(_drive_websocket(s, until, think_seconds) for s in opened))
        cpu_used, drive_seconds = server.cpu() - cpu_before, time.perf_counter() - drive_started
        background_used = server.tree_cpu() - tree_before - cpu_used
    finally:
        stop.set()
        await sampler
        for session in opened:
            await session.close()
    errors = [e for s in opened for e in s.stats.errors]
    say(f"sessions closed; waiting {wait_after:g} s")
    await asyncio.sleep(wait_after)
    # Streamlit drops expired disconnected sessions lazily, when its session store
    # next changes: one more visitor who leaves does that, as on a live server.
    await (await visit(0)).close()
    await asyncio.sleep(REAP_SECONDS if warm_up else 1.0)
    after = server.rss()
    rerun = [ms for s in opened for ms in s.stats.rerun_ms]
    superseded = sum(s.superseded for s in opened)
    return _load_result(
        sessions, seconds, rerun, [], superseded, cpu_used, drive_seconds, errors,
        (before, loaded, peak[0], after), wait_after, open_seconds, "websocket",
        background_used,
    )  # fmt: skip


def run_level(
    sessions: int,
    seconds: float,
    think_seconds: float = 0.5,
    ttl_seconds: float | None = None,
    after_seconds: float | None = None,
    warm_up: bool = True,
    progress: Callable[[str], None] | None = None,
    env: dict[str, str] | None = None,
    pin: bool = False,
    driver: str = "browser",
) -> LoadResult:
    """Start a fresh server and run one load level on it.

    ``driver`` is ``"browser"`` (Chromium pages, :func:`run_load`) or
    ``"websocket"`` (Streamlit's protocol from this process, :func:`run_load_websocket`).

    With ``pin`` the server runs on CPU 0 and the browser and this script on
    the other CPUs, so that rendering 30 pages (or driving 30 websockets) does
    not take the server's CPU: deployed, the browsers run on the users' machines.

    ``ttl_seconds`` overrides ``server.disconnectedSessionTTL`` for this server
    only (the smoke test uses a short one); the memory after closing is then
    read ``ttl + 15`` s after the sessions closed, unless ``after_seconds`` says otherwise.
    """
    extra: list[str] = []
    if ttl_seconds is not None:
        extra = ["--server.disconnectedSessionTTL", f"{ttl_seconds:g}"]
        if after_seconds is None:
            after_seconds = ttl_seconds + 15.0
    server_cpus: set[int] | None = None
    own_cpus = os.sched_getaffinity(0)
    if driver not in DRIVERS:
        raise ValueError(f"driver must be one of {DRIVERS}, not {driver!r}")
    if pin and len(own_cpus) >= 2:
        server_cpus = {min(own_cpus)}
        os.sched_setaffinity(0, own_cpus - server_cpus)
    try:
        with streamlit_server(extra, env=env, cpus=server_cpus) as server:
            return _run_async(
                server, sessions, seconds, think_seconds, after_seconds, warm_up, progress, driver
            )
    finally:
        os.sched_setaffinity(0, own_cpus)


def _run_async(
    server: Server,
    sessions: int,
    seconds: float,
    think_seconds: float,
    after_seconds: float | None,
    warm_up: bool,
    progress: Callable[[str], None] | None,
    driver: str = "browser",
) -> LoadResult:
    load = run_load_websocket if driver == "websocket" else run_load
    return asyncio.run(
        load(
            server,
            sessions,
            seconds,
            think_seconds,
            after_seconds,
            warm_up=warm_up,
            progress=progress,
        )
    )


# ---------------------------------------------------------------------------
# Report


COLUMNS = (
    ("sessions", "sessions", "{:d}"),
    ("moves", "slider moves", "{:d}"),
    ("rerun_p50_ms", "rerun p50 [ms]", "{:.0f}"),
    ("rerun_p95_ms", "rerun p95 [ms]", "{:.0f}"),
    ("visible_p50_ms", "visible p50 [ms]", "{:.0f}"),
    ("visible_p95_ms", "visible p95 [ms]", "{:.0f}"),
    ("server_cpu_ms_per_rerun", "server CPU per rerun [ms]", "{:.0f}"),
    ("server_cores_busy", "server cores busy", "{:.2f}"),
    ("background_cpu_ms_per_rerun", "background CPU per rerun [ms]", "{:.0f}"),
    ("errors", "errors", "{:d}"),
    ("rss_before_mib", "RSS before [MiB]", "{:.0f}"),
    ("rss_peak_mib", "RSS peak [MiB]", "{:.0f}"),
    ("per_session_mib", "per session [MiB]", "{:.1f}"),
    ("rss_after_mib", "RSS after close [MiB]", "{:.0f}"),
)


# Columns a driver does not measure; the table shows "–" there.
NOT_MEASURED = {"websocket": frozenset({"visible_p50_ms", "visible_p95_ms"})}


def _cell(result: LoadResult, name: str, fmt: str) -> str:
    if name in NOT_MEASURED.get(result.driver, frozenset()):
        return "–"
    return fmt.format(getattr(result, name))


def table(results: Sequence[LoadResult]) -> str:
    """The results as a Markdown table."""
    header = "| " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    rows = [
        "| " + " | ".join(_cell(r, name, fmt) for name, _, fmt in COLUMNS) + " |" for r in results
    ]
    return "\n".join([header, rule, *rows])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load levels and print one table; exit status 1 if any error was seen."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seconds", type=float, default=30.0, help="slider time per level [s]")
    parser.add_argument("--think", type=float, default=0.5, help="pause between moves [s]")
    parser.add_argument(
        "--ttl", type=float, default=None,
        help="override server.disconnectedSessionTTL [s] (default: config.toml's)",
    )  # fmt: skip
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE",
        help="environment variable for the server (repeatable), e.g. MALLOC_ARENA_MAX=2",
    )  # fmt: skip
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false",
        help="let server and browser share every CPU (default: server alone on CPU 0)",
    )  # fmt: skip
    parser.add_argument(
        "--driver", choices=DRIVERS, default="browser",
        help="browser: Chromium pages (default); websocket: Streamlit's protocol, no browser",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    server_env = dict(item.split("=", 1) for item in args.env)
    if args.driver == "browser" and not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    results = []
    for sessions in args.sessions:
        print(f"load level: {sessions} sessions for {args.seconds:g} s ...", file=sys.stderr)
        result = run_level(
            sessions,
            args.seconds,
            args.think,
            args.ttl,
            progress=lambda line: print(f"  {time.strftime('%H:%M:%S')} {line}", file=sys.stderr),
            env=server_env,
            pin=args.pin,
            driver=args.driver,
        )
        for sample in result.error_samples:
            print(f"  error: {sample}", file=sys.stderr)
        results.append(result)
    ttl = args.ttl if args.ttl is not None else configured_ttl()
    cores = len(os.sched_getaffinity(0))
    client = "browser" if args.driver == "browser" else "websocket driver"
    placement = (
        f"server alone on 1 core, {client} on the others" if args.pin and cores >= 2
        else f"server and {client} share the cores"
    )  # fmt: skip
    if args.driver == "websocket":
        placement += "; no browser: rerun is the server's time + loopback, visible not measured"
    extra = f"; server environment {' '.join(args.env)}" if args.env else ""
    print(
        f"{cores} CPU cores ({placement}); think time {args.think:g} s; "
        f"memory after close read {ttl:g} s (disconnected-session TTL) + 15 s after the "
        f"sessions closed{extra}\n"
    )
    print(table(results))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
