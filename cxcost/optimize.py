"""The cheapest staffing and training, and the cost curves behind the charts.

Total CX cost = service cost (staff, training, attrition) + churn cost (lost
lifetime margin + replacement acquisition). More representatives shorten the
queues and cut wait churn while staff cost rises: a U-shaped curve. More
training cuts rude and dismissive contacts (and, through fewer repeat
contacts, the queues) with diminishing returns, while it costs money and takes
representatives off the queues.

Method. For a given training level the channels interact only through the
per-contact wait churn, which is a share-weighted sum over channels. So each
channel's wait-churn curve over candidate staffing levels is computed once
(vectorised), and coordinate descent over channels then only combines those
curves, with no further queueing work; it starts both from the cheapest levels
that meet the service target and from the scenario's own staffing. Training
hours are tried on a grid from 0 to 400 h/year, denser at the low end where
training acts fastest, and the best of them is refined to whole hours between
its neighbours by golden-section search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from cxcost import churn, costs, quality
from cxcost.channels import channel_week
from cxcost.compare import Comparison, compare
from cxcost.evaluate import Result, evaluate, evaluate_many
from cxcost.scenario import WEEKS_PER_YEAR, Scenario, Training

Array = NDArray[np.float64]

_CURVE_POINTS = 80
_MAX_CANDIDATES = 60
# Training levels tried first [h/year]: denser where training acts fastest. The
# best of them is then refined to whole hours between its neighbours.
_TRAINING_GRID = (0.0, 4.0, 8.0, 16.0, 32.0, 64.0, 96.0, 128.0, 192.0, 256.0, 320.0, 400.0)
_GOLDEN = (3.0 - 5.0**0.5) / 2.0
_COORDINATE_PASSES = 4
_MAX_EXTENSIONS = 8
# The Training field's upper limit: a plan must stay a valid scenario.
_MAX_TRAINING_HOURS = next(
    float(m.le)
    for m in Training.model_fields["hours_per_rep_per_year"].metadata
    if hasattr(m, "le")
)
_MAX_REPRESENTATIVES = 20_000.0


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CostCurve(_Frozen):
    """Total CX cost against one channel's representatives, the others held fixed."""

    currency: str
    channel_index: int
    channel_name: str
    representatives: list[float] = Field(description="Representatives on the channel [FTE]")
    service_cost: list[float] = Field(description="Service cost, all channels [currency/year]")
    churn_cost: list[float] = Field(description="Churn cost [currency/year]")
    total_cost: list[float] = Field(description="Service + churn cost [currency/year]")
    revenue_at_risk: list[float] = Field(description="Revenue at risk [currency/year]")
    service_level: list[float] = Field(description="Channel service level [0-1]")
    mean_wait_seconds: list[float] = Field(description="Channel mean wait [s]")
    p_abandon: list[float] = Field(description="Channel abandonment [0-1]")
    best_index: int = Field(description="Index of the lowest total cost")
    current_representatives: float = Field(description="The scenario's staffing [FTE]")


class TrainingCurve(_Frozen):
    """Costs and quality against training hours per representative."""

    currency: str
    hours: list[float] = Field(description="Training per representative [h/year]")
    rude_share: list[float] = Field(description="Rude contacts [0-1]")
    dismissive_share: list[float] = Field(description="Dismissive contacts [0-1]")
    training_cost: list[float] = Field(description="Training cost [currency/year]")
    churn_cost: list[float] = Field(description="Churn cost [currency/year]")
    revenue_at_risk: list[float] = Field(description="Revenue at risk [currency/year]")
    total_cost: list[float] = Field(description="Total CX cost [currency/year]")
    repeat_contacts_per_year: list[float] = Field(description="Repeat contacts [1/year]")
    best_index: int = Field(description="Index of the lowest total cost")
    current_hours: float = Field(description="The scenario's training [h/year]")


