"""The cheapest staffing and training, and the cost curves behind the charts.

Objective: the quantity ``cxcost.compare`` reports for a plan. Total CX cost
per year = service cost (staff, training, attrition) + churn cost (customers
lost x the value of one lost customer, valued once), plus the one-off hiring
of added representatives spread over the horizon (its annuity equivalent);
so the cheapest plan is the one with the largest net benefit per year and
NPV in ``compare``. Plans must keep every channel at or below its occupancy
cap. More representatives shorten the
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

import re
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from cxcost import costs, practices, quality
from cxcost.actions import GRIDS, applies, changed_levers, with_setting, with_settings
from cxcost.channels import channel_week
from cxcost.compare import Comparison, compare
from cxcost.evaluate import (
    Evaluation,
    Result,
    channel_wait_churn,
    evaluate,
    evaluate_many,
    price_contact_churn,
    variant_total_costs,
)
from cxcost.i18n import (
    Language,
    format_decimal_plain,
    format_money,
    format_number,
    format_percent,
    t,
)
from cxcost.practices import LEVERS
from cxcost.scenario import MAX_REPRESENTATIVES, WEEKS_PER_YEAR, Channel, Scenario, Training

Array = NDArray[np.float64]

_CURVE_POINTS = 80
_MAX_CANDIDATES = 60
# Training levels tried first [h/year]: denser where training acts fastest. The
# best of them is then refined to whole hours between its neighbours.
_TRAINING_GRID = (0.0, 4.0, 8.0, 16.0, 32.0, 64.0, 96.0, 128.0, 192.0, 256.0, 320.0, 400.0)
_GOLDEN = (3.0 - 5.0**0.5) / 2.0
_COORDINATE_PASSES = 4
_MAX_EXTENSIONS = 8
# Points of a cost curve beyond the band within 1 % of its minimum, on each side.
_EDGE_MARGIN = 3
# The Training field's upper limit: a plan must stay a valid scenario.
_MAX_TRAINING_HOURS = next(
    float(m.le)
    for m in Training.model_fields["hours_per_rep_per_year"].metadata
    if hasattr(m, "le")
)
_MAX_REPRESENTATIVES = float(MAX_REPRESENTATIVES)
# Usual practice (guardrails): beyond these a recommendation is flagged.
USUAL_MAX_SERVICE_LEVEL = 0.95
USUAL_MIN_OCCUPANCY = 0.70
USUAL_MAX_TRAINING_HOURS = 80.0
USUAL_MAX_SHRINKAGE = 0.40
# The least gain a lever must add (share of the net benefit) to be taken: a plan
# should not change a practice for pennies.
_LEVER_MIN_GAIN = 0.001
# A cost curve is "flat" within this share of its minimum.
FLAT_BAND = 0.01


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
    band_low: float = Field(description="Fewest representatives within 1 % of the minimum [FTE]")
    band_high: float = Field(description="Most representatives within 1 % of the minimum [FTE]")


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
    band_low: float = Field(description="Fewest training hours within 1 % of the minimum [h/year]")
    band_high: float = Field(description="Most training hours within 1 % of the minimum [h/year]")


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
    warnings: list[str] = Field(
        default_factory=list,
        description="One sentence per way the plan lies outside usual practice, with the "
        "model's reason; empty when none",
    )
    practices: dict[str, float] = Field(
        default_factory=dict,
        description="Practice levers the plan changes, by field path, with their new setting",
    )
    staffing_scenario: Scenario | None = Field(
        None,
        description="The staffing and general-training plan alone (practices as they are), "
        "when the plan also changes practices; None when ``scenario`` is that plan",
    )


class _Demand:
    """Quality and contacts at one training level."""

    def __init__(self, scenario: Scenario, hours: float) -> None:
        q, attrition = scenario.quality, scenario.staffing.attrition_per_year
        self.rude = float(quality.rude_share(q, scenario.training, attrition, hours))
        self.dismissive = float(quality.dismissive_share(q, scenario.training, attrition, hours))
        flow = practices.contact_flow(scenario, self.dismissive)
        self.unresolved = float(flow.unresolved)
        self.failed_self_service = float(flow.failed_self_service)
        self.legs = flow.legs
        self.contacts_per_customer = float(flow.contacts_per_customer)
        self.contacts = scenario.business.customers * self.contacts_per_customer
        self.on_queue = float(
            costs.on_queue_hours_per_week(scenario.staffing, scenario.training, hours)
        )


def _workload_fte(scenario: Scenario, channel_index: int, training_hours: float) -> float:
    """Representatives whose queue time just equals the channel's workload [FTE]."""
    channel = scenario.channels[channel_index]
    demand = _Demand(scenario, training_hours)
    work_hours = (
        (demand.contacts * demand.legs * channel.share_of_contacts / WEEKS_PER_YEAR)
        * channel.handle_time_seconds
        / 3600.0
    )
    return work_hours / channel.concurrency / max(demand.on_queue, 1e-9)


