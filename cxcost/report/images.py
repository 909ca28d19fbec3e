"""Chart images: plotly figures to PNG, SVG and PDF through kaleido v1 and Chromium.

One warm renderer per process. The first image starts a headless Chromium
(about 2-3 s); every later image reuses it (about 0.2 s for a PNG). Every call
has its own deadline, so a starved or hung browser raises ``ExportError``
instead of hanging a Streamlit session or a batch run; after a timeout the
renderer is thrown away and the next image starts a fresh browser.

Why not ``kaleido.start_sync_server``: kaleido's global sync server shares one
result queue between all callers (two Streamlit sessions rendering at once can
get each other's image), waits forever when the browser cannot start (its
server thread dies and the caller blocks on the task queue; tried here with a
missing ``BROWSER_PATH``) and cannot be restarted after a hang (``close`` joins
the hung thread). The renderer below keeps the same idea, one ``kaleido.Kaleido``
on its own event-loop thread, and hands every caller its own future.

The browser is found from ``BROWSER_PATH`` (a user's value is never
overridden) or Debian's ``/usr/bin/chromium``; nothing is ever downloaded.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from typing import TYPE_CHECKING, Any, Literal

from cxcost.report.formats import DEFAULT_TIMEOUT_SECONDS

if TYPE_CHECKING:
    import kaleido
    import plotly.graph_objects as go

ImageFormat = Literal["png", "svg", "pdf"]
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "svg", "pdf")
MEDIA_TYPES: dict[ImageFormat, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
DEFAULT_WIDTH = 900
DEFAULT_HEIGHT = 500
DEBIAN_CHROMIUM = "/usr/bin/chromium"
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_CLOSE_TIMEOUT_SECONDS = 5.0
_INSTALL_HINT = (
    "Set BROWSER_PATH to a Chrome or Chromium executable, or install Chromium "
    "(Debian/Ubuntu: apt-get install chromium)."
)


class ExportError(RuntimeError):
    """An export could not be produced; the message is written for the user."""


def find_browser() -> str | None:
    """Locate the Chromium used for chart images.

    ``BROWSER_PATH`` wins when it is set: a path the user chose is never
    replaced by another browser, so a wrong value is reported rather than
    silently worked around. Without it, Debian's ``/usr/bin/chromium`` and then
    a Chromium or Chrome on ``PATH`` are used.

    Returns
    -------
    str or None
        Path of an executable browser, or None when there is none.
    """
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if _is_executable(configured) else None
    if _is_executable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found and _is_executable(found):
            return found
    return None


def browser_available() -> bool:
    """Whether chart images can be attempted (a browser executable exists).

    Cheap: looks for the executable, does not start it.

    Returns
    -------
    bool
    """
    return find_browser() is not None


def missing_browser_message() -> str:
    """The plain message shown when no browser is available for chart images.

    Returns
    -------
    str
    """
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return (
            f"Chart images need a Chromium browser, but BROWSER_PATH={configured!r} "
            f"is not an executable file. {_INSTALL_HINT}"
        )
    return f"Chart images need a Chromium browser and none was found. {_INSTALL_HINT}"


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


class ChartRenderer:
    """A headless Chromium driven by kaleido on its own event-loop thread.

    Thread-safe: any number of threads may call ``render`` at once; kaleido
    queues the figures for its tab and each caller waits on its own future
    with its own deadline. The browser starts on the first ``render``.

    Parameters
    ----------
    browser_path : str, optional
        Browser executable; default ``find_browser()`` at start time.
    """

    def __init__(self, browser_path: str | None = None) -> None:
        self._browser_path = browser_path
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: kaleido.Kaleido | None = None

    @property
    def is_running(self) -> bool:
        """Whether a browser is started and warm."""
        return self._kaleido is not None

    def render(
        self,
        figure: go.Figure | dict[str, Any],
        fmt: ImageFormat,
        *,
        scale: float,
        width: int,
        height: int,
        timeout_seconds: float,
    ) -> bytes:
        """Render one figure; see ``figure_to_image`` for the parameters.

        Returns
        -------
        bytes

        Raises
        ------
        ExportError
            No browser, the browser failed, or the deadline passed.
        """
        deadline = time.monotonic() + timeout_seconds
        spec = figure if isinstance(figure, dict) else figure.to_dict()
        opts = {"format": fmt, "scale": scale, "width": width, "height": height}
        engine, loop = self._ensure_started(deadline, timeout_seconds)
        future = asyncio.run_coroutine_threadsafe(self._calc_fig(engine, spec, opts), loop)
        try:
            image = future.result(timeout=max(deadline - time.monotonic(), 0.0))
        except concurrent.futures.TimeoutError:
            future.cancel()
            # A tab that missed its deadline may never come back: start afresh next time.
            self._discard(engine)
            raise ExportError(
                f"rendering timed out after {timeout_seconds:g} s; the browser may be "
                "overloaded. Try again in a moment."
            ) from None
        except Exception as exc:
            from kaleido.errors import JavascriptError, KaleidoError

            if isinstance(exc, (JavascriptError, KaleidoError)):
                raise ExportError(f"the chart could not be rendered: {_plain(exc)}") from exc
            # Not the figure's fault: the browser or its connection broke. The
            # library's words ("Executor is closed.") mean nothing to a user.
            self._discard(engine)
            raise ExportError(
                "the browser that draws the charts stopped while drawing this one; "
                "it starts again on the next try"
            ) from exc
        if not isinstance(image, bytes) or not image:
            raise ExportError("the chart could not be rendered: the browser returned no image")
        return image

    async def _calc_fig(
        self, engine: kaleido.Kaleido, spec: dict[str, Any], opts: dict[str, Any]
    ) -> bytes:
        result: bytes = await engine.calc_fig(spec, opts=opts)
        return result

    def close(self, timeout_seconds: float = _CLOSE_TIMEOUT_SECONDS) -> None:
        """Close the browser and stop the event-loop thread. Safe to call twice.

        Parameters
        ----------
        timeout_seconds : float
            How long to wait for a clean close before killing the browser [s].
        """
        with self._lock:
            engine, self._kaleido = self._kaleido, None
            loop, self._loop = self._loop, None
            thread, self._thread = self._thread, None
        _shut_down(engine, loop, thread, timeout_seconds)

    def _ensure_started(
        self, deadline: float, timeout_seconds: float
    ) -> tuple[kaleido.Kaleido, asyncio.AbstractEventLoop]:
        if not self._lock.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
            raise ExportError(
                f"rendering timed out after {timeout_seconds:g} s waiting for the browser to start"
            )
        try:
            if self._kaleido is None or self._loop is None:
                return self._start(deadline, timeout_seconds)
            return self._kaleido, self._loop
        finally:
            self._lock.release()

    def _start(
        self, deadline: float, timeout_seconds: float
    ) -> tuple[kaleido.Kaleido, asyncio.AbstractEventLoop]:
        path = self._browser_path or find_browser()
        if path is None or not _is_executable(path):
            raise ExportError(missing_browser_message())
        os.environ.setdefault("BROWSER_PATH", path)
        import kaleido  # imported late: kaleido pulls in choreographer and logging setup

        _quiet_library_loggers()

        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=loop.run_forever, name="cxcost-chart-renderer", daemon=True
        )
        thread.start()
        engine: kaleido.Kaleido | None = None
        try:
            # mathjax=False: kaleido would otherwise load MathJax from a CDN on every start.
            engine = kaleido.Kaleido(path=path, n=1, timeout=None, mathjax=False)
            started = asyncio.run_coroutine_threadsafe(_open(engine), loop)
            started.result(timeout=max(deadline - time.monotonic(), 0.0))
        except concurrent.futures.TimeoutError:
            if engine is not None:
                _kill_browser(engine)
            _shut_down(engine, loop, thread, _CLOSE_TIMEOUT_SECONDS, background=True)
            raise ExportError(
                f"rendering timed out after {timeout_seconds:g} s while starting the browser "
                f"({path})"
            ) from None
        except Exception as exc:
            _shut_down(engine, loop, thread, _CLOSE_TIMEOUT_SECONDS, background=True)
            # The library's own words (a tuple advising a browser download) are
            # for its developers; the user gets what happened and what to do.
            raise ExportError(
                f"the browser at {path} stopped as soon as it was started, so no chart "
                f"could be drawn. {_INSTALL_HINT}"
            ) from exc
        self._kaleido, self._loop, self._thread = engine, loop, thread
        return engine, loop

    def _discard(self, engine: kaleido.Kaleido) -> None:
        with self._lock:
            if self._kaleido is not engine:
                return
            loop, thread = self._loop, self._thread
            self._kaleido = self._loop = self._thread = None
        # It missed a deadline or broke: no point asking it to close politely. Killing
        # first makes the close below quick; the close still removes its temporary files.
        _kill_browser(engine)
        _shut_down(engine, loop, thread, _CLOSE_TIMEOUT_SECONDS, background=True)


async def _open(engine: kaleido.Kaleido) -> None:
    await engine.open()


def _quiet_library_loggers() -> None:
    """Keep kaleido's and choreographer's log lines off stderr.

    Without a handler of their own, Python prints their warnings ("Wait
    expired, Browser is being closed by watchdog.") on stderr next to our one
    plain line per problem. A ``NullHandler`` stops that; an application that
    configures logging still receives them through propagation.
    """
    for name in ("choreographer", "kaleido", "logistro"):
        library = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in library.handlers):
            library.addHandler(logging.NullHandler())


async def _cancel_pending_tasks() -> None:
    """Cancel the loop's other tasks (choreographer's watchdog) and let them finish,
    so closing the loop destroys no pending task ("Task was destroyed but it is
    pending!" on stderr)."""
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def _plain(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _shut_down(
    engine: kaleido.Kaleido | None,
    loop: asyncio.AbstractEventLoop | None,
    thread: threading.Thread | None,
    timeout_seconds: float,
    *,
    background: bool = False,
) -> None:
    """Close the browser cleanly if it answers, kill it if not, then stop the loop.

    ``background`` does it on a separate daemon thread, so the caller returns at once.
    """
    if background:
        threading.Thread(
            target=_shut_down,
            args=(engine, loop, thread, timeout_seconds),
            name="cxcost-chart-renderer-close",
            daemon=True,
        ).start()
        return
    if engine is not None and loop is not None and loop.is_running():
        closing: concurrent.futures.Future[None] = asyncio.run_coroutine_threadsafe(
            _close(engine), loop
        )
        try:
            closing.result(timeout=timeout_seconds)
        except Exception:
            closing.cancel()
    if engine is not None:
        _kill_browser(engine)
    if loop is not None:
        if loop.is_running():
            cancelling = asyncio.run_coroutine_threadsafe(_cancel_pending_tasks(), loop)
            with contextlib.suppress(Exception):
                cancelling.result(timeout=timeout_seconds)
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=timeout_seconds)
        if not loop.is_running():
            loop.close()


async def _close(engine: kaleido.Kaleido) -> None:
    await engine.close()


def _kill_browser(engine: kaleido.Kaleido) -> None:
    """Kill the browser's process group if it is still running."""
    process = getattr(engine, "subprocess", None)
    if process is None or process.poll() is not None:
        return
    # choreographer starts the browser in a new session, so its group id is its pid.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        process.wait(timeout=_CLOSE_TIMEOUT_SECONDS)


_default_renderer: ChartRenderer | None = None
_default_lock = threading.Lock()


def default_renderer() -> ChartRenderer:
    """The process-wide warm renderer, created on first use (browser starts lazily).

    Returns
    -------
    ChartRenderer
    """
    global _default_renderer
    with _default_lock:
        if _default_renderer is None:
            _default_renderer = ChartRenderer()
            atexit.register(shutdown_renderer)
        return _default_renderer


def shutdown_renderer() -> None:
    """Close the process-wide renderer's browser (registered with ``atexit``).

    Safe to call at any time; the next image starts a new browser.
    """
    with _default_lock:
        renderer = _default_renderer
    if renderer is not None:
        renderer.close()


def warm_up(timeout_seconds: float = 30.0) -> None:
    """Start the process-wide browser now, so the first export is fast.

    Parameters
    ----------
    timeout_seconds : float
        Deadline for starting the browser and rendering a tiny figure [s].

    Raises
    ------
    ExportError
        No browser, or it did not start in time.
    """
    figure_to_image(
        {"data": [], "layout": {}},
        "png",
        scale=1,
        width=10,
        height=10,
        timeout_seconds=timeout_seconds,
    )


def figure_to_image(
    figure: go.Figure | dict[str, Any],
    fmt: ImageFormat,
    scale: float = 2.0,
    width: int = DEFAULT_WIDTH,
    height: int | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    renderer: ChartRenderer | None = None,
) -> bytes:
    """Render a plotly figure to PNG, SVG or PDF bytes.

    Parameters
    ----------
    figure : plotly Figure or its dict
    fmt : "png", "svg" or "pdf"
    scale : float
        Pixel density for PNG [x]; 2 gives a sharp image in slides.
    width, height : int
        Layout size [CSS px]; a PNG is ``width * scale`` by ``height * scale`` pixels.
        Without ``height`` the image is as tall as the figure's own ``layout.height``
        (as the app and the HTML report draw it), or ``DEFAULT_HEIGHT`` if it has none.
    timeout_seconds : float
        Deadline for the whole call, browser start included [s].
    renderer : ChartRenderer, optional
        Default: the process-wide warm renderer.

    Returns
    -------
    bytes
        The image file's content.

    Raises
    ------
    ExportError
        No browser (the message names BROWSER_PATH and ``apt-get install
        chromium``), the browser failed, or the deadline passed.
    ValueError
        Unknown format or a non-positive size, scale or timeout.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> png = figure_to_image(go.Figure(go.Bar(y=[1, 2])), "png")
    >>> png[:4]
    b'\\x89PNG'
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"image format must be one of {', '.join(IMAGE_FORMATS)}, not {fmt!r}")
    if height is None:
        height = _own_height(figure)
    if scale <= 0 or width <= 0 or height <= 0:
        raise ValueError(
            f"scale, width and height must be positive (got {scale}, {width}, {height})"
        )
    if timeout_seconds <= 0:
        raise ValueError(f"timeout_seconds must be positive, not {timeout_seconds}")
    engine = renderer if renderer is not None else default_renderer()
    return engine.render(
        figure, fmt, scale=scale, width=width, height=height, timeout_seconds=timeout_seconds
    )


def _own_height(figure: go.Figure | dict[str, Any]) -> int:
    """The height a figure sets for itself [CSS px], or ``DEFAULT_HEIGHT``."""
    if isinstance(figure, dict):
        layout = figure.get("layout")
        height = layout.get("height") if isinstance(layout, dict) else None
    else:
        height = figure.layout.height
    return int(height) if isinstance(height, int | float) and height > 0 else DEFAULT_HEIGHT


__all__ = [
    "DEFAULT_HEIGHT",
    "DEFAULT_TIMEOUT_SECONDS",
    "DEFAULT_WIDTH",
    "IMAGE_FORMATS",
    "MEDIA_TYPES",
    "ChartRenderer",
    "ExportError",
    "ImageFormat",
    "browser_available",
    "default_renderer",
    "figure_to_image",
    "find_browser",
    "missing_browser_message",
    "shutdown_renderer",
    "warm_up",
]