class Recommendation(_Frozen):
    """The cheapest staffing and training found, and what it changes."""

    representatives: list[float] = Field(description="Representatives per channel [FTE]")
    training_hours: float = Field(description="Training per representative [h/year]")
    scenario: Scenario = Field(description="The scenario with the recommendation applied")
    result: Result
    base_result: Result
    comparison: Comparison
    feasible: bool = Field(description="Whether every constraint could be met")
    message: str = Field(description="Plain-words summary of the constraints' effect")


def _workload_fte(scenario: Scenario, channel_index: int, training_hours: float) -> float:
    """Representatives whose queue time just equals the channel's workload [FTE]."""
    channel = scenario.channels[channel_index]
    dismissive = quality.dismissive_share(scenario.quality, training_hours)
    repeat = quality.repeat_contact_factor(dismissive, scenario.quality.repeat_contact_rate)
    contacts = (
        scenario.business.customers
        * scenario.demand.contacts_per_customer_per_year
        * float(repeat)
        * channel.share_of_contacts
    )
    work_hours = contacts / WEEKS_PER_YEAR * channel.handle_time_seconds / 3600.0
    per_rep = float(costs.on_queue_hours_per_week(scenario.staffing, training_hours))
    return work_hours / channel.concurrency / max(per_rep, 1e-9)


def _candidate_range(workload: float, current: float, points: int) -> Array:
    """Staffing levels around the workload: from 70 % of it to twice it plus a margin."""
    low = max(0.0, np.floor(0.7 * workload))
    high = min(20_000.0, max(np.ceil(2.0 * workload + 4.0), current * 1.2 + 2.0))
    step = max(1.0, np.ceil((high - low) / points))
    grid = np.arange(low, high + step, step)
    return np.unique(np.concatenate([grid[grid <= _MAX_REPRESENTATIVES], [current]]))


def cost_curve(
    scenario: Scenario, channel_index: int = 0, representatives: Sequence[float] | None = None
) -> CostCurve:
    """Total CX cost and queue metrics against one channel's representatives.

    Parameters
    ----------
    scenario : the scenario (other channels and training held as they are)
    channel_index : which channel to vary
    representatives : staffing levels to evaluate [FTE]; default a range
        around the channel's workload that includes the current staffing

    Returns
    -------
    CostCurve
    """
    if not 0 <= channel_index < len(scenario.channels):
        raise ValueError(
            f"channel_index must be between 0 and {len(scenario.channels) - 1}, not {channel_index}"
        )
    channel = scenario.channels[channel_index]
    hours = scenario.training.hours_per_rep_per_year
    reps = (
        np.asarray(representatives, dtype=np.float64)
        if representatives is not None
        else _candidate_range(
            _workload_fte(scenario, channel_index, hours), channel.representatives, _CURVE_POINTS
        )
    )
    matrix = np.tile([c.representatives for c in scenario.channels], (reps.size, 1)).astype(float)
    matrix[:, channel_index] = reps
    e = evaluate_many(scenario, representatives=matrix)
    week = e.weeks[channel_index]
    return CostCurve(
        currency=scenario.business.currency,
        channel_index=channel_index,
        channel_name=channel.name,
        representatives=reps.tolist(),
        service_cost=np.asarray(e.service_cost.total).tolist(),
        churn_cost=e.churn_cost.tolist(),
        total_cost=e.total_cost.tolist(),
        revenue_at_risk=e.revenue_at_risk.tolist(),
        service_level=week.service_level.tolist(),
        mean_wait_seconds=week.mean_wait_seconds.tolist(),
        p_abandon=week.p_abandon.tolist(),
        best_index=int(np.argmin(e.total_cost)),
        current_representatives=channel.representatives,
    )