def _candidate_range(workload: float, current: float, points: int) -> Array:
    """Staffing levels around the workload: from 70 % of it to twice it plus a margin."""
    low = max(0.0, np.floor(0.7 * workload))
    high = min(_MAX_REPRESENTATIVES, max(np.ceil(2.0 * workload + 4.0), current * 1.2 + 2.0))
    step = max(1.0, np.ceil((high - low) / points))
    grid = np.arange(low, high + step, step)
    return np.unique(np.concatenate([grid[grid <= _MAX_REPRESENTATIVES], [current]]))


def _hiring_per_year(scenario: Scenario) -> float:
    """One-off cost of one added representative, spread over the horizon [currency/year]."""
    business = scenario.business
    annuity = costs.annuity_factor(business.discount_rate, business.horizon_years)
    return costs.hiring_cost_per_rep(scenario.staffing, scenario.training) / annuity


def _band(values: Array, total: Array) -> tuple[float, float]:
    """Smallest and largest value whose total cost is within ``FLAT_BAND`` of the minimum."""
    best = float(np.min(total))
    inside = values[total <= best + FLAT_BAND * abs(best)]
    return float(inside.min()), float(inside.max())


def _objective(scenario: Scenario, representatives: Array, total_cost: Array) -> Array:
    """Total CX cost plus added representatives' hiring spread over the horizon [currency/year]."""
    current = sum(c.representatives for c in scenario.channels)
    added = np.maximum(np.asarray(representatives).sum(axis=-1) - current, 0.0)
    return np.asarray(total_cost + added * _hiring_per_year(scenario))


def planned_channels(scenario: Scenario) -> list[int]:
    """Indices of the channels whose staffing the optimiser plans: all but in-person ones,
    which have no queue to size (their staff stay as they are)."""
    return [i for i, c in enumerate(scenario.channels) if c.kind != "in_person"]


def cost_curve(
    scenario: Scenario, channel_index: int = 0, representatives: Sequence[float] | None = None
) -> CostCurve:
    """Total CX cost and queue metrics against one channel's representatives.

    The total is the optimiser's objective: total CX cost per year plus the
    hiring of representatives added over the scenario's, spread over the horizon.

    Parameters
    ----------
    scenario : the scenario (other channels and training held as they are)
    channel_index : which channel to vary
    representatives : staffing levels to evaluate [FTE]; default a range that
        holds the current staffing and the minimum with a margin on both sides

    Returns
    -------
    CostCurve
    """
    if not 0 <= channel_index < len(scenario.channels):
        raise ValueError(
            f"channel_index must be between 0 and {len(scenario.channels) - 1}, not {channel_index}"
        )
    channel = scenario.channels[channel_index]
    base = np.asarray([c.representatives for c in scenario.channels], dtype=np.float64)

    def at(levels: Array) -> tuple[Array, Evaluation]:
        matrix = np.tile(base, (levels.size, 1))
        matrix[:, channel_index] = levels
        e = evaluate_many(scenario, representatives=matrix)
        return _objective(scenario, matrix, e.total_cost), e

    if representatives is not None:
        reps = np.asarray(representatives, dtype=np.float64)
    else:
        hours = scenario.training.hours_per_rep_per_year
        reps = _candidate_range(
            _workload_fte(scenario, channel_index, hours), channel.representatives, _CURVE_POINTS
        )
        reps = _widen_to_hold_minimum(reps, lambda levels: at(levels)[0])
    total, e = at(reps)
    week = e.weeks[channel_index]
    band_low, band_high = _band(reps, total)
    return CostCurve(
        currency=scenario.business.currency,
        channel_index=channel_index,
        channel_name=channel.name,
        representatives=reps.tolist(),
        service_cost=np.asarray(e.service_cost.total).tolist(),
        churn_cost=e.churn_cost.tolist(),
        total_cost=total.tolist(),
        revenue_at_risk=e.revenue_at_risk.tolist(),
        service_level=week.service_level.tolist(),
        mean_wait_seconds=week.mean_wait_seconds.tolist(),
        p_abandon=week.p_abandon.tolist(),
        best_index=int(np.argmin(total)),
        current_representatives=channel.representatives,
        band_low=band_low,
        band_high=band_high,
    )


