"""The app's background pool (cxcost.ui.background): asked, never waited for, latest wins."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pool_tasks
import pytest
from streamlit.testing.v1 import AppTest
from widgets import slider_value

from cxcost.ui import background
from cxcost.ui.background import JobError, JobPool

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def pool() -> Iterator[JobPool]:
    """One pool with one worker process for the module (starting one takes a second)."""
    made = JobPool(workers=1)
    yield made
    made.close()


def _until(pool: JobPool, task: object, *args: object) -> object:
    value = None
    for _ in range(400):
        value = pool.result(task, *args, owner="test")  # type: ignore[arg-type]
        if value is not None:
            return value
        time.sleep(0.05)
    raise AssertionError("no result in 20 s")


def test_a_result_is_asked_for_then_given_and_kept(pool: JobPool) -> None:
    assert pool.result(pool_tasks.square, 3.0, owner="a") is None
    assert pool.wait(30)
    runs = pool.runs
    assert pool.result(pool_tasks.square, 3.0, owner="a") == 9.0
    assert pool.result(pool_tasks.square, 3.0, owner="b") == 9.0
    assert pool.runs == runs  # from the cache, not run again


@pytest.mark.parametrize(
    ("raw", "niceness"),
    [
        (None, background.WORKER_NICENESS),
        ("0", 0),
        ("5", 5),
        ("40", background.MAX_NICENESS),
        ("-3", 0),
        ("x", background.WORKER_NICENESS),
    ],
)
def test_the_workers_niceness_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, niceness: int
) -> None:
    if raw is None:
        monkeypatch.delenv(background.NICENESS_ENV, raising=False)
    else:
        monkeypatch.setenv(background.NICENESS_ENV, raw)
    assert background.niceness_from_env() == niceness


@pytest.mark.parametrize("given", [3, None])
def test_a_pool_starts_its_workers_at_its_niceness(
    monkeypatch: pytest.MonkeyPatch, given: int | None
) -> None:
    """A pool's own niceness; without one, the environment's when its workers start."""
    monkeypatch.setenv(background.NICENESS_ENV, "2")
    made = JobPool(workers=1, niceness=given)
    try:
        expected = os.nice(0) + (2 if given is None else given)
        assert _until(made, pool_tasks.niceness) == expected
    finally:
        made.close()


def test_a_newer_request_of_one_session_replaces_one_that_has_not_started(
    pool: JobPool, tmp_path: Path
) -> None:
    log = str(tmp_path / "ran.txt")
    # The worker is busy with another session's work while "a" drags a slider.
    assert pool.result(pool_tasks.logged, 0, log, 0.8, owner="other") is None
    time.sleep(0.2)
    for x in (1, 2, 3, 4):
        assert pool.result(pool_tasks.logged, x, log, owner="a") is None
    assert pool.wait(30)
    assert pool_tasks.ran(log) == [0, 4]


def test_two_sessions_asking_for_different_inputs_both_get_theirs(
    pool: JobPool, tmp_path: Path
) -> None:
    log = str(tmp_path / "ran.txt")
    pool.result(pool_tasks.logged, 1, log, owner="a")
    pool.result(pool_tasks.logged, 2, log, owner="b")
    assert pool.wait(30)
    assert sorted(pool_tasks.ran(log)) == [1, 2]


def test_nothing_starts_while_the_inputs_keep_changing(pool: JobPool, tmp_path: Path) -> None:
    log = str(tmp_path / "ran.txt")
    for x in range(6):
        assert pool.result(pool_tasks.logged, x, log, owner="a", settle=0.5) is None
        time.sleep(0.1)
    assert pool_tasks.ran(log) == []  # every request was newer than 0.5 s
    assert pool.wait(30)
    assert pool_tasks.ran(log) == [5]


def test_the_models_error_reaches_every_asker(pool: JobPool) -> None:
    assert pool.result(pool_tasks.refuse, 2.0, owner="a") is None
    assert pool.wait(30)
    for owner in ("a", "b"):
        with pytest.raises(ValueError, match="outside 0-1"):
            pool.result(pool_tasks.refuse, 2.0, owner=owner)


def test_a_worker_that_dies_is_replaced_and_the_task_named(pool: JobPool) -> None:
    assert pool.result(pool_tasks.die, 1, owner="a") is None
    assert pool.wait(60)
    with pytest.raises(JobError, match="died twice on die"):
        pool.result(pool_tasks.die, 1, owner="a")
    assert _until(pool, pool_tasks.square, 5.0) == 25.0  # a new worker serves on


def test_a_request_nobody_repeats_is_dropped_before_it_starts(tmp_path: Path) -> None:
    now = [0.0]
    pool = JobPool(workers=1, clock=lambda: now[0])
    log = str(tmp_path / "ran.txt")
    pool.result(pool_tasks.logged, 1, log, owner="a", settle=1.0)  # waits to settle
    now[0] = background.WANTED_SECONDS + 5.0  # the tab was closed long ago
    assert pool.wait(30)
    assert pool_tasks.ran(log) == []
    pool.close()


def test_the_process_own_warm_up_waits_for_the_sessions(pool: JobPool, tmp_path: Path) -> None:
    log = str(tmp_path / "ran.txt")
    pool.result(pool_tasks.logged, 0, log, 0.5, owner="other")  # keeps the worker busy
    time.sleep(0.2)
    pool.warm(pool_tasks.logged, 1, log)
    pool.result(pool_tasks.logged, 2, log, owner="a")
    assert pool.wait(30)
    assert pool_tasks.ran(log) == [0, 2, 1]


def test_a_worker_imports_the_model_and_nothing_of_the_app(pool: JobPool) -> None:
    modules = _until(pool, pool_tasks.modules)
    assert isinstance(modules, list)
    imported = set(modules)
    assert "cxcost.plans" in imported
    assert not {"streamlit", "plotly", "cxcost.ui", "cxcost.report"} & imported


def test_a_worker_started_during_another_script_run_draws_no_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Streamlit installs each script run as ``__main__``; another session's run can put
    it back while the pool starts a worker, which then imports app.py first."""
    script = types.ModuleType("__main__")
    script.__file__ = APP
    monkeypatch.setitem(sys.modules, "__main__", script)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as executor:
        imported = executor.submit(pool_tasks.modules).result(timeout=120)
        threads = executor.submit(pool_tasks.threads).result(timeout=120)
    assert "__mp_main__" in imported  # app.py was imported, as in that race
    assert not [name for name in threads if name.startswith("cxcost-jobs")]