def training_curve(scenario: Scenario, hours: Sequence[float] | None = None) -> TrainingCurve:
    """Quality, churn and cost against training hours, staffing held as it is.

    Parameters
    ----------
    scenario : the scenario
    hours : training levels to evaluate [h/year]; default 0 h to the field's
        limit (or half the time on the queues, if less) in 81 steps

    Returns
    -------
    TrainingCurve
    """
    current = scenario.training.hours_per_rep_per_year
    on_queue_limit = scenario.staffing.paid_hours_per_year * (1 - scenario.staffing.shrinkage)
    grid = (
        np.asarray(hours, dtype=np.float64)
        if hours is not None
        else np.linspace(0.0, min(_MAX_TRAINING_HOURS, 0.5 * on_queue_limit), 81)
    )
    e = evaluate_many(scenario, training_hours=grid)
    return TrainingCurve(
        currency=scenario.business.currency,
        hours=grid.tolist(),
        rude_share=e.rude_share.tolist(),
        dismissive_share=e.dismissive_share.tolist(),
        training_cost=np.asarray(e.service_cost.training).tolist(),
        churn_cost=e.churn_cost.tolist(),
        revenue_at_risk=e.revenue_at_risk.tolist(),
        total_cost=e.total_cost.tolist(),
        repeat_contacts_per_year=(e.contacts_per_year - e.first_contacts_per_year).tolist(),
        best_index=int(np.argmin(e.total_cost)),
        current_hours=current,
    )


class _Plan:
    """Best staffing for one training level, found by coordinate descent."""

    def __init__(self, reps: Array, cost: float, service_cost: float, feasible: bool) -> None:
        self.reps = reps
        self.cost = cost
        self.service_cost = service_cost
        self.feasible = feasible

    @property
    def rank(self) -> tuple[bool, float]:
        """Feasible plans first, then the cheaper."""
        return (not self.feasible, self.cost)


