"""Deployment: safe Streamlit defaults, and a Dockerfile whose start command works.

No container engine runs here, so the image is tested by what can be tested: the
Dockerfile is parsed (non-root user, health check, start command), and its start
command is run the way the image would run it: as an unprivileged user, from a
fresh virtual environment holding only ``requirements.txt``, in a folder holding
only what ``.dockerignore`` lets into the image, with the Dockerfile's
environment, until ``/_stcore/health`` answers "ok".
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxcost.presets import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
EXPECTED_CMD = [
    "streamlit", "run", "app.py",
    "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true",
]  # fmt: skip
TEST_USER = "cxcost-deploy-test"
# Debian's own Python: the project's interpreter lives under /root, which an
# unprivileged user cannot read, and the image has its own Python as well.
SYSTEM_PYTHON = Path("/usr/bin/python3.11")
MB = 1024 * 1024
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


# ---------------------------------------------------------------------------
# .streamlit/config.toml


@pytest.fixture(scope="module")
def config() -> dict[str, dict[str, object]]:
    assert CONFIG.exists(), ".streamlit/config.toml is missing"
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_upload_cap_is_small_and_fits_the_loader_cap(config: dict[str, dict[str, object]]) -> None:
    size = config["server"].get("maxUploadSize")
    assert isinstance(size, int | float), "server.maxUploadSize is not set (Streamlit: 200 MB)"
    # The contact logs' cap (cxcost.ui.calibrate); scenario files have their own 2 MiB one.
    assert 0 < size <= 200, f"server.maxUploadSize = {size} MB; contact logs need at most 200"
    # Streamlit counts megabytes of 1024 * 1024 bytes; a file at the loader's cap must fit.
    assert size * MB >= MAX_BYTES


def test_xsrf_protection_is_on(config: dict[str, dict[str, object]]) -> None:
    assert config["server"].get("enableXsrfProtection") is True
    # XSRF protection needs CORS protection on too (Streamlit overrides one otherwise).
    assert config["server"].get("enableCORS", True) is True


def test_usage_statistics_are_off(config: dict[str, dict[str, object]]) -> None:
    assert config.get("browser", {}).get("gatherUsageStats") is False


def test_server_listens_on_loopback_by_default(config: dict[str, dict[str, object]]) -> None:
    """Only the image opens the app to the network, by its own --server.address."""
    assert config["server"]["address"] == "127.0.0.1"


def test_server_runs_headless(config: dict[str, dict[str, object]]) -> None:
    assert config["server"].get("headless") is True


def test_source_files_are_not_watched(config: dict[str, dict[str, object]]) -> None:
    # A deployed replica never changes its code; polling it costs CPU on every replica.
    assert config["server"].get("fileWatcherType") == "none"


def test_disconnected_sessions_are_freed(config: dict[str, dict[str, object]]) -> None:
    ttl = config["server"].get("disconnectedSessionTTL")
    assert isinstance(ttl, int | float), "server.disconnectedSessionTTL is not set"
    # Long enough to survive a network blip, short enough to free closed tabs' memory.
    assert 10 <= ttl <= 600


def test_no_tracebacks_reach_the_browser(config: dict[str, dict[str, object]]) -> None:
    # "full" and "stacktrace" show the traceback; "type" shows only the exception's class.
    details = config.get("client", {}).get("showErrorDetails", "full")
    assert details in ("none", "type") or details is False


# ---------------------------------------------------------------------------
# Dockerfile


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    lines: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = pending + stripped
        pending = ""
        word, _, rest = text.partition(" ")
        lines.append((word.upper(), rest.strip()))
    return lines


def _last(name: str) -> str:
    found = [rest for word, rest in _instructions() if word == name]
    assert found, f"the Dockerfile has no {name}"
    return found[-1]


def _exec_form(text: str) -> list[str]:
    value = json.loads(text)
    assert isinstance(value, list)
    assert all(isinstance(v, str) for v in value)
    return value


def _env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in _instructions():
        if word == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def test_image_is_python_slim_with_debian_chromium() -> None:
    assert _instructions()[0] == ("FROM", "python:3.11-slim")
    installs = " ".join(rest for word, rest in _instructions() if word == "RUN")
    assert "apt-get install -y --no-install-recommends" in installs
    assert " chromium " in f" {installs} "
    assert "playwright install" not in installs
    assert "kaleido.get_chrome" not in installs
    assert "pip install -r requirements.txt" in installs
    assert _env()["BROWSER_PATH"] == "/usr/bin/chromium"


def test_image_runs_as_a_non_root_user() -> None:
    words = [word for word, _ in _instructions()]
    user = _last("USER")
    assert user not in ("root", "0", "0:0")
    assert not user.startswith(("root:", "0:"))
    # The switch comes after every RUN, so nothing later runs as root.
    assert words.index("USER") > max(i for i, w in enumerate(words) if w == "RUN")
    created = " ".join(rest for word, rest in _instructions() if word == "RUN")
    assert "useradd" in created
    assert user in created


def test_image_has_a_health_check_on_the_streamlit_endpoint() -> None:
    check = _last("HEALTHCHECK")
    options, _, command = check.partition("CMD ")
    assert "--interval" in options
    assert "--timeout" in options
    argv = _exec_form(command)
    assert argv[:2] == ["python", "-c"]
    assert "http://127.0.0.1:8501/_stcore/health" in argv[2]
    compile(argv[2], "<healthcheck>", "exec")


def test_image_starts_the_app_on_all_interfaces() -> None:
    assert _exec_form(_last("CMD")) == EXPECTED_CMD
    assert _last("EXPOSE") == "8501"
    assert _last("WORKDIR") == "/app"


def _ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps a path out of the image (the patterns used here)."""
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        candidates = [relative, *relative.split("/")] if pattern.startswith("**/") else [relative]
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, bare) or relative.startswith(f"{pattern}/"):
                return True
    return False


