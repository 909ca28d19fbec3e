"""At most a few script runs of one app process draw at a time; the others queue.

Streamlit runs each session's script in a thread of its own, and Python runs one
thread at a time. Thirty sessions moving sliders on one replica made thirty
threads take turns at the interpreter lock every few milliseconds: every run
took as long as the slowest, and the core was only three quarters busy
(``docs/performance.md``, issue 16). Letting two runs draw at a time and the
rest wait their turn cut a move's median time at ten sessions from about 300 ms
to 75 ms, and answered a third more moves.

- **Bounded wait.** A run waits at most ``MAX_WAIT_SECONDS`` for a slot, then
  draws without one: the gate can slow a page, never stop it.
- **Long waits give the slot back.** A run that waits for Chromium (a report or
  a chart's images), the optimiser or a Monte Carlo does it in ``working``: its
  slot serves other sessions meanwhile.
- ``CXCOST_RUN_SLOTS`` sets the slots per process (default 2; 0 turns the gate off).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Final

import streamlit as st

from cxcost.ui.env import whole_number_from_env

LOGGER = logging.getLogger(__name__)

SLOTS_ENV: Final = "CXCOST_RUN_SLOTS"
"""Environment variable: script runs that draw at a time per process (0: no gate)."""
DEFAULT_SLOTS: Final = 2
MAX_WAIT_SECONDS: Final = 2.0
"""The longest a run waits for a slot before it draws without one [s]."""


class RunGate:
    """A counting gate around script runs; ``slots`` 0 lets every run through at once."""

    def __init__(self, slots: int, max_wait_seconds: float = MAX_WAIT_SECONDS) -> None:
        self.slots = slots
        self.max_wait_seconds = max_wait_seconds
        self._free = threading.BoundedSemaphore(slots) if slots > 0 else None
        self._held = threading.local()

    def _take(self) -> bool:
        if self._free is None:
            return False
        taken = self._free.acquire(timeout=self.max_wait_seconds)
        if not taken:
            LOGGER.info("no run slot free within %.1f s; drawing without", self.max_wait_seconds)
        return taken

    def holds(self) -> bool:
        """Whether the calling thread holds a slot now."""
        return bool(getattr(self._held, "slot", False))

    @contextlib.contextmanager
    def run(self) -> Iterator[None]:
        """One script run: a slot while it draws (or none after the bounded wait).

        Entered again inside a run of the same thread (a fragment called by the
        whole app's run; rerun on its own it enters first), it is part of that run.
        """
        if getattr(self._held, "inside", False):
            yield
            return
        self._held.inside = True
        self._held.slot = self._take()
        try:
            yield
        finally:
            if self._held.slot and self._free is not None:
                self._free.release()
            self._held.slot = False
            self._held.inside = False

    @contextlib.contextmanager
    def released(self) -> Iterator[None]:
        """A long wait inside a run: its slot serves other runs meanwhile."""
        held = self.holds()
        if held and self._free is not None:
            self._free.release()
            self._held.slot = False
        try:
            yield
        finally:
            if held:
                self._held.slot = self._take()


def slots_from_env() -> int:
    """Slots from ``CXCOST_RUN_SLOTS`` (default 2; a bad value counts as the default)."""
    return whole_number_from_env(SLOTS_ENV, default=DEFAULT_SLOTS, minimum=0)


GATE: Final = RunGate(slots_from_env())
"""The app process's one gate."""


@contextlib.contextmanager
def working(message: str) -> Iterator[None]:
    """A long wait inside a run (the optimiser, a report): a spinner with ``message``,
    and the run's slot given back until it ends."""
    with st.spinner(message), GATE.released():
        yield