def _plan_for_training(
    scenario: Scenario,
    hours: float,
    min_service_level: float | None,
    max_budget: float | None,
    extensions: int = 0,
) -> _Plan:
    business = scenario.business
    q = scenario.quality
    rude = float(quality.rude_share(q, hours))
    dismissive = float(quality.dismissive_share(q, hours))
    repeat = float(quality.repeat_contact_factor(dismissive, q.repeat_contact_rate))
    contacts = business.customers * scenario.demand.contacts_per_customer_per_year * repeat
    on_queue = float(costs.on_queue_hours_per_week(scenario.staffing, hours))
    per_customer = costs.customer_lifetime_margin(business) + business.acquisition_cost
    response = scenario.churn
    rude_risk = rude * response.rude_churn
    dismissive_risk = dismissive * response.dismissive_churn
    per_rep = float(costs.service_cost(1.0, scenario.staffing, scenario.training, hours).total)

    def channel_terms(i: int, reps: Array) -> tuple[Array, NDArray[np.bool_]]:
        channel = scenario.channels[i]
        week = channel_week(
            channel,
            scenario.demand.arrival_profile,
            contacts * channel.share_of_contacts,
            reps,
            on_queue,
            1.0,
            scenario.staffing.schedule,
        )
        wait = np.asarray(
            churn.wait_churn_per_contact(response.wait_churn_max, week.wait_transform)
        )
        ok = (
            week.service_level >= min_service_level - 1e-12
            if min_service_level is not None
            else np.ones(reps.size, dtype=bool)
        )
        return wait * channel.share_of_contacts, ok

    candidates: list[Array] = []
    wait_terms: list[Array] = []
    meets_target: list[NDArray[np.bool_]] = []
    for i, channel in enumerate(scenario.channels):
        reps = _candidate_range(
            _workload_fte(scenario, i, hours), channel.representatives, _MAX_CANDIDATES
        )
        wait, ok = channel_terms(i, reps)
        candidates.append(reps)
        wait_terms.append(wait)
        meets_target.append(ok)

    def total(wait_churn: Array, representatives: Array) -> Array:
        per_contact = np.asarray(churn.per_contact_churn(wait_churn, rude_risk, dismissive_risk))
        rate = np.asarray(
            churn.annual_service_churn(
                scenario.demand.contacts_per_customer_per_year * repeat, per_contact
            )
        )
        return business.customers * rate * per_customer + representatives * per_rep

    def add_candidates(i: int, reps: Array) -> None:
        reps = np.setdiff1d(reps[(reps >= 0) & (reps <= _MAX_REPRESENTATIVES)], candidates[i])
        if reps.size:
            wait, ok = channel_terms(i, reps)
            candidates[i] = np.concatenate([candidates[i], reps])
            wait_terms[i] = np.concatenate([wait_terms[i], wait])
            meets_target[i] = np.concatenate([meets_target[i], ok])

    def descend(choice: list[int]) -> None:
        """Coordinate descent: each channel in turn takes its cheapest allowed level."""
        for _ in range(_COORDINATE_PASSES):
            changed = False
            for i in range(len(candidates)):
                others = [j for j in range(len(candidates)) if j != i]
                others_wait = sum(wait_terms[j][choice[j]] for j in others)
                reps_total = sum(candidates[j][choice[j]] for j in others) + candidates[i]
                cost = total(others_wait + wait_terms[i], reps_total)
                allowed = meets_target[i].copy()
                if max_budget is not None:
                    allowed &= reps_total * per_rep <= max_budget
                if not allowed.any():
                    allowed = meets_target[i] if meets_target[i].any() else np.ones_like(allowed)
                best = int(np.argmin(np.where(allowed, cost, np.inf)))
                if best != choice[i]:
                    choice[i], changed = best, True
            if not changed:
                return

    def outcome(choice: list[int]) -> _Plan:
        reps = np.asarray([candidates[i][choice[i]] for i in range(len(candidates))])
        wait_churn = np.sum([wait_terms[i][choice[i]] for i in range(len(candidates))])
        plan_cost = float(total(np.asarray(wait_churn), np.asarray(reps.sum())))
        service = float(reps.sum() * per_rep)
        feasible = all(meets_target[i][choice[i]] for i in range(len(candidates))) and (
            max_budget is None or service <= max_budget * (1 + 1e-12)
        )
        return _Plan(reps, plan_cost, service, feasible)

    # Descend from two starts, the cheapest levels that meet the service target and
    # the scenario's own staffing: either can stall where the other does not (with no
    # staff on one channel every customer may leave, so staffing another one alone
    # saves nobody).
    starts = [
        [int(np.argmax(ok)) if ok.any() else len(ok) - 1 for ok in meets_target],
        [
            int(np.flatnonzero(reps == channel.representatives)[0])
            for reps, channel in zip(candidates, scenario.channels, strict=True)
        ],
    ]
    for start in starts:
        descend(start)
    choice = min(starts, key=lambda start: outcome(start).rank)
    for _ in range(extensions):
        # A best level on the top of its grid may not be the best: extend the grid.
        edge = [
            i for i in range(len(candidates)) if candidates[i][choice[i]] == candidates[i].max()
        ]
        edge = [i for i in edge if candidates[i].max() < _MAX_REPRESENTATIVES]
        if not edge:
            break
        for i in edge:
            top = candidates[i].max()
            step = max(1.0, float(np.diff(np.sort(candidates[i]))[-1:].max(initial=1.0)))
            add_candidates(i, np.arange(top + step, 2.0 * top + 2.0 * step, step))
        descend(choice)
    if extensions:
        # Grids of large centres step by more than one FTE: settle on whole FTEs.
        for i in range(len(candidates)):
            best = candidates[i][choice[i]]
            gaps = np.abs(np.sort(candidates[i]) - best)
            reach = float(np.sort(gaps)[1:3].max(initial=1.0)) if candidates[i].size > 1 else 1.0
            add_candidates(i, np.arange(max(best - reach, 0.0), best + reach + 1.0, 1.0))
        descend(choice)
    return outcome(choice)