def _widen_to_hold_minimum(
    grid: Array, total: Callable[[Array], Array], limit: float = _MAX_REPRESENTATIVES
) -> Array:
    """Extend an even grid until its minimum has at least ``_EDGE_MARGIN`` points each side.

    The curve must show where the minimum is and how flat the bottom is, so
    the band within 1 % of the minimum must end inside the range as well.
    """
    for _ in range(_MAX_EXTENSIONS):
        values = total(grid)
        best = int(np.argmin(values))
        inside = np.flatnonzero(values <= values[best] + FLAT_BAND * abs(values[best]))
        step = float(np.median(np.diff(grid))) if grid.size > 1 else 1.0
        low_short = inside[0] < _EDGE_MARGIN and grid[0] > 0
        high_short = inside[-1] > grid.size - 1 - _EDGE_MARGIN and grid[-1] < limit
        if not (low_short or high_short):
            break
        span = grid[-1] - grid[0]
        extra = []
        if low_short:
            extra.append(np.arange(max(grid[0] - 0.5 * span, 0.0), grid[0], step))
        if high_short:
            extra.append(np.arange(grid[-1] + step, min(grid[-1] + 0.5 * span, limit) + step, step))
        grid = np.unique(np.concatenate([grid, *extra]))
        grid = grid[(grid >= 0) & (grid <= limit)]
    return grid


def training_curve(scenario: Scenario, hours: Sequence[float] | None = None) -> TrainingCurve:
    """Quality, churn and cost against training hours, staffing held as it is.

    Parameters
    ----------
    scenario : the scenario
    hours : training levels to evaluate [h/year]; default 0 h up to a range that
        holds the current value and the minimum with a margin (at most the
        field's limit, or half the time on the queues if less), 81 steps

    Returns
    -------
    TrainingCurve
    """
    current = scenario.training.hours_per_rep_per_year
    top = _training_limit(scenario)
    if hours is not None:
        grid = np.asarray(hours, dtype=np.float64)
    else:
        reach = min(top, max(4.0 * current, 80.0))
        grid = np.linspace(0.0, reach, 81)
        for _ in range(_MAX_EXTENSIONS):
            total = evaluate_many(scenario, training_hours=grid).total_cost
            best = float(np.min(total))
            inside = grid[total <= best + FLAT_BAND * abs(best)]
            if inside.max() < grid[-1] - 2 * (grid[1] - grid[0]) or grid[-1] >= top:
                break
            grid = np.linspace(0.0, min(top, 2.0 * grid[-1]), 81)
    e = evaluate_many(scenario, training_hours=grid)
    band_low, band_high = _band(grid, e.total_cost)
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
        band_low=band_low,
        band_high=band_high,
    )


def _training_limit(scenario: Scenario) -> float:
    """Most ongoing training a plan may have: the field's limit, within half the queue time."""
    staffing = scenario.staffing
    room = staffing.paid_hours_per_year * (
        staffing.shrinkage if staffing.shrinkage_includes_training else 1 - staffing.shrinkage
    )
    training = scenario.training
    room -= staffing.attrition_per_year * training.new_hire_hours
    room -= training.conflict_hours_per_rep_per_year + training.knowledge_hours_per_rep_per_year
    share = 1.0 if staffing.shrinkage_includes_training else 0.5
    return max(min(share * room, _MAX_TRAINING_HOURS), 0.0)


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


