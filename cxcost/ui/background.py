"""Model work that takes longer than a rerun, done in a worker process, off the slider path.

A slider move reruns the whole script and must put new headline numbers on the
screen within a quarter of a second; ``evaluate`` fits, the optimiser (1–3 s)
and the ranked actions do not. They run here instead:

- **In a worker process** (``spawn``; one by default, ``CXCOST_WORKERS``), so
  their CPU does not hold the server's interpreter lock while it answers other
  sessions.
- **Latest wins.** A session asks for the work its current inputs need on every
  rerun; a newer request of the same task from the same session replaces an
  older one that has not started, so dragging a slider across ten values plans
  one scenario, not ten.
- **Settled first.** A task asked for with ``settle`` seconds starts only when
  the session has not asked for anything newer in that time: while a person
  drags a slider, the optimiser does not run at all.
- **Wanted, or dropped.** A request not repeated within ``WANTED_SECONDS`` is
  dropped before it starts (the tab that asked for it is closed). The app's
  waiting fragment repeats it while it waits.
- **Cached.** Finished results (and the model's own errors) are kept by their
  arguments, ``ENTRIES`` at most, least recently used dropped first.

No streamlit here. The tasks live in the model layer (``cxcost.plans``), so a
worker process imports the model and nothing of the app; ``cxcost.ui.compute``
is the app's door to the pool.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar, cast

from cxcost.plans import start_worker
from cxcost.ui.env import whole_number_from_env

LOGGER = logging.getLogger(__name__)

T = TypeVar("T")

WORKERS_ENV: Final = "CXCOST_WORKERS"
"""Environment variable: worker processes per app process (default 1)."""
WANTED_SECONDS: Final = 30.0
"""A request not repeated for this long is dropped before it starts [s]."""
ENTRIES: Final = 256
"""Finished results kept [-]."""
ATTEMPTS: Final = 2
"""Tries per task when the worker process itself dies (not when the model raises) [-]."""
WARM_OWNER: Final = ""
"""The owner of work asked for by the process itself (``warm``): never dropped."""
MIN_NAP_SECONDS: Final = 0.005
MAX_NAP_SECONDS: Final = 1.0
"""The dispatcher's shortest and longest sleep while a job settles [s]: the longest
bounds how late a dropped request is noticed, and any clock a test passes."""
WORKER_NICENESS: Final = 10
"""How much lower a worker's CPU priority is than the server's, by default: a rerun that
answers a slider move goes before a plan nobody is looking at yet."""
NICENESS_ENV: Final = "CXCOST_WORKER_NICENESS"
"""Environment variable: the workers' niceness instead (0-19; the test suite sets 0, as
two test processes on two cores would otherwise starve a plan the test waits for)."""
MAX_NICENESS: Final = 19


class JobError(RuntimeError):
    """The worker process died twice on one task (the model's own errors pass as they are)."""


Key = tuple[str, tuple[Hashable, ...]]


@dataclass
class _Job:
    task: Callable[..., Any]
    args: tuple[Hashable, ...]
    settle: float
    asked: float
    """When any owner last asked for it (monotonic) [s]: a request not repeated expires."""
    created: float
    """When it was first asked for [s]: it settles from here (repeating the same request,
    as the waiting page does, does not postpone it; a newer one replaces it)."""
    owners: set[str] = field(default_factory=set)
    running: bool = False


@dataclass(frozen=True)
class _Outcome:
    value: Any
    error: BaseException | None


def _task_name(task: Callable[..., Any]) -> str:
    """The task's dotted name, e.g. ``cxcost.plans.plan_bundle``."""
    return f"{task.__module__}.{task.__qualname__}"


def _key(task: Callable[..., Any], args: tuple[Hashable, ...]) -> Key:
    return (_task_name(task), args)


class JobPool:
    """Runs model tasks in worker processes; a rerun asks, never waits.

    Parameters
    ----------
    workers : worker processes (and dispatcher threads)
    entries : finished results kept
    clock : monotonic clock [s] (tests pass their own)
    niceness : how much lower the workers' CPU priority is than this process's; None,
        ``CXCOST_WORKER_NICENESS`` (else ``WORKER_NICENESS``) read when the workers start
    """

    def __init__(
        self,
        workers: int = 1,
        entries: int = ENTRIES,
        clock: Callable[[], float] = time.monotonic,
        niceness: int | None = None,
    ) -> None:
        self._workers = max(1, workers)
        self._niceness = niceness
        self._entries = entries
        self._clock = clock
        self._lock = threading.Condition()
        self._jobs: dict[Key, _Job] = {}
        self._latest: dict[tuple[str, str], Key] = {}
        self._done: OrderedDict[Key, _Outcome] = OrderedDict()
        self._executor: ProcessPoolExecutor | None = None
        self._threads: list[threading.Thread] = []
        self._runs = 0

    @property
    def runs(self) -> int:
        """Tasks finished so far (for tests and benchmarks)."""
        return self._runs

    def result(
        self, task: Callable[..., T], *args: Hashable, owner: str, settle: float = 0.0
    ) -> T | None:
        """The task's result if it is done; else ask for it and return None.

        Parameters
        ----------
        task : a module-level function of the model (it runs in the worker)
        args : its arguments, hashable and picklable (scenario JSON, numbers)
        owner : who asks (a session id); its newer request of ``task`` replaces this one
        settle : start only after this long without a newer request from ``owner`` [s]

        Raises
        ------
        Exception
            What the task raised (a model error), every time it is asked for.
        JobError
            The worker process died on it twice.
        """
        key = _key(task, args)
        with self._lock:
            outcome = self._done.get(key)
            if outcome is not None:
                self._done.move_to_end(key)
            else:
                self._ask(key, task, args, owner, settle)
        if outcome is None:
            return None
        if outcome.error is not None:
            raise outcome.error
        return cast(T, outcome.value)

    def warm(self, task: Callable[..., Any], *args: Hashable) -> None:
        """Ask for a task on the process's own behalf: done when no session waits."""
        key = _key(task, args)
        with self._lock:
            if key not in self._done:
                self._ask(key, task, args, WARM_OWNER, 0.0)

    def pending(self) -> int:
        """Tasks asked for and not finished."""
        with self._lock:
            return len(self._jobs)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until nothing is pending (or the timeout); True if nothing is."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._jobs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
            return True

    def close(self) -> None:
        """Stop the worker processes (a later request starts new ones)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _ask(
        self,
        key: Key,
        task: Callable[..., Any],
        args: tuple[Hashable, ...],
        owner: str,
        settle: float,
    ) -> None:
        now = self._clock()
        slot = (owner, _task_name(task))
        if owner != WARM_OWNER:
            older = self._latest.get(slot)
            if older is not None and older != key:
                self._release(older, owner)
            self._latest[slot] = key
        job = self._jobs.get(key)
        if job is None:
            job = self._jobs[key] = _Job(task, args, settle, now, now)
        job.owners.add(owner)
        job.asked = now
        job.settle = min(job.settle, settle)
        self._start_threads()
        self._lock.notify_all()

    def _release(self, key: Key, owner: str) -> None:
        job = self._jobs.get(key)
        if job is None:
            return
        job.owners.discard(owner)
        if not job.owners and not job.running:
            del self._jobs[key]

    def _ready(self, job: _Job, now: float) -> bool:
        return not job.running and now - job.created >= job.settle

    def _next(self) -> tuple[Key, _Job] | None:
        """The next job to run: the most recently asked one that has settled.

        Drops jobs nobody asked for within ``WANTED_SECONDS`` (the process's own
        warm-up work is never dropped, and runs only when no session waits).
        """
        now = self._clock()
        stale = {
            key
            for key, job in self._jobs.items()
            if not job.running and WARM_OWNER not in job.owners and now - job.asked > WANTED_SECONDS
        }
        if stale:
            for key in stale:
                del self._jobs[key]
            self._forget(stale)
        ready = [(key, job) for key, job in self._jobs.items() if self._ready(job, now)]
        asked = [item for item in ready if item[1].owners - {WARM_OWNER}]
        if asked:
            return max(asked, key=lambda item: item[1].asked)
        return ready[0] if ready else None

    def _until_settled(self) -> float | None:
        """How long the dispatcher may sleep [s]: until the first waiting job has settled
        (at most ``MAX_NAP_SECONDS``); None, until asked, when no job waits.

        It used to look every 50 ms while a job settled: 20 wake-ups a second of the
        server's interpreter for each session that had just moved a slider.
        """
        now = self._clock()
        settling = [
            job.created + job.settle - now for job in self._jobs.values() if not job.running
        ]
        if not settling:
            return None
        return min(max(min(settling), MIN_NAP_SECONDS), MAX_NAP_SECONDS)

    def _forget(self, keys: set[Key]) -> None:
        """Drop the sessions' "latest request" entries that point at ``keys``."""
        for slot in [slot for slot, latest in self._latest.items() if latest in keys]:
            del self._latest[slot]

    def _start_threads(self) -> None:
        while len(self._threads) < self._workers:
            thread = threading.Thread(
                target=self._serve, name=f"cxcost-jobs-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=start_worker,
                    initargs=(niceness_from_env() if self._niceness is None else self._niceness,),
                )
            return self._executor

    def _renew_pool(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def _serve(self) -> None:
        while True:
            with self._lock:
                picked = self._next()
                while picked is None:
                    # Sleep until asked, or until the first job asked for has settled.
                    self._lock.wait(self._until_settled())
                    picked = self._next()
                key, job = picked
                job.running = True
            outcome = self._run(job)
            with self._lock:
                self._done[key] = outcome
                self._done.move_to_end(key)
                while len(self._done) > self._entries:
                    self._done.popitem(last=False)
                self._jobs.pop(key, None)
                self._forget({key})
                self._runs += 1
                self._lock.notify_all()

    def _run(self, job: _Job) -> _Outcome:
        for _attempt in range(ATTEMPTS):
            executor = self._pool()
            try:
                with _no_main_module():
                    future = executor.submit(job.task, *job.args)
                return _Outcome(future.result(), None)
            except BrokenProcessPool:
                LOGGER.warning("worker process died on %s; starting a new one", job.task)
                self._renew_pool(executor)
            except Exception as error:  # the model's own error, shown as it is
                return _Outcome(None, error)
        return _Outcome(None, JobError(f"the worker process died twice on {job.task.__name__}"))


@contextlib.contextmanager
def _no_main_module() -> Iterator[None]:
    """Hide ``__main__`` while a worker process may start.

    A spawned process imports its parent's ``__main__`` first. Under
    ``streamlit run`` that is the app script (Streamlit installs each script run
    as ``__main__``). Another session's script run can put it back while a worker
    starts, so ``app.py`` also draws nothing when imported as ``__mp_main__``.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def workers_from_env() -> int:
    """Worker processes from ``CXCOST_WORKERS`` (default 1; a bad value counts as 1)."""
    return whole_number_from_env(WORKERS_ENV, default=1, minimum=1)


def niceness_from_env() -> int:
    """The workers' niceness from ``CXCOST_WORKER_NICENESS`` (default ``WORKER_NICENESS``;
    at most ``MAX_NICENESS``; a value that is not a whole number counts as the default)."""
    return min(MAX_NICENESS, whole_number_from_env(NICENESS_ENV, WORKER_NICENESS, minimum=0))


POOL: Final = JobPool(workers_from_env())
"""The app process's one pool."""
