"""Shared pytest fixtures and tolerances for the cxcost test suite."""

from __future__ import annotations

import os
from typing import Any

import pytest
from fixture_types import Changes, ScenarioDict, ScenarioWith
from hypothesis import settings
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from cxcost.dotted import set_path

# The pass/fail suite runs the same examples on every machine (derandomize), so a
# run is red only for a change, never for a new random draw; search with fresh
# random examples on purpose: HYPOTHESIS_PROFILE=explore python -m pytest
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
    """Every file a run hands to Streamlit's media storage (download buttons), by file id."""
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(
        self: MemoryMediaFileStorage, path_or_data: str | bytes, *args: Any, **kwargs: Any
    ) -> str:
        file_id = original(self, path_or_data, *args, **kwargs)
        if isinstance(path_or_data, bytes):
            stored[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return stored