def _occupancy_cap(channel: Channel, max_occupancy: float | None) -> float:
    return (
        channel.max_occupancy
        if max_occupancy is None
        else min(channel.max_occupancy, max_occupancy)
    )


def _plan_for_training(
    scenario: Scenario,
    hours: float,
    min_service_level: float | None,
    max_budget: float | None,
    max_occupancy: float | None,
    extensions: int = 0,
) -> _Plan:
    demand = _Demand(scenario, hours)
    per_rep = float(costs.service_cost(1.0, scenario.staffing, scenario.training, hours).total)
    hiring = _hiring_per_year(scenario)
    current_total = sum(c.representatives for c in scenario.channels)
    staffing = scenario.staffing

    def channel_terms(i: int, reps: Array) -> tuple[Array, Array, NDArray[np.bool_]]:
        channel = scenario.channels[i]
        week = channel_week(
            channel,
            scenario.demand.arrival_profile,
            demand.contacts * demand.legs * channel.share_of_contacts,
            reps,
            demand.on_queue,
            1.0,
            staffing.schedule,
            staffing.scheduling_efficiency,
        )
        wait = channel_wait_churn(
            scenario, week.wait_response[:, None], week.give_up_share[:, None]
        )
        ok = week.occupancy <= _occupancy_cap(channel, max_occupancy) + 1e-12
        if min_service_level is not None:
            ok &= week.service_level >= min_service_level - 1e-12
        share = channel.share_of_contacts
        return wait[:, 0] * share, (1.0 - week.give_up_share) * share, ok

    candidates: list[Array] = []
    wait_terms: list[Array] = []
    answered_terms: list[Array] = []
    meets_target: list[NDArray[np.bool_]] = []
    for i, channel in enumerate(scenario.channels):
        # In-person staff serve on the spot: no queue to size, they stay as they are.
        reps = (
            np.asarray([channel.representatives])
            if channel.kind == "in_person"
            else _candidate_range(
                _workload_fte(scenario, i, hours), channel.representatives, _MAX_CANDIDATES
            )
        )
        wait, answered, ok = channel_terms(i, reps)
        candidates.append(reps)
        wait_terms.append(wait)
        answered_terms.append(answered)
        meets_target.append(ok)

    def total(wait_churn: Array, answered: Array, representatives: Array) -> Array:
        price = price_contact_churn(
            scenario,
            wait_churn,
            answered,
            demand.rude,
            demand.unresolved,
            demand.contacts_per_customer,
            failed_self_service=demand.failed_self_service,
        )
        added = np.maximum(representatives - current_total, 0.0)
        return price.churn_cost + service(answered, representatives) + added * hiring

    def service(answered: Array, representatives: Array) -> Array:
        """Service cost per year: staff, training, attrition and the practices."""
        practice = practices.practice_cost(
            scenario, representatives, demand.contacts, answered, demand.unresolved
        )
        return np.asarray(representatives * per_rep + practice.total)

    def add_candidates(i: int, reps: Array) -> None:
        reps = np.setdiff1d(reps[(reps >= 0) & (reps <= _MAX_REPRESENTATIVES)], candidates[i])
        if reps.size:
            wait, answered, ok = channel_terms(i, reps)
            candidates[i] = np.concatenate([candidates[i], reps])
            wait_terms[i] = np.concatenate([wait_terms[i], wait])
            answered_terms[i] = np.concatenate([answered_terms[i], answered])
            meets_target[i] = np.concatenate([meets_target[i], ok])

    def chosen(choice: list[int], skip: int | None = None) -> tuple[float, float, float]:
        rows = [j for j in range(len(candidates)) if j != skip]
        return (
            sum(wait_terms[j][choice[j]] for j in rows),
            sum(answered_terms[j][choice[j]] for j in rows),
            sum(candidates[j][choice[j]] for j in rows),
        )

    with_contacts = {i for i, c in enumerate(scenario.channels) if c.share_of_contacts > 0}
    needs_human = scenario.practices.self_service_share > 0

    def descend(choice: list[int]) -> None:
        """Coordinate descent: each channel in turn takes its cheapest allowed level."""
        for _ in range(_COORDINATE_PASSES):
            changed = False
            for i in range(len(candidates)):
                wait, answered, reps = chosen(choice, skip=i)
                reps_total = reps + candidates[i]
                cost = total(wait + wait_terms[i], answered + answered_terms[i], reps_total)
                allowed = meets_target[i].copy()
                if max_budget is not None:
                    allowed &= service(answered + answered_terms[i], reps_total) <= max_budget
                if not allowed.any():
                    allowed = meets_target[i] if meets_target[i].any() else np.ones_like(allowed)
                if needs_human:
                    # Deflection needs a human behind it: some channel with contacts staffed
                    # (Scenario._human_reachable), a rule no plan may break.
                    others = sum(candidates[j][choice[j]] for j in with_contacts if j != i)
                    own = candidates[i] if i in with_contacts else np.zeros_like(candidates[i])
                    allowed &= others + own > 0
                best = int(np.argmin(np.where(allowed, cost, np.inf)))
                if best != choice[i]:
                    choice[i], changed = best, True
            if not changed:
                return

    def outcome(choice: list[int]) -> _Plan:
        reps = np.asarray([candidates[i][choice[i]] for i in range(len(candidates))])
        wait, answered, reps_total = chosen(choice)
        plan_cost = float(total(np.asarray(wait), np.asarray(answered), np.asarray(reps_total)))
        spent = float(service(np.asarray(answered), np.asarray(reps_total)))
        feasible = all(meets_target[i][choice[i]] for i in range(len(candidates))) and (
            max_budget is None or spent <= max_budget * (1 + 1e-12)
        )
        return _Plan(reps, plan_cost, spent, feasible)

    # Descend from two starts, the cheapest levels that meet the constraints and
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
        edge = [
            i
            for i in edge
            if candidates[i].max() < _MAX_REPRESENTATIVES
            and scenario.channels[i].kind != "in_person"
        ]
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
            if scenario.channels[i].kind == "in_person":
                continue
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
    return float(min(np.arange(low, high + 0.5, 1.0).tolist(), key=rank))


