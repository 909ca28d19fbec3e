"""Compare a proposal with a base scenario: net benefit, ROI, payback, NPV.

Decisions and assumptions. A proposal may change what the manager decides
(``cxcost.scenario.DECISION_FIELDS``: representatives, training, roster) and
what is assumed about the business (revenue, margin, churn responses,
demand...). The benefit of the decision is priced under the base's
assumptions: the base with the proposal's decisions applied. What the
proposal's other assumptions change is reported apart
(``assumptions_effect_per_year``), never booked as benefit of the decision.

One time basis. Each year the decision saves churn cost (customers kept x the
value of one lost customer, valued once, as in ``cxcost.evaluate``) and costs
extra service; both are booked at the end of each year of the horizon, and the
hiring of added representatives (recruiting plus new-hire training) at the
start. So

    NPV = -one-off + A (steady-state net benefit),  A = sum_{t=1..H} (1 + i)^-t

and the net benefit per year is the annuity equivalent of that NPV, NPV / A:
the steady-state yearly figure less the one-off spread over the horizon. Net
benefit, NPV and ROI therefore always have the same sign, and the optimiser
minimises exactly this quantity (``cxcost.optimize``).

References
----------
.. [1] S. Gupta and D. Lehmann, "Customers as assets", Journal of Interactive
   Marketing 17(1), 2003 (customers valued at their lifetime margin).
.. [2] R. Brealey, S. Myers and F. Allen, "Principles of Corporate Finance",
   ch. 6: equivalent annual cash flow = NPV / annuity factor.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cxcost import costs
from cxcost.dotted import get_path, set_path
from cxcost.evaluate import Result, evaluate
from cxcost.scenario import DECISION_FIELDS, Scenario

MAX_PAYBACK_YEARS = 30
# Extra cost below this share of the benefits counts as none (ROI above 1e9).
_NEGLIGIBLE_COST = 1e-9
YEARLY_BASIS = "per year, steady state, one-off costs spread over the horizon"


class Comparison(BaseModel):
    """Proposal against base: the decision priced under the base's assumptions.

    Money in the base scenario's currency.
    """

    model_config = ConfigDict(frozen=True)

    currency: str
    net_benefit_per_year: float = Field(
        description="NPV / annuity factor: steady-state saving less the one-off spread over "
        "the horizon [currency/year]"
    )
    steady_state_benefit_per_year: float = Field(
        description="Base total CX cost - total CX cost with the proposal's decisions "
        "[currency/year]"
    )
    extra_service_cost_per_year: float = Field(
        description="Service cost with the proposal's decisions - base service cost [currency/year]"
    )
    churn_cost_saved_per_year: float = Field(description="Churn cost avoided [currency/year]")
    revenue_saved_per_year: float = Field(description="Revenue at risk avoided [currency/year]")
    customers_saved_per_year: float = Field(description="Customers kept [1/year]")
    one_off_cost: float = Field(
        description="Hiring and new-hire training of added representatives, at the start [currency]"
    )
    roi: float | None = Field(
        description="(PV of benefits - PV of costs) / PV of costs over the horizon [-]; "
        "None when the proposal costs nothing (or next to nothing) extra"
    )
    payback_months: float | None = Field(
        description="Months until cumulative cash flow turns positive; None if not within "
        f"{MAX_PAYBACK_YEARS} years"
    )
    npv: float = Field(description="Net present value of the decision over the horizon [currency]")
    horizon_years: int
    annuity_factor: float = Field(description="Sum of the horizon's discount factors [years]")
    cash_flow_by_year: list[float] = Field(
        description="Net cash flow in years 1..horizon, undiscounted [currency]"
    )
    cumulative_npv_by_year: list[float] = Field(
        description="NPV of the change up to the end of years 0..horizon [currency]"
    )
    changed_assumptions: list[str] = Field(
        default_factory=list,
        description="Inputs other than decisions that differ between base and proposal",
    )
    assumptions_effect_per_year: float = Field(
        0.0,
        description="Change in total CX cost that the proposal's other assumptions make on "
        "their own, not part of the benefit [currency/year]",
    )
    basis: str = Field(YEARLY_BASIS, description="Time basis of the yearly figures")


def _flatten(data: object, prefix: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        out: dict[str, object] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    if isinstance(data, list) and data and isinstance(data[0], dict):
        out = {}
        for index, value in enumerate(data):
            out.update(_flatten(value, f"{prefix}{index}."))
        return out
    return {prefix[:-1]: data}


def _is_decision(path: str) -> bool:
    parts = path.split(".")
    generic = ".".join("*" if p.isdigit() else p for p in parts)
    return generic in DECISION_FIELDS


_NOT_ASSUMPTIONS = ("name", "description", "sources", "schema_version", "uncertainty")


def changed_assumptions(base: Scenario, proposal: Scenario) -> list[str]:
    """Paths of the inputs, other than decisions, in which the two scenarios differ."""
    a = _flatten(base.model_dump(exclude=set(_NOT_ASSUMPTIONS)))
    b = _flatten(proposal.model_dump(exclude=set(_NOT_ASSUMPTIONS)))
    return sorted(
        path
        for path in a.keys() | b.keys()
        if not _is_decision(path) and a.get(path) != b.get(path)
    )


def with_decisions(base: Scenario, proposal: Scenario) -> Scenario:
    """The base scenario with the proposal's decisions applied.

    Raises
    ------
    ValueError
        The two scenarios have different channels, so decisions per channel
        cannot be carried over.
    """
    if [c.kind for c in base.channels] != [c.kind for c in proposal.channels]:
        raise ValueError(
            "the proposal has other channels than the base "
            f"({', '.join(c.name for c in proposal.channels)} against "
            f"{', '.join(c.name for c in base.channels)}): compare scenarios of the same channels"
        )
    data = base.model_dump()
    for channel, theirs in zip(data["channels"], proposal.channels, strict=True):
        channel["representatives"] = theirs.representatives
    for path in DECISION_FIELDS:
        if not path.startswith("channels."):
            set_path(data, path, get_path(proposal, path))
    return Scenario.model_validate(data)


def one_off_cost(base: Scenario, proposal: Scenario) -> float:
    """Hiring and new-hire training of the representatives the proposal adds [currency]."""
    added = max(
        sum(c.representatives for c in proposal.channels)
        - sum(c.representatives for c in base.channels),
        0.0,
    )
    return added * costs.hiring_cost_per_rep(base.staffing, base.training)


def compare(
    base: Scenario,
    proposal: Scenario,
    base_result: Result | None = None,
    proposal_result: Result | None = None,
) -> Comparison:
    """Net benefit, ROI, payback and NPV of the proposal's decisions against ``base``.

    Parameters
    ----------
    base, proposal : scenarios of the same business and channels
    base_result, proposal_result : their results, when already computed
        (``proposal_result`` is used only when no assumption differs)

    Returns
    -------
    Comparison
    """
    rb = base_result or evaluate(base)
    changed = changed_assumptions(base, proposal)
    decided = with_decisions(base, proposal) if changed else proposal
    rd = proposal_result if proposal_result is not None and not changed else evaluate(decided)
    assumptions_effect = 0.0
    if changed:
        rp = proposal_result or evaluate(proposal)
        assumptions_effect = rp.total_cx_cost_per_year - rd.total_cx_cost_per_year

    business = base.business
    horizon = business.horizon_years
    annuity = costs.annuity_factor(business.discount_rate, horizon)
    extra_cost = rd.service_cost_per_year - rb.service_cost_per_year
    churn_saved = rb.churn_cost_per_year - rd.churn_cost_per_year
    steady = churn_saved - extra_cost
    one_off = one_off_cost(base, decided)
    npv = -one_off + annuity * steady

    costs_pv = one_off + max(extra_cost, 0.0) * annuity
    benefits_pv = (churn_saved + max(-extra_cost, 0.0)) * annuity
    # No ROI when the extra cost is nothing or next to nothing: beyond a ratio of a
    # billion it says no more than "free", and a subnormal cost would overflow it.
    negligible = costs_pv <= abs(benefits_pv) * _NEGLIGIBLE_COST
    roi = None if costs_pv <= 0 or negligible else (benefits_pv - costs_pv) / costs_pv

    payback: float | None
    if one_off <= 0:
        payback = 0.0 if steady >= 0 else None
    elif steady <= 0:
        payback = None
    else:
        months = one_off / (steady / 12.0)
        payback = months if months <= MAX_PAYBACK_YEARS * 12 else None
    discount = (1.0 + business.discount_rate) ** -np.arange(1, horizon + 1)
    cumulative = np.concatenate([[-one_off], -one_off + np.cumsum(steady * discount)])
    return Comparison(
        currency=business.currency,
        net_benefit_per_year=npv / annuity,
        steady_state_benefit_per_year=steady,
        extra_service_cost_per_year=extra_cost,
        churn_cost_saved_per_year=churn_saved,
        revenue_saved_per_year=rb.revenue_at_risk_per_year - rd.revenue_at_risk_per_year,
        customers_saved_per_year=rb.customers_lost_per_year - rd.customers_lost_per_year,
        one_off_cost=one_off,
        roi=roi,
        payback_months=payback,
        npv=npv,
        horizon_years=horizon,
        annuity_factor=annuity,
        cash_flow_by_year=[steady] * horizon,
        cumulative_npv_by_year=[float(v) for v in cumulative],
        changed_assumptions=changed,
        assumptions_effect_per_year=assumptions_effect,
    )