_PARENT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from cxcost.plans import start_worker
context = multiprocessing.get_context("spawn")
executor = ProcessPoolExecutor(1, mp_context=context, initializer=start_worker, initargs=(0,))
print(executor.submit(os.getpid).result(timeout=120), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs: it has a /proc entry and is not a zombie (an orphan's
    exit is reaped by whatever adopted it, which may take its time)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_a_worker_ends_when_its_server_is_killed() -> None:
    """A server killed without shutting its pool down (SIGKILL, or a stop that timed out
    while a plan ran) left its worker waiting for ever on its queue; it now ends with it."""
    root = Path(__file__).resolve().parents[1]
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert _alive(worker)
    finally:
        parent.kill()
        parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker), f"worker {worker} outlived its killed parent"


def test_workers_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(background.WORKERS_ENV, "3")
    assert background.workers_from_env() == 3
    monkeypatch.setenv(background.WORKERS_ENV, "many")
    assert background.workers_from_env() == 1
    monkeypatch.setenv(background.WORKERS_ENV, "0")
    assert background.workers_from_env() == 1


def test_the_overview_shows_the_numbers_at_once_and_the_plan_when_it_is_there() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    key = "in.channels.0.representatives"
    at.slider(key=key).set_value(slider_value(at.slider(key=key)) + 7.5).run()  # never priced
    waiting = [c.value for c in at.caption if str(c.value).startswith("⏳")]
    assert waiting, "no waiting line while the plan is worked out"
    finding = at.markdown[0].value if at.markdown else ""
    assert "Recommended" not in finding
    assert at.metric, "the headline waits for nothing"
    assert background.POOL.wait(120)
    at.run()
    assert not [c.value for c in at.caption if str(c.value).startswith("⏳")]
    assert any("Recommended" in m.value or "already at the plan" in m.value for m in at.markdown)


def test_asking_again_for_the_same_inputs_does_not_postpone_them(
    pool: JobPool, tmp_path: Path
) -> None:
    """The waiting page asks every half second; a 0.6 s settle must still pass."""
    log = str(tmp_path / "ran.txt")
    for _ in range(40):
        if pool.result(pool_tasks.logged, 7, log, owner="a", settle=0.6) is not None:
            break
        time.sleep(0.1)
    assert pool_tasks.ran(log) == [7]


def test_the_dispatcher_sleeps_until_a_job_has_settled(tmp_path: Path) -> None:
    """No polling while a request settles: one wake-up when it may start."""
    now = [100.0]
    pool = JobPool(workers=1, clock=lambda: now[0])
    log = str(tmp_path / "ran.txt")

    def nap() -> float | None:
        with pool._lock:
            return pool._until_settled()

    assert nap() is None  # nothing asked: sleep until asked
    assert pool.result(pool_tasks.logged, 1, log, owner="a", settle=0.6) is None
    assert nap() == pytest.approx(0.6)
    now[0] += 0.45
    assert nap() == pytest.approx(0.15)
    pool.result(pool_tasks.logged, 2, log, owner="b", settle=30.0)
    with pool._lock:  # the dispatcher cannot take it before this has looked
        now[0] += 0.2  # the first has settled while the dispatcher slept: the shortest nap
        assert pool._until_settled() == background.MIN_NAP_SECONDS
    deadline = time.monotonic() + 60
    while pool.runs < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool_tasks.ran(log) == [1]
    assert nap() == background.MAX_NAP_SECONDS  # the second settles in 29 s
    pool.close()
