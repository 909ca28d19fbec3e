"""Tests for cxcost.compare: net benefit, NPV, ROI and payback of a change."""

from __future__ import annotations

import math

import pytest

from cxcost.compare import MAX_PAYBACK_YEARS, compare
from cxcost.evaluate import Result, evaluate
from cxcost.scenario import Scenario

# The tiny hand-computed case: 1,200 revenue x 0.5 margin = 50 margin per customer-month,
# 12 % baseline churn, 10 % discount rate, 100 to win a customer, horizon 1 year.
TINY_BUSINESS = {
    "business.revenue_per_customer": 1200.0,
    "business.gross_margin": 0.5,
    "business.baseline_churn": 0.12,
    "business.discount_rate": 0.10,
    "business.acquisition_cost": 100.0,
    "business.horizon_years": 1,
    "staffing.cost_to_replace_rep": 6000.0,
}


def _with(result: Result, lost: float, service: float, reps: float) -> Result:
    """A result with chosen customers lost, service cost and representatives."""
    return result.model_copy(
        update={
            "customers_lost_per_year": lost,
            "service_cost_per_year": service,
            "representatives": reps,
        }
    )


def _monthly_flows(saved: float, extra: float, months: int) -> list[float]:
    """Cash flow per month, cohort by cohort: saved/12 customers join every month and
    each cohort keeps (1 - 12 %)^(1/12) of its members a month."""
    survive = 0.88 ** (1 / 12)
    flows = []
    for month in range(1, months + 1):
        kept = sum(saved / 12 * survive ** (month - joined) for joined in range(1, month + 1))
        flows.append(kept * 50.0 + saved / 12 * 100.0 - extra / 12)
    return flows


@pytest.fixture
def tiny(scenario_with) -> tuple[Scenario, Result, Result]:
    base = scenario_with(TINY_BUSINESS)
    result = evaluate(base)
    # 120 customers a year kept (10 a month) for 60,000 a year more service cost and
    # 2 more representatives hired at the start (2 x 6,000 = 12,000).
    return base, _with(result, 1000.0, 1_000_000.0, 28.0), _with(result, 880.0, 1_060_000.0, 30.0)


def test_npv_hand_computed_one_year(tiny) -> None:
    base, rb, rp = tiny
    c = compare(base, base, rb, rp)
    # Customer-months kept in year 1: sum_m sum_{j<=m} 10 s^(m-j), s = 0.88^(1/12)
    # = 750.48; year 1 = 50 x 750.48 + 12 x 1,000 - 60,000 = -10,475.88;
    # NPV = -12,000 - 10,475.88 / 1.1 = -21,523.52.
    assert c.one_off_cost == pytest.approx(12_000.0, rel=1e-12)
    assert c.extra_service_cost_per_year == pytest.approx(60_000.0, rel=1e-12)
    assert c.customers_saved_per_year == pytest.approx(120.0, rel=1e-12)
    assert c.cash_flow_by_year == pytest.approx([-10_475.877152932], rel=1e-9)
    assert c.npv == pytest.approx(-21_523.524684484, rel=1e-9)
    assert c.cumulative_npv_by_year == pytest.approx([-12_000.0, -21_523.524684484], rel=1e-9)
    year_one = sum(_monthly_flows(120.0, 60_000.0, 12))
    assert c.cash_flow_by_year[0] == pytest.approx(year_one, rel=1e-12)
    # ROI = (PV benefits - PV costs) / PV costs; PV costs = 12,000 + 60,000 / 1.1
    costs_pv = 12_000.0 + 60_000.0 / 1.1
    benefits_pv = (year_one + 60_000.0) / 1.1
    assert c.roi == pytest.approx((benefits_pv - costs_pv) / costs_pv, rel=1e-9)
    assert c.roi < 0


def test_payback_is_where_cumulative_cash_turns_positive(tiny) -> None:
    base, rb, rp = tiny
    c = compare(base, base, rb, rp)
    assert c.payback_months is not None
    cumulative = [-12_000.0]
    for flow in _monthly_flows(120.0, 60_000.0, MAX_PAYBACK_YEARS * 12):
        cumulative.append(cumulative[-1] + flow)
    month = math.floor(c.payback_months)
    assert cumulative[month] < 0 <= cumulative[month + 1]
    fraction = -cumulative[month] / (cumulative[month + 1] - cumulative[month])
    assert c.payback_months == pytest.approx(month + fraction, rel=1e-9)


