"""Replicas behind nginx (deploy/nginx.conf): a small run of the proxy load test.

Two replicas behind Debian's nginx running the shipped configuration, two
websocket sessions moving sliders for a few seconds (benchmarks/proxy_load_test.py):
no errors, every request of a session on one replica, the websocket upgraded
through the proxy, the table printed. No speed is asserted; the full run and
its figures are the benchmark's. The fast tests check the rendering of the
shipped file, the log parsing and the stickiness check on made-up logs, the
CPU count over a process tree, and that the shipped limits fit the app's.
"""

from __future__ import annotations

import asyncio
import collections
import re
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scripts import load_script

from cxcost.presets import MAX_LINK_CHARS
from cxcost.ui.calibrate import DATA_UPLOAD_LIMIT_MB

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

load_test = load_script("benchmarks", "load_test")
proxy_load_test = load_script("benchmarks", "proxy_load_test")
SHIPPED = proxy_load_test.SITE_CONFIG.read_text(encoding="utf-8")
STREAM = "/_stcore/stream"


@pytest.fixture
def nginx_binary() -> Path:
    """Debian's nginx; without it the test fails (never skips), as CI installs it."""
    binary = proxy_load_test.nginx_binary()
    if binary is None:
        pytest.fail(
            "nginx is missing: the proxy tests need Debian's nginx package "
            "(apt-get install -y nginx, as .ci/run does)."
        )
    return Path(binary)


def _line(path: str, status: int, sticky: str, upstream: str, method: str = "GET") -> str:
    """One access-log line in the shipped ``cxcost`` log_format."""
    return (
        f'127.0.0.1 [05/Dec/2026:21:48:26 +0000] "{method} {path} HTTP/1.1" {status} 2 '
        f'sticky={sticky} upstream="{upstream}" upstream_status="{status}" request_time=0.009'
    )


def _session_lines(sticky: str, upstream: str) -> list[str]:
    return [
        _line("/", 200, sticky, upstream),
        _line("/_stcore/health", 200, sticky, upstream),
        _line(STREAM, 101, sticky, upstream),
        _line("/_stcore/upload_file/abc/proxy-load-test", 403, sticky, upstream, "PUT"),
        _line("/_stcore/upload_file/abc/proxy-load-test", 204, sticky, upstream, "PUT"),
    ]


# ---------------------------------------------------------------------------
# The shipped configuration


