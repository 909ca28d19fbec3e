"""Load test: app replicas behind nginx (deploy/nginx.conf) on loopback.

Starts R replicas of ``streamlit run app.py`` (default 2; the shipped
``.streamlit/config.toml``, one shared ``STREAMLIT_SERVER_COOKIE_SECRET``, each
replica pinned to its own CPU where there are enough), then Debian's nginx in
the foreground in front of them, running **the shipped deploy/nginx.conf**: only
its upstream servers, its listen/ssl lines and its access log path are replaced
(:func:`render_site`), in a temporary prefix with its own pid, logs and
temporary folders, listening on a free 127.0.0.1 port.

Then S websocket sessions (default 30) go through the proxy as a browser does:

1. the page (``GET /``, no cookie yet: nginx places the request by its request
   id and sets that id as the ``cxcost_sticky`` cookie);
2. ``/_stcore/health`` with that cookie (the replica sets ``_streamlit_xsrf``);
3. the websocket ``/_stcore/stream`` with both cookies and the XSRF token
   (benchmarks/load_test.py's websocket driver: ``BackMsg.rerun_script``, wait
   for ``script_finished``), the page's first run and a training-slider move;
4. an upload (``PUT /_stcore/upload_file/<session id>/...`` with the
   ``X-Xsrftoken`` header): the replica accepts it only if the XSRF token matches
   the cookie and the session lives on that replica (otherwise 403 or 400); the
   same upload with a forged token must be refused (403), which shows that the
   replica the cookie leads to does check the token;

and each moves the phone slider for T seconds (default 60), one step at a time,
pausing a think time after each answer (default 2 s: a person reads the new
numbers before the next move). The sessions start their walks at staggered
moments within the first think time. Each move is timed from the rerun request
to ``script_finished`` and checked exactly as load_test's websocket driver does
(errors: no answer within the timeout, a failed run, an exception element, an
unchanged headline, a closed websocket); failing to open a session is an error
too.

Afterwards nginx's access log (the shipped ``cxcost`` log_format: the sticky key
and ``$upstream_addr`` per request) tells which replica served each request:
every request of a session (page, health, websocket upgrade 101, upload,
reruns) must have reached one replica, and each replica must have served
sessions (checked once a fair hash would leave one idle less than once in a
million runs). Server CPU per move is the CPU time of every replica and its
child processes (the app may start workers), over the slider phase, divided by
the reruns; the proxy's own CPU likewise.

Usage::

    python benchmarks/proxy_load_test.py                      # 2 replicas, 30 sessions, 60 s
    python benchmarks/proxy_load_test.py --replicas 2 --sessions 30 --seconds 60 --think 2

Prints one Markdown table, each figure against its target. Exit status 1 on
any error or a stickiness violation, 2 if nginx is missing. Every loop is
bounded by the run time or a timeout, everything stops by itself, and all
traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

_BENCHMARKS = str(Path(__file__).resolve().parent)
if _BENCHMARKS not in sys.path:
    sys.path.insert(0, _BENCHMARKS)

import load_test  # noqa: E402  (a sibling script, not a package)

ROOT = load_test.ROOT
NGINX = Path("/usr/sbin/nginx")
SITE_CONFIG = ROOT / "deploy" / "nginx.conf"
STICKY_COOKIE = "cxcost_sticky"
THINK_SECONDS = 2.0
SECONDS = 60.0
SESSIONS = 30
REPLICAS = 2
P95_TARGET_MS = 1000.0
# Issue 16: a slider move may cost the servers at most 40 ms of CPU.
CPU_TARGET_MS = 40.0
NGINX_START_SECONDS = 15.0
NGINX_STOP_SECONDS = 15.0
LOG_WAIT_SECONDS = 10.0
# Check that every replica served sessions only when a fair hash would leave one
# idle less often than this: with 2 replicas from 21 sessions on.
IDLE_REPLICA_CHANCE = 1e-6
UPLOAD_FILE_ID = "proxy-load-test"


# ---------------------------------------------------------------------------
# nginx with the shipped configuration


def render_site(text: str, replicas: Sequence[str], listen: str, access_log: Path) -> str:
    """deploy/nginx.conf for a test: its replicas, listen address and log replaced.

    Everything else (sticky sessions, websocket upgrade, timeouts, body size,
    header buffers, log format) stays as shipped.

    Parameters
    ----------
    text : the shipped http-context configuration
    replicas : ``host:port`` of every replica
    listen : the address to listen on, e.g. ``127.0.0.1:8080`` (plain HTTP)
    access_log : where the ``cxcost`` access log goes

    Raises
    ------
    ValueError
        If the file no longer has the lines this replaces (an upstream ``cxcost``
        with ``server`` lines, a ``listen`` line, a ``cxcost`` access log).
    """
    if not replicas:
        raise ValueError("render_site needs at least one replica")
    block = re.search(r"^upstream cxcost \{\n(?P<body>.*?)^\}", text, re.MULTILINE | re.DOTALL)
    if block is None:
        raise ValueError("deploy/nginx.conf has no 'upstream cxcost { ... }' block")
    server_line = re.compile(r"^(?P<indent>[ \t]*)server[ \t]+[^;{]*;[ \t]*\n", re.MULTILINE)
    body = block["body"]
    first = server_line.search(body)
    if first is None:
        raise ValueError("deploy/nginx.conf: the upstream cxcost block has no server line")
    ours = "".join(f"{first['indent']}server {address};\n" for address in replicas)
    rest = server_line.sub("", body[first.end() :])
    body = body[: first.start()] + ours + rest
    text = text[: block.start("body")] + body + text[block.end("body") :]

    listen_line = re.compile(r"^(?P<indent>[ \t]*)listen[ \t]+[^;]*;[ \t]*\n", re.MULTILINE)
    first = listen_line.search(text)
    if first is None:
        raise ValueError("deploy/nginx.conf has no listen line")
    text = (
        text[: first.start()]
        + f"{first['indent']}listen {listen};\n"
        + listen_line.sub("", text[first.end() :])
    )
    # No certificate here: plain HTTP on loopback.
    text = re.sub(r"^[ \t]*ssl_\w+[ \t][^;]*;[ \t]*\n", "", text, flags=re.MULTILINE)

    text, count = re.subn(
        r"^(?P<indent>[ \t]*)access_log[ \t]+\S+[ \t]+cxcost;",
        lambda match: f"{match['indent']}access_log {access_log} cxcost;",
        text,
        flags=re.MULTILINE,
    )
    if count != 1:
        raise ValueError(f"deploy/nginx.conf has {count} 'access_log ... cxcost;' lines, not 1")
    return text


def main_config(prefix: Path, site: Path) -> str:
    """A main nginx.conf for an unprivileged-style run in ``prefix``, including ``site``.

    Debian's own /etc/nginx/nginx.conf plays this part in production.
    """
    return f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    access_log off;
    include {site};
}}
"""


