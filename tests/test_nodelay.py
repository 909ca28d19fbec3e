"""Nagle's algorithm off on the app server's connections (``cxcost.ui.nodelay``).

Linux's behaviour (the project's platform, as in CI): a listening socket's
``TCP_NODELAY`` is copied to the connections it accepts, and ``/proc/self/fd``
lists a process's descriptors.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_server import _bind_socket

from cxcost.ui import nodelay

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@contextmanager
def _accepted(listener: socket.socket) -> Iterator[socket.socket]:
    """A connection to ``listener``, as the server's side holds it."""
    with socket.create_connection(listener.getsockname()[:2]) as client:
        accepted, _ = listener.accept()
        with closing(accepted), closing(client):
            yield accepted


def test_streamlits_listener_leaves_nagle_on_for_what_it_accepts() -> None:
    # Why the app does this at all: Streamlit binds its socket with proto 0, and
    # asyncio turns Nagle off only for proto IPPROTO_TCP. When Streamlit changes
    # that, this test says so and the module can go.
    with closing(_bind_socket("127.0.0.1", 0, 8)) as listener:
        assert listener.proto == 0
        listener.setblocking(True)
        with _accepted(listener) as server_side:
            assert _nodelay(server_side) == 0


def test_disable_nagle_covers_open_connections_and_those_accepted_later() -> None:
    with closing(_bind_socket("127.0.0.1", 0, 8)) as listener:
        listener.setblocking(True)
        with _accepted(listener) as before:
            assert nodelay.disable_nagle() >= 3  # the listener, both ends of ``before``
            assert _nodelay(before) == 1
            assert _nodelay(listener) == 1
            with _accepted(listener) as later:
                assert _nodelay(later) == 1


def test_disable_nagle_closes_what_it_opens_and_leaves_other_sockets_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The duplicates it makes, recorded by object (not by descriptor number, which
    # another thread of the test process may take again at any time).
    made: list[socket.socket] = []
    this_thread = threading.get_ident()

    class Recorded(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if threading.get_ident() == this_thread:
                made.append(self)

    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    left, right = socket.socketpair()
    with closing(udp), closing(left), closing(right):
        monkeypatch.setattr(socket, "socket", Recorded)
        nodelay.disable_nagle()
        monkeypatch.undo()
        assert len(made) >= 3  # at least the UDP socket and both ends of the pair
        assert all(duplicate.fileno() == -1 for duplicate in made)
        # Still the process's own, usable sockets.
        left.sendall(b"x")
        assert right.recv(1) == b"x"
        with pytest.raises(OSError, match="Operation not supported"):
            udp.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_no_descriptor_list_means_nothing_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nodelay, "_FD_FOLDERS", (Path("/no/such/folder"),))
    assert nodelay.disable_nagle() == 0


def test_the_app_turns_nagle_off_in_its_first_run() -> None:
    nodelay.disable_nagle_once.cache_clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert nodelay.disable_nagle_once.cache_info().currsize == 1
