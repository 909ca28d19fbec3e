"""Uncertainty: Monte Carlo over every assumption a manager cannot look up, and a tornado.

The uncertain inputs are ``cxcost.scenario.UNCERTAIN_INPUTS``: the churn
responses (after a long wait, giving up, a rude and a dismissive contact), the
wait tolerance and patience of every channel, the untrained rude and
dismissive shares and their floors, the training half-life and fade,
the repeat-contact rate, contacts per customer, revenue per customer and
gross margin. Each is the scenario's value times a multiplier drawn between
the range's ``low`` and ``high`` (``scenario.uncertainty``) from a two-piece
triangular distribution: with probability 1/2 from the triangle on
[low, 1] rising to 1, else from the triangle on [1, high] falling from 1 (Eq 1).
Its mode and its median are exactly 1, so every input's median is its value
and the headline lies in the middle of the draws, whatever the range's skew.
Shares and probabilities are clipped to [0, 1]; a floor to its untrained share.

Speed. Draws that change the queues (contacts per customer and everything
that moves repeat contacts, patience, wait tolerance) reach them only through
three numbers per draw: the contacts offered, the patience multiplier and the
tolerance multiplier. Each channel's wait response and give-up share are
computed exactly on a grid over those three and interpolated (trilinear) per
draw; the money is exact per draw (``cxcost.evaluate.price_churn``). A small
sample (the tornado, the break-even search) is computed exactly, with no grid.
A proposal is priced with the same draws (common random numbers), so its net
benefit is not blurred by independent noise.

Net benefit of a proposal, per draw, is on the time basis of
``cxcost.compare``: base total CX cost - proposal total CX cost - the one-off
hiring of added representatives / the horizon's annuity factor.

All randomness comes from ``numpy.random.default_rng(seed)``.

References
----------
.. [1] J. R. van Dorp and S. Kotz, "A novel extension of the triangular
   distribution and its parameter estimation", The Statistician 51(1), 2002
   (two-sided / two-piece triangular distributions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from cxcost import costs, practices, quality
from cxcost.compare import one_off_cost
from cxcost.evaluate import channel_weeks, price_churn
from cxcost.scenario import UNCERTAIN_INPUTS, Range, Scenario

Array = NDArray[np.float64]

PARAMETERS: tuple[str, ...] = tuple(UNCERTAIN_INPUTS)
PARAMETER_LABELS: dict[str, str] = {
    "wait_churn_max": "Churn after a very long wait",
    "abandon_churn": "Churn after giving up for good",
    "rude_churn": "Churn after a rude contact",
    "dismissive_churn": "Churn after a dismissive contact",
    "wait_tolerance": "Wait customers accept (tolerance)",
    "patience": "Customer patience",
    "rude_share_untrained": "Rude contacts without training",
    "rude_share_floor": "Rude contacts no training removes",
    "dismissive_share_untrained": "Dismissive contacts without training",
    "dismissive_share_floor": "Dismissive contacts no training removes",
    "training_half_life": "Training needed to halve failures",
    "training_fade": "How long training lasts",
    "repeat_contact_rate": "Dismissed customers who call again",
    "contacts_per_customer": "Contacts per customer",
    "revenue_per_customer": "Revenue per customer",
    "gross_margin": "Gross margin",
}
# Inputs that are probabilities or shares: their drawn values stay within [0, 1].
_SHARES = frozenset(PARAMETERS) - {
    "wait_tolerance",
    "patience",
    "training_half_life",
    "training_fade",
    "contacts_per_customer",
    "revenue_per_customer",
}
# Grid of the queue-dependent draws: contacts offered, patience, tolerance.
_GRID_POINTS = (9, 7, 7)
# Grid of the training response's draws: half-life and fade, each log-spaced.
_TRAINING_GRID_POINTS = 17
# Samples up to this size are computed exactly, with no grid.
_EXACT_SAMPLE = 96
_BREAK_EVEN_POINTS = 41


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Percentiles(_Frozen):
    """P10, P50 and P90 of a figure [its unit]."""

    p10: float
    p50: float
    p90: float


class MonteCarloSummary(_Frozen):
    """Percentiles of the Monte Carlo outcome [currency/year]."""

    currency: str
    draws: int
    seed: int
    revenue_at_risk_p10: float
    revenue_at_risk_p50: float
    revenue_at_risk_p90: float
    total_cx_cost_p10: float
    total_cx_cost_p50: float
    total_cx_cost_p90: float
    net_benefit_p10: float | None = None
    net_benefit_p50: float | None = None
    net_benefit_p90: float | None = None
    probability_pays_off: float | None = Field(
        None, description="Share of draws where the proposal's net benefit per year is > 0"
    )


def _percentiles(values: Array) -> Percentiles:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return Percentiles(p10=float(p10), p50=float(p50), p90=float(p90))


@dataclass(frozen=True)
class MonteCarloResult:
    """Per-draw outcomes [currency/year]: revenue at risk and total CX cost of the scenario,
    and with a proposal its net benefit per year."""

    currency: str
    draws: int
    seed: int
    revenue_at_risk: Array
    total_cost: Array
    net_benefit: Array | None

    def summary(self) -> MonteCarloSummary:
        """P10/P50/P90 and the probability that the proposal pays off."""
        rar = _percentiles(self.revenue_at_risk)
        total = _percentiles(self.total_cost)
        fields: dict[str, float | None] = {}
        if self.net_benefit is not None:
            nb = _percentiles(self.net_benefit)
            fields = {
                "net_benefit_p10": nb.p10,
                "net_benefit_p50": nb.p50,
                "net_benefit_p90": nb.p90,
                "probability_pays_off": float(np.mean(self.net_benefit > 0)),
            }
        return MonteCarloSummary(
            currency=self.currency,
            draws=self.draws,
            seed=self.seed,
            revenue_at_risk_p10=rar.p10,
            revenue_at_risk_p50=rar.p50,
            revenue_at_risk_p90=rar.p90,
            total_cx_cost_p10=total.p10,
            total_cx_cost_p50=total.p50,
            total_cx_cost_p90=total.p90,
            **fields,
        )


class TornadoBar(_Frozen):
    """The outcome with one input at the low and at the high end of its range."""

    parameter: str
    label: str
    low: float = Field(description="Low multiplier of the input's value [x]")
    high: float = Field(description="High multiplier of the input's value [x]")
    revenue_at_risk_low: float
    revenue_at_risk_high: float
    net_benefit_low: float | None = Field(
        None, description="Net benefit per year of the proposal at the low end [currency/year]"
    )
    net_benefit_high: float | None = Field(
        None, description="Net benefit per year of the proposal at the high end [currency/year]"
    )
    swing: float = Field(
        description="|high - low| of the proposal's net benefit, or of revenue at risk "
        "without a proposal [currency/year]"
    )


class BreakEven(_Frozen):
    """How much training must cut dismissive contacts for the plan to pay off."""

    required_cut: float = Field(
        description="Least relative cut in dismissive contacts, against the base, at which "
        "the plan's net benefit per year is 0 [0-1]"
    )
    modelled_cut: float = Field(
        description="The cut the model expects from the plan's training [0-1]"
    )


class UncertaintyReport(_Frozen):
    """What the CLI's ``uncertainty`` command and the exports print."""

    currency: str
    draws: int
    seed: int
    scenario_name: str
    revenue_at_risk_per_year: Percentiles
    total_cx_cost_per_year: Percentiles
    net_benefit_per_year: Percentiles | None = Field(
        description="Of the proposal (the recommended plan) [currency/year]"
    )
    probability_pays_off: float | None
    headline: dict[str, float] = Field(
        description="The point values of the same figures, at every input's own value"
    )
    tornado: list[TornadoBar]
    break_even: BreakEven | None


