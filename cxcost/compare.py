"""Compare a proposal with a base scenario: net benefit, ROI, payback, NPV.

Two views of the same change:

- Steady state (per year): net benefit = base total CX cost - proposal total CX
  cost, where churn cost values each lost customer at its discounted lifetime
  margin plus the cost of winning a replacement.
- Cash flows over the horizon: the proposal pays its extra service cost every
  year (and a one-off hiring cost for added representatives at the start);
  the customers it keeps each year stay on with the baseline retention and pay
  their gross margin every year, and no replacement has to be bought for them.
  NPV, ROI and payback are computed from these flows, month by month for
  payback.

References
----------
.. [1] S. Gupta and D. Lehmann, "Customers as assets", Journal of Interactive
   Marketing 17(1), 2003 (retention-based margin streams).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cxcost.evaluate import Result, evaluate
from cxcost.scenario import Scenario

MAX_PAYBACK_YEARS = 30
# Extra cost below this share of the benefits counts as none (ROI above 1e9).
_NEGLIGIBLE_COST = 1e-9


class Comparison(BaseModel):
    """Proposal against base. Money in the base scenario's currency."""

    model_config = ConfigDict(frozen=True)

    currency: str
    net_benefit_per_year: float = Field(
        description="Base total CX cost - proposal total CX cost [currency/year]"
    )
    extra_service_cost_per_year: float = Field(
        description="Proposal service cost - base service cost [currency/year]"
    )
    churn_cost_saved_per_year: float = Field(description="Churn cost avoided [currency/year]")
    revenue_saved_per_year: float = Field(description="Revenue at risk avoided [currency/year]")
    customers_saved_per_year: float = Field(description="Customers kept [1/year]")
    one_off_cost: float = Field(
        description="Hiring and onboarding of added representatives, at the start [currency]"
    )
    roi: float | None = Field(
        description="(PV of benefits - PV of costs) / PV of costs over the horizon [-]; "
        "None when the proposal costs nothing (or next to nothing) extra"
    )
    payback_months: float | None = Field(
        description="Months until cumulative cash flow turns positive; None if not within "
        f"{MAX_PAYBACK_YEARS} years"
    )
    npv: float = Field(description="Net present value of the change over the horizon [currency]")
    horizon_years: int
    cash_flow_by_year: list[float] = Field(
        description="Net cash flow in years 1..horizon, undiscounted [currency]"
    )
    cumulative_npv_by_year: list[float] = Field(
        description="NPV of the change up to the end of years 0..horizon [currency]"
    )


def _monthly_cash_flow(
    base: Scenario, customers_saved: float, extra_cost: float, months: int
) -> np.ndarray:
    """Net cash flow of each month 1..months (before the one-off cost)."""
    business = base.business
    month = np.arange(1, months + 1)
    survive = (1.0 - business.baseline_churn) ** (1.0 / 12.0)
    # Customers kept so far and still here: a cohort of customers_saved/12 joins
    # every month and decays with the baseline retention.
    kept = (customers_saved / 12.0) * (1.0 - survive**month) / (1.0 - survive)
    margin = kept * business.gross_margin * business.revenue_per_customer / 12.0
    acquisition = customers_saved / 12.0 * business.acquisition_cost
    return margin + acquisition - extra_cost / 12.0


def compare(
    base: Scenario,
    proposal: Scenario,
    base_result: Result | None = None,
    proposal_result: Result | None = None,
) -> Comparison:
    """Net benefit, ROI, payback and NPV of moving from ``base`` to ``proposal``.

    Parameters
    ----------
    base, proposal : scenarios of the same business (the base's business and
        currency are used for the money streams)
    base_result, proposal_result : their results, when already computed

    Returns
    -------
    Comparison
    """
    rb = base_result or evaluate(base)
    rp = proposal_result or evaluate(proposal)
    business = base.business
    customers_saved = rb.customers_lost_per_year - rp.customers_lost_per_year
    extra_cost = rp.service_cost_per_year - rb.service_cost_per_year
    added_reps = max(rp.representatives - rb.representatives, 0.0)
    one_off = added_reps * proposal.staffing.cost_to_replace_rep

    horizon = business.horizon_years
    monthly = _monthly_cash_flow(base, customers_saved, extra_cost, MAX_PAYBACK_YEARS * 12)
    yearly = monthly[: horizon * 12].reshape(horizon, 12).sum(axis=1)
    discount = (1.0 + business.discount_rate) ** -np.arange(1, horizon + 1)
    cumulative_npv = np.concatenate([[0.0 - one_off], -one_off + np.cumsum(yearly * discount)])

    costs_pv = one_off + max(extra_cost, 0.0) * float(discount.sum())
    benefits_pv = float(((yearly + extra_cost) * discount).sum()) - min(extra_cost, 0.0) * float(
        discount.sum()
    )
    # No ROI when the extra cost is nothing or next to nothing: beyond a ratio of a
    # billion it says no more than "free", and a subnormal cost would overflow it.
    negligible = costs_pv <= abs(benefits_pv) * _NEGLIGIBLE_COST
    roi = None if costs_pv <= 0 or negligible else (benefits_pv - costs_pv) / costs_pv

    cumulative = -one_off + np.cumsum(monthly)
    payback: float | None
    if cumulative[-1] < 0:
        payback = None
    else:
        below = np.nonzero(np.concatenate([[-one_off], cumulative]) < 0)[0]
        if below.size == 0:
            payback = 0.0
        else:
            m = int(below[-1])
            before = -one_off if m == 0 else cumulative[m - 1]
            payback = m + float(-before / (cumulative[m] - before))
    return Comparison(
        currency=business.currency,
        net_benefit_per_year=rb.total_cx_cost_per_year - rp.total_cx_cost_per_year,
        extra_service_cost_per_year=extra_cost,
        churn_cost_saved_per_year=rb.churn_cost_per_year - rp.churn_cost_per_year,
        revenue_saved_per_year=rb.revenue_at_risk_per_year - rp.revenue_at_risk_per_year,
        customers_saved_per_year=customers_saved,
        one_off_cost=one_off,
        roi=roi,
        payback_months=payback,
        npv=float(cumulative_npv[-1]),
        horizon_years=horizon,
        cash_flow_by_year=[float(v) for v in yearly],
        cumulative_npv_by_year=[float(v) for v in cumulative_npv],
    )
