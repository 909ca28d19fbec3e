"""A fresh server readies itself while the first page loads (``cxcost.ui.warm``, issue 16)."""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import closing
from pathlib import Path

import pytest
from scripts import run_fresh
from streamlit.web.server.starlette.starlette_server import _bind_socket

from cxcost import channels
from cxcost.ui import warm

ROOT = Path(__file__).resolve().parents[1]


def test_warm_process_prices_the_default_preset() -> None:
    from cxcost.ui import app

    channels.clear_week_cache()
    app.warm_process()
    assert channels._cached_week.cache_info().currsize >= 3  # its three channels' weeks


def test_streamlit_run_finds_the_app_with_the_warm_up() -> None:
    """``streamlit run app.py`` serves ``app.py``'s ``st.App`` (found by reading the file,
    then imported as a module), which runs ``app.py`` itself for every session."""
    probe = """
import json, runpy
from pathlib import Path
from streamlit.web.server.app_discovery import discover_asgi_app
found = discover_asgi_app(Path("app.py"))
module = runpy.run_path("app.py", run_name="app")
app = module["app"]
print(json.dumps({
    "found": found.is_asgi_app, "name": found.app_name, "class": type(app).__name__,
    "script": str(Path(app.script_path).resolve()), "lifespan": app._user_lifespan.__module__,
    "drawn": "cxcost.ui.app" in __import__("sys").modules,
}))
"""
    seen = run_fresh(probe)
    assert seen == {
        "found": True,
        "name": "app",
        "class": "App",
        "script": str(ROOT / "app.py"),
        "lifespan": "cxcost.ui.warm",
        # Importing the module to find the server draws nothing and leaves the app's
        # import to the warm-up thread, after the socket listens.
        "drawn": False,
    }


def test_the_lifespan_turns_nagle_off_and_warms_in_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = threading.Event()
    names: list[str] = []

    def fake_warm_up() -> None:
        names.append(threading.current_thread().name)
        started.set()

    monkeypatch.setattr(warm, "warm_up", fake_warm_up)

    async def enter() -> None:
        async with warm.lifespan(None):
            pass

    with closing(_bind_socket("127.0.0.1", 0, 8)) as listener:
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        asyncio.run(enter())
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert started.wait(10)
    assert names == ["cxcost-warm-up"]


def test_a_failed_warm_up_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from cxcost.ui import app

    def broken() -> None:
        raise RuntimeError("no preset")

    monkeypatch.setattr(app, "warm_process", broken)
    warm.warm_up()
    assert "warming the server process failed" in caplog.text