def _image_files() -> list[Path]:
    """The files ``COPY . ./`` puts into the image: the repository minus .dockerignore."""
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns), "negations are not handled here"
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    return [ROOT / f for f in tracked if (ROOT / f).is_file() and not _ignored(f, patterns)]


def test_dockerignore_keeps_what_the_app_needs_and_nothing_else() -> None:
    files = {str(p.relative_to(ROOT)) for p in _image_files()}
    for needed in ("app.py", "requirements.txt", ".streamlit/config.toml", "cxcost/scenario.py"):
        assert needed in files, f"{needed} would not be in the image"
    assert any(f.startswith("cxcost/data/presets/") and f.endswith(".json") for f in files)
    assert any(f.startswith("cxcost/ui/") for f in files)
    for unwanted in ("tests/", "benchmarks/", ".git/", "docs/", "test-artifacts/"):
        assert not any(f.startswith(unwanted) for f in files), f"{unwanted} would be in the image"


# ---------------------------------------------------------------------------
# The start command, as the image would run it


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _unprivileged_user(home: Path) -> Iterator[str | None]:
    """A user without privileges to run as, or None when the tests do not run as root.

    Created for the test if absent and removed again afterwards.
    """
    if os.geteuid() != 0:
        yield None
        return
    try:
        pwd.getpwnam(TEST_USER)
        created = False
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--shell", "/usr/sbin/nologin", "--home-dir", str(home),
             TEST_USER],
            check=True, capture_output=True,
        )  # fmt: skip
        created = True
    try:
        yield TEST_USER
    finally:
        if created:
            subprocess.run(["userdel", TEST_USER], check=False, capture_output=True)


@contextlib.contextmanager
def _world_readable_dir() -> Iterator[Path]:
    # pytest's tmp_path is private to root; the unprivileged user must read this one.
    folder = Path(tempfile.mkdtemp(prefix="cxcost-deploy-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_health(url: str, process: subprocess.Popen[bytes], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            pytest.fail(f"the start command exited with {process.returncode}:\n{output[-3000:]}")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError, OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply,
        ):
            return str(reply.read().decode())
        time.sleep(0.3)
    pytest.fail(f"/_stcore/health did not answer within {seconds:.0f} s")


@pytest.mark.slow
def test_start_command_serves_as_a_non_root_user_from_a_fresh_venv() -> None:
    # Fails, never skips, without what it needs: CI runs on Debian as root.
    assert sys.platform == "linux", "uses runuser and /proc"
    assert SYSTEM_PYTHON.exists(), f"needs Debian's {SYSTEM_PYTHON} with venv"
    with _world_readable_dir() as work, _unprivileged_user(work / "home") as user:
        app, venv, home = work / "app", work / "venv", work / "home"
        home.mkdir()
        if user is not None:
            shutil.chown(home, user)
        for source in _image_files():
            target = app / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(venv)], check=True)
        started = time.monotonic()
        install = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", "-r", "requirements.txt"],
            cwd=app, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert install.returncode == 0, install.stderr[-3000:]
        install_seconds = time.monotonic() - started
        assert (venv / "bin" / "streamlit").exists()
        assert not (venv / "bin" / "pytest").exists(), "dev tools leaked into the runtime venv"

        port = _free_port()
        argv = _exec_form(_last("CMD"))
        # Loopback only in tests; the image listens on every interface.
        argv[argv.index("--server.address") + 1] = "127.0.0.1"
        argv[argv.index("--server.port") + 1] = str(port)
        env = {
            "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            **_env(),
        }
        runner = [RUNUSER, "-u", user, "--"] if user is not None else []
        argv = [*runner, *argv]
        process = subprocess.Popen(
            argv, cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            assert _wait_health(url, process, 90) == "ok"
            with urllib.request.urlopen(f"{url}/", timeout=10) as reply:
                assert reply.status == 200
                assert b"<html" in reply.read().lower()
            # The image's own health check passes against this server.
            check = _exec_form(_last("HEALTHCHECK").partition("CMD ")[2])
            check[2] = check[2].replace(":8501/", f":{port}/")
            probe = subprocess.run(
                [*runner, str(venv / "bin" / "python"), *check[1:]],
                env=env, capture_output=True, timeout=30,
            )  # fmt: skip
            assert probe.returncode == 0, probe.stderr
            owner = Path(f"/proc/{_server_pid(process.pid)}").stat().st_uid
            assert owner != 0, "the server runs as root"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
    print(f"pip install -r requirements.txt into a fresh venv: {install_seconds:.0f} s")


def _server_pid(pid: int) -> int:
    """The streamlit process: ``runuser`` execs or forks it as its only child."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        found = children.read_text().split()
        if found:
            return int(found[0])
    return pid
