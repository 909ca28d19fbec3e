"""What to do first: each lever's best setting, priced by ``compare``, ranked.

For the current scenario every lever (the practices of ``cxcost.practices``,
the two training tracks, and the optimiser's staffing and general-training plan)
is tried on a grid of settings, one change at a time with everything else held
as it is. Each lever keeps the setting with the largest net benefit per year
(``cxcost.compare``: NPV over the horizon / annuity factor), and the levers are
listed best first. Every row's figures are exactly those ``compare`` reports for
that single change, so the list, the Compare tab and the exports agree.

A practice lever is priced with today's staffing: fewer contacts after
deflection shorten the queues but do not cut staff until the staffing is
re-planned (``cxcost.optimize`` with ``practices=True`` re-plans them together).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxcost.compare import Comparison, compare
from cxcost.dotted import get_path, set_path
from cxcost.evaluate import Result, evaluate, variant_total_costs
from cxcost.practices import LEVERS
from cxcost.scenario import Scenario

if TYPE_CHECKING:
    from cxcost.optimize import Recommendation

STAFFING_LEVER = "staffing"
"""The optimiser's staffing and general-training plan, as one lever."""

LEVER_NAMES: dict[str, str] = {
    "practices.one_stop_share": "one_stop",
    "practices.follow_up_share": "follow_up",
    "practices.proactive_share": "proactive",
    "practices.self_service_share": "self_service",
    "training.conflict_hours_per_rep_per_year": "conflict_training",
    "training.knowledge_hours_per_rep_per_year": "knowledge_training",
}
"""Short lever names (the ``lever`` of an action) by field path."""

_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
GRIDS: dict[str, tuple[float, ...]] = {
    "practices.one_stop_share": (0.0, 0.25, 0.5, 0.75, 0.9),
    "practices.follow_up_share": _SHARES,
    "practices.proactive_share": _SHARES,
    "practices.self_service_share": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "training.conflict_hours_per_rep_per_year": (0.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0),
    "training.knowledge_hours_per_rep_per_year": (0.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0),
}
"""Settings tried for each lever (the current setting is always tried too)."""


class Action(BaseModel):
    """One lever at its best setting, against the scenario as it is."""

    model_config = ConfigDict(frozen=True)

    lever: str = Field(description="Lever name: one of LEVER_NAMES' values or 'staffing'")
    path: str = Field(description="Field path of the lever ('' for the staffing plan)")
    setting: float = Field(
        description="Best setting: a share [0-1], training hours [h/year], or for staffing "
        "the plan's representatives [FTE]"
    )
    current: float = Field(description="The setting today, in the same unit")
    cost_per_year: float = Field(
        description="Extra service cost of the change, practices included [currency/year]"
    )
    customers_kept_per_year: float = Field(description="Customers no longer lost [1/year]")
    net_benefit_per_year: float = Field(
        description="compare's net benefit: NPV / annuity factor [currency/year]"
    )
    roi: float | None = Field(description="compare's ROI over the horizon [-]")
    payback_months: float | None = Field(description="compare's payback [months]")
    kept_by_driver: dict[str, float] = Field(
        description="Customers kept per year by driver: wait, rudeness, dismissiveness "
        "(negative where the change loses more of them)"
    )
    comparison: Comparison = Field(description="The full comparison of the single change")
    scenario: Scenario = Field(description="The scenario with this one change")

    def contract(self) -> dict[str, object]:
        """The row as the CLI's JSON gives it (the documented keys, best first)."""
        return {
            "lever": self.lever,
            "setting": self.setting,
            "cost_per_year": self.cost_per_year,
            "customers_kept_per_year": self.customers_kept_per_year,
            "net_benefit_per_year": self.net_benefit_per_year,
            "roi": self.roi,
            "payback_months": self.payback_months,
        }


def with_settings(scenario: Scenario, settings: Mapping[str, float]) -> Scenario | None:
    """The scenario with levers set by path, or None where that is not a valid scenario."""
    data = scenario.model_dump()
    for path, value in settings.items():
        set_path(data, path, value)
    try:
        return Scenario.model_validate(data)
    except ValidationError:
        return None


def with_setting(scenario: Scenario, path: str, value: float) -> Scenario | None:
    """The scenario with one lever set, or None where that is not a valid scenario."""
    return with_settings(scenario, {path: value})