def _two_piece_triangular(rng: np.random.Generator, bounds: Range, size: int) -> Array:
    """Eq 1: multipliers with mode and median 1 on [low, high]."""
    u = rng.random(size)
    lower = u < 0.5
    v = np.where(lower, 2.0 * u, 2.0 * u - 1.0)
    return np.where(
        lower,
        bounds.low + (1.0 - bounds.low) * np.sqrt(v),
        bounds.high - (bounds.high - 1.0) * np.sqrt(1.0 - v),
    )


def draw_factors(scenario: Scenario, draws: int, seed: int) -> dict[str, Array]:
    """Multipliers of every uncertain input, one array of ``draws`` each [x]."""
    rng = np.random.default_rng(seed)
    u = scenario.uncertainty
    return {name: _two_piece_triangular(rng, getattr(u, name), draws) for name in PARAMETERS}


def _value(scenario: Scenario, name: str) -> float:
    section, field = UNCERTAIN_INPUTS[name].split(".", 1)
    if section == "channels":
        return 1.0
    return float(getattr(getattr(scenario, section), field))


def _inputs(scenario: Scenario, factors: dict[str, Array]) -> dict[str, Array]:
    """The drawn values (channel-level inputs stay multipliers)."""
    out = {}
    for name in PARAMETERS:
        value = _value(scenario, name) * factors[name]
        out[name] = np.clip(value, 0.0, 1.0) if name in _SHARES else value
    out["rude_share_floor"] = np.minimum(out["rude_share_floor"], out["rude_share_untrained"])
    out["dismissive_share_floor"] = np.minimum(
        out["dismissive_share_floor"], out["dismissive_share_untrained"]
    )
    # The field's own limit holds for the draws too (a rate of 1 never resolves).
    out["repeat_contact_rate"] = np.minimum(out["repeat_contact_rate"], 0.95)
    return out