def test_render_replaces_only_replicas_listen_and_log() -> None:
    log = Path("/tmp/cxcost-test/access.log")
    text = proxy_load_test.render_site(
        SHIPPED, ["127.0.0.1:1111", "127.0.0.1:2222"], "127.0.0.1:9999", log
    )
    upstream = re.search(r"^upstream cxcost \{\n(.*?)^\}", text, re.MULTILINE | re.DOTALL)
    assert upstream is not None
    servers = re.findall(r"^\s*server\s+(\S+);", upstream.group(1), re.MULTILINE)
    assert servers == ["127.0.0.1:1111", "127.0.0.1:2222"]
    assert re.findall(r"^\s*listen\s+([^;]*);", text, re.MULTILINE) == ["127.0.0.1:9999"]
    assert "ssl_" not in text
    assert f"access_log {log} cxcost;" in text
    # Everything else is the shipped file, line for line.
    removed = {
        line
        for line in SHIPPED.splitlines()
        if re.match(r"\s*(server \d|listen |ssl_|access_log )", line)
    }
    kept = [line for line in SHIPPED.splitlines() if line not in removed]
    rendered = text.splitlines()
    assert [line for line in rendered if line in kept] == kept
    for directive in (
        "hash $cxcost_sticky consistent;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Host $http_host;",
        "proxy_read_timeout 86400s;",
    ):
        assert directive in text


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda text: text.replace("upstream cxcost {", "upstream app {"), "upstream cxcost"),
        (lambda text: re.sub(r"(?m)^\s*server \d.*\n", "", text), "no server line"),
        (lambda text: re.sub(r"(?m)^\s*listen .*\n", "", text), "no listen line"),
        (
            lambda text: text.replace(" cxcost;\n\n    add_header", ";\n\n    add_header"),
            "access_log",
        ),
    ],
)
def test_render_refuses_a_file_of_another_shape(broken: Callable[[str], str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        proxy_load_test.render_site(broken(SHIPPED), ["127.0.0.1:1"], "127.0.0.1:2", Path("x"))


def _size(value: str) -> int:
    units = {"": 1, "k": 1024, "m": MIB}
    match = re.fullmatch(r"(\d+)([km]?)", value.lower())
    assert match is not None, value
    return int(match.group(1)) * units[match.group(2)]


def test_shipped_limits_fit_the_app() -> None:
    body = re.search(r"client_max_body_size\s+(\S+);", SHIPPED)
    assert body is not None
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mib = config["server"]["maxUploadSize"]
    # The largest upload (a contact log at the Calibrate tab's cap) and its envelope.
    assert _size(body.group(1)) > max(upload_mib, DATA_UPLOAD_LIMIT_MB) * MIB
    buffers = re.search(r"large_client_header_buffers\s+(\d+)\s+(\S+);", SHIPPED)
    assert buffers is not None
    # A share link's request line must fit one buffer.
    assert _size(buffers.group(2)) > MAX_LINK_CHARS + 100
    # Stickiness never on the client address (one address behind a NAT or on loopback).
    assert not re.search(r"(?m)^\s*ip_hash", SHIPPED)


def test_shipped_file_passes_nginx_own_check(nginx_binary: Path, tmp_path: Path) -> None:
    site = tmp_path / "cxcost.conf"
    site.write_text(
        proxy_load_test.render_site(
            SHIPPED, ["127.0.0.1:1", "127.0.0.1:2"], "127.0.0.1:3", tmp_path / "access.log"
        ),
        encoding="utf-8",
    )
    main = tmp_path / "nginx.conf"
    main.write_text(proxy_load_test.main_config(tmp_path, site), encoding="utf-8")
    check = subprocess.run(
        [str(nginx_binary), "-t", "-p", str(tmp_path), "-c", str(main), "-e", "stderr"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    ("argument", "value", "message"),
    [
        ("--sessions", "0", "--sessions must be at least 1, not 0"),
        ("--replicas", "0", "--replicas must be at least 1, not 0"),
        ("--think", "-1", "--think must be at least 0, not -1.0"),
    ],
)
def test_bad_arguments_are_named_with_their_range(
    argument: str, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        proxy_load_test.main([argument, value])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_without_nginx_the_benchmark_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(proxy_load_test, "NGINX", tmp_path / "no-nginx")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert proxy_load_test.main(["--sessions", "1"]) == 2
    assert "apt-get install -y nginx" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# The access log and the stickiness check


def test_log_lines_are_parsed() -> None:
    text = "\n".join(
        [
            _line(STREAM, 101, "a" * 32, "127.0.0.1:1"),
            _line("/media/x y.png", 200, "b" * 32, "127.0.0.1:1, 127.0.0.1:2 : 127.0.0.1:3"),
            "not a log line",
        ]
    )
    first, second = proxy_load_test.parse_log(text)
    assert (first.method, first.path, first.status) == ("GET", STREAM, 101)
    assert first.upstreams == ("127.0.0.1:1",)
    assert second.path == "/media/x y.png"
    assert second.upstreams == ("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3")


def test_stickiness_check_finds_each_kind_of_violation() -> None:
    good, split, partial = "a" * 32, "b" * 32, "c" * 32
    lines = (
        _session_lines(good, "127.0.0.1:1")
        + _session_lines(split, "127.0.0.1:1")
        + [_line("/_stcore/upload_file/abc/f", 400, split, "127.0.0.1:2", "PUT")]
        + _session_lines(partial, "127.0.0.1:2")[:2]
    )
    entries = proxy_load_test.parse_log("\n".join(lines))
    served, violations = proxy_load_test.session_replicas(entries, {1: good, 2: split, 3: partial})
    assert served == {1: "127.0.0.1:1", 3: "127.0.0.1:2"}
    assert violations[0] == "session 2: its requests reached 127.0.0.1:1, 127.0.0.1:2"
    assert any("session 3: no websocket upgrade" in v for v in violations)
    assert any("session 3: no upload answered 204" in v for v in violations)
    assert not any(v.startswith("session 1") for v in violations)
    assert len(violations) == 4  # session 3: no upgrade, no 403 and no 204 upload


def test_idle_replica_is_checked_only_where_chance_cannot_explain_it() -> None:
    assert not proxy_load_test.idle_replica_checked(2, 2)
    assert not proxy_load_test.idle_replica_checked(20, 2)
    assert proxy_load_test.idle_replica_checked(21, 2)
    assert proxy_load_test.idle_replica_checked(30, 2)
    assert not proxy_load_test.idle_replica_checked(30, 3)
    assert proxy_load_test.idle_replica_checked(3, 1)


BURN = """import sys, time
end = time.process_time() + 0.4
while time.process_time() < end:
    pass
print("burnt", flush=True)
sys.stdin.read()
"""


def _wait_for_line(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    assert process.stdout.readline() == "burnt\n"


def test_cpu_of_a_live_grandchild_counts(tmp_path: Path) -> None:
    (tmp_path / "burn.py").write_text(BURN, encoding="utf-8")
    middle = (
        f"import subprocess, sys; subprocess.run([sys.executable, {str(tmp_path / 'burn.py')!r}])"
    )
    top = subprocess.Popen(
        [sys.executable, "-c", middle], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        _wait_for_line(top)  # the grandchild burnt its CPU and still runs
        assert load_test.children(top.pid)
        assert load_test.tree_cpu_seconds(top.pid) >= 0.4
        assert load_test.tree_cpu_seconds(top.pid) > load_test.cpu_seconds(top.pid) + 0.3
    finally:
        assert top.stdin is not None
        top.stdin.close()
        top.wait(timeout=30)


def test_cpu_of_a_finished_child_counts_through_its_parent(tmp_path: Path) -> None:
    (tmp_path / "burn.py").write_text(BURN, encoding="utf-8")
    burn = str(tmp_path / "burn.py")
    script = (
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, {burn!r}], stdin=subprocess.DEVNULL)\n"
        "print('burnt', flush=True)\n"
        "sys.stdin.read()\n"
    )
    top = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert top.stdout is not None
        assert top.stdout.readline() == "burnt\n"  # the burner's line, passed through
        assert top.stdout.readline() == "burnt\n"  # the child is gone and waited for
        assert load_test.children(top.pid) == set()
        assert load_test.tree_cpu_seconds(top.pid) >= 0.4
    finally:
        assert top.stdin is not None
        top.stdin.close()
        top.wait(timeout=30)
    assert load_test.tree_cpu_seconds(2**22 + 12345) == 0


# ---------------------------------------------------------------------------
# A small run


def _logged(proxy: Any, before: int, path: str, count: int) -> list[Any]:
    """The first ``count`` requests for ``path`` logged after the first ``before`` lines.

    nginx writes a request's line after it has sent the answer, so the last one
    can reach the file a moment after the client has read it; waits up to 10 s.
    """
    deadline = time.monotonic() + 10.0
    while True:
        fresh = [e for e in proxy.log_entries()[before:] if e.path == path]
        if len(fresh) >= count or time.monotonic() > deadline:
            return fresh[:count]
        time.sleep(0.05)


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.usefixtures("nginx_binary")
def test_two_sessions_through_nginx_stay_on_their_replica() -> None:
    with proxy_load_test.proxy_stack(replicas=2) as stack:
        result = asyncio.run(
            proxy_load_test.run_sessions(
                stack, sessions=2, seconds=3.0, think_seconds=0.2, warm_up=False
            )
        )
        # Browsers' first requests (no cookie) spread over both replicas: the key is
        # per browser, not the client address (one address here, as behind a NAT).
        before = len(stack.proxy.log_entries())
        for _ in range(40):
            with urllib.request.urlopen(f"{stack.proxy.url}/_stcore/health", timeout=30) as reply:
                assert reply.status == 200
        fresh = _logged(stack.proxy, before, "/_stcore/health", 40)
        spread = collections.Counter(entry.upstreams for entry in fresh)
        assert len(fresh) == 40
        assert len(spread) == 2, spread
        assert len({entry.sticky for entry in fresh}) == 40
        # Why not hash on Streamlit's XSRF cookie: every health answer sends it anew,
        # masked differently (same token), so its bytes change under a tab.
        replica = stack.replicas[0].url
        first = load_test._xsrf_cookie(replica, 30)
        again = load_test._xsrf_cookie(replica, 30, {load_test.XSRF_COOKIE: first})
        assert first != again
        assert first.split("|")[3] == again.split("|")[3]
    assert result.errors == 0, result.error_samples
    # Each session moved (how many moves fit in 3 s is the machine's business).
    assert len(result.moves_per_session) == 2
    assert all(moves >= 1 for moves in result.moves_per_session)
    assert result.stickiness_violations == []
    assert sum(result.sessions_per_replica) == 2
    for requests in result.session_requests.values():
        assert len({address for entry in requests for address in entry.upstreams}) == 1
        upgrades = [e for e in requests if e.path == STREAM and e.status == 101]
        assert len(upgrades) == 1  # the websocket went through nginx
        assert {(e.method, e.status) for e in requests} >= {
            ("GET", 200),
            ("PUT", 403),
            ("PUT", 204),
        }
    assert result.upgrades == 2
    assert result.server_cpu_ms_per_move > 0
    assert result.background_cpu_ms_per_move >= 0  # a worker's plan, or none yet
    assert not result.failed
    table = proxy_load_test.table(result)
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert rows[0] == "| figure | measured | target | met |"
    assert "| rerun p95 [ms] |" in table
    assert "| errors | 0 | 0 | yes |" in table
    assert "| stickiness violations | 0 | 0 | yes |" in table
    assert "| websocket upgrades (101) through nginx | 2 | 2 | yes |" in table
    assert "| server CPU per move, replicas' own processes [ms] |" in table