def _bracket_search(
    rank: Callable[[float], tuple[bool, float]], low: float, best: float, high: float
) -> float:
    """Whole hours in [low, high] with the lowest rank, by golden-section search.

    ``best`` is the lowest point known so far (``low <= best <= high``, all whole
    hours, the ends already ranked). Assumes one valley between the ends; where
    discrete staffing levels make small ripples it still returns the best point
    it ranked.
    """
    while high - low > 2.0:
        right = high - best >= best - low
        gap = high - best if right else best - low
        trial = best + (1 if right else -1) * max(1.0, float(round(_GOLDEN * gap)))
        if rank(trial) < rank(best):
            low, high = (best, high) if right else (low, best)
            best = trial
        else:
            low, high = (low, trial) if right else (trial, high)
    return min(np.arange(low, high + 0.5, 1.0).tolist(), key=rank)


def optimize(
    scenario: Scenario,
    min_service_level: float | None = None,
    max_budget: float | None = None,
) -> Recommendation:
    """Representatives per channel and training hours that minimise total CX cost.

    Parameters
    ----------
    scenario : the scenario to improve
    min_service_level : optional floor on every channel's service level [0-1]
    max_budget : optional ceiling on the service cost [currency/year]

    Returns
    -------
    Recommendation
        If no plan meets every constraint, the cheapest plan that meets the
        service-level floor is returned with ``feasible=False`` and a message.
    """
    if min_service_level is not None and not 0.0 <= min_service_level <= 1.0:
        raise ValueError(f"min_service_level must be between 0 and 1, not {min_service_level}")
    if max_budget is not None and max_budget < 0:
        raise ValueError(f"max_budget must be 0 or more, not {max_budget}")
    limit = min(
        0.5 * scenario.staffing.paid_hours_per_year * (1 - scenario.staffing.shrinkage),
        _MAX_TRAINING_HOURS,
    )
    plans: dict[float, _Plan] = {}

    def plan_at(hours: float, extensions: int = 0) -> _Plan:
        if hours not in plans or extensions:
            plans[hours] = _plan_for_training(
                scenario, hours, min_service_level, max_budget, extensions
            )
        return plans[hours]

    def rank(hours: float) -> tuple[bool, float]:
        return plan_at(hours).rank

    current = scenario.training.hours_per_rep_per_year
    grid = sorted({*(h for h in _TRAINING_GRID if h < limit), float(np.floor(limit))})
    best_hours = min(grid, key=rank)
    index = grid.index(best_hours)
    low = grid[max(index - 1, 0)]
    high = grid[min(index + 1, len(grid) - 1)]
    best_hours = _bracket_search(rank, low, best_hours, high)
    if current <= limit and rank(current) < rank(best_hours):
        best_hours = current
    # At the chosen training level, let staffing grids grow past their top.
    plan = plan_at(best_hours, _MAX_EXTENSIONS)

    proposal = scenario.model_copy(deep=True)
    for channel, reps in zip(proposal.channels, plan.reps, strict=True):
        channel.representatives = float(reps)
    proposal.training.hours_per_rep_per_year = best_hours
    proposal = Scenario.model_validate(proposal.model_dump())
    base_result = evaluate(scenario)
    result = evaluate(proposal)
    comparison = compare(scenario, proposal, base_result, result)
    if plan.feasible:
        message = "The cheapest plan meets every constraint."
    else:
        parts = []
        if min_service_level is not None:
            parts.append(f"a service level of at least {min_service_level:.0%} on every channel")
        if max_budget is not None:
            parts.append(
                f"a service budget of at most {max_budget:,.0f} {scenario.business.currency}"
            )
        message = "No plan meets " + " and ".join(parts) + "; this is the closest one."
    return Recommendation(
        representatives=[float(r) for r in plan.reps],
        training_hours=best_hours,
        scenario=proposal,
        result=result,
        base_result=base_result,
        comparison=comparison,
        feasible=plan.feasible,
        message=message,
    )