def changed_levers(scenario: Scenario, other: Scenario) -> dict[str, float]:
    """The levers whose setting in ``other`` differs from ``scenario``'s, by path."""
    return {
        path: float(get_path(other, path))
        for path in LEVERS
        if get_path(other, path) != get_path(scenario, path)
    }


def applies(scenario: Scenario, path: str) -> bool:
    """Whether a lever can change anything in this scenario."""
    p = scenario.practices
    if path == "practices.one_stop_share":
        return p.transfer_share > 0
    if path == "practices.follow_up_share":
        return p.transfer_share * (1.0 - p.one_stop_share) > 0
    return True


def _action(
    scenario: Scenario,
    lever: str,
    path: str,
    setting: float,
    current: float,
    proposal: Scenario,
    base_result: Result,
    proposal_result: Result | None = None,
) -> Action:
    """The action of one change, its figures ``compare``'s (the proposal evaluated once)."""
    result = proposal_result or evaluate(proposal)
    comparison = compare(scenario, proposal, base_result, result)
    after = result.customers_lost_by_driver
    kept = {d: base_result.customers_lost_by_driver[d] - after[d] for d in after}
    return Action(
        kept_by_driver=kept,
        lever=lever,
        path=path,
        setting=setting,
        current=current,
        cost_per_year=comparison.extra_service_cost_per_year,
        customers_kept_per_year=comparison.customers_saved_per_year,
        net_benefit_per_year=comparison.net_benefit_per_year,
        roi=comparison.roi,
        payback_months=comparison.payback_months,
        comparison=comparison,
        scenario=proposal,
    )


def best_setting(scenario: Scenario, path: str, base_result: Result | None = None) -> Action | None:
    """One lever's best setting on its grid, priced by ``compare``; None if it cannot act."""
    if not applies(scenario, path):
        return None
    base_result = base_result or evaluate(scenario)
    current = float(get_path(scenario, path))
    settings = [
        (value, proposal)
        for value in sorted({*GRIDS[path], current})
        if (proposal := with_setting(scenario, path, value)) is not None
    ]
    if not settings:
        return None
    # One lever, the staffing held: no hiring differs between the settings, so the
    # net benefit ranks them as the total CX cost does, priced in one pass; the
    # chosen setting's figures are compare's own.
    totals = variant_total_costs([proposal for _, proposal in settings])
    value, proposal = settings[int(np.argmin(totals))]
    return _action(scenario, LEVER_NAMES[path], path, value, current, proposal, base_result)


def staffing_action(
    scenario: Scenario,
    base_result: Result | None = None,
    recommendation: Recommendation | None = None,
) -> Action:
    """The optimiser's staffing and general-training plan (practices held) as one action.

    ``recommendation`` is ``optimize(scenario)`` when already computed: its
    staffing plan alone is taken from it instead of optimising again.
    """
    if recommendation is None:
        from cxcost.optimize import optimize

        recommendation = optimize(scenario, practices=False)
    alone = recommendation.staffing_scenario is None
    plan = recommendation.scenario if alone else recommendation.staffing_scenario
    assert plan is not None
    current = sum(c.representatives for c in scenario.channels)
    proposed = sum(c.representatives for c in plan.channels)
    base_result = base_result or recommendation.base_result
    result = recommendation.result if alone else None
    return _action(scenario, STAFFING_LEVER, "", proposed, current, plan, base_result, result)


def rank_actions(
    scenario: Scenario,
    levers: Sequence[str] = LEVERS,
    include_staffing: bool = True,
    recommendation: Recommendation | None = None,
) -> list[Action]:
    """Every lever at its best setting, best net benefit per year first.

    Parameters
    ----------
    scenario : the scenario as it is
    levers : field paths of the practice levers to try (default all of ``LEVERS``)
    include_staffing : also list the optimiser's staffing and training plan
    recommendation : ``optimize(scenario)`` when already computed (its staffing plan
        alone is reused)

    Returns
    -------
    list of Action
        Sorted by ``net_benefit_per_year``, largest first; a lever already at its
        best setting has a net benefit of 0.
    """
    base_result = evaluate(scenario)
    actions = [a for path in levers if (a := best_setting(scenario, path, base_result))]
    if include_staffing:
        actions.append(staffing_action(scenario, base_result, recommendation))
    return sorted(actions, key=lambda a: -a.net_benefit_per_year)