def _beyond(share: float, limit: float, language: Language) -> str:
    """A share as a percentage that never reads as the limit it lies beyond."""
    for digits in range(4):
        text = format_percent(share, language, digits)
        if text != format_percent(limit, language, digits):
            return text
    return format_percent(share, language, 4)


_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)$")


def _field_name(path: str, language: Language) -> str:
    """An input named in a sentence: its path in English (as files and ``--set`` write it),
    its label elsewhere."""
    if language == "en":
        return path
    key = "field." + path.replace("channels.", "channels.*.")
    label = _UNIT_SUFFIX.sub("", t(key, language, currency="", channel=""))
    return f"«{label}»"


def practice_warnings(scenario: Scenario, result: Result, language: Language = "en") -> list[str]:
    """One plain sentence for each way a plan lies outside usual practice, with the reason.

    Usual practice: service level at most 95 % and occupancy at least 70 % on
    the queued channels, training at most 80 h per representative a year,
    shrinkage including training at most 40 %.

    Parameters
    ----------
    scenario : the plan's scenario
    result : its result
    language : the sentences' language ("en", "nb")

    Returns
    -------
    list of str
        Empty when the plan is within usual practice.
    """
    out: list[str] = []
    response = scenario.churn
    rep_cost = costs.loaded_hourly_cost(scenario.staffing) * scenario.staffing.paid_hours_per_year
    worth = t(
        "practice.worth",
        language,
        value=format_money(result.lost_customer_value, result.currency, language, compact=False),
        valuation=t(f"valuation.{result.lost_customer_valuation}", language),
        cost=format_money(rep_cost, result.currency, language, compact=False),
    )
    for channel, metrics in zip(scenario.channels, result.channels, strict=True):
        if channel.kind in ("email", "in_person"):
            continue
        reasons = []
        if metrics.service_level > USUAL_MAX_SERVICE_LEVEL:
            reasons.append(
                t(
                    "practice.service_level",
                    language,
                    value=_beyond(metrics.service_level, USUAL_MAX_SERVICE_LEVEL, language),
                    limit=format_percent(USUAL_MAX_SERVICE_LEVEL, language, 0),
                )
            )
        if metrics.occupancy < USUAL_MIN_OCCUPANCY:
            reasons.append(
                t(
                    "practice.occupancy",
                    language,
                    value=_beyond(metrics.occupancy, USUAL_MIN_OCCUPANCY, language),
                    limit=format_percent(USUAL_MIN_OCCUPANCY, language, 0),
                )
            )
        if not reasons:
            continue
        if channel.queue_model == "erlang_a" and response.abandon_churn >= response.wait_churn_max:
            why = t(
                "practice.why_abandon",
                language,
                abandon=format_percent(response.abandon_churn, language, 0),
                redial=format_percent(channel.redial_share, language, 0),
                abandon_field=_field_name("churn.abandon_churn", language),
                redial_field=_field_name("channels.redial_share", language),
            )
        else:
            why = t(
                "practice.why_wait",
                language,
                minutes=format_decimal_plain(channel.wait_tolerance_minutes, language),
                churn=format_percent(response.wait_churn_max, language, 0),
                tolerance_field=_field_name("channels.wait_tolerance_minutes", language),
            )
        out.append(
            t(
                "practice.channel",
                language,
                channel=channel.name,
                reasons=t("rec.and", language).join(reasons),
                why=worth + why,
            )
        )
    training = scenario.training
    hours = (
        training.hours_per_rep_per_year
        + training.conflict_hours_per_rep_per_year
        + training.knowledge_hours_per_rep_per_year
    )
    if hours > USUAL_MAX_TRAINING_HOURS:
        out.append(
            t(
                "practice.training",
                language,
                hours=format_number(hours, language),
                limit=format_number(USUAL_MAX_TRAINING_HOURS, language),
                half_life=format_decimal_plain(scenario.quality.training_half_life_hours, language),
                half_life_field=_field_name("quality.training_half_life_hours", language),
            )
        )
    if result.total_shrinkage > USUAL_MAX_SHRINKAGE:
        out.append(
            t(
                "practice.shrinkage",
                language,
                share=_beyond(result.total_shrinkage, USUAL_MAX_SHRINKAGE, language),
                limit=format_percent(USUAL_MAX_SHRINKAGE, language, 0),
                hours=format_number(result.training_hours_per_rep, language),
                shrinkage_field=_field_name("staffing.shrinkage", language),
            )
        )
    return out


