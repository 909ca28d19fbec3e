"""Tests for cxcost.compare: net benefit, NPV, ROI and payback of a change."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from fixture_types import ScenarioWith
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import scenarios

from cxcost.compare import YEARLY_BASIS, Comparison, compare, with_decisions
from cxcost.evaluate import Result, evaluate, evaluate_many
from cxcost.optimize import _objective
from cxcost.scenario import Scenario

# The tiny hand-computed case: horizon 1 year at 10 %, 6,000 to hire a rep plus its
# 120 h new-hire programme at 23.075 loaded + 40 direct per hour: 13,569 per rep.
TINY_BUSINESS = {
    "business.discount_rate": 0.10,
    "business.horizon_years": 1,
    "staffing.cost_to_replace_rep": 6000.0,
}


def _with(result: Result, churn_cost: float, service: float) -> Result:
    """A result with chosen churn and service cost."""
    return result.model_copy(
        update={
            "churn_cost_per_year": churn_cost,
            "service_cost_per_year": service,
            "total_cx_cost_per_year": churn_cost + service,
        }
    )


# base, proposal and their results
Tiny = tuple[Scenario, Scenario, Result, Result]


@pytest.fixture
def tiny(scenario_with: ScenarioWith) -> Tiny:
    base = scenario_with(TINY_BUSINESS)
    proposal = scenario_with(TINY_BUSINESS | {"channels.0.representatives": 19.0})
    result = evaluate(base)
    # 120,000 a year of churn cost saved for 60,000 a year more service cost and
    # 2 more representatives hired at the start.
    return (
        base,
        proposal,
        _with(result, 500_000.0, 1_000_000.0),
        _with(result, 380_000.0, 1_060_000.0),
    )


def test_npv_hand_computed_one_year(tiny: Tiny) -> None:
    base, proposal, rb, rp = tiny
    c = compare(base, proposal, rb, rp)
    # one-off 2 x 13,569 = 27,138 at the start; steady 120,000 - 60,000 = 60,000 at the end
    # of year 1; A = 1 / 1.1. NPV = -27,138 + 60,000 / 1.1 = 27,407.0909...
    # Net benefit per year = NPV / A = 60,000 - 27,138 x 1.1 = 30,148.2.
    assert c.one_off_cost == pytest.approx(27_138.0, rel=1e-12)
    assert c.extra_service_cost_per_year == pytest.approx(60_000.0, rel=1e-12)
    assert c.churn_cost_saved_per_year == pytest.approx(120_000.0, rel=1e-12)
    assert c.steady_state_benefit_per_year == pytest.approx(60_000.0, rel=1e-12)
    assert c.annuity_factor == pytest.approx(1 / 1.1, rel=1e-14)
    assert c.npv == pytest.approx(-27_138.0 + 60_000.0 / 1.1, rel=1e-12)
    assert c.net_benefit_per_year == pytest.approx(30_148.2, rel=1e-12)
    assert c.cash_flow_by_year == pytest.approx([60_000.0], rel=1e-12)
    assert c.cumulative_npv_by_year == pytest.approx([-27_138.0, c.npv], rel=1e-12)
    # ROI = (PV benefits - PV costs) / PV costs = (120,000 / 1.1 - 81,683.45) / 81,683.45
    costs_pv = 27_138.0 + 60_000.0 / 1.1
    benefits_pv = 120_000.0 / 1.1
    assert c.roi == pytest.approx((benefits_pv - costs_pv) / costs_pv, rel=1e-12)
    assert c.roi is not None
    assert c.roi > 0
    # Paid back when 5,000 a month has covered 27,138: after 5.4276 months.
    assert c.payback_months == pytest.approx(27_138.0 / 5_000.0, rel=1e-12)
    assert c.basis == YEARLY_BASIS


def test_npv_hand_computed_three_years(tiny: Tiny, scenario_with: ScenarioWith) -> None:
    _, _, rb, rp = tiny
    three = TINY_BUSINESS | {"business.horizon_years": 3}
    base = scenario_with(three)
    proposal = scenario_with(three | {"channels.0.representatives": 19.0})
    c = compare(base, proposal, rb, rp)
    annuity = 1 / 1.1 + 1 / 1.1**2 + 1 / 1.1**3  # 2.486852...
    assert c.annuity_factor == pytest.approx(annuity, rel=1e-14)
    assert c.npv == pytest.approx(-27_138.0 + 60_000.0 * annuity, rel=1e-12)
    assert c.net_benefit_per_year == pytest.approx(60_000.0 - 27_138.0 / annuity, rel=1e-12)
    assert c.net_benefit_per_year * c.annuity_factor == pytest.approx(c.npv, rel=1e-12)
    assert c.cash_flow_by_year == pytest.approx([60_000.0] * 3, rel=1e-12)
    assert c.cumulative_npv_by_year[-1] == pytest.approx(c.npv, rel=1e-12)


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


def test_a_good_proposal_pays_off(scenario_with: ScenarioWith) -> None:
    base = Scenario()
    proposal = scenario_with({"channels.0.representatives": 24, "channels.1.representatives": 9})
    c = compare(base, proposal)
    rb, rp = evaluate(base), evaluate(proposal)
    assert c.steady_state_benefit_per_year == pytest.approx(
        rb.total_cx_cost_per_year - rp.total_cx_cost_per_year, rel=1e-12
    )
    assert c.steady_state_benefit_per_year == pytest.approx(
        c.churn_cost_saved_per_year - c.extra_service_cost_per_year, rel=1e-9
    )
    assert c.net_benefit_per_year == pytest.approx(
        c.steady_state_benefit_per_year - c.one_off_cost / c.annuity_factor, rel=1e-12
    )
    assert c.revenue_saved_per_year == pytest.approx(
        rb.revenue_at_risk_per_year - rp.revenue_at_risk_per_year, rel=1e-12
    )
    # 7 + 3 = 10 added representatives hired at 6,000 + 120 h x (23.075 + 40) = 13,569 each
    assert c.one_off_cost == pytest.approx(135_690.0, rel=1e-12)
    assert c.net_benefit_per_year > 0
    assert c.npv > 0
    assert c.roi is not None
    assert c.roi > 0
    assert c.payback_months is not None
    assert 0 < c.payback_months < 12 * c.horizon_years
    assert c.cumulative_npv_by_year[0] == -c.one_off_cost
    assert c.cumulative_npv_by_year[-1] == pytest.approx(c.npv, rel=1e-12)


def test_a_wasteful_proposal_never_pays_off(scenario_with: ScenarioWith) -> None:
    base = scenario_with({"channels.0.representatives": 40})
    proposal = scenario_with({"channels.0.representatives": 140})
    c = compare(base, proposal)
    assert c.net_benefit_per_year < 0
    assert c.npv < 0
    assert c.roi is not None
    assert c.roi < 0
    assert c.payback_months is None


def test_roi_has_the_sign_of_npv(scenario_with: ScenarioWith) -> None:
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


def test_precomputed_results_give_the_same_answer(scenario_with: ScenarioWith) -> None:
    base = Scenario()
    proposal = scenario_with({"training.hours_per_rep_per_year": 40})
    assert compare(base, proposal) == compare(base, proposal, evaluate(base), evaluate(proposal))


def test_horizon_sets_the_number_of_years(scenario_with: ScenarioWith) -> None:
    base = scenario_with({"business.horizon_years": 5})
    c = compare(
        base, scenario_with({"business.horizon_years": 5, "channels.0.representatives": 24})
    )
    assert c.horizon_years == 5
    assert len(c.cash_flow_by_year) == 5
    assert len(c.cumulative_npv_by_year) == 6


def test_payback_at_once_means_cash_never_turns_negative(scenario_with: ScenarioWith) -> None:
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


# ---------------------------------------------------------------- one time basis


def _signs_agree(c: Comparison) -> None:
    assert c.net_benefit_per_year * c.annuity_factor == pytest.approx(c.npv, rel=1e-12, abs=1e-6)
    assert math.copysign(1, c.net_benefit_per_year) == math.copysign(1, c.npv) or c.npv == 0
    if c.roi is not None and abs(c.npv) > 1e-6 * max(c.one_off_cost, 1.0):
        assert math.copysign(1, c.roi) == math.copysign(1, c.npv)


@pytest.mark.parametrize(
    "changes",
    [
        {"channels.0.representatives": 20},
        {"channels.0.representatives": 60},
        {"channels.0.representatives": 12},
        {"training.hours_per_rep_per_year": 40},
        {"training.hours_per_rep_per_year": 0},
        {"training.new_hire_hours": 200},
    ],
)
def test_net_benefit_is_npv_over_the_annuity_and_signs_agree(
    scenario_with: ScenarioWith, changes: dict[str, float]
) -> None:
    c = compare(Scenario(), scenario_with(changes))
    _signs_agree(c)
    assert c.changed_assumptions == []


def test_a_decision_and_an_assumption_change_are_kept_apart(scenario_with: ScenarioWith) -> None:
    """More phone reps (a decision) and a higher revenue per customer (an assumption): the
    decision is priced under the base's assumptions; the assumption's effect is shown
    apart and never booked as benefit."""
    base = Scenario()
    decision = {"channels.0.representatives": 24}
    assumption = {"business.revenue_per_customer": 900.0, "churn.rude_churn": 0.2}
    both = scenario_with(decision | assumption)
    c = compare(base, both)
    assert c.changed_assumptions == ["business.revenue_per_customer", "churn.rude_churn"]
    decided = with_decisions(base, both)
    assert decided == scenario_with(decision)
    only_decision = compare(base, scenario_with(decision))
    assert c.net_benefit_per_year == pytest.approx(only_decision.net_benefit_per_year, rel=1e-12)
    assert c.npv == pytest.approx(only_decision.npv, rel=1e-12)
    assert c.churn_cost_saved_per_year == pytest.approx(
        only_decision.churn_cost_saved_per_year, rel=1e-12
    )
    assert c.assumptions_effect_per_year == pytest.approx(
        evaluate(both).total_cx_cost_per_year - evaluate(decided).total_cx_cost_per_year,
        rel=1e-12,
    )
    assert c.assumptions_effect_per_year != 0.0
    # An assumption change alone is no decision: nothing to gain or pay.
    alone = compare(base, scenario_with(assumption))
    assert alone.net_benefit_per_year == 0.0
    assert alone.npv == 0.0
    assert alone.changed_assumptions == c.changed_assumptions


def test_proposals_of_other_channels_are_refused(scenario_with: ScenarioWith) -> None:
    phone_only = Scenario.model_validate(
        Scenario().model_dump()
        | {"channels": [{"kind": "phone", "share_of_contacts": 1.0, "representatives": 20}]}
    )
    with pytest.raises(ValueError, match="other channels"):
        compare(Scenario(), phone_only)


@settings(deadline=None, max_examples=8)
@given(scenario=scenarios(), data=st.data())
def test_compare_and_the_optimiser_rank_plans_alike(
    scenario: Scenario, data: st.DataObject
) -> None:
    """For any plans, compare's net benefit per year = base total CX cost - the optimiser's
    objective, so both rank plans in the same order and NPV has the same sign."""
    current = np.array([c.representatives for c in scenario.channels])
    factors = data.draw(
        st.lists(
            st.lists(st.floats(0.5, 2.0), min_size=current.size, max_size=current.size),
            min_size=2,
            max_size=3,
        ),
        label="staffing factors",
    )
    reps = np.round(current * np.asarray(factors), 1)
    # A plan must stay a valid scenario: with self-service, some channel with contacts
    # keeps a representative (rounding a tiny staff to 0.0 would drop the last one).
    with_contacts = np.array([c.share_of_contacts > 0 for c in scenario.channels])
    assume(
        scenario.practices.self_service_share == 0
        or bool((reps[:, with_contacts] > 0).any(1).all())
    )
    e = evaluate_many(scenario, representatives=reps)
    objective = _objective(scenario, reps, e.total_cost)
    base_total = evaluate(scenario).total_cx_cost_per_year
    net = []
    for row in reps:
        plan = scenario.model_copy(deep=True)
        for channel, value in zip(plan.channels, row, strict=True):
            channel.representatives = float(value)
        c = compare(scenario, Scenario.model_validate(plan.model_dump()))
        _signs_agree(c)
        net.append(c.net_benefit_per_year)
    scale = max(abs(base_total), 1.0)
    np.testing.assert_allclose(net, base_total - objective, rtol=1e-9, atol=1e-9 * scale)
    order = np.argsort(objective, kind="stable")
    gaps = np.diff(objective[order])
    for (i, j), gap in zip(itertools.pairwise(order), gaps, strict=True):
        if gap > 1e-6 * scale:
            assert net[i] > net[j]
