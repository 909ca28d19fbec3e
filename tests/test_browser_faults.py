"""Browser faults in plain words, and nothing else on stderr (issue 15, point 9).

Before: with BROWSER_PATH=/bin/false the user saw a raw Python tuple advising
``choreo_get_chrome``; a browser killed mid-render gave "Executor is closed.";
stderr got "Wait expired, Browser is being closed by watchdog." and "Task was
destroyed but it is pending!".
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Real Chromium in subprocesses: a few seconds each.
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LIBRARY_WORDS = ("choreo", "Executor", "Task was destroyed", "watchdog", "Traceback", "('")


def _python(code: str, browser: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BROWSER_PATH": browser, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, timeout=180, check=False, cwd=tmp_path,
    )  # fmt: skip


def test_a_browser_that_exits_at_once_is_one_plain_line(tmp_path: Path) -> None:
    env = {**os.environ, "BROWSER_PATH": "/bin/false", "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-m", "cxcost", "report", "utility", "--out", str(tmp_path / "out"),
         "--formats", "xlsx,png"],
        capture_output=True, text=True, env=env, timeout=180, check=False, cwd=ROOT,
    )  # fmt: skip
    assert completed.returncode == 1
    (line,) = completed.stderr.splitlines()
    assert line == (
        "error: utility: 17 chart images (PNG) were not written: the browser at /bin/false "
        "stopped as soon as it was started, so no chart could be drawn. Set BROWSER_PATH to "
        "a Chrome or Chromium executable, or install Chromium (Debian/Ubuntu: apt-get "
        "install chromium)."
    )
    assert not any(word in completed.stderr for word in LIBRARY_WORDS)


def test_a_browser_killed_under_the_renderer_is_one_plain_sentence_and_a_silent_stderr(
    tmp_path: Path,
) -> None:
    completed = _python(
        """
        import os, signal
        import plotly.graph_objects as go
        from cxcost.report.images import ChartRenderer, ExportError, figure_to_image

        renderer = ChartRenderer()
        figure_to_image(go.Figure(go.Bar(y=[1, 2])), "png", renderer=renderer,
                        timeout_seconds=60)
        browser = renderer._kaleido.subprocess
        os.killpg(browser.pid, signal.SIGKILL)
        browser.wait(timeout=30)
        messages = []
        for _ in range(2):
            try:
                figure_to_image(go.Figure(go.Scatter(y=list(range(20000)))), "png",
                                renderer=renderer, timeout_seconds=60)
                messages.append("ok")
            except ExportError as error:
                messages.append(str(error))
        renderer.close()
        print("|".join(messages))
        """,
        CHROMIUM,
        tmp_path,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    first, second = completed.stdout.strip().split("|")
    assert first == (
        "the browser that draws the charts stopped while drawing this one; "
        "it starts again on the next try"
    )
    assert second == "ok"
