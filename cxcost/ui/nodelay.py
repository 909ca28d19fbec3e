"""Nagle's algorithm off on the app server's connections (``TCP_NODELAY``).

Streamlit 1.67's server (uvicorn, since the move to Starlette) binds its listening
socket itself, as ``socket.socket(family)``, whose ``proto`` is 0. asyncio turns
Nagle's algorithm off only on sockets whose ``proto`` is ``IPPROTO_TCP``
(``asyncio.base_events._set_nodelay``), so every connection the server accepts
keeps it. A reply written in two parts (a static file's headers, then its body; a
rerun's stream of websocket messages) then waits, after the first part, for the
browser's delayed acknowledgement: about 40 ms. Measured on 2026-12-06 against
``streamlit run app.py``: 44 ms for each of Streamlit's 61 page files after the
first two on one keep-alive connection, 2.5 s for the 61 in a row.

``disable_nagle`` sets ``TCP_NODELAY`` on every TCP socket of this process: the
connections already open, and the listening socket, whose option Linux copies to
every connection it accepts from then on. ``streamlit run app.py`` calls it as the
server starts, once its socket is bound (``cxcost.ui.warm``), so even the first page's
files come without the delay; the app calls it again once per process, in its first
run, for a server started another way (its connections are among those then open).
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import stat
from pathlib import Path
from typing import Final

_FD_FOLDERS: Final = (Path("/proc/self/fd"), Path("/dev/fd"))
"""Where this process's open file descriptors are listed (Linux, then the BSDs and macOS)."""


def disable_nagle() -> int:
    """Set ``TCP_NODELAY`` on every TCP socket this process holds; return how many.

    Nothing happens (0) where the open descriptors cannot be listed (Windows).
    """
    folder = next((path for path in _FD_FOLDERS if path.is_dir()), None)
    if folder is None:
        return 0
    count = 0
    for name in os.listdir(folder):
        with contextlib.suppress(OSError, ValueError):
            count += _disable_on(int(name))
    return count


@functools.cache
def disable_nagle_once() -> int:
    """``disable_nagle``, once per process (the listening socket keeps the option)."""
    return disable_nagle()


def _disable_on(descriptor: int) -> int:
    """1 if ``descriptor`` is a TCP socket, now with ``TCP_NODELAY``; else 0."""
    if not stat.S_ISSOCK(os.fstat(descriptor).st_mode):
        return 0
    # A duplicate: closing it leaves the server's own descriptor open.
    with socket.socket(fileno=os.dup(descriptor)) as sock:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return 0
        if sock.type != socket.SOCK_STREAM:
            return 0
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return 1