def _best_levers(scenario: Scenario, start: Scenario, base_result: Result) -> dict[str, float]:
    """Practice levers that add to the net benefit of ``start``, by one coordinate sweep.

    The levers are taken in turn, each set to the grid setting that adds most on
    top of ``start`` and the levers set so far; a change must add at least
    ``_LEVER_MIN_GAIN`` of the net benefit. The staffing stays as in ``start``, so
    no hiring differs between the settings and ``compare``'s net benefit ranks
    them as their total CX cost does: each lever's grid is priced in one pass
    (``variant_total_costs``). Returns the levers whose setting differs from
    ``scenario``'s.
    """
    current = start
    start_result = evaluate(start)
    best = compare(scenario, start, base_result, start_result).net_benefit_per_year
    current_total = start_result.total_cx_cost_per_year
    for path in LEVERS:
        if not applies(current, path):
            continue
        candidates = [
            c for value in GRIDS[path] if (c := with_setting(current, path, value)) is not None
        ]
        candidates = [c for c in candidates if c != current]
        if not candidates:
            continue
        totals = variant_total_costs(candidates)
        index = int(np.argmin(totals))
        gain = best + (current_total - float(totals[index]))
        if gain > best + _LEVER_MIN_GAIN * abs(best) + 1e-9:
            best, current, current_total = gain, candidates[index], float(totals[index])
    return changed_levers(scenario, current)


