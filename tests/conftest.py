"""Shared pytest fixtures and tolerances for the cxcost test suite."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import mpmath
import pytest
from fixture_types import Changes, ScenarioDict, ScenarioWith
from hypothesis import settings
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from widgets import media_file_id

from cxcost.dotted import set_path
from cxcost.report import bundle, charts
from cxcost.scenario import Scenario
from cxcost.ui import background

# The background pool's workers (cxcost.ui.background) at the test process's own
# priority, here and in every app server a test starts. At the app's niceness (10) a
# plan a test waits for gets a small share of a core while the other test process's
# browser runs: in one whole run three AppTest tests that wait for a plan took 35-38 s
# each instead of 4-14 s, against a wait of 120 s.
os.environ.setdefault(background.NICENESS_ENV, "0")

# Every figure a test builds goes through plotly's property checks, which the app skips
# for speed (``cxcost.report.charts.VALIDATE``).
charts.VALIDATE = True

# The pass/fail suite runs the same examples on every machine (derandomize), so a
# run is red only for a change, never for a new random draw; search with fresh
# random examples on purpose: HYPOTHESIS_PROFILE=explore python -m pytest
# No deadline: a per-example time limit is a speed assertion, and a busy machine
# fails it (the speed bars live in benchmarks/).
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


REMEMBERED_REPORTS = 8
"""Scenarios whose report inputs a test process keeps (``_remembered_report_inputs``)."""

_computed_report_inputs = bundle.compute_report_inputs


@dataclass(frozen=True)
class _KeyedScenario:
    """A scenario compared and hashed by its JSON, ``key`` (as ``cxcost.channels`` keys
    its cache of weeks by a channel's JSON: ``Scenario`` itself is mutable)."""

    key: str
    scenario: Scenario = field(compare=False)


@functools.lru_cache(maxsize=REMEMBERED_REPORTS)
def _report_inputs_of(keyed: _KeyedScenario) -> bundle.ReportInputs:
    # A copy: the inputs keep the scenario, and the caller may change its own later.
    return _computed_report_inputs(keyed.scenario.model_copy(deep=True))


def _remembered_report_inputs(scenario: Scenario) -> bundle.ReportInputs:
    """``compute_report_inputs``, computed once per scenario in a test process.

    The model's outputs behind a report are a function of the scenario alone (the
    Monte Carlo draws use its seed), and the report tests write the same few presets
    again and again: the optimiser and the Monte Carlo run of one preset take 1-6 s.
    ``tests/test_report.py`` checks that the function itself, computed again, gives
    the same inputs. A test that replaces ``compute_report_inputs`` replaces this too.
    """
    return _report_inputs_of(_KeyedScenario(scenario.model_dump_json(), scenario))


_remembered_report_inputs.__wrapped__ = _computed_report_inputs  # type: ignore[attr-defined]
bundle.compute_report_inputs = _remembered_report_inputs


@pytest.fixture
def reference_tolerance() -> dict[str, float]:
    """Tolerance of a model value against an exact (mpmath) reference value.

    ``rel``: the model promises 1e-9 relative accuracy on every queue metric.
    ``abs``: below about 1e-290 a float64 has no 1e-9 relative precision left
    (subnormals start at 2.2e-308, and the model's exp/log of large
    exponents flushes such values to 0), so a true value of, say, 1e-965
    may legitimately come back as 0.0.
    """
    return {"rel": 1e-9, "abs": 1e-290}


@pytest.fixture(scope="session")
def scenario_dict() -> ScenarioDict:
    """Default scenario as a plain dict with dotted-path changes (values not validated).

    ``scenario_dict({"channels.0.representatives": -1})``
    """
    from cxcost.scenario import Scenario

    def build(changes: Changes | None = None) -> dict[str, Any]:
        data = Scenario().model_dump()
        for path, value in (changes or {}).items():
            set_path(data, path, value)
        return data

    return build


@pytest.fixture(scope="session")
def scenario_with(scenario_dict: ScenarioDict) -> ScenarioWith:
    """Validated default Scenario with dotted-path changes.

    ``scenario_with({"business.revenue_per_customer": 5000})``
    """
    from cxcost.scenario import Scenario

    def build(changes: Changes | None = None) -> Scenario:
        return Scenario.model_validate(scenario_dict(changes))

    return build


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file a run hands to Streamlit's media storage (download buttons), by file id;
    a file written on click under its placeholder id (``deferred_file_id``)."""
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(
        self: MemoryMediaFileStorage, path_or_data: str | bytes, *args: Any, **kwargs: Any
    ) -> str:
        file_id = original(self, path_or_data, *args, **kwargs)
        if isinstance(path_or_data, bytes):
            stored[file_id] = path_or_data
        return file_id

    def click(self: MediaFileManager, *args: Any, **kwargs: Any) -> str:
        # A file written on click (a callable ``data``): click it as the browser
        # would, at once, while the run's media manager still exists.
        file_id = original_deferred(self, *args, **kwargs)
        stored[file_id] = stored[media_file_id(self.execute_deferred(file_id))]
        return file_id

    original_deferred = MediaFileManager.add_deferred
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    monkeypatch.setattr(MediaFileManager, "add_deferred", click)
    return stored


PENDING_MARK = "⏳"
"""How the waiting line starts (``cxcost.ui.pending``), while the background pool works."""


def _pending_shown(at: Any) -> bool:
    return any(str(caption.value).startswith(PENDING_MARK) for caption in at.caption)


@pytest.fixture(autouse=True)
def mpmath_precision() -> Iterator[None]:
    """Each test leaves mpmath's precision as it found it: a test that sets ``mp.dps``
    for its reference must not change another's. (``mpmath.nsum`` of a geometric
    stream with ratio 0.959 was 2.9e-7 off at 30 digits, left by an earlier test in
    the same worker, and right at 15 and 40.)"""
    precision = mpmath.mp.prec
    yield
    mpmath.mp.prec = precision


@pytest.fixture(autouse=True)
def inputs_asked_for(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest follows a session's first run with the run its page asks for.

    A session's first run draws the numbers without the sidebar's inputs, and its
    page asks for them half a second later (``cxcost.ui.pending``), before a person
    can touch one; a run after which the stage went from 0 to 1 is followed by that
    run here too. ``@pytest.mark.first_run_alone`` leaves the first run as it is.
    """
    if request.node.get_closest_marker("first_run_alone") is not None:
        return
    if "streamlit.testing.v1" not in sys.modules:
        return
    from streamlit.testing.v1 import AppTest

    from cxcost.ui.pending import STAGE_KEY

    run = AppTest.run

    def stage(app: AppTest) -> int:
        return int(app.session_state[STAGE_KEY]) if STAGE_KEY in app.session_state else 0

    def run_as_a_page(self: AppTest, *, timeout: float | None = None) -> AppTest:
        before = stage(self)
        result = run(self, timeout=timeout)
        if before == 0 and stage(result) == 1:
            result = run(self, timeout=timeout)
        return result

    monkeypatch.setattr(AppTest, "run", run_as_a_page)


@pytest.fixture(autouse=True)
def settled_app(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``@pytest.mark.waits_for_plan``, AppTest runs as a person who waits: a run
    that shows the plan still being worked out (``cxcost.ui.pending``) waits for the
    background pool and runs again. Without it a test sees what a person sees at once
    (the numbers, and the waiting line where the plan goes), as a browser would.

    The settle time is for a slider being dragged; a test's moves are discrete, so it
    is 0 here.
    """
    if request.node.get_closest_marker("waits_for_plan") is None:
        return
    if "streamlit.testing.v1" not in sys.modules:
        return
    from streamlit.testing.v1 import AppTest

    from cxcost.ui import background, compute

    monkeypatch.setattr(compute, "SETTLE_SECONDS", 0.0)
    run = AppTest.run

    def settled_run(self: AppTest, *, timeout: float | None = None) -> AppTest:
        result = run(self, timeout=timeout)
        for _ in range(5):
            if not _pending_shown(result):
                break
            assert background.POOL.wait(120.0), "the background pool did not finish"
            result = run(self, timeout=timeout)
        return result

    monkeypatch.setattr(AppTest, "run", settled_run)
