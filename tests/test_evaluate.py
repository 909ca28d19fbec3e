"""Tests for cxcost.evaluate: the Result contract, its accounting, and model-wide properties."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from fixture_types import ScenarioWith
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import scenarios

from cxcost import churn, costs, quality
from cxcost.evaluate import Result, evaluate, evaluate_many
from cxcost.scenario import Scenario

MONEY_FIELDS = (
    "revenue_at_risk_per_year",
    "customer_lifetime_margin",
    "lost_lifetime_margin_per_year",
    "replacement_acquisition_cost_per_year",
    "churn_cost_per_year",
    "staffing_cost_per_year",
    "training_cost_per_year",
    "attrition_cost_per_year",
    "service_cost_per_year",
    "total_cx_cost_per_year",
)
MONEY_BY_DRIVER = ("revenue_at_risk_by_driver", "churn_cost_by_driver")
SHARE_FIELDS = ("p_wait", "p_abandon", "service_level", "occupancy", "wait_churn_per_contact")

# ---------------------------------------------------------------- reference tests


def test_result_keeps_the_field_names_tools_read() -> None:
    result = evaluate(Scenario())
    for name in (
        "revenue_at_risk_per_year",
        "customers_lost_per_year",
        "customers_lost_by_driver",
        "staffing_cost_per_year",
        "training_cost_per_year",
        "total_cx_cost_per_year",
        "lost_lifetime_margin_per_year",
        "silent_churners_per_year",
        "complaining_churners_per_year",
        "attrition_cost_per_year",
    ):
        assert name in Result.model_fields
    assert set(result.customers_lost_by_driver) == {"wait", "rudeness", "dismissiveness"}
    for channel in result.channels:
        for name in ("p_wait", "p_abandon", "mean_wait_seconds", "service_level", "occupancy"):
            assert hasattr(channel, name)


VARIANTS = {
    "default": {},
    "daily roster": {"staffing.schedule": "daily"},
    "replacement cost": {
        "business.lost_customer_valuation": "replacement_cost",
        "business.replacement_ramp_up_months": 3.0,
    },
    "shrinkage includes training": {"staffing.shrinkage_includes_training": True},
    "erlang C phone": {"channels.0.queue_model": "erlang_c", "channels.0.representatives": 25},
    "e-mail backlog never clears": {"channels.2.representatives": 1},
    "nobody complains": {"churn.complain_share": 0.0},
    "no training": {"training.hours_per_rep_per_year": 0.0},
    "NOK bank": {"business.currency": "NOK", "staffing.salary_per_year": 520_000.0},
}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS)
def test_accounting_identities(scenario_with: ScenarioWith, changes: dict[str, Any]) -> None:
    scenario = scenario_with(changes)
    r = evaluate(scenario)
    b = scenario.business
    rel = 1e-12
    lost = r.customers_lost_per_year
    assert sum(r.customers_lost_by_driver.values()) == pytest.approx(lost, rel=rel)
    assert r.silent_churners_per_year + r.complaining_churners_per_year == pytest.approx(
        lost, rel=rel
    )
    assert r.complaining_churners_per_year == pytest.approx(
        lost * scenario.churn.complain_share, rel=rel
    )
    assert r.revenue_at_risk_per_year == pytest.approx(lost * b.revenue_per_customer, rel=rel)
    assert sum(r.revenue_at_risk_by_driver.values()) == pytest.approx(
        r.revenue_at_risk_per_year, rel=rel
    )
    assert r.customer_lifetime_margin == pytest.approx(
        costs.customer_lifetime_margin(b, r.service_churn_rate), rel=rel
    )
    assert r.lost_lifetime_margin_per_year == pytest.approx(
        lost * r.customer_lifetime_margin, rel=rel
    )
    assert r.replacement_acquisition_cost_per_year == pytest.approx(
        lost * b.acquisition_cost, rel=rel
    )
    # One valuation of a lost customer, never lifetime margin + acquisition cost.
    assert r.lost_customer_valuation == b.lost_customer_valuation
    assert r.lost_customer_value == pytest.approx(
        costs.lost_customer_value(b, r.service_churn_rate), rel=rel
    )
    assert r.churn_cost_per_year == pytest.approx(lost * r.lost_customer_value, rel=rel)
    if b.lost_customer_valuation == "lifetime_margin":
        assert r.churn_cost_per_year == pytest.approx(r.lost_lifetime_margin_per_year, rel=rel)
    assert r.new_hires_per_year == pytest.approx(
        r.representatives * scenario.staffing.attrition_per_year, rel=rel
    )
    assert sum(r.churn_cost_by_driver.values()) == pytest.approx(r.churn_cost_per_year, rel=rel)
    assert r.service_cost_per_year == pytest.approx(
        r.staffing_cost_per_year + r.training_cost_per_year + r.attrition_cost_per_year, rel=rel
    )
    assert r.total_cx_cost_per_year == pytest.approx(
        r.service_cost_per_year + r.churn_cost_per_year, rel=rel
    )
    assert r.first_contacts_per_year == pytest.approx(
        b.customers * scenario.demand.contacts_per_customer_per_year, rel=rel
    )
    assert r.contacts_per_year == pytest.approx(
        r.first_contacts_per_year + r.repeat_contacts_per_year, rel=rel
    )
    assert sum(c.contacts_per_year for c in r.channels) == pytest.approx(
        r.contacts_per_year, rel=rel
    )
    assert r.representatives == pytest.approx(
        sum(c.representatives for c in scenario.channels), rel=rel
    )
    assert r.currency == b.currency
    if scenario.churn.complain_share == 0:
        assert r.silent_per_complaint is None
    else:
        # 4 % complain: 96 / 4 = 24 silent leavers per complaint
        assert r.silent_per_complaint == pytest.approx(
            (1 - scenario.churn.complain_share) / scenario.churn.complain_share, rel=rel
        )


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS)
def test_customers_lost_recomputed_from_the_parts(
    scenario_with: ScenarioWith, changes: dict[str, Any]
) -> None:
    """Rebuild the churn chain from the module functions and the channel results."""
    scenario = scenario_with(changes)
    r = evaluate(scenario)
    hours = scenario.training.hours_per_rep_per_year
    attrition = scenario.staffing.attrition_per_year
    rude = quality.rude_share(scenario.quality, scenario.training, attrition, hours)
    dismissive = quality.dismissive_share(scenario.quality, scenario.training, attrition, hours)
    repeat = quality.repeat_contact_factor(dismissive, scenario.quality.repeat_contact_rate)
    assert r.rude_share == pytest.approx(rude, rel=1e-12)
    assert r.dismissive_share == pytest.approx(dismissive, rel=1e-12)
    assert r.contacts_per_year == pytest.approx(r.first_contacts_per_year * repeat, rel=1e-12)
    wait = sum(
        c.share_of_contacts * cr.wait_churn_per_contact
        for c, cr in zip(scenario.channels, r.channels, strict=True)
    )
    assert r.wait_churn_per_contact == pytest.approx(wait, rel=1e-12)
    # Only a contact that reaches someone can be handled rudely or dismissively.
    answered = sum(
        c.share_of_contacts * (1 - cr.give_up_share)
        for c, cr in zip(scenario.channels, r.channels, strict=True)
    )
    assert r.answered_share == pytest.approx(answered, rel=1e-12)
    rude_risk = answered * rude * scenario.churn.rude_churn
    dismissive_risk = answered * dismissive * scenario.churn.dismissive_churn
    q = 1 - (1 - wait) * (1 - rude_risk) * (1 - dismissive_risk)
    assert r.churn_per_contact == pytest.approx(q, rel=1e-12)
    contacts = scenario.demand.contacts_per_customer_per_year * repeat
    rate = 1 - math.exp(-contacts * q)
    assert r.service_churn_rate == pytest.approx(rate, rel=1e-12)
    assert r.customers_lost_per_year == pytest.approx(scenario.business.customers * rate, rel=1e-12)
    split = churn.attribute_to_drivers(r.customers_lost_per_year, wait, rude_risk, dismissive_risk)
    for driver, value in split.as_dict().items():
        assert r.customers_lost_by_driver[driver] == pytest.approx(value, rel=1e-10)


def test_service_cost_matches_costs_module() -> None:
    scenario = Scenario()
    r = evaluate(scenario)
    cost = costs.service_cost(
        r.representatives,
        scenario.staffing,
        scenario.training,
        scenario.training.hours_per_rep_per_year,
    )
    assert r.staffing_cost_per_year == pytest.approx(cost.staffing, rel=1e-12)
    assert r.training_cost_per_year == pytest.approx(cost.training, rel=1e-12)
    assert r.attrition_cost_per_year == pytest.approx(cost.attrition, rel=1e-12)


def test_evaluate_agrees_with_evaluate_many() -> None:
    scenario = Scenario()
    r = evaluate(scenario)
    e = evaluate_many(scenario)
    assert e.customers_lost[0] == pytest.approx(r.customers_lost_per_year, rel=1e-14)
    assert e.revenue_at_risk[0] == pytest.approx(r.revenue_at_risk_per_year, rel=1e-14)
    assert e.total_cost[0] == pytest.approx(r.total_cx_cost_per_year, rel=1e-14)


def test_evaluate_many_overrides_equal_changed_scenarios(scenario_with: ScenarioWith) -> None:
    """Vectorised variants equal one-by-one evaluations of the changed scenarios."""
    base = Scenario()
    reps = np.array([[17.0, 6.0, 5.0], [25.0, 8.0, 7.0]])
    hours = np.array([16.0, 40.0])
    factor = np.array([1.0, 0.6])
    p_wait = np.array([0.08, 0.15])
    e = evaluate_many(
        base,
        representatives=reps,
        training_hours=hours,
        patience_factor=factor,
        wait_churn_max=p_wait,
    )
    for i in range(2):
        changes = {f"channels.{j}.representatives": reps[i, j] for j in range(3)}
        changes |= {
            f"channels.{j}.patience_seconds": c.patience_seconds * factor[i]
            for j, c in enumerate(base.channels)
        }
        changes |= {"training.hours_per_rep_per_year": hours[i], "churn.wait_churn_max": p_wait[i]}
        one = evaluate(scenario_with(changes))
        assert e.revenue_at_risk[i] == pytest.approx(one.revenue_at_risk_per_year, rel=1e-12)
        assert e.total_cost[i] == pytest.approx(one.total_cx_cost_per_year, rel=1e-12)


def test_no_contacts_means_no_service_churn(scenario_with: ScenarioWith) -> None:
    r = evaluate(scenario_with({"demand.contacts_per_customer_per_year": 0.0}))
    assert r.customers_lost_per_year == 0.0
    assert r.customers_lost_by_driver == {"wait": 0.0, "rudeness": 0.0, "dismissiveness": 0.0}
    assert r.revenue_at_risk_per_year == 0.0
    assert r.total_cx_cost_per_year == pytest.approx(r.service_cost_per_year, rel=1e-15)


def test_unstaffed_channel_loses_every_waiting_customer(scenario_with: ScenarioWith) -> None:
    scenario = scenario_with({"channels.0.representatives": 0.0})
    phone = evaluate(scenario).channels[0]
    assert phone.p_abandon == pytest.approx(1.0, abs=1e-12)
    assert phone.service_level == pytest.approx(0.0, abs=1e-12)
    # Every caller gives up for good in the end, however often they redial: each carries
    # the churn of giving up, and no answered wait.
    assert phone.give_up_share == pytest.approx(1.0, abs=1e-9)
    assert phone.wait_churn_per_contact == pytest.approx(scenario.churn.abandon_churn, rel=1e-9)
    assert phone.payroll_per_year == 0.0


def test_revenue_scales_but_customers_lost_do_not(scenario_with: ScenarioWith) -> None:
    base = evaluate(Scenario())
    double = evaluate(scenario_with({"business.revenue_per_customer": 1200.0}))
    assert double.customers_lost_per_year == pytest.approx(base.customers_lost_per_year, rel=1e-14)
    assert double.revenue_at_risk_per_year == pytest.approx(
        2 * base.revenue_at_risk_per_year, rel=1e-14
    )


def test_flat_average_figures_are_reported(scenario_with: ScenarioWith) -> None:
    """The default week has peaks; one shift pattern a day waits longer than flat."""
    for channel in evaluate(scenario_with({"staffing.schedule": "daily"})).channels:
        assert channel.mean_wait_seconds >= channel.flat_mean_wait_seconds


def test_default_roster_is_hourly_with_a_scheduling_efficiency(scenario_with: ScenarioWith) -> None:
    """Hourly rosters follow the load but lose 10 % of queue time to shift edges."""
    assert Scenario().staffing.schedule == "hourly"
    ideal = evaluate(scenario_with({"staffing.scheduling_efficiency": 1.0}))
    default = evaluate(Scenario())
    for a, b in zip(default.channels, ideal.channels, strict=True):
        assert a.agents_per_open_hour == pytest.approx(0.9 * b.agents_per_open_hour, rel=1e-12)
        assert a.service_level <= b.service_level + 1e-12


# ---------------------------------------------------------------- one value of a lost customer

# m = 0.5 x 600 = 300 a year; baseline churn 0.15; discount rate 0.12; 200 to win a
# customer; a replacement takes 4 months to ramp up.
VALUATION_CASE = {
    "business.revenue_per_customer": 600.0,
    "business.gross_margin": 0.5,
    "business.baseline_churn": 0.15,
    "business.discount_rate": 0.12,
    "business.acquisition_cost": 200.0,
    "business.replacement_ramp_up_months": 4.0,
}


def test_lost_customer_valuation_switch_hand_computed(scenario_with: ScenarioWith) -> None:
    lifetime = evaluate(scenario_with(VALUATION_CASE))
    replacement = evaluate(
        scenario_with(VALUATION_CASE | {"business.lost_customer_valuation": "replacement_cost"})
    )
    # The valuation changes the money, not the customers.
    assert replacement.customers_lost_per_year == lifetime.customers_lost_per_year
    lost, s = lifetime.customers_lost_per_year, lifetime.service_churn_rate
    # lifetime_margin: 300 r / (1.12 - r), r = 1 - (0.15 + service churn) (Gupta & Lehmann)
    r = 1 - (0.15 + s)
    clv = 300.0 * r / (1.12 - r)
    assert lifetime.lost_customer_valuation == "lifetime_margin"
    assert lifetime.lost_customer_value == pytest.approx(clv, rel=1e-12)
    assert lifetime.churn_cost_per_year == pytest.approx(lost * clv, rel=1e-12)
    # replacement_cost: 200 + 300 x 4 / 12 = 300 per customer
    assert replacement.lost_customer_valuation == "replacement_cost"
    assert replacement.lost_customer_value == pytest.approx(300.0, rel=1e-12)
    assert replacement.churn_cost_per_year == pytest.approx(lost * 300.0, rel=1e-12)
    # Never the sum of the two (the v2 double count).
    for result in (lifetime, replacement):
        assert result.churn_cost_per_year < lost * (clv + 200.0) * (1 - 1e-9)
        assert result.total_cx_cost_per_year == pytest.approx(
            result.service_cost_per_year + result.churn_cost_per_year, rel=1e-12
        )
        assert sum(result.churn_cost_by_driver.values()) == pytest.approx(
            result.churn_cost_per_year, rel=1e-12
        )


# ---------------------------------------------------------------- risk on answered contacts


def test_rude_and_dismissive_risk_only_on_answered_contacts(scenario_with: ScenarioWith) -> None:
    """Heavy abandonment: 3 phone reps for a load of about 20. The rude and dismissive
    risks per contact are the answered share x the share x the churn, and scale with the
    answered share as staffing changes."""
    phone_only = {
        "channels": [
            {"kind": "phone", "name": "Phone", "share_of_contacts": 1.0, "representatives": 3.0}
        ]
    }
    scenario = Scenario.model_validate(Scenario().model_dump() | phone_only)
    reps = np.array([[3.0], [8.0], [60.0]])
    e = evaluate_many(scenario, representatives=reps)
    answered = e.price.answered_share
    assert answered[0] < 0.5  # most callers give up
    assert np.all(np.diff(answered) > 0)
    rude_churn, dismissive_churn = scenario.churn.rude_churn, scenario.churn.dismissive_churn
    np.testing.assert_allclose(e.price.rude_risk, answered * e.rude_share * rude_churn, rtol=1e-12)
    np.testing.assert_allclose(
        e.price.dismissive_risk, answered * e.dismissive_share * dismissive_churn, rtol=1e-12
    )
    # The share of rude contacts is a property of the staff, not of the queue ...
    np.testing.assert_allclose(e.rude_share, e.rude_share[0], rtol=1e-15)
    # ... so the risk is proportional to the answered share.
    np.testing.assert_allclose(
        e.price.rude_risk / e.price.rude_risk[-1], answered / answered[-1], rtol=1e-12
    )
    r = evaluate(scenario)
    assert r.answered_share == pytest.approx(answered[0], rel=1e-12)
    assert r.answered_share == pytest.approx(1 - r.channels[0].give_up_share, rel=1e-12)


# ---------------------------------------------------------------- properties


@settings(deadline=None, max_examples=25)
@given(scenario=scenarios())
def test_money_is_never_negative_and_drivers_sum(scenario: Scenario) -> None:
    r = evaluate(scenario)
    for name in MONEY_FIELDS:
        value = getattr(r, name)
        assert math.isfinite(value), name
        assert value >= 0, name
    for name in MONEY_BY_DRIVER:
        assert all(math.isfinite(v) and v >= 0 for v in getattr(r, name).values()), name
    for channel in r.channels:
        assert math.isfinite(channel.payroll_per_year)
        assert channel.payroll_per_year >= 0
    lost = r.customers_lost_per_year
    assert 0 <= lost <= r.customers
    parts = r.customers_lost_by_driver
    assert all(v >= 0 for v in parts.values())
    assert sum(parts.values()) == pytest.approx(lost, rel=1e-9, abs=1e-12)


@settings(deadline=None, max_examples=20)
@given(scenario=scenarios())
def test_channel_metrics_are_shares(scenario: Scenario) -> None:
    for channel in evaluate(scenario).channels:
        for name in SHARE_FIELDS:
            value = getattr(channel, name)
            assert 0.0 <= value <= 1.0, f"{channel.kind} {name} = {value}"
        assert channel.mean_wait_seconds >= 0  # may be infinite: a backlog that never clears
        assert 0.0 <= channel.give_up_share <= 1.0
        assert 0.0 <= channel.peak_occupancy <= 1.0
        assert channel.attempts_per_year >= channel.contacts_per_year * (1 - 1e-12)


@given(scenario=scenarios())
def test_attempts_are_contacts_transfer_legs_and_redials(scenario: Scenario) -> None:
    """A channel's attempts are its contacts, one more leg for each transferred contact
    (contacts x the transfer share left after one-stop resolution) and the redials of
    callers who hung up; nobody redials an e-mail."""
    transfer = scenario.practices.transfer_share * (1.0 - scenario.practices.one_stop_share)
    for channel in evaluate(scenario).channels:
        assert channel.transfer_attempts_per_year == pytest.approx(
            channel.contacts_per_year * transfer, rel=1e-12, abs=1e-9
        )
        assert channel.redials_per_year >= -1e-9
        assert channel.contacts_per_year + channel.transfer_attempts_per_year + (
            channel.redials_per_year
        ) == pytest.approx(channel.attempts_per_year, rel=1e-12, abs=1e-9)
        if channel.kind == "email":
            assert channel.redials_per_year == 0.0


@settings(deadline=None, max_examples=25)
@given(scenario=scenarios())
def test_churn_cost_never_exceeds_the_larger_valuation(scenario: Scenario) -> None:
    """One valuation per lost customer: churn cost <= lost x max(lifetime margin,
    replacement cost), whichever valuation the scenario picks."""
    r = evaluate(scenario)
    b = scenario.business
    margin = b.gross_margin * b.revenue_per_customer
    replacement = b.acquisition_cost + margin * b.replacement_ramp_up_months / 12.0
    lifetime = costs.customer_lifetime_margin(b, r.service_churn_rate)
    bound = r.customers_lost_per_year * max(lifetime, replacement)
    assert r.churn_cost_per_year <= bound * (1 + 1e-12) + 1e-9
    assert r.churn_cost_per_year == pytest.approx(
        r.customers_lost_per_year * r.lost_customer_value, rel=1e-12, abs=1e-9
    )


@settings(deadline=None, max_examples=12)
@given(scenario=scenarios(), data=st.data())
def test_revenue_at_risk_never_rises_with_representatives(
    scenario: Scenario, data: st.DataObject
) -> None:
    """More staff answers more contacts, and only answered contacts meet rudeness. So the
    law holds where giving up is clearly worse than any answered contact. Eq 1 composes
    the give-up churn with the answered contact's risks as independent risks (not as a
    mixture of answered and abandoned), so "at least as bad" is not enough when the risks
    are large: the test sets abandon churn >= 2 x the worst answered churn and keeps
    every churn response at most 0.3 (about ten times the presets')."""
    assume(
        max(
            scenario.churn.wait_churn_max,
            scenario.churn.rude_churn,
            scenario.churn.dismissive_churn,
        )
        <= 0.3
    )
    response = scenario.churn
    worst_answered = min(
        1.0,
        2.0
        * (
            1
            - (1 - response.wait_churn_max)
            * (1 - response.rude_churn)
            * (1 - response.dismissive_churn)
        ),
    )
    scenario = scenario.model_copy(
        update={
            "churn": response.model_copy(
                update={"abandon_churn": max(response.abandon_churn, worst_answered)}
            )
        }
    )
    index = data.draw(st.integers(0, len(scenario.channels) - 1), label="channel")
    current = np.array([c.representatives for c in scenario.channels])
    grid = np.unique(np.r_[np.linspace(0.0, 2 * current[index] + 10, 25), current[index]])
    reps = np.tile(current, (grid.size, 1))
    reps[:, index] = grid
    e = evaluate_many(scenario, representatives=reps)
    # From the first level at which every Erlang C queue clears (a saturated one answers
    # every caller after an unbounded wait: wait response 1, see test_optimize.py::
    # test_an_overloaded_erlang_c_queue_loses_its_waiting_customers).
    clears = np.ones(grid.size, dtype=bool)
    for channel, week in zip(scenario.channels, e.weeks, strict=True):
        if channel.queue_model == "erlang_c" and channel.kind != "email":
            clears &= np.isfinite(week.mean_wait_seconds)
    start = int(np.argmax(clears)) if clears.any() else grid.size
    wait = e.channel_wait_churn[start:, index]
    # Probabilities carry an absolute rounding error of a few 1e-16 (Hypothesis found
    # +8.9e-16 steps in a churn of 1e-300 at ample staff).
    assert np.all(np.diff(wait) <= 1e-12 * wait[:-1] + 1e-14)
    risk = e.revenue_at_risk[start:]
    assert np.all(np.diff(risk) <= 1e-9 * risk[:-1] + 1e-12)


@settings(deadline=None, max_examples=15)
@given(scenario=scenarios(), more=st.floats(0.0, 200.0))
def test_more_training_never_raises_rude_or_dismissive_shares(
    scenario: Scenario, more: float
) -> None:
    hours = scenario.training.hours_per_rep_per_year
    e = evaluate_many(scenario, training_hours=np.array([hours, hours + more]))
    assert e.rude_share[1] <= e.rude_share[0]
    assert e.dismissive_share[1] <= e.dismissive_share[0]
    assert e.contacts_per_year[1] <= e.contacts_per_year[0]


@settings(deadline=None, max_examples=10)
@given(scenario=scenarios())
def test_evaluate_is_deterministic(scenario: Scenario) -> None:
    first = evaluate(scenario).model_dump_json()
    assert evaluate(scenario).model_dump_json() == first
    assert (
        evaluate(Scenario.model_validate_json(scenario.model_dump_json())).model_dump_json()
        == first
    )
