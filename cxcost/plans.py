"""The optimiser's plan for a scenario and what builds on it, as one unit of work.

The app computes these in a worker process (``cxcost.ui.background``), off the
rerun that follows a slider move; the functions take and give plain, picklable
values (scenario JSON in, model results out) and import only the model.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import threading
from dataclasses import dataclass

from cxcost.actions import Action, rank_actions
from cxcost.optimize import (
    CostCurve,
    Recommendation,
    TrainingCurve,
    cost_curve,
    optimize,
    planned_channels,
    training_curve,
)
from cxcost.scenario import Scenario
from cxcost.staffing import StaffingPlan, required_staffing


@dataclass(frozen=True)
class PlanBundle:
    """What the optimiser gives every tab for one scenario.

    Attributes
    ----------
    recommendation : ``cxcost.optimize.optimize`` without constraints: the one plan
    curves : ``cost_curve`` of every planned (queued) channel, by channel index
    training : ``training_curve`` over its default range
    actions : ``rank_actions``, reusing the recommendation's plan
    """

    recommendation: Recommendation
    curves: dict[int, CostCurve]
    training: TrainingCurve
    actions: list[Action]


def plan_bundle(scenario_json: str) -> PlanBundle:
    """The optimiser's plan and what builds on it, for one scenario given as JSON."""
    return plan_for(Scenario.model_validate_json(scenario_json))


def plan_for(scenario: Scenario) -> PlanBundle:
    """The optimiser's plan and what builds on it (the app's tabs and the exports)."""
    recommendation = optimize(scenario)
    return PlanBundle(
        recommendation=recommendation,
        curves={index: cost_curve(scenario, index) for index in planned_channels(scenario)},
        training=training_curve(scenario),
        actions=rank_actions(scenario, recommendation=recommendation),
    )


def staffing_plan(scenario_json: str, target_service_level: float) -> StaffingPlan:
    """``cxcost.staffing.required_staffing`` of a scenario given as JSON."""
    return required_staffing(Scenario.model_validate_json(scenario_json), target_service_level)


def start_worker(niceness: int) -> None:
    """Run once in each new worker process: a lower CPU priority, then the model's set-up.

    The pool names this function as its workers' initializer, so a worker imports
    this module and the model, and nothing of the app (an initializer in
    ``cxcost.ui`` would have each worker import Streamlit and the whole app first).

    Parameters
    ----------
    niceness : how much lower the worker's CPU priority is than its parent's
    """
    with contextlib.suppress(OSError):
        os.nice(niceness)
    exit_with_parent()
    warm_worker()


def exit_with_parent() -> None:
    """In a worker process: end it as soon as the process that started it has ended.

    A pool's worker waits for its next task on a queue it also holds the writing end
    of, so it never sees the queue close: a server stopped without shutting its pool
    down (killed, or stopped while a task ran longer than its stop allowed) left its
    worker behind, finishing the plans it had been given on a CPU nobody used, then
    waiting for ever. A thread here waits on the parent's sentinel instead.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="cxcost-parent-watch", daemon=True).start()


def warm_worker() -> None:
    """The model's imports and first-call set-up, once per worker process."""
    scenario = Scenario()
    cost_curve(scenario, 0)