def _queue_outcomes(
    scenario: Scenario, contacts: Array, patience: Array, tolerance: Array, hours: float
) -> tuple[Array, Array]:
    """(n, channels) wait response and give-up share at each draw's queue inputs."""
    reps = np.asarray([c.representatives for c in scenario.channels], dtype=np.float64)
    on_queue = costs.on_queue_hours_per_week(scenario.staffing, scenario.training, hours)

    def exact(c: Array, p: Array, t: Array) -> tuple[Array, Array]:
        weeks = channel_weeks(
            scenario, c, np.broadcast_to(reps, (c.size, reps.size)), on_queue, p, t
        )
        return (
            np.stack([w.wait_response for w in weeks], axis=-1),
            np.stack([w.give_up_share for w in weeks], axis=-1),
        )

    if contacts.size <= _EXACT_SAMPLE or min(contacts.min(), patience.min()) <= 0:
        return exact(contacts, patience, tolerance)
    axes = [
        _log_axis(values, points)
        for values, points in zip((contacts, patience, tolerance), _GRID_POINTS, strict=True)
    ]
    mesh = np.meshgrid(*axes, indexing="ij")
    response, give_up = exact(*(m.reshape(-1) for m in mesh))
    samples = [contacts, patience, tolerance]
    shape = tuple(len(a) for a in axes)
    both = np.concatenate([response, give_up], axis=-1).reshape(*shape, -1)
    values = _multilinear(axes, both, samples)
    return values[:, : response.shape[1]], values[:, response.shape[1] :]


def _log_axis(values: Array, points: int) -> Array:
    """``points`` grid values spanning the draws, evenly in log (all draws are positive)."""
    low, high = float(values.min()), float(values.max())
    if high <= low * (1.0 + 1e-9):
        high = low * (1.0 + 1e-6) + 1e-12
    return np.geomspace(low, high, points)


