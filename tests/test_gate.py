"""The run gate (cxcost.ui.gate): at most N script runs draw at once, the wait is bounded,
long waits give their slot back, and nothing holds a slot after its run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import cxcost.ui
from cxcost.ui import gate
from cxcost.ui.gate import RunGate, slots_from_env

LONG = 30.0  # a wait no test reaches unless the gate is broken [s]


class _Runs:
    """Threads that each enter ``gate.run()`` and stay inside until ``leave`` is set."""

    def __init__(self, run_gate: RunGate, count: int) -> None:
        self.gate = run_gate
        self.leave = threading.Event()
        self.inside = 0
        self.most = 0
        self.held: list[bool] = []
        self.done = 0
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def _run(self) -> None:
        with self.gate.run():
            with self._lock:
                self.inside += 1
                self.most = max(self.most, self.inside)
                self.held.append(self.gate.holds())
            self.leave.wait(LONG)
            with self._lock:
                self.inside -= 1
        with self._lock:
            self.done += 1

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.leave.set()
        for thread in self.threads:
            thread.join(LONG)


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + LONG
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.mark.parametrize(("slots", "runs"), [(1, 3), (2, 6), (3, 2)])
def test_at_most_the_slots_draw_at_once_and_every_run_gets_its_turn(slots: int, runs: int) -> None:
    runs_ = _Runs(RunGate(slots, max_wait_seconds=LONG), runs)
    runs_.start()
    _until(lambda: runs_.inside == min(slots, runs))
    time.sleep(0.1)  # the others are waiting, not on their way in
    assert runs_.inside == min(slots, runs)
    runs_.finish()
    assert runs_.done == runs
    assert runs_.most == min(slots, runs)
    assert all(runs_.held)


def test_no_slots_means_no_gate() -> None:
    runs_ = _Runs(RunGate(0), 5)
    runs_.start()
    _until(lambda: runs_.inside == 5)
    runs_.finish()
    assert runs_.done == 5
    assert not any(runs_.held)


def test_a_run_waits_at_most_max_wait_then_draws_without_a_slot() -> None:
    run_gate = RunGate(1, max_wait_seconds=0.05)
    first = _Runs(run_gate, 1)
    first.start()
    _until(lambda: first.inside == 1)
    started = time.monotonic()
    with run_gate.run():
        waited = time.monotonic() - started
        assert not run_gate.holds()
    assert waited >= 0.05
    assert first.inside == 1  # the first run still holds its slot
    first.finish()
    with run_gate.run():  # and gave it back
        assert run_gate.holds()


def test_a_long_wait_gives_the_slot_to_another_run_and_takes_one_again() -> None:
    run_gate = RunGate(1, max_wait_seconds=LONG)
    in_wait, resume = threading.Event(), threading.Event()
    held: dict[str, bool] = {}

    def long_run() -> None:
        with run_gate.run():
            held["before"] = run_gate.holds()
            with run_gate.released():
                held["during"] = run_gate.holds()
                in_wait.set()
                resume.wait(LONG)
            held["after"] = run_gate.holds()

    thread = threading.Thread(target=long_run, daemon=True)
    thread.start()
    assert in_wait.wait(LONG)
    other = _Runs(run_gate, 1)
    other.start()
    _until(lambda: other.inside == 1)  # the slot served another run meanwhile
    assert other.held == [True]
    resume.set()
    time.sleep(0.05)
    assert "after" not in held  # back from its wait, the long run queues for a slot again
    other.finish()
    thread.join(LONG)
    assert held == {"before": True, "during": False, "after": True}


def test_a_run_that_fails_gives_its_slot_back() -> None:
    run_gate = RunGate(1, max_wait_seconds=LONG)
    with pytest.raises(RuntimeError), run_gate.run():
        raise RuntimeError("the page failed")
    assert not run_gate.holds()
    with run_gate.run():
        assert run_gate.holds()


def test_a_run_inside_a_run_of_the_same_thread_is_part_of_it() -> None:
    """The tabs' fragment enters the gate; called by the whole app's run, it takes no
    second slot (with one slot it would otherwise wait for itself), and the outer
    run still gives its slot back at its end."""
    run_gate = RunGate(1, max_wait_seconds=LONG)
    started = time.monotonic()
    with run_gate.run():
        with run_gate.run():
            assert run_gate.holds()
        assert run_gate.holds()  # leaving the inner run kept the outer run's slot
    assert time.monotonic() - started < LONG / 2
    assert not run_gate.holds()
    other = _Runs(run_gate, 1)
    other.start()
    _until(lambda: other.inside == 1)
    assert other.held == [True]
    other.finish()


def test_released_outside_a_run_does_nothing() -> None:
    run_gate = RunGate(1, max_wait_seconds=LONG)
    with run_gate.released():
        assert not run_gate.holds()
    with run_gate.run():  # the slot was never given away twice
        assert run_gate.holds()


@pytest.mark.parametrize(
    ("raw", "slots"), [(None, 2), ("0", 0), ("3", 3), ("-1", 0), ("two", 2), ("", 2)]
)
def test_slots_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, slots: int
) -> None:
    if raw is None:
        monkeypatch.delenv(gate.SLOTS_ENV, raising=False)
    else:
        monkeypatch.setenv(gate.SLOTS_ENV, raw)
    assert slots_from_env() == slots


def _script_with_a_long_wait() -> None:
    import streamlit as st

    from cxcost.ui.gate import GATE, working

    with GATE.run():
        st.session_state["before"] = GATE.holds()
        with working("Working …"):
            st.session_state["during"] = GATE.holds()
        st.session_state["after"] = GATE.holds()


def test_working_shows_a_spinner_and_gives_the_slot_back_meanwhile() -> None:
    at = AppTest.from_function(_script_with_a_long_wait)
    at.run()
    assert not at.exception
    assert [at.session_state[k] for k in ("before", "during", "after")] == [True, False, True]


class _CountingGate(RunGate):
    def __init__(self) -> None:
        super().__init__(1, max_wait_seconds=LONG)
        self.runs = 0

    def _take(self) -> bool:
        self.runs += 1
        return super()._take()


def test_every_run_of_the_app_goes_through_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    import cxcost.ui.app

    counting = _CountingGate()
    monkeypatch.setattr(cxcost.ui.app, "GATE", counting)
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60)
    at.run()  # conftest: the session's first run and the one its page asks for
    assert not at.exception
    assert counting.runs == 2
    assert not counting.holds()


def test_every_spinner_of_the_app_gives_its_slot_back() -> None:
    """A wait the app shows a spinner for (a report, the optimiser) goes through ``working``."""
    ui = Path(cxcost.ui.__file__).parent
    spinners = [
        f"{path.name}:{number}"
        for path in sorted(ui.glob("*.py"))
        if path.name != "gate.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "st.spinner(" in line or "st.status(" in line
    ]
    assert spinners == []
    uses = sum(path.read_text(encoding="utf-8").count("with working(") for path in ui.glob("*.py"))
    assert uses >= 4  # the optimiser, the Monte Carlo, the reports, a chart's images
