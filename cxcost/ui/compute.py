"""Cached calls into the model and the exports, keyed by the scenario's JSON.

A rerun after a slider move prices one new scenario; everything already seen
(the loaded preset, the baseline, other tabs' curves) comes from the cache.
Chart images are keyed by a hash of the figure's JSON and reports by the
scenario, language and date, so reopening an export never renders twice.
Caches are bounded in entries and in time: ``ttl`` alone frees no memory.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cxcost import plans, presets
from cxcost.compare import Comparison, compare
from cxcost.evaluate import Result, evaluate
from cxcost.i18n import Language
from cxcost.optimize import Recommendation, optimize
from cxcost.report.bundle import (
    Document,
    ReportInputs,
    build_document,
    compute_report_inputs,
)
from cxcost.report.formats import DocumentFormat
from cxcost.report.images import IMAGE_FORMATS, ImageFormat, figure_to_image
from cxcost.scenario import APP_MAX_DRAWS, Scenario
from cxcost.staffing import StaffingPlan
from cxcost.ui import background
from cxcost.uncertainty import UncertaintyReport, analyse

if TYPE_CHECKING:
    from cxcost.calibrate import Calibration

_TTL_SECONDS: Final = 3600
_MANY: Final = 256
_FEW: Final = 32
_BIG: Final = 4
SETTLE_SECONDS: Final = 0.6
"""The optimiser starts once the inputs have not changed for this long [s]: not while a
slider is being dragged (``cxcost.ui.background``)."""
IMAGE_SCALE: Final = 2.0
"""PNG pixel density [x]: a 900 x 500 chart becomes 1800 x 1000 pixels, sharp in slides."""


def _scenario(scenario_json: str) -> Scenario:
    return Scenario.model_validate_json(scenario_json)


@st.cache_data(max_entries=_MANY, ttl=_TTL_SECONDS, show_spinner=False)
def evaluate_json(scenario_json: str) -> Result:
    """``cxcost.evaluate.evaluate`` of a scenario given as JSON."""
    return evaluate(_scenario(scenario_json))


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


def _owner() -> str:
    """Who asks the background pool: this browser session (latest wins per session)."""
    context = get_script_run_ctx()
    return context.session_id if context is not None else "script"


def plan_bundle_json(scenario_json: str) -> plans.PlanBundle | None:
    """The one recommendation and what builds on it, or None while it is worked out.

    Every tab that names a plan (finding, headings, optimiser, practices,
    uncertainty) takes it from here, so they never disagree. The work runs in
    the background once the inputs have settled (``SETTLE_SECONDS``); the
    caller shows ``cxcost.ui.pending`` meanwhile.
    """
    return background.POOL.result(
        plans.plan_bundle, scenario_json, owner=_owner(), settle=SETTLE_SECONDS
    )


def recommendation_now(scenario_json: str) -> Recommendation:
    """The one recommendation, computed here if the background has not got it yet.

    Only for what a person asked for with a button (the Monte Carlo run): it may
    take the optimiser's seconds.
    """
    bundle = plan_bundle_json(scenario_json)
    if bundle is not None:
        return bundle.recommendation
    return optimize_json(scenario_json, None, None)


def staffing_plan_json(scenario_json: str, target_service_level: float) -> StaffingPlan | None:
    """Representatives needed hour by hour for a target, or None while it is worked out."""
    return background.POOL.result(
        plans.staffing_plan, scenario_json, target_service_level, owner=_owner()
    )


@st.cache_data(max_entries=_BIG, ttl=_TTL_SECONDS, show_spinner=False)
def analyse_json(scenario_json: str, proposal_json: str | None) -> UncertaintyReport:
    """``cxcost.uncertainty.analyse`` with the scenario's own seed and draws, at most
    ``APP_MAX_DRAWS`` (one run's memory grows with the draws; the CLI runs more)."""
    proposal = _scenario(proposal_json) if proposal_json is not None else None
    scenario = _scenario(scenario_json)
    return analyse(scenario, proposal, draws=min(scenario.uncertainty.draws, APP_MAX_DRAWS))


@st.cache_data(max_entries=_FEW, ttl=60, show_spinner=False)
def preset_entries(directory: str) -> list[presets.PresetEntry]:
    """The presets folder's files, re-read at most once a minute."""
    return presets.list_presets(Path(directory))


@st.cache_data(max_entries=_FEW, ttl=60, show_spinner=False)
def preset_json(path: str) -> str:
    """A preset file, validated, as scenario JSON."""
    return presets.load_preset(Path(path)).model_dump_json()


@st.cache_data(max_entries=_BIG, ttl=_TTL_SECONDS, show_spinner=False)
def report_inputs_json(scenario_json: str) -> ReportInputs:
    """``cxcost.report.bundle.compute_report_inputs``: the model run behind every report."""
    return compute_report_inputs(_scenario(scenario_json))


class _IncompleteDocumentError(Exception):
    """Carries a document made without its charts past the cache, which keeps no exceptions."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.problem)
        self.document = document


@st.cache_data(max_entries=3 * _BIG, ttl=_TTL_SECONDS, show_spinner=False)
def _complete_document(
    scenario_json: str,
    fmt: DocumentFormat,
    language: Language,
    day: str,
    calibration_key: str = "",
    _calibration: Calibration | None = None,
) -> Document:
    document = build_document(
        report_inputs_json(scenario_json),
        fmt,
        language,
        date.fromisoformat(day),
        calibration=_calibration,
    )
    if document.problem is not None:
        raise _IncompleteDocumentError(document)
    return document


def report_document_json(
    scenario_json: str,
    fmt: DocumentFormat,
    language: Language,
    day: str,
    calibration: Calibration | None = None,
) -> Document:
    """``cxcost.report.bundle.build_document``: one report document, dated ``day`` (ISO).

    A PDF made without its charts (no browser, a timeout) is returned but not
    kept, so the next request tries the charts again. A calibration (the one
    applied in this session) adds its tables and charts; it is cached by a
    digest of its figures.
    """
    key = "" if calibration is None else hashlib.sha256(repr(calibration).encode()).hexdigest()
    try:
        return _complete_document(scenario_json, fmt, language, day, key, calibration)
    except _IncompleteDocumentError as incomplete:
        return incomplete.document


@st.cache_data(max_entries=_FEW, ttl=_TTL_SECONDS, show_spinner=False)
def chart_images(figure_hash: str, _figure_json: str) -> dict[ImageFormat, bytes]:
    """A chart as PNG (``IMAGE_SCALE``), SVG and PDF, cached by its figure's hash.

    Parameters
    ----------
    figure_hash : SHA-256 of ``_figure_json``; the cache key
    _figure_json : the plotly figure as JSON (not hashed again by Streamlit)

    Raises
    ------
    cxcost.report.images.ExportError
        No browser, or rendering failed or timed out (nothing is cached).
    """
    figure = json.loads(_figure_json)
    return {fmt: figure_to_image(figure, fmt, scale=IMAGE_SCALE) for fmt in IMAGE_FORMATS}