def test_identical_proposal_changes_nothing() -> None:
    base = Scenario()
    c = compare(base, base.model_copy(deep=True))
    assert c.net_benefit_per_year == 0.0
    assert c.extra_service_cost_per_year == 0.0
    assert c.customers_saved_per_year == 0.0
    assert c.one_off_cost == 0.0
    assert c.npv == 0.0
    assert c.cash_flow_by_year == [0.0] * base.business.horizon_years
    assert c.cumulative_npv_by_year == [0.0] * (base.business.horizon_years + 1)
    # Nothing is spent, so there is no return to express as a ratio, and the
    # cumulative cash flow is never negative: paid back from the start.
    assert c.roi is None
    assert c.payback_months == 0.0


def test_a_good_proposal_pays_off(scenario_with) -> None:
    base = Scenario()
    proposal = scenario_with({"channels.0.representatives": 24, "channels.1.representatives": 9})
    c = compare(base, proposal)
    rb, rp = evaluate(base), evaluate(proposal)
    assert c.net_benefit_per_year == pytest.approx(
        rb.total_cx_cost_per_year - rp.total_cx_cost_per_year, rel=1e-12
    )
    assert c.net_benefit_per_year == pytest.approx(
        c.churn_cost_saved_per_year - c.extra_service_cost_per_year, rel=1e-9
    )
    assert c.revenue_saved_per_year == pytest.approx(
        rb.revenue_at_risk_per_year - rp.revenue_at_risk_per_year, rel=1e-12
    )
    # 7 + 3 = 10 added representatives hired at 6,000 each
    assert c.one_off_cost == pytest.approx(60_000.0, rel=1e-12)
    assert c.net_benefit_per_year > 0
    assert c.npv > 0
    assert c.roi is not None
    assert c.roi > 0
    assert c.payback_months is not None
    assert 0 < c.payback_months < 12 * c.horizon_years
    assert c.cumulative_npv_by_year[0] == -c.one_off_cost
    assert c.cumulative_npv_by_year[-1] == pytest.approx(c.npv, rel=1e-12)


def test_a_wasteful_proposal_never_pays_off(scenario_with) -> None:
    base = scenario_with({"channels.0.representatives": 40})
    proposal = scenario_with({"channels.0.representatives": 140})
    c = compare(base, proposal)
    assert c.net_benefit_per_year < 0
    assert c.npv < 0
    assert c.roi is not None
    assert c.roi < 0
    assert c.payback_months is None


def test_roi_has_the_sign_of_npv(scenario_with) -> None:
    base = Scenario()
    for changes in (
        {"channels.0.representatives": 20},
        {"channels.0.representatives": 60},
        {"training.hours_per_rep_per_year": 40},
        {"training.hours_per_rep_per_year": 300},
    ):
        c = compare(base, scenario_with(changes))
        if c.roi is not None:
            assert math.copysign(1, c.roi) == math.copysign(1, c.npv), changes


def test_precomputed_results_give_the_same_answer(scenario_with) -> None:
    base = Scenario()
    proposal = scenario_with({"training.hours_per_rep_per_year": 40})
    assert compare(base, proposal) == compare(base, proposal, evaluate(base), evaluate(proposal))


def test_horizon_sets_the_number_of_years(scenario_with) -> None:
    base = scenario_with({"business.horizon_years": 5})
    c = compare(
        base, scenario_with({"business.horizon_years": 5, "channels.0.representatives": 24})
    )
    assert c.horizon_years == 5
    assert len(c.cash_flow_by_year) == 5
    assert len(c.cumulative_npv_by_year) == 6


def test_payback_at_once_means_cash_never_turns_negative(scenario_with) -> None:
    """Cutting staff saves money at once but loses customers year after year.

    With 20 years' horizon the cumulative cash flow of this cut turns negative
    (NPV < 0), so "paid back after 0 months" would tell a manager the opposite.
    """
    changes = {"churn.wait_churn_max": 0.02, "business.horizon_years": 20}
    base = scenario_with(changes | {"channels.0.representatives": 30})
    cut = scenario_with(changes | {"channels.0.representatives": 16})
    c = compare(base, cut)
    cumulative = 0.0
    never_negative = True
    for flow in c.cash_flow_by_year:
        cumulative += flow
        never_negative &= cumulative >= 0
    if c.payback_months == 0.0:
        assert never_negative, (c.payback_months, c.npv, c.cash_flow_by_year)
