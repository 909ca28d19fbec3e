"""Cached calls into the model, keyed by the scenario's JSON.

A rerun after a slider move prices one new scenario; everything already seen
(the loaded preset, the baseline, other tabs' curves) comes from the cache.
Caches are bounded in entries and in time: ``ttl`` alone frees no memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import streamlit as st

from cxcost import presets
from cxcost.compare import Comparison, compare
from cxcost.evaluate import Result, evaluate
from cxcost.optimize import (
    CostCurve,
    Recommendation,
    TrainingCurve,
    cost_curve,
    optimize,
    training_curve,
)
from cxcost.scenario import Scenario
from cxcost.uncertainty import MonteCarloResult, TornadoBar, monte_carlo, tornado

_TTL_SECONDS: Final = 3600
_MANY: Final = 256
_FEW: Final = 32
_BIG: Final = 4


def _scenario(scenario_json: str) -> Scenario:
    return Scenario.model_validate_json(scenario_json)


@st.cache_data(max_entries=_MANY, ttl=_TTL_SECONDS, show_spinner=False)
def evaluate_json(scenario_json: str) -> Result:
    """``cxcost.evaluate.evaluate`` of a scenario given as JSON."""
    return evaluate(_scenario(scenario_json))


@st.cache_data(max_entries=_MANY, ttl=_TTL_SECONDS, show_spinner=False)
def cost_curve_json(scenario_json: str, channel_index: int) -> CostCurve:
    """``cxcost.optimize.cost_curve`` for one channel."""
    return cost_curve(_scenario(scenario_json), channel_index)


@st.cache_data(max_entries=_MANY, ttl=_TTL_SECONDS, show_spinner=False)
def training_curve_json(scenario_json: str) -> TrainingCurve:
    """``cxcost.optimize.training_curve`` over its default range."""
    return training_curve(_scenario(scenario_json))


@st.cache_data(max_entries=_MANY, ttl=_TTL_SECONDS, show_spinner=False)
def compare_json(base_json: str, proposal_json: str) -> Comparison:
    """``cxcost.compare.compare`` of two scenarios."""
    return compare(_scenario(base_json), _scenario(proposal_json))


@st.cache_data(max_entries=_FEW, ttl=_TTL_SECONDS, show_spinner=False)
def optimize_json(
    scenario_json: str, min_service_level: float | None, max_budget: float | None
) -> Recommendation:
    """``cxcost.optimize.optimize`` with optional constraints."""
    return optimize(_scenario(scenario_json), min_service_level, max_budget)


@st.cache_data(max_entries=_FEW, ttl=_TTL_SECONDS, show_spinner=False)
def tornado_json(scenario_json: str) -> list[TornadoBar]:
    """``cxcost.uncertainty.tornado``."""
    return tornado(_scenario(scenario_json))


@st.cache_data(max_entries=_BIG, ttl=_TTL_SECONDS, show_spinner=False)
def monte_carlo_json(scenario_json: str, proposal_json: str | None) -> MonteCarloResult:
    """``cxcost.uncertainty.monte_carlo`` with the scenario's own draws and seed."""
    proposal = _scenario(proposal_json) if proposal_json is not None else None
    return monte_carlo(_scenario(scenario_json), proposal)


@st.cache_data(max_entries=_FEW, ttl=60, show_spinner=False)
def preset_entries(directory: str) -> list[presets.PresetEntry]:
    """The presets folder's files, re-read at most once a minute."""
    return presets.list_presets(Path(directory))


@st.cache_data(max_entries=_FEW, ttl=60, show_spinner=False)
def preset_json(path: str) -> str:
    """A preset file, validated, as scenario JSON."""
    return presets.load_preset(Path(path)).model_dump_json()
