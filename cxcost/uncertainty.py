"""Uncertainty: Monte Carlo over the churn response and patience, and a tornado chart.

The uncertain inputs are the three churn-response probabilities (after a long
wait, a rude contact, a dismissive contact) and a multiplier on every
channel's patience. Each is drawn from a triangular distribution over its
range in ``scenario.uncertainty`` with its mode at the scenario's value
(clipped into the range; the patience multiplier's mode is 1).

Speed. Per contact, churn = 1 - (1 - u)(1 - sum_i s_i p_max (1 - T_i(f))) where
u combines rudeness and dismissiveness, s_i are channel shares and T_i(f) the
answered-wait transform of channel i at patience multiplier f. Only T_i
depends on the queues, and only through f, so T_i is computed exactly on a
grid of f and interpolated per draw; everything else is exact per draw. A
proposal is priced with the same draws (common random numbers), so its net
benefit distribution is not blurred by independent noise.

All randomness comes from ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from cxcost import churn, costs
from cxcost.evaluate import evaluate_many
from cxcost.scenario import Range, Scenario

Array = NDArray[np.float64]

_PATIENCE_GRID_POINTS = 33
PARAMETERS = ("wait_churn_max", "rude_churn", "dismissive_churn", "patience_factor")
PARAMETER_LABELS = {
    "wait_churn_max": "Churn after a very long wait",
    "rude_churn": "Churn after a rude contact",
    "dismissive_churn": "Churn after a dismissive contact",
    "patience_factor": "Customer patience (multiplier)",
}


class MonteCarloSummary(BaseModel):
    """Percentiles of the Monte Carlo outcome [currency/year]."""

    model_config = ConfigDict(frozen=True)

    currency: str
    draws: int
    seed: int
    revenue_at_risk_p10: float
    revenue_at_risk_p50: float
    revenue_at_risk_p90: float
    net_benefit_p10: float | None = None
    net_benefit_p50: float | None = None
    net_benefit_p90: float | None = None
    probability_pays_off: float | None = Field(
        None, description="Share of draws where the proposal's net benefit per year is > 0"
    )


@dataclass(frozen=True)
class MonteCarloResult:
    """Per-draw outcomes: revenue at risk and, with a proposal, its net benefit per year."""

    currency: str
    draws: int
    seed: int
    revenue_at_risk: Array
    net_benefit: Array | None

    def summary(self) -> MonteCarloSummary:
        """P10/P50/P90 and the probability that the proposal pays off."""
        rar = np.percentile(self.revenue_at_risk, [10, 50, 90])
        fields: dict[str, float | None] = {}
        if self.net_benefit is not None:
            nb = np.percentile(self.net_benefit, [10, 50, 90])
            fields = {
                "net_benefit_p10": float(nb[0]),
                "net_benefit_p50": float(nb[1]),
                "net_benefit_p90": float(nb[2]),
                "probability_pays_off": float(np.mean(self.net_benefit > 0)),
            }
        return MonteCarloSummary(
            currency=self.currency,
            draws=self.draws,
            seed=self.seed,
            revenue_at_risk_p10=float(rar[0]),
            revenue_at_risk_p50=float(rar[1]),
            revenue_at_risk_p90=float(rar[2]),
            **fields,
        )


class TornadoBar(BaseModel):
    """Revenue at risk with one parameter at the low and at the high end of its range."""

    model_config = ConfigDict(frozen=True)

    parameter: str
    label: str
    low: float
    high: float
    revenue_at_risk_low: float
    revenue_at_risk_high: float
    swing: float = Field(description="|high - low| of revenue at risk [currency/year]")


def _triangular(rng: np.random.Generator, bounds: Range, mode: float, size: int) -> Array:
    if bounds.high <= bounds.low:
        return np.full(size, bounds.low)
    return rng.triangular(
        bounds.low, float(np.clip(mode, bounds.low, bounds.high)), bounds.high, size
    )


def _draws(scenario: Scenario, draws: int, seed: int) -> dict[str, Array]:
    rng = np.random.default_rng(seed)
    u = scenario.uncertainty
    response = scenario.churn
    return {
        "wait_churn_max": _triangular(rng, u.wait_churn_max, response.wait_churn_max, draws),
        "rude_churn": _triangular(rng, u.rude_churn, response.rude_churn, draws),
        "dismissive_churn": _triangular(rng, u.dismissive_churn, response.dismissive_churn, draws),
        "patience_factor": _triangular(rng, u.patience_factor, 1.0, draws),
    }


def _outcomes(scenario: Scenario, sample: dict[str, Array], grid: Array) -> tuple[Array, Array]:
    """Revenue at risk and total CX cost per draw."""
    e = evaluate_many(scenario, patience_factor=grid)
    shares = np.asarray([c.share_of_contacts for c in scenario.channels])
    factor = sample["patience_factor"]
    waited = sum(
        share * (1.0 - np.interp(factor, grid, week.wait_transform))
        for share, week in zip(shares, e.weeks, strict=True)
    )
    wait_churn = sample["wait_churn_max"] * waited
    rude_risk = e.rude_share[0] * sample["rude_churn"]
    dismissive_risk = e.dismissive_share[0] * sample["dismissive_churn"]
    per_contact = churn.per_contact_churn(wait_churn, rude_risk, dismissive_risk)
    contacts_per_customer = e.contacts_per_year[0] / scenario.business.customers
    lost = scenario.business.customers * np.asarray(
        churn.annual_service_churn(contacts_per_customer, per_contact)
    )
    business = scenario.business
    per_customer = costs.customer_lifetime_margin(business) + business.acquisition_cost
    service = float(np.asarray(e.service_cost.total)[0])
    return lost * business.revenue_per_customer, lost * per_customer + service


def monte_carlo(
    scenario: Scenario,
    proposal: Scenario | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> MonteCarloResult:
    """Distribution of revenue at risk (and of a proposal's net benefit).

    Parameters
    ----------
    scenario : the base scenario; its ``uncertainty`` section gives the ranges
    proposal : optional changed scenario, priced with the same draws
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
    sample = _draws(scenario, n, rng_seed)
    bounds = scenario.uncertainty.patience_factor
    grid = np.linspace(bounds.low, bounds.high, _PATIENCE_GRID_POINTS)
    if bounds.high <= bounds.low:
        grid = np.array([bounds.low, bounds.low + 1e-9])
    revenue, base_total = _outcomes(scenario, sample, grid)
    net_benefit = None
    if proposal is not None:
        _, proposal_total = _outcomes(proposal, sample, grid)
        net_benefit = base_total - proposal_total
    return MonteCarloResult(
        currency=scenario.business.currency,
        draws=n,
        seed=rng_seed,
        revenue_at_risk=revenue,
        net_benefit=net_benefit,
    )


def tornado(scenario: Scenario) -> list[TornadoBar]:
    """Revenue at risk with each uncertain parameter at its low and high end.

    Returns
    -------
    list of TornadoBar
        Sorted by swing, largest first.
    """
    u = scenario.uncertainty
    response = scenario.churn
    base = {
        "wait_churn_max": response.wait_churn_max,
        "rude_churn": response.rude_churn,
        "dismissive_churn": response.dismissive_churn,
        "patience_factor": 1.0,
    }
    variants = {name: dict(base) for name in base}
    columns: dict[str, list[float]] = {name: [] for name in base}
    for name in PARAMETERS:
        bounds: Range = getattr(u, name)
        for end in (bounds.low, bounds.high):
            values = dict(variants[name])
            values[name] = end
            for key in base:
                columns[key].append(values[key])
    e = evaluate_many(scenario, **{k: np.asarray(v) for k, v in columns.items()})
    bars = []
    for i, name in enumerate(PARAMETERS):
        bounds = getattr(u, name)
        low, high = float(e.revenue_at_risk[2 * i]), float(e.revenue_at_risk[2 * i + 1])
        bars.append(
            TornadoBar(
                parameter=name,
                label=PARAMETER_LABELS[name],
                low=bounds.low,
                high=bounds.high,
                revenue_at_risk_low=low,
                revenue_at_risk_high=high,
                swing=abs(high - low),
            )
        )
    return sorted(bars, key=lambda bar: bar.swing, reverse=True)
