"""Tests for cxcost.evaluate: the Result contract, its accounting, and model-wide properties."""

from __future__ import annotations

import math

import annotated_types
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from cxcost import churn, costs, quality
from cxcost.evaluate import Result, evaluate, evaluate_many
from cxcost.scenario import (
    HOURS_PER_WEEK,
    Business,
    Channel,
    ChurnResponse,
    Demand,
    Quality,
    Scenario,
    Staffing,
    Training,
    typical_week_profile,
)

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

# ---------------------------------------------------------------- scenario strategy


def _limits(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The field's allowed interval, read from its ``Field`` metadata (stays in sync)."""
    low, high = -math.inf, math.inf
    for m in model.model_fields[name].metadata:
        if isinstance(m, annotated_types.Ge):
            low = float(m.ge)
        elif isinstance(m, annotated_types.Gt):
            low = float(m.gt) + 1e-6
        elif isinstance(m, annotated_types.Le):
            high = float(m.le)
    return low, high


# Narrower than the Field limits where the full range only makes an example slow or
# numerically degenerate without testing anything new (the whole range is legal).
_SANE = {
    (Business, "customers"): (1, 5_000_000),
    (Channel, "representatives"): (0.0, 2_000.0),
}


def _number(model: type[BaseModel], name: str) -> st.SearchStrategy:
    low, high = _limits(model, name)
    low, high = _SANE.get((model, name), (low, high))
    if model.model_fields[name].annotation is int:
        return st.integers(int(low), int(high))
    if low == 0.0:
        # Exactly 0, or a value a user could mean: 1e-300 reps or contacts only test
        # float64 underflow (channel tests cover tiny loads on their own).
        return st.one_of(st.just(0.0), st.floats(1e-6, high))
    return st.floats(low, high)


def _numbers(model: type[BaseModel], names: tuple[str, ...]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({name: _number(model, name) for name in names})


BUSINESS = tuple(n for n, f in Business.model_fields.items() if f.annotation in (int, float))
STAFFING = tuple(n for n, f in Staffing.model_fields.items() if f.annotation in (int, float))
CHURN = tuple(ChurnResponse.model_fields)
CHANNEL = (
    "handle_time_seconds",
    "answer_within_seconds",
    "patience_seconds",
    "concurrency",
    "representatives",
    "wait_tolerance_minutes",
)
QUALITY = ("rude_share_untrained", "dismissive_share_untrained", "training_half_life_hours")
PROFILES = {
    "typical": typical_week_profile(),
    "flat": [1.0] * HOURS_PER_WEEK,
    "weekdays 9-17": ([0.0] * 9 + [1.0] * 8 + [0.0] * 7) * 5 + [0.0] * 48,
}


@st.composite
def channels(draw: st.DrawFn, share: float) -> Channel:
    values = draw(_numbers(Channel, CHANNEL))
    return Channel(
        kind=draw(st.sampled_from(["phone", "chat", "email"])),
        queue_model=draw(st.sampled_from(["erlang_a", "erlang_c"])),
        share_of_contacts=share,
        **values,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Valid scenarios with every numeric field drawn within its Field limits."""
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=1, max_size=3))
    shares = [w / sum(weights) for w in weights]
    shares[-1] = 1.0 - sum(shares[:-1])
    staffing = Staffing(
        schedule=draw(st.sampled_from(["daily", "hourly"])), **draw(_numbers(Staffing, STAFFING))
    )
    available = staffing.paid_hours_per_year * (1 - staffing.shrinkage)
    hours_high = min(_limits(Training, "hours_per_rep_per_year")[1], available)
    q = draw(_numbers(Quality, QUALITY))
    profile_name = draw(st.sampled_from(sorted(PROFILES)))
    return Scenario(
        business=Business(**draw(_numbers(Business, BUSINESS))),
        demand=Demand(
            contacts_per_customer_per_year=draw(_number(Demand, "contacts_per_customer_per_year")),
            arrival_profile=PROFILES[profile_name],
        ),
        channels=[draw(channels(share)) for share in shares],
        staffing=staffing,
        training=Training(
            hours_per_rep_per_year=hours_high * draw(st.floats(0.0, 0.99)),
            cost_per_training_hour=draw(_number(Training, "cost_per_training_hour")),
        ),
        quality=Quality(
            rude_share_floor=q["rude_share_untrained"] * draw(st.floats(0.0, 1.0)),
            dismissive_share_floor=q["dismissive_share_untrained"] * draw(st.floats(0.0, 1.0)),
            repeat_contact_rate=draw(_number(Quality, "repeat_contact_rate")),
            **q,
        ),
        churn=ChurnResponse(**draw(_numbers(ChurnResponse, CHURN))),
    )


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
    "hourly roster": {"staffing.schedule": "hourly"},
    "erlang C phone": {"channels.0.queue_model": "erlang_c", "channels.0.representatives": 25},
    "e-mail backlog never clears": {"channels.2.representatives": 1},
    "nobody complains": {"churn.complain_share": 0.0},
    "no training": {"training.hours_per_rep_per_year": 0.0},
    "NOK bank": {"business.currency": "NOK", "staffing.salary_per_year": 520_000.0},
}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS)
def test_accounting_identities(scenario_with, changes: dict) -> None:
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
    assert r.customer_lifetime_margin == pytest.approx(costs.customer_lifetime_margin(b), rel=rel)
    assert r.lost_lifetime_margin_per_year == pytest.approx(
        lost * r.customer_lifetime_margin, rel=rel
    )
    assert r.replacement_acquisition_cost_per_year == pytest.approx(
        lost * b.acquisition_cost, rel=rel
    )
    assert r.churn_cost_per_year == pytest.approx(
        r.lost_lifetime_margin_per_year + r.replacement_acquisition_cost_per_year, rel=rel
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
def test_customers_lost_recomputed_from_the_parts(scenario_with, changes: dict) -> None:
    """Rebuild the churn chain from the module functions and the channel results."""
    scenario = scenario_with(changes)
    r = evaluate(scenario)
    hours = scenario.training.hours_per_rep_per_year
    rude = quality.rude_share(scenario.quality, hours)
    dismissive = quality.dismissive_share(scenario.quality, hours)
    repeat = quality.repeat_contact_factor(dismissive, scenario.quality.repeat_contact_rate)
    assert r.rude_share == pytest.approx(rude, rel=1e-12)
    assert r.dismissive_share == pytest.approx(dismissive, rel=1e-12)
    assert r.contacts_per_year == pytest.approx(r.first_contacts_per_year * repeat, rel=1e-12)
    wait = sum(
        c.share_of_contacts * cr.wait_churn_per_contact
        for c, cr in zip(scenario.channels, r.channels, strict=True)
    )
    assert r.wait_churn_per_contact == pytest.approx(wait, rel=1e-12)
    q = 1 - (1 - wait) * (1 - rude * scenario.churn.rude_churn) * (
        1 - dismissive * scenario.churn.dismissive_churn
    )
    assert r.churn_per_contact == pytest.approx(q, rel=1e-12)
    contacts = scenario.demand.contacts_per_customer_per_year * repeat
    rate = 1 - math.exp(-contacts * q)
    assert r.service_churn_rate == pytest.approx(rate, rel=1e-12)
    assert r.customers_lost_per_year == pytest.approx(scenario.business.customers * rate, rel=1e-12)
    split = churn.attribute_to_drivers(
        r.customers_lost_per_year,
        wait,
        rude * scenario.churn.rude_churn,
        dismissive * scenario.churn.dismissive_churn,
    )
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


def test_evaluate_many_overrides_equal_changed_scenarios(scenario_with) -> None:
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


def test_no_contacts_means_no_service_churn(scenario_with) -> None:
    r = evaluate(scenario_with({"demand.contacts_per_customer_per_year": 0.0}))
    assert r.customers_lost_per_year == 0.0
    assert r.customers_lost_by_driver == {"wait": 0.0, "rudeness": 0.0, "dismissiveness": 0.0}
    assert r.revenue_at_risk_per_year == 0.0
    assert r.total_cx_cost_per_year == pytest.approx(r.service_cost_per_year, rel=1e-15)


def test_unstaffed_channel_loses_every_waiting_customer(scenario_with) -> None:
    scenario = scenario_with({"channels.0.representatives": 0.0})
    phone = evaluate(scenario).channels[0]
    assert phone.p_abandon == pytest.approx(1.0, abs=1e-12)
    assert phone.service_level == pytest.approx(0.0, abs=1e-12)
    assert phone.wait_churn_per_contact == pytest.approx(scenario.churn.wait_churn_max, rel=1e-12)
    assert phone.payroll_per_year == 0.0


def test_revenue_scales_but_customers_lost_do_not(scenario_with) -> None:
    base = evaluate(Scenario())
    double = evaluate(scenario_with({"business.revenue_per_customer": 1200.0}))
    assert double.customers_lost_per_year == pytest.approx(base.customers_lost_per_year, rel=1e-14)
    assert double.revenue_at_risk_per_year == pytest.approx(
        2 * base.revenue_at_risk_per_year, rel=1e-14
    )


def test_flat_average_figures_are_reported() -> None:
    """The default week has peaks; one shift pattern a day waits longer than flat."""
    for channel in evaluate(Scenario()).channels:
        assert channel.mean_wait_seconds >= channel.flat_mean_wait_seconds


# ---------------------------------------------------------------- properties


@settings(deadline=None, max_examples=60)
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


@settings(deadline=None, max_examples=60)
@given(scenario=scenarios())
def test_channel_metrics_are_shares(scenario: Scenario) -> None:
    for channel in evaluate(scenario).channels:
        for name in SHARE_FIELDS:
            value = getattr(channel, name)
            assert 0.0 <= value <= 1.0, f"{channel.kind} {name} = {value}"
        assert channel.mean_wait_seconds >= 0  # may be infinite: a backlog that never clears


@settings(deadline=None, max_examples=40)
@given(scenario=scenarios(), data=st.data())
def test_revenue_at_risk_never_rises_with_representatives(scenario: Scenario, data) -> None:
    index = data.draw(st.integers(0, len(scenario.channels) - 1), label="channel")
    current = np.array([c.representatives for c in scenario.channels])
    grid = np.unique(np.r_[np.linspace(0.0, 2 * current[index] + 10, 25), current[index]])
    reps = np.tile(current, (grid.size, 1))
    reps[:, index] = grid
    e = evaluate_many(scenario, representatives=reps)
    wait = e.channel_wait_churn[:, index]
    assert np.all(np.diff(wait) <= 1e-12 * np.maximum(wait[:-1], 1e-300))
    risk = e.revenue_at_risk
    assert np.all(np.diff(risk) <= 1e-9 * np.maximum(risk[:-1], 1e-300))


@settings(deadline=None, max_examples=40)
@given(scenario=scenarios(), more=st.floats(0.0, 200.0))
def test_more_training_never_raises_rude_or_dismissive_shares(
    scenario: Scenario, more: float
) -> None:
    hours = scenario.training.hours_per_rep_per_year
    e = evaluate_many(scenario, training_hours=np.array([hours, hours + more]))
    assert e.rude_share[1] <= e.rude_share[0]
    assert e.dismissive_share[1] <= e.dismissive_share[0]
    assert e.contacts_per_year[1] <= e.contacts_per_year[0]


@settings(deadline=None, max_examples=30)
@given(scenario=scenarios())
def test_evaluate_is_deterministic(scenario: Scenario) -> None:
    first = evaluate(scenario).model_dump_json()
    assert evaluate(scenario).model_dump_json() == first
    assert (
        evaluate(Scenario.model_validate_json(scenario.model_dump_json())).model_dump_json()
        == first
    )