def _multilinear(axes: list[Array], table: Array, samples: list[Array]) -> Array:
    """Interpolate ``table`` (grid shape + (m,)) at the samples, linearly in log of each axis.

    Each axis is log-spaced, so a sample's cell and weight come from arithmetic,
    not a search; the 2^d corners of the cell are summed with their weights.
    """
    index = []
    weight = []
    for axis, x in zip(axes, samples, strict=True):
        position = (np.log(x) - np.log(axis[0])) / (np.log(axis[-1]) - np.log(axis[0]))
        position = np.clip(position * (len(axis) - 1), 0.0, len(axis) - 1 - 1e-12)
        cell = np.floor(position).astype(np.intp)
        index.append(cell)
        weight.append(position - cell)
    out = np.zeros((samples[0].size, table.shape[-1]))
    for corner in range(2 ** len(axes)):
        w = np.ones(samples[0].size)
        at = []
        for d in range(len(axes)):
            upper = (corner >> d) & 1
            w = w * (weight[d] if upper else 1.0 - weight[d])
            at.append(index[d] + upper)
        out += w[:, None] * table[tuple(at)]
    return out


def _training_gap(
    half_life: Array,
    fade: Array,
    hours: float,
    new_hire: float,
    attrition: float,
    track: tuple[float, float] = (0.0, 1.0),
) -> Array:
    """``quality.training_gap_kept`` per draw; on a log grid of the two inputs for large samples.

    ``track`` is a training track's (hours a year, half-life in hours) for this failure.
    """

    def exact(h: Array, f: Array) -> Array:
        return np.asarray(quality.training_gap_kept(h, hours, new_hire, attrition, f, *track))

    if half_life.size <= _EXACT_SAMPLE:
        return exact(half_life, fade)
    axes = [_log_axis(half_life, _TRAINING_GRID_POINTS), _log_axis(fade, _TRAINING_GRID_POINTS)]
    mesh = np.meshgrid(*axes, indexing="ij")
    table = exact(mesh[0].reshape(-1), mesh[1].reshape(-1)).reshape(*mesh[0].shape, 1)
    return _multilinear(axes, table, [half_life, fade])[:, 0]


@dataclass(frozen=True)
class _Outcome:
    revenue_at_risk: Array
    total_cost: Array
    dismissive_share: Array


def _outcomes(
    scenario: Scenario, factors: dict[str, Array], dismissive_share: Array | None = None
) -> _Outcome:
    """Revenue at risk and total CX cost per draw.

    ``dismissive_share`` replaces the modelled dismissive share (the training
    response); the break-even search sets it to the base's share times (1 - cut).
    """
    values = _inputs(scenario, factors)
    hours = scenario.training.hours_per_rep_per_year
    attrition = scenario.staffing.attrition_per_year
    new_hire = scenario.training.new_hire_hours
    training, q = scenario.training, scenario.quality
    tracks = {
        "rude": (training.conflict_hours_per_rep_per_year, q.conflict_training_half_life_hours),
        "dismissive": (
            training.knowledge_hours_per_rep_per_year,
            q.knowledge_training_half_life_hours,
        ),
    }
    gaps: dict[tuple[float, float], Array] = {}

    def share(kind: str) -> Array:
        track = tracks[kind] if tracks[kind][0] > 0 else (0.0, 1.0)
        if track not in gaps:
            gaps[track] = _training_gap(
                values["training_half_life"],
                values["training_fade"],
                hours,
                new_hire,
                attrition,
                track,
            )
        untrained, floor = values[f"{kind}_share_untrained"], values[f"{kind}_share_floor"]
        return np.clip(floor + (untrained - floor) * gaps[track], floor, untrained)

    rude = share("rude")
    dismissive = share("dismissive") if dismissive_share is None else dismissive_share
    flow = practices.contact_flow(
        scenario, dismissive, values["contacts_per_customer"], values["repeat_contact_rate"]
    )
    per_customer = flow.contacts_per_customer
    contacts = scenario.business.customers * per_customer
    response, give_up = _queue_outcomes(
        scenario, contacts, values["patience"], values["wait_tolerance"], hours
    )
    price = price_churn(
        scenario,
        response,
        give_up,
        rude,
        flow.unresolved,
        per_customer,
        wait_churn_max=values["wait_churn_max"],
        abandon_churn=values["abandon_churn"],
        rude_churn=values["rude_churn"],
        dismissive_churn=values["dismissive_churn"],
        revenue_per_customer=values["revenue_per_customer"],
        gross_margin=values["gross_margin"],
        failed_self_service=flow.failed_self_service,
    )
    reps = sum(c.representatives for c in scenario.channels)
    service = float(
        np.asarray(costs.service_cost(reps, scenario.staffing, scenario.training, hours).total)
    )
    practice = practices.practice_cost(
        scenario, reps, contacts, price.answered_share, flow.unresolved
    ).total
    return _Outcome(price.revenue_at_risk, price.churn_cost + service + practice, dismissive)