@dataclass
class Proxy:
    """A running nginx."""

    url: str
    pid: int
    prefix: Path
    access_log: Path

    def log_entries(self) -> list[LogEntry]:
        """The ``cxcost`` access log so far."""
        if not self.access_log.exists():
            return []
        return parse_log(self.access_log.read_text(encoding="utf-8", errors="replace"))


def nginx_binary() -> Path | None:
    """Debian's nginx, or another one on the PATH; None if there is none."""
    if os.access(NGINX, os.X_OK):
        return NGINX
    found = shutil.which("nginx")
    return Path(found) if found else None


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def nginx(replicas: Sequence[str], site_config: Path = SITE_CONFIG) -> Iterator[Proxy]:
    """nginx in the foreground, running ``site_config`` in front of ``replicas``.

    Its own prefix, pid, logs and temporary folders live in a temporary folder
    that is removed afterwards; it listens on a free 127.0.0.1 port and is
    stopped gracefully (then by force) when the block ends.
    """
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is missing: apt-get install -y nginx")
    with tempfile.TemporaryDirectory(prefix="cxcost-nginx-") as folder:
        prefix = Path(folder)
        # Run as root, nginx's workers drop to "nobody", who must reach the
        # temporary folders nginx creates here.
        prefix.chmod(0o755)
        port = load_test.free_port()
        access_log = prefix / "access.log"
        site = prefix / "cxcost.conf"
        site.write_text(
            render_site(
                site_config.read_text(encoding="utf-8"), replicas, f"127.0.0.1:{port}", access_log
            ),
            encoding="utf-8",
        )
        main = prefix / "nginx.conf"
        main.write_text(main_config(prefix, site), encoding="utf-8")
        base = [str(binary), "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log")]
        check = subprocess.run(
            [*base, "-t", "-q"], capture_output=True, text=True, timeout=30, check=False
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejects the configuration:\n{check.stderr[-3000:]}")
        process = subprocess.Popen(
            [*base, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        proxy = Proxy(f"http://127.0.0.1:{port}", process.pid, prefix, access_log)
        try:
            deadline = time.monotonic() + NGINX_START_SECONDS
            while not _listening(port):
                if process.poll() is not None:
                    stderr = process.stderr.read() if process.stderr else b""
                    raise RuntimeError(
                        f"nginx exited with status {process.returncode}:\n"
                        + stderr.decode(errors="replace")
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not listen within {NGINX_START_SECONDS:.0f} s")
                time.sleep(0.1)
            yield proxy
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Graceful quit (finish open requests), then terminate, then kill."""
    for sig in (signal.SIGQUIT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        process.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=NGINX_STOP_SECONDS)
    if process.stderr is not None:
        process.stderr.close()


# ---------------------------------------------------------------------------
# The access log


# The shipped log_format "cxcost"; its quoted parts escape any '"' as \x22.
_LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>[^"]*) (?P<protocol>[^" ]*)" (?P<status>\d{3}) \d+ '
    r'sticky=(?P<sticky>\S+) upstream="(?P<upstream>[^"]*)"'
)
_ADDRESS = re.compile(r"[^\s,]+:\d+")


@dataclass(frozen=True)
class LogEntry:
    """One request as nginx logged it."""

    method: str
    path: str
    status: int
    sticky: str
    upstreams: tuple[str, ...]  # every replica nginx tried for it, in order


def parse_log(text: str) -> list[LogEntry]:
    """The requests in a ``cxcost``-format access log (other lines are skipped)."""
    entries = []
    for line in text.splitlines():
        match = _LOG_LINE.search(line)
        if match is None:
            continue
        entries.append(
            LogEntry(
                method=match["method"],
                path=match["path"],
                status=int(match["status"]),
                sticky=match["sticky"],
                upstreams=tuple(_ADDRESS.findall(match["upstream"])),
            )
        )
    return entries


def session_replicas(
    entries: Sequence[LogEntry], keys: Mapping[int, str]
) -> tuple[dict[int, str], list[str]]:
    """Which replica served each session, and every stickiness violation.

    Parameters
    ----------
    entries : the access log
    keys : session index -> its sticky cookie

    Returns
    -------
    (session index -> the one replica ``host:port`` that served all its
    requests, violations): a session's requests spread over several replicas,
    or missing its page, health check, websocket upgrade (101) or its two
    uploads (forged token 403, own token 204), is a violation.
    """
    replicas: dict[int, str] = {}
    violations: list[str] = []
    for index, key in sorted(keys.items()):
        mine = [entry for entry in entries if entry.sticky == key]
        served = {address for entry in mine for address in entry.upstreams}
        if len(served) == 1:
            replicas[index] = served.pop()
        else:
            where = ", ".join(sorted(served)) or "no replica"
            violations.append(f"session {index}: its requests reached {where}")
        seen = {(entry.method, entry.path, entry.status) for entry in mine}
        for what, request in (
            ("page", ("GET", "/", 200)),
            ("health check", ("GET", "/_stcore/health", 200)),
            ("websocket upgrade", ("GET", load_test.STREAM_PATH, 101)),
        ):
            if request not in seen:
                violations.append(f"session {index}: no {what} {request} in nginx's log")
        for status in (403, 204):
            if not any(e.method == "PUT" and e.status == status for e in mine):
                violations.append(f"session {index}: no upload answered {status} in nginx's log")
    return replicas, violations


# ---------------------------------------------------------------------------
# CPU of a process tree


# ---------------------------------------------------------------------------
# Replicas and proxy together


@dataclass
class Stack:
    """Replicas behind nginx."""

    replicas: list[load_test.Server]
    proxy: Proxy
    cookie_secret: str

    def replica_cpu(self) -> float:
        """CPU time of every replica and its child processes so far [s]."""
        return sum(load_test.tree_cpu_seconds(replica.pid) for replica in self.replicas)

    def app_cpu(self) -> float:
        """CPU time of the replicas' own processes so far [s]: the slider path, without
        the background workers that plan settled inputs."""
        return sum(load_test.cpu_seconds(replica.pid) for replica in self.replicas)

    def proxy_cpu(self) -> float:
        """CPU time of nginx (master and workers) so far [s]."""
        return load_test.tree_cpu_seconds(self.proxy.pid)

    def replica_name(self, address: str) -> str:
        """``replica 1`` for the first replica's ``host:port``, and so on."""
        for number, replica in enumerate(self.replicas, start=1):
            if replica.url.removeprefix("http://") == address:
                return f"replica {number}"
        return address


@contextlib.contextmanager
def proxy_stack(
    replicas: int = REPLICAS,
    pin: bool = True,
    env: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Stack]:
    """``replicas`` app replicas and nginx in front of them, until the block ends.

    Every replica gets the same ``STREAMLIT_SERVER_COOKIE_SECRET`` (as a real
    deployment must) and, with ``pin`` and enough CPUs, a CPU of its own; nginx
    and the sessions' driver use any CPU.
    """
    if replicas < 1:
        raise ValueError(f"replicas must be at least 1, not {replicas}")
    cpus = sorted(os.sched_getaffinity(0))
    secret = secrets.token_hex(32)
    replica_env = {**(env or {}), "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    with contextlib.ExitStack() as stack:
        servers = []
        for number in range(replicas):
            if progress is not None:
                progress(f"starting replica {number + 1} of {replicas}")
            placed = {cpus[number % len(cpus)]} if pin and len(cpus) >= 2 else None
            servers.append(
                stack.enter_context(load_test.streamlit_server(env=replica_env, cpus=placed))
            )
        addresses = [server.url.removeprefix("http://") for server in servers]
        proxy = stack.enter_context(nginx(addresses))
        if progress is not None:
            progress(f"nginx on {proxy.url} in front of {', '.join(addresses)}")
        yield Stack(servers, proxy, secret)


# ---------------------------------------------------------------------------
# Sessions through the proxy


def _get_page(url: str, timeout: float) -> str:
    """``GET /`` without cookies, as a browser's first request; the sticky cookie set."""
    with urllib.request.urlopen(f"{url}/", timeout=timeout) as reply:
        reply.read()
        headers: list[str] = reply.headers.get_all("Set-Cookie") or []
        for header in headers:
            name, _, rest = header.partition("=")
            if name.strip() == STICKY_COOKIE:
                return rest.split(";", 1)[0].strip()
    raise RuntimeError(f"the page set no {STICKY_COOKIE} cookie")


def upload(url: str, session: load_test._WsSession, timeout: float, token: str = "") -> int:
    """Upload a small file into ``session`` through ``url``; the HTTP status.

    As the frontend does: the cookies and the XSRF token in ``X-Xsrftoken``.
    Streamlit answers 204 only if the token matches the cookie and the session
    lives on the replica that got the request (403 for a bad token, 400 for a
    session it does not know). ``token`` replaces the session's own token.
    """
    boundary = "cxcost-proxy-load-test"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="check.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "proxy load test\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    cookies = {**session.cookies, load_test.XSRF_COOKIE: session.xsrf_cookie}
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session.session_id}/{UPLOAD_FILE_ID}",
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "X-Xsrftoken": token or session.xsrf_cookie,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@dataclass
class _Opened:
    session: load_test._WsSession
    sticky: str


async def open_session(url: str, index: int, timeout: float) -> _Opened:
    """Page, health check, websocket, first run, training slider, upload: as a browser.

    Raises
    ------
    RuntimeError, OSError, TimeoutError, ConnectionError
        If a step fails (the caller counts it as an error).
    """
    sticky = await asyncio.to_thread(_get_page, url, timeout)
    session = load_test._WsSession(index, url, cookies={STICKY_COOKIE: sticky})
    try:
        await session.start(timeout)
        if not session.session_id:
            raise RuntimeError("the websocket sent no session id")
        # Streamlit's token format ("2|mask|masked token|timestamp") with a token
        # of its own: well formed, but not the one in the cookie.
        forged = f"2|00000000|{secrets.token_hex(16)}|{int(time.time())}"
        status = await asyncio.to_thread(upload, url, session, timeout, forged)
        if status != 403:
            raise RuntimeError(f"upload with a forged XSRF token answered {status}, not 403")
        status = await asyncio.to_thread(upload, url, session, timeout)
        if status != 204:
            raise RuntimeError(f"upload through the proxy answered {status}, not 204")
    except BaseException:
        await session.close()
        raise
    return _Opened(session, sticky)


@dataclass
class ProxyResult:
    """The figures of one proxy load run."""

    sessions: int
    replicas: int
    seconds: float
    think_seconds: float
    moves: int
    moves_per_session: list[int]
    superseded: int
    rerun_p50_ms: float
    rerun_p95_ms: float
    errors: int
    error_samples: list[str]
    sessions_per_replica: list[int]
    stickiness_violations: list[str]
    upgrades: int  # websocket upgrades (101) of the sessions in nginx's log
    idle_replica_checked: bool
    server_cpu_ms_per_move: float
    """The replicas' own processes per move [ms] (the issue's figure)."""
    background_cpu_ms_per_move: float
    """Their background workers per move [ms]: plans of settled inputs."""
    proxy_cpu_ms_per_move: float
    server_cores_busy: float
    """Replicas and workers together."""
    open_seconds: float
    session_requests: dict[int, list[LogEntry]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Errors, a stickiness violation, or (where checked) a replica that served none."""
        idle = self.idle_replica_checked and 0 in self.sessions_per_replica
        return bool(self.errors or self.stickiness_violations or idle)


def idle_replica_checked(sessions: int, replicas: int) -> bool:
    """Whether so many sessions leave a replica idle under a fair hash less than 1e-6 of runs."""
    if replicas < 2:
        return True
    return replicas * (1 - 1 / replicas) ** sessions < IDLE_REPLICA_CHANCE


async def _walk(opened: _Opened, until: float, think_seconds: float, delay: float) -> None:
    await asyncio.sleep(delay)
    await load_test._drive_websocket(opened.session, until, think_seconds)


async def run_sessions(
    stack: Stack,
    sessions: int = SESSIONS,
    seconds: float = SECONDS,
    think_seconds: float = THINK_SECONDS,
    open_batch: int = 10,
    warm_up: bool = True,
    seed: int = 16,
    progress: Callable[[str], None] | None = None,
) -> ProxyResult:
    """Open ``sessions`` sessions through the proxy, move sliders, read nginx's log.

    Parameters
    ----------
    stack : replicas and proxy
    sessions : concurrent sessions
    seconds : how long every session moves the slider [s]
    think_seconds : pause after each answer before the next move [s]
    open_batch : sessions opened at a time (a ramp)
    warm_up : run one session on every replica directly first (not through the
        proxy), so no measured session pays a replica's cold start
    seed : for the staggered starts of the walks
    """

    def say(line: str) -> None:
        if progress is not None:
            progress(line)

    url = stack.proxy.url
    open_timeout = 60.0 + 2.0 * sessions
    if warm_up:
        say("warm-up: one session on every replica")

        async def warm(replica: load_test.Server) -> None:
            session = load_test._WsSession(0, replica.url)
            try:
                await session.start(open_timeout)
            finally:
                await session.close()

        await asyncio.gather(*(warm(replica) for replica in stack.replicas))

    errors: list[str] = []
    opened: list[_Opened] = []

    async def visit(index: int) -> None:
        try:
            opened.append(await open_session(url, index, open_timeout))
        except (RuntimeError, OSError, TimeoutError, ConnectionError, LookupError) as error:
            errors.append(f"session {index}: could not open: {error}"[:300])

    say(f"opening {sessions} sessions through nginx")
    started = time.perf_counter()
    try:
        for start in range(0, sessions, open_batch):
            batch = range(start + 1, min(start + open_batch, sessions) + 1)
            await asyncio.gather(*(visit(i) for i in batch))
        opened.sort(key=lambda o: o.session.index)
        open_seconds = time.perf_counter() - started
        say(f"sessions open after {open_seconds:.1f} s; moving sliders for {seconds:g} s")
        rng = random.Random(seed)
        delays = [rng.uniform(0.0, think_seconds) for _ in opened]
        replica_cpu, app_cpu, proxy_cpu = stack.replica_cpu(), stack.app_cpu(), stack.proxy_cpu()
        drive_started = time.perf_counter()
        until = drive_started + seconds
        await asyncio.gather(
            *(_walk(o, until, think_seconds, d) for o, d in zip(opened, delays, strict=True))
        )
        drive_seconds = time.perf_counter() - drive_started
        replica_cpu = stack.replica_cpu() - replica_cpu
        app_cpu = stack.app_cpu() - app_cpu
        proxy_cpu = stack.proxy_cpu() - proxy_cpu
    finally:
        for o in opened:
            await o.session.close()

    for o in opened:
        # A session's setup checks (first run, training slider) land in its stats too.
        errors += o.session.stats.errors
    keys = {o.session.index: o.sticky for o in opened}
    # nginx logs a websocket when it closes: wait until every session's is there.
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    entries = stack.proxy.log_entries()
    while time.monotonic() < deadline and not _all_upgrades_logged(entries, keys):
        await asyncio.sleep(0.2)
        entries = stack.proxy.log_entries()
    served, violations = session_replicas(entries, keys)
    per_replica = Counter(served.values())
    addresses = [replica.url.removeprefix("http://") for replica in stack.replicas]
    rerun = [ms for o in opened for ms in o.session.stats.rerun_ms]
    superseded = sum(o.session.superseded for o in opened)
    runs = len(rerun) + superseded
    return ProxyResult(
        sessions=sessions,
        replicas=len(stack.replicas),
        seconds=seconds,
        think_seconds=think_seconds,
        moves=len(rerun),
        moves_per_session=[len(o.session.stats.rerun_ms) for o in opened],
        superseded=superseded,
        rerun_p50_ms=load_test._percentile(rerun, 0.50),
        rerun_p95_ms=load_test._percentile(rerun, 0.95),
        errors=len(errors),
        error_samples=errors[:10],
        sessions_per_replica=[per_replica.get(address, 0) for address in addresses],
        stickiness_violations=violations,
        upgrades=sum(
            1
            for e in entries
            if e.sticky in keys.values() and e.path == load_test.STREAM_PATH and e.status == 101
        ),
        idle_replica_checked=idle_replica_checked(sessions, len(stack.replicas)),
        server_cpu_ms_per_move=app_cpu * 1000 / runs if runs else math.nan,
        background_cpu_ms_per_move=(replica_cpu - app_cpu) * 1000 / runs if runs else math.nan,
        proxy_cpu_ms_per_move=proxy_cpu * 1000 / runs if runs else math.nan,
        server_cores_busy=replica_cpu / drive_seconds,
        open_seconds=open_seconds,
        session_requests={
            index: [e for e in entries if e.sticky == key] for index, key in keys.items()
        },
    )


def _all_upgrades_logged(entries: Sequence[LogEntry], keys: Mapping[int, str]) -> bool:
    upgraded = {e.sticky for e in entries if e.path == load_test.STREAM_PATH}
    return set(keys.values()) <= upgraded


def run(
    sessions: int = SESSIONS,
    seconds: float = SECONDS,
    think_seconds: float = THINK_SECONDS,
    replicas: int = REPLICAS,
    pin: bool = True,
    warm_up: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ProxyResult:
    """Start replicas and nginx, run the sessions, stop everything."""
    with proxy_stack(replicas, pin=pin, progress=progress) as stack:
        return asyncio.run(
            run_sessions(
                stack, sessions, seconds, think_seconds, warm_up=warm_up, progress=progress
            )
        )


# ---------------------------------------------------------------------------
# Report


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(result: ProxyResult) -> str:
    """The figures as one Markdown table, each against its target."""
    spread = " / ".join(str(count) for count in result.sessions_per_replica)
    every_replica = 0 not in result.sessions_per_replica
    p95_ok = math.isfinite(result.rerun_p95_ms) and result.rerun_p95_ms < P95_TARGET_MS
    cpu_ok = (
        math.isfinite(result.server_cpu_ms_per_move)
        and result.server_cpu_ms_per_move <= CPU_TARGET_MS
    )
    rows = [
        ("sessions", f"{result.sessions:d}", "", ""),
        ("replicas", f"{result.replicas:d}", "", ""),
        ("think time between moves [s]", f"{result.think_seconds:g}", "", ""),
        ("slider moves", f"{result.moves:d}", "", ""),
        ("rerun p50 [ms]", f"{result.rerun_p50_ms:.0f}", "", ""),
        ("rerun p95 [ms]", f"{result.rerun_p95_ms:.0f}", "< 1,000", _met(p95_ok)),
        ("errors", f"{result.errors:d}", "0", _met(result.errors == 0)),
        (
            "sessions per replica",
            spread,
            "every replica serves" if result.idle_replica_checked else "not checked (few sessions)",
            _met(every_replica) if result.idle_replica_checked else "",
        ),
        (
            "stickiness violations",
            f"{len(result.stickiness_violations):d}",
            "0",
            _met(not result.stickiness_violations),
        ),
        (
            "websocket upgrades (101) through nginx",
            f"{result.upgrades:d}",
            f"{result.sessions:d}",
            _met(result.upgrades == result.sessions),
        ),
        (
            "server CPU per move, replicas' own processes [ms]",
            f"{result.server_cpu_ms_per_move:.0f}",
            f"≤ {CPU_TARGET_MS:.0f}",
            _met(cpu_ok),
        ),
        (
            "background workers' CPU per move [ms] (plans of settled inputs)",
            f"{result.background_cpu_ms_per_move:.0f}",
            "",
            "",
        ),
        ("nginx CPU per move [ms]", f"{result.proxy_cpu_ms_per_move:.1f}", "", ""),
        ("replica cores busy, workers included", f"{result.server_cores_busy:.2f}", "", ""),
    ]
    lines = ["| figure | measured | target | met |", "|---|---:|---|---|"]
    lines += [f"| {name} | {value} | {target} | {met} |" for name, value, target, met in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run once and print the table; exit status 1 on errors or a stickiness violation."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=REPLICAS)
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--seconds", type=float, default=SECONDS, help="slider time [s]")
    parser.add_argument(
        "--think", type=float, default=THINK_SECONDS,
        help="pause after each answer before the next move [s] (default: 2, a person reading)",
    )  # fmt: skip
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false",
        help="let the replicas use any CPU (default: replica i on CPU i, where there are enough)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args(argv)
    for name, value, least in (
        ("--replicas", args.replicas, 1),
        ("--sessions", args.sessions, 1),
        ("--seconds", args.seconds, 0),
        ("--think", args.think, 0),
    ):
        if not value >= least:
            parser.error(f"{name} must be at least {least}, not {value}")
    if nginx_binary() is None:
        print("nginx is missing: apt-get install -y nginx", file=sys.stderr)
        return 2
    result = run(
        args.sessions,
        args.seconds,
        args.think,
        args.replicas,
        pin=args.pin,
        progress=lambda line: print(f"  {time.strftime('%H:%M:%S')} {line}", file=sys.stderr),
    )
    for sample in result.error_samples + result.stickiness_violations[:10]:
        print(f"  {sample}", file=sys.stderr)
    cores = len(os.sched_getaffinity(0))
    placement = (
        f"replica i pinned to CPU i mod {cores}" if args.pin and cores >= 2
        else "replicas on any CPU"
    )  # fmt: skip
    print(
        f"{cores} CPU cores; {placement}; nginx and the websocket driver on any CPU; "
        f"deploy/nginx.conf with sticky cookie; {args.seconds:g} s of slider moves per session, "
        f"{args.think:g} s think time\n"
    )
    print(table(result))
    if args.json is not None:
        data = asdict(result)
        data.pop("session_requests")
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 1 if result.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
