"""Types of the conftest fixtures that hand out builders, for the tests' annotations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cxcost.scenario import Scenario

Changes = Mapping[str, Any]
"""Dotted paths of a scenario and their new values: ``{"channels.0.representatives": 20}``."""


class ScenarioDict(Protocol):
    """The ``scenario_dict`` fixture: the default scenario's data with ``changes``."""

    def __call__(self, changes: Changes | None = None) -> dict[str, Any]: ...


class ScenarioWith(Protocol):
    """The ``scenario_with`` fixture: the default scenario with ``changes``, validated."""

    def __call__(self, changes: Changes | None = None) -> Scenario: ...