def _one_off_per_year(base: Scenario, proposal: Scenario) -> float:
    business = base.business
    annuity = costs.annuity_factor(business.discount_rate, business.horizon_years)
    return one_off_cost(base, proposal) / annuity


def monte_carlo(
    scenario: Scenario,
    proposal: Scenario | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> MonteCarloResult:
    """Distribution of revenue at risk and total CX cost (and of a proposal's net benefit).

    Parameters
    ----------
    scenario : the scenario described; its ``uncertainty`` section gives the ranges
    proposal : optional changed scenario (e.g. the recommended plan), priced with the
        same draws of the same multipliers
    draws : number of draws [-]; default ``scenario.uncertainty.draws``
    seed : random seed; default ``scenario.uncertainty.seed``

    Returns
    -------
    MonteCarloResult
        The same seed gives the same numbers.
    """
    n = scenario.uncertainty.draws if draws is None else int(draws)
    if n < 1:
        raise ValueError(f"draws must be at least 1, not {n}")
    rng_seed = scenario.uncertainty.seed if seed is None else int(seed)
    factors = draw_factors(scenario, n, rng_seed)
    base = _outcomes(scenario, factors)
    net_benefit = None
    if proposal is not None:
        plan = _outcomes(proposal, factors)
        net_benefit = base.total_cost - plan.total_cost - _one_off_per_year(scenario, proposal)
    return MonteCarloResult(
        currency=scenario.business.currency,
        draws=n,
        seed=rng_seed,
        revenue_at_risk=base.revenue_at_risk,
        total_cost=base.total_cost,
        net_benefit=net_benefit,
    )


def _ends(scenario: Scenario) -> dict[str, Array]:
    """Factors for the tornado: one input at a time at its low, then its high end."""
    rows = 2 * len(PARAMETERS)
    factors = {name: np.ones(rows) for name in PARAMETERS}
    for i, name in enumerate(PARAMETERS):
        bounds: Range = getattr(scenario.uncertainty, name)
        factors[name][2 * i] = bounds.low
        factors[name][2 * i + 1] = bounds.high
    return factors


def tornado(scenario: Scenario, proposal: Scenario | None = None) -> list[TornadoBar]:
    """The outcome with each uncertain input at its low and high end, the others at their value.

    With a proposal the bars are its net benefit per year (the recommendation's
    tornado); revenue at risk of ``scenario`` is given either way.

    Returns
    -------
    list of TornadoBar
        Sorted by swing, largest first.
    """
    factors = _ends(scenario)
    base = _outcomes(scenario, factors)
    net = None
    if proposal is not None:
        plan = _outcomes(proposal, factors)
        net = base.total_cost - plan.total_cost - _one_off_per_year(scenario, proposal)
    bars = []
    for i, name in enumerate(PARAMETERS):
        bounds: Range = getattr(scenario.uncertainty, name)
        low, high = float(base.revenue_at_risk[2 * i]), float(base.revenue_at_risk[2 * i + 1])
        net_low = None if net is None else float(net[2 * i])
        net_high = None if net is None else float(net[2 * i + 1])
        swing = abs(high - low) if net is None else abs(net[2 * i + 1] - net[2 * i])
        bars.append(
            TornadoBar(
                parameter=name,
                label=PARAMETER_LABELS[name],
                low=bounds.low,
                high=bounds.high,
                revenue_at_risk_low=low,
                revenue_at_risk_high=high,
                net_benefit_low=net_low,
                net_benefit_high=net_high,
                swing=float(swing),
            )
        )
    return sorted(bars, key=lambda bar: bar.swing, reverse=True)


def break_even_dismissive_cut(scenario: Scenario, proposal: Scenario) -> BreakEven | None:
    """The least cut in dismissive contacts for which the proposal still pays off.

    The proposal's dismissive share is set to the base's times (1 - cut) for
    cuts from 0 to 1, everything else as modelled, and the net benefit per
    year's zero is found by linear interpolation between grid points.

    Returns
    -------
    BreakEven or None
        None when the plan does not pay off even if training removed every
        dismissive contact. ``required_cut`` is 0 when it pays off with no cut.
    """
    ones = {name: np.ones(1) for name in PARAMETERS}
    base = _outcomes(scenario, ones)
    planned = _outcomes(proposal, ones)
    base_share = float(base.dismissive_share[0])
    modelled = 1.0 - float(planned.dismissive_share[0]) / base_share if base_share > 0 else 0.0
    cuts = np.linspace(0.0, 1.0, _BREAK_EVEN_POINTS)
    grid = {name: np.ones(cuts.size) for name in PARAMETERS}
    plan = _outcomes(proposal, grid, dismissive_share=base_share * (1.0 - cuts))
    net = base.total_cost[0] - plan.total_cost - _one_off_per_year(scenario, proposal)
    if net[-1] < 0:
        return None
    if net[0] >= 0:
        return BreakEven(required_cut=0.0, modelled_cut=modelled)
    above = int(np.argmax(net >= 0))
    c0, c1, n0, n1 = cuts[above - 1], cuts[above], net[above - 1], net[above]
    return BreakEven(required_cut=float(c0 + (c1 - c0) * -n0 / (n1 - n0)), modelled_cut=modelled)


def analyse(
    scenario: Scenario,
    proposal: Scenario | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> UncertaintyReport:
    """Percentiles, probability of paying off, tornado and break-even in one report.

    Parameters
    ----------
    scenario : the scenario described (the current inputs)
    proposal : the plan to judge, e.g. ``optimize(scenario).scenario``
    draws, seed : as in :func:`monte_carlo`

    Returns
    -------
    UncertaintyReport
    """
    mc = monte_carlo(scenario, proposal, draws, seed)
    ones = {name: np.ones(1) for name in PARAMETERS}
    point = _outcomes(scenario, ones)
    headline = {
        "revenue_at_risk_per_year": float(point.revenue_at_risk[0]),
        "total_cx_cost_per_year": float(point.total_cost[0]),
    }
    net = None
    if proposal is not None:
        plan = _outcomes(proposal, ones)
        headline["net_benefit_per_year"] = float(
            point.total_cost[0] - plan.total_cost[0] - _one_off_per_year(scenario, proposal)
        )
        assert mc.net_benefit is not None
        net = _percentiles(mc.net_benefit)
    return UncertaintyReport(
        currency=scenario.business.currency,
        draws=mc.draws,
        seed=mc.seed,
        scenario_name=scenario.name,
        revenue_at_risk_per_year=_percentiles(mc.revenue_at_risk),
        total_cx_cost_per_year=_percentiles(mc.total_cost),
        net_benefit_per_year=net,
        probability_pays_off=None if mc.net_benefit is None else float(np.mean(mc.net_benefit > 0)),
        headline=headline,
        tornado=tornado(scenario, proposal),
        break_even=None if proposal is None else break_even_dismissive_cut(scenario, proposal),
    )
