"""A fresh server process readies itself while the first browser loads the page (issue 16).

``streamlit run app.py`` finds ``app.py``'s ``st.App`` and serves it with uvicorn; the
app's ``lifespan`` runs once, after the listening socket is bound and before the
first request. It turns Nagle's algorithm off on that socket (``cxcost.ui.nodelay``),
so the page's files come without a delayed acknowledgement between their parts, and
starts a thread that imports the app and prices the default preset. The first
browser spends about a second fetching and compiling the page's scripts before it
opens the websocket; the first run then finds the imports done and the model's
caches warm, where it used to do all of it itself.

Nothing here is needed for correctness: a run that comes before the warm-up is done
waits on the same imports (Python's import lock) or does the work itself, and a
warm-up that fails only logs why. This module imports nothing heavy, as it is
imported before the server listens.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

from cxcost.ui import nodelay

_LOG = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """``st.App``'s lifespan: Nagle off on the bound socket, and the warm-up started."""
    nodelay.disable_nagle()
    threading.Thread(target=warm_up, name="cxcost-warm-up", daemon=True).start()
    yield


def warm_up() -> None:
    """Import the app and price the default preset, in both languages' texts; never raises."""
    try:
        from cxcost.ui import app

        app.warm_process()
    except Exception:  # a warm-up only saves time: the first run does the same work
        _LOG.exception("cxcost: warming the server process failed")