def optimize(
    scenario: Scenario,
    min_service_level: float | None = None,
    max_budget: float | None = None,
    max_occupancy: float | None = None,
    max_training_hours: float | None = None,
    practices: bool = True,
) -> Recommendation:
    """Representatives per channel, training hours and practice levers that maximise the
    net benefit.

    With ``practices`` the levers (``cxcost.practices.LEVERS``) are searched
    alongside staffing and training, by alternation: a sweep of the levers at
    today's staffing, the staffing and training planned for them, a second sweep
    on top of that plan and, if it moves a lever, a last plan. Starting from the
    levers matters: the training tracks can replace general training, which a
    sweep on top of a plan with much general training would never find. The
    staffing and training plan alone is computed too; the best plan is returned
    (feasible plans first), and ``staffing_scenario`` keeps the plan alone.

    Parameters
    ----------
    practices : also choose the practice levers; False keeps them as they are
    (the others as in :func:`_optimize_staffing`)
    """
    constraints = (min_service_level, max_budget, max_occupancy, max_training_hours)
    alone = _optimize_staffing(scenario, *constraints)
    if not practices:
        return alone
    base_result = alone.base_result
    plans: list[tuple[Recommendation, dict[str, float]]] = []
    levers = _best_levers(scenario, scenario, base_result)
    for _ in range(2):
        if not levers or (plans and levers == plans[-1][1]):
            break
        levered = with_settings(scenario, levers)
        if levered is None:  # the levers do not fit today's training (the tracks' hours)
            break
        plan = _optimize_staffing(levered, *constraints)
        plans.append((plan, levers))
        levers = _best_levers(scenario, plan.scenario, base_result) or levers
    best, chosen, best_comparison = alone, {}, alone.comparison
    for plan, plan_levers in plans:
        comparison = compare(scenario, plan.scenario, base_result, plan.result)
        rank = (plan.feasible, comparison.net_benefit_per_year)
        if rank > (best.feasible, best_comparison.net_benefit_per_year):
            best, chosen, best_comparison = plan, plan_levers, comparison
    if best is alone:
        return alone
    return best.model_copy(
        update={
            "base_result": base_result,
            "comparison": best_comparison,
            "practices": chosen,
            "staffing_scenario": alone.scenario,
        }
    )


def _optimize_staffing(
    scenario: Scenario,
    min_service_level: float | None = None,
    max_budget: float | None = None,
    max_occupancy: float | None = None,
    max_training_hours: float | None = None,
    training_hours: float | None = None,
) -> Recommendation:
    """Representatives per channel and training hours that maximise the net benefit.

    ``training_hours`` fixes the general training instead of searching it (the
    re-plan after the practice levers, :func:`optimize`).

    The objective is the one ``cxcost.compare`` reports: total CX cost per year
    plus the hiring of added representatives spread over the horizon; so the
    plan found has the largest net benefit per year and NPV against the scenario.

    Parameters
    ----------
    scenario : the scenario to improve
    min_service_level : optional floor on every channel's service level [0-1]
    max_budget : optional ceiling on the service cost [currency/year]
    max_occupancy : optional ceiling on every channel's occupancy, below each
        channel's own ``max_occupancy`` [0-1]
    max_training_hours : optional ceiling on training per representative [h/year]

    Returns
    -------
    Recommendation
        If no plan meets every constraint, the cheapest plan that meets the
        service-level floor is returned with ``feasible=False`` and a message.
        ``warnings`` names every way the plan lies outside usual practice.
    """
    if min_service_level is not None and not 0.0 <= min_service_level <= 1.0:
        raise ValueError(f"min_service_level must be between 0 and 1, not {min_service_level}")
    if max_budget is not None and max_budget < 0:
        raise ValueError(f"max_budget must be 0 or more, not {max_budget}")
    if max_occupancy is not None and not 0.0 < max_occupancy <= 1.0:
        raise ValueError(f"max_occupancy must be above 0 and at most 1, not {max_occupancy}")
    if max_training_hours is not None and max_training_hours < 0:
        raise ValueError(f"max_training_hours must be 0 or more, not {max_training_hours}")
    limit = _training_limit(scenario)
    if max_training_hours is not None:
        limit = min(limit, max_training_hours)
    plans: dict[float, _Plan] = {}

    def plan_at(hours: float, extensions: int = 0) -> _Plan:
        if hours not in plans or extensions:
            plans[hours] = _plan_for_training(
                scenario, hours, min_service_level, max_budget, max_occupancy, extensions
            )
        return plans[hours]

    def rank(hours: float) -> tuple[bool, float]:
        return plan_at(hours).rank

    current = scenario.training.hours_per_rep_per_year
    if training_hours is not None:
        best_hours = training_hours
    else:
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
        parts.append("every channel's occupancy cap")
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
        warnings=practice_warnings(proposal, result),
    )
