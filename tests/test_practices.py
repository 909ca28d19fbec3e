"""Service practices as levers (cxcost.practices, cxcost.actions): reference cases worked
by hand from the equations P1-P4 and Eq 4, an independent mpmath recomputation of a
whole scenario's churn and cost, and the levers' invariants as properties."""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import scenarios

from cxcost import costs, quality
from cxcost.actions import GRIDS, LEVER_NAMES, Action, rank_actions, with_setting
from cxcost.channels import channel_week
from cxcost.compare import compare
from cxcost.evaluate import evaluate
from cxcost.optimize import optimize
from cxcost.practices import (
    LEVERS,
    contact_flow,
    contact_risks,
    practice_cost,
    transfer_share,
    unresolved_share,
)
from cxcost.presets import load_preset
from cxcost.scenario import Channel, Practices, Scenario

# ---------------------------------------------------------------------------
# Reference cases, worked by hand


def test_one_stop_removes_its_share_of_transfers() -> None:
    # P1: t = 0.2 x (1 - 0.25) = 0.15
    assert transfer_share(Practices(transfer_share=0.2, one_stop_share=0.25)) == pytest.approx(0.15)


def test_unresolved_share_by_hand() -> None:
    # P2 with t = 0.2, d = 0.1, fcr drop 0.14: d_t = 0.1 + 0.14 x 0.9 = 0.226;
    # follow-up 0.5 x recovery 0.5 keeps 0.75 of it unresolved:
    # u = 0.8 x 0.1 + 0.2 x 0.226 x 0.75 = 0.08 + 0.0339 = 0.1139
    p = Practices(transfer_share=0.2, follow_up_share=0.5, follow_up_recovery=0.5)
    assert float(unresolved_share(p, 0.1)) == pytest.approx(0.1139, rel=1e-12)


def test_contact_flow_by_hand() -> None:
    # P3: c1 = 2, s = 0.5, sig = 0.2, u = d = 0.1 (no transfers), r = 0.5, p = 0.4, pi = 0.5
    # c = 2 x 0.9 / (1 - 0.05) x (1 + 0.4 x 0.5 x 0.1) = 1.8 / 0.95 x 1.02 = 1.932631578...
    # failed self-service share of human contacts: 2 x 0.5 x 0.8 / c = 0.8 / 1.9326... = 0.41394...
    scenario = Scenario.model_validate(
        {
            "demand": {"contacts_per_customer_per_year": 2.0},
            "quality": {"repeat_contact_rate": 0.5},
            "practices": {
                "self_service_share": 0.5,
                "self_service_resolution": 0.2,
                "proactive_share": 0.4,
                "proactive_inbound_share": 0.5,
            },
        }
    )
    flow = contact_flow(scenario, 0.1)
    assert float(flow.contacts_per_customer) == pytest.approx(1.8 / 0.95 * 1.02, rel=1e-12)
    assert float(flow.failed_self_service) == pytest.approx(0.8 / (1.8 / 0.95 * 1.02), rel=1e-12)
    assert flow.legs == 1.0


def test_contact_risks_by_hand() -> None:
    # P4 with t = 0.1, a = 0.9, w = 0.02, rho = 0.05, u = 0.2, p_r = 0.1, p_d = 0.12,
    # proactive 0.5 x recovery 0.3, transfer churn 0.01, failed share 0.25 x churn 0.02:
    # wait = 1 - 0.98 x (1 - 0.002) = 0.02196
    # R = 0.9 x 0.05 x 0.1 = 0.0045; rudeness = 1 - 0.9955 x (1 - 0.00045) = 0.004947975
    # D = 0.9 x 0.2 x 0.12 x 0.85 = 0.01836
    # dismissive = 1 - (1 - 0.01836)(1 - 0.9 x 0.1 x 0.01)(1 - 0.25 x 0.02)
    p = Practices(
        transfer_share=0.1,
        transfer_churn=0.01,
        proactive_share=0.5,
        proactive_recovery=0.3,
        self_service_failure_churn=0.02,
    )
    risks = contact_risks(p, 0.02, 0.9, 0.05, 0.2, 0.25, 0.1, 0.12)
    assert float(risks.wait) == pytest.approx(0.02196, rel=1e-12)
    assert float(risks.rudeness) == pytest.approx(0.004947975, rel=1e-12)
    expected = 1 - (1 - 0.01836) * (1 - 0.0009) * (1 - 0.005)
    assert float(risks.dismissiveness) == pytest.approx(expected, rel=1e-12)


def test_practice_cost_by_hand() -> None:
    # Loaded hourly cost: 36,920 x 1.3 / 2,080 = 23.075.
    # one-stop: 0.5 x 800 x 50 reps = 20,000
    # follow-up: 0.5 x t (0.2 x 0.5 = 0.1) x 300,000 contacts x 0.9 answered x 4/60 h x 23.075
    #   = 13,500 x 4/60 x 23.075 = 900 h x 23.075 = 20,767.5
    # proactive: 0.25 x 0.1 unresolved x 300,000 x 8/60 h x 23.075 = 1,000 h x 23.075
    # self-service: 0.3 x 1.5 x 200,000 attempts x 0.10 + 60,000 upkeep = 9,000 + 60,000
    scenario = Scenario.model_validate(
        {
            "practices": {
                "transfer_share": 0.2,
                "one_stop_share": 0.5,
                "follow_up_share": 0.5,
                "proactive_share": 0.25,
                "self_service_share": 0.3,
            }
        }
    )
    cost = practice_cost(scenario, 50.0, 300_000.0, 0.9, 0.1)
    assert cost.as_dict() == pytest.approx(
        {
            "one_stop": 20_000.0,
            "follow_up": 900 * 23.075,
            "proactive": 1_000 * 23.075,
            "self_service": 69_000.0,
        },
        rel=1e-12,
    )


def test_in_person_has_no_queue_and_its_load_by_hand() -> None:
    # 52,000 contacts a year = 1,000 a week x 900 s = 250 h of work a week;
    # 10 staff x 50 h on the floor = 500 h: occupancy 0.5; no wait, nobody abandons.
    channel = Channel(kind="in_person", name="Shop", handle_time_seconds=900.0)
    week = channel_week(channel, [1.0] * 168, 52_000.0, 10.0, 50.0)
    assert float(week.occupancy[0]) == pytest.approx(0.5, rel=1e-12)
    assert float(week.mean_wait_seconds[0]) == 0.0
    assert float(week.give_up_share[0]) == 0.0
    assert float(week.wait_response[0]) == 0.0
    assert float(week.service_level[0]) == 1.0


def test_training_tracks_act_on_their_own_failure_by_hand() -> None:
    # No attrition: every representative is tenured, stock = h / delta with
    # delta = ln 2 / 1 year. 16 h general (half-life 24 h) and 8 h conflict
    # (half-life 12 h): rude gap kept = exp(-(16/24 + 8/12) ln 2 / (ln 2)) ... with
    # the fade: exponent = ln2 x (16/24 + 8/12) / delta = (16/24 + 8/12) = 4/3.
    scenario = Scenario.model_validate(
        {
            "staffing": {"attrition_per_year": 0.0},
            "training": {"hours_per_rep_per_year": 16.0, "conflict_hours_per_rep_per_year": 8.0},
            "quality": {
                "training_half_life_hours": 24.0,
                "conflict_training_half_life_hours": 12.0,
                "training_fade_half_life_years": 1.0,
            },
        }
    )
    q, tr = scenario.quality, scenario.training
    rude = quality.rude_share(q, tr, 0.0, 16.0)
    dismissive = quality.dismissive_share(q, tr, 0.0, 16.0)
    gap = q.rude_share_untrained - q.rude_share_floor
    assert rude == pytest.approx(q.rude_share_floor + gap * math.exp(-4.0 / 3.0), rel=1e-12)
    # The conflict track leaves the dismissive share alone: only the 16 general hours.
    d_gap = q.dismissive_share_untrained - q.dismissive_share_floor
    assert dismissive == pytest.approx(
        q.dismissive_share_floor + d_gap * math.exp(-16.0 / 24.0), rel=1e-12
    )


@pytest.mark.parametrize("attrition", [0.1, 0.35, 1.5])
def test_training_track_over_the_tenure_mix_matches_mpmath(attrition: float) -> None:
    # Eq 4: integral of a e^{-a t} exp(-lam E(t) - lam_k E_k(t)) dt, new hires start
    # the track at zero, E(t) = H0 e^{-dt} + h/d (1 - e^{-dt}), E_k = h_k/d (1 - e^{-dt}).
    h, h0, hk, half, half_k, fade = 20.0, 120.0, 10.0, 24.0, 12.0, 1.5
    d = mpmath.log(2) / fade
    lam, lam_k = mpmath.log(2) / half, mpmath.log(2) / half_k

    def integrand(t: mpmath.mpf) -> mpmath.mpf:
        decay = mpmath.e ** (-d * t)
        stock = h0 * decay + h / d * (1 - decay)
        track = hk / d * (1 - decay)
        return attrition * mpmath.e ** (-attrition * t) * mpmath.e ** (-lam * stock - lam_k * track)

    with mpmath.workdps(30):
        expected = float(mpmath.quad(integrand, [0, mpmath.inf]))
    value = quality.training_gap_kept(half, h, h0, attrition, fade, hk, half_k)
    # The model's 32-node Gauss-Laguerre rule: a few parts in a million at low attrition.
    assert value == pytest.approx(expected, rel=1e-5)


# ---------------------------------------------------------------------------
# A whole scenario against an independent recomputation


def _all_levers() -> Scenario:
    return Scenario.model_validate(
        {
            "practices": {
                "transfer_share": 0.2,
                "one_stop_share": 0.25,
                "follow_up_share": 0.5,
                "proactive_share": 0.4,
                "self_service_share": 0.3,
                "self_service_resolution": 0.25,
            },
            "training": {
                "conflict_hours_per_rep_per_year": 8.0,
                "knowledge_hours_per_rep_per_year": 6.0,
            },
        }
    )


def test_whole_scenario_matches_an_mpmath_recomputation_of_the_equations() -> None:
    """Customers lost, their split and the practice cost from P1-P4 in 30-digit arithmetic,
    taking only the queue outcomes (wait churn and give-ups per channel) from the model."""
    scenario = _all_levers()
    result = evaluate(scenario)
    mpmath.mp.dps = 30
    p, q, tr, b = scenario.practices, scenario.quality, scenario.training, scenario.business
    attrition = scenario.staffing.attrition_per_year
    rho = mpmath.mpf(quality.rude_share(q, tr, attrition, tr.hours_per_rep_per_year))
    d = mpmath.mpf(quality.dismissive_share(q, tr, attrition, tr.hours_per_rep_per_year))
    t = mpmath.mpf(p.transfer_share) * (1 - mpmath.mpf(p.one_stop_share))
    d_t = d + mpmath.mpf(p.transfer_fcr_drop) * (1 - d)
    u = (1 - t) * d + t * d_t * (1 - mpmath.mpf(p.follow_up_share) * p.follow_up_recovery)
    c1 = mpmath.mpf(scenario.demand.contacts_per_customer_per_year)
    s, sig = mpmath.mpf(p.self_service_share), mpmath.mpf(p.self_service_resolution)
    c = c1 * (1 - s * sig) / (1 - u * q.repeat_contact_rate)
    c *= 1 + mpmath.mpf(p.proactive_share) * p.proactive_inbound_share * u
    phi = c1 * s * (1 - sig) / c
    shares = [mpmath.mpf(ch.share_of_contacts) for ch in scenario.channels]
    w = sum(
        sh * mpmath.mpf(ch.wait_churn_per_contact)
        for sh, ch in zip(shares, result.channels, strict=True)
    )
    a = sum(
        sh * (1 - mpmath.mpf(ch.give_up_share))
        for sh, ch in zip(shares, result.channels, strict=True)
    )
    wait = 1 - (1 - w) * (1 - t * w)
    r0 = a * rho * scenario.churn.rude_churn
    rude = 1 - (1 - r0) * (1 - t * r0)
    d0 = (
        a
        * u
        * scenario.churn.dismissive_churn
        * (1 - mpmath.mpf(p.proactive_share) * p.proactive_recovery)
    )
    dismissive = 1 - (1 - d0) * (1 - a * t * p.transfer_churn) * (
        1 - phi * p.self_service_failure_churn
    )
    per_contact = 1 - (1 - wait) * (1 - rude) * (1 - dismissive)
    lost = b.customers * (1 - mpmath.e ** (-c * per_contact))
    assert result.customers_lost_per_year == pytest.approx(float(lost), rel=1e-9)
    hazards = {
        "wait": -mpmath.log(1 - wait),
        "rudeness": -mpmath.log(1 - rude),
        "dismissiveness": -mpmath.log(1 - dismissive),
    }
    total_hazard = sum(hazards.values())
    for driver, hazard in hazards.items():
        expected = float(lost * hazard / total_hazard)
        assert result.customers_lost_by_driver[driver] == pytest.approx(expected, rel=1e-9)
    hourly = mpmath.mpf(costs.loaded_hourly_cost(scenario.staffing))
    contacts = b.customers * c
    expected_cost = (
        mpmath.mpf(p.one_stop_share) * p.one_stop_cost_per_rep * result.representatives
        + mpmath.mpf(p.follow_up_share) * t * contacts * a * p.follow_up_minutes / 60 * hourly
        + mpmath.mpf(p.proactive_share) * u * contacts * p.proactive_minutes / 60 * hourly
        + s * c1 * b.customers * p.self_service_cost_per_contact
        + p.self_service_cost_per_year
    )
    assert result.practice_cost_per_year == pytest.approx(float(expected_cost), rel=1e-9)
    assert result.total_cx_cost_per_year == pytest.approx(
        result.service_cost_per_year + result.churn_cost_per_year, rel=1e-12
    )


def test_no_practices_is_the_model_without_them() -> None:
    """Every lever at 0 and no transfers: the assumptions of the practices do not matter."""
    plain = evaluate(Scenario())
    other_assumptions = Scenario.model_validate(
        {
            "practices": {
                "transfer_fcr_drop": 0.5,
                "transfer_churn": 0.2,
                "one_stop_cost_per_rep": 9_999.0,
                "follow_up_minutes": 60.0,
                "follow_up_recovery": 1.0,
                "proactive_minutes": 90.0,
                "proactive_recovery": 1.0,
                "proactive_inbound_share": 1.0,
                "self_service_resolution": 0.9,
                "self_service_cost_per_contact": 50.0,
                "self_service_cost_per_year": 1e6,
                "self_service_failure_churn": 0.5,
            },
            "quality": {
                "conflict_training_half_life_hours": 3.0,
                "knowledge_training_half_life_hours": 300.0,
            },
        }
    )
    assert evaluate(other_assumptions).model_dump() == plain.model_dump()
    assert plain.practice_cost_per_year == 0.0


# ---------------------------------------------------------------------------
# Properties

_LEVER_ASSUMPTIONS = {
    "one_stop_share": ("one_stop_cost_per_rep",),
    "follow_up_share": ("follow_up_minutes", "follow_up_recovery"),
    "proactive_share": ("proactive_minutes", "proactive_recovery", "proactive_inbound_share"),
    "self_service_share": (
        "self_service_resolution",
        "self_service_cost_per_contact",
        "self_service_cost_per_year",
        "self_service_failure_churn",
    ),
}
_PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPERTY
@given(
    scenarios(),
    st.sampled_from(sorted(_LEVER_ASSUMPTIONS)),
    st.floats(0.0, 1.0),
)
def test_a_lever_at_zero_changes_nothing(scenario: Scenario, lever: str, position: float) -> None:
    """With a lever at 0, its own assumptions (time, recovery, costs) change no result."""
    data = scenario.model_dump()
    data["practices"][lever] = 0.0
    base = Scenario.model_validate(data)
    for field in _LEVER_ASSUMPTIONS[lever]:
        info = Practices.model_fields[field]
        high = next(m.le for m in info.metadata if hasattr(m, "le"))
        data["practices"][field] = position * float(high)
    moved = Scenario.model_validate(data)
    assert evaluate(moved).model_dump() == evaluate(base).model_dump()


@_PROPERTY
@given(scenarios(), st.floats(0.01, 0.8), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_more_follow_up_never_raises_churn(
    scenario: Scenario, transfers: float, low: float, high: float
) -> None:
    low, high = sorted((low, high))
    data = scenario.model_dump()
    data["practices"]["transfer_share"] = transfers
    lost = []
    for share in (low, high):
        data["practices"]["follow_up_share"] = share
        lost.append(evaluate(Scenario.model_validate(data)).customers_lost_per_year)
    assert lost[1] <= lost[0] * (1 + 1e-12) + 1e-9


@_PROPERTY
@given(scenarios())
def test_the_drivers_still_sum_to_the_whole_with_practices(scenario: Scenario) -> None:
    result = evaluate(scenario)
    parts = result.customers_lost_by_driver
    assert sum(parts.values()) == pytest.approx(result.customers_lost_per_year, rel=1e-9, abs=1e-9)
    money = result.churn_cost_by_driver
    assert sum(money.values()) == pytest.approx(result.churn_cost_per_year, rel=1e-9, abs=1e-6)


@_PROPERTY
@given(scenarios(), st.floats(0.01, 0.95))
def test_deflection_never_leaves_no_human_channel(scenario: Scenario, share: float) -> None:
    """A scenario that deflects to self-service with nobody staffed is refused, and says why."""
    data = scenario.model_dump()
    data["practices"]["self_service_share"] = share
    for channel in data["channels"]:
        channel["representatives"] = 0.0
    with pytest.raises(ValidationError) as error:
        Scenario.model_validate(data)
    assert "self_service_share" in str(error.value)
    assert "staff at least one channel" in str(error.value)


def test_a_plan_with_deflection_keeps_a_staffed_channel() -> None:
    scenario = load_preset("us-ecommerce")
    deflected = with_setting(scenario, "practices.self_service_share", 0.9)
    assert deflected is not None
    plan = optimize(deflected)
    assert any(c.representatives > 0 and c.share_of_contacts > 0 for c in plan.scenario.channels)


# ---------------------------------------------------------------------------
# The ranked action list


@functools.cache
def _ranked(stem: str) -> tuple[Scenario, list[Action]]:
    scenario = load_preset(stem)
    return scenario, rank_actions(scenario)


@pytest.mark.parametrize("stem", ["us-ecommerce", "no-car-dealer", "b2b-software"])
def test_ranked_list_is_sorted_and_each_row_is_compare_of_that_single_change(stem: str) -> None:
    scenario, actions = _ranked(stem)
    benefits = [a.net_benefit_per_year for a in actions]
    assert benefits == sorted(benefits, reverse=True)
    assert {a.lever for a in actions} >= {"staffing", "self_service", "proactive"}
    base = scenario.model_dump()
    for action in actions:
        proposal = action.scenario.model_dump()
        changed = {
            f"{section}.{field}"
            for section in ("practices", "training")
            for field in base[section]
            if base[section][field] != proposal[section][field]
        }
        if action.lever == "staffing":
            assert changed <= {"training.hours_per_rep_per_year"}
        else:
            assert changed <= {action.path}
            assert [c["representatives"] for c in proposal["channels"]] == [
                c["representatives"] for c in base["channels"]
            ]
        fresh = compare(scenario, action.scenario)
        assert action.net_benefit_per_year == pytest.approx(fresh.net_benefit_per_year, rel=1e-12)
        assert action.cost_per_year == pytest.approx(fresh.extra_service_cost_per_year, rel=1e-12)
        assert action.customers_kept_per_year == pytest.approx(
            fresh.customers_saved_per_year, rel=1e-12
        )
        assert action.roi == (None if fresh.roi is None else pytest.approx(fresh.roi, rel=1e-12))
        assert action.payback_months == fresh.payback_months
        contract = action.contract()
        assert list(contract) == [
            "lever",
            "setting",
            "cost_per_year",
            "customers_kept_per_year",
            "net_benefit_per_year",
            "roi",
            "payback_months",
        ]


@pytest.mark.parametrize("stem", ["us-ecommerce", "no-car-dealer"])
def test_each_lever_takes_its_best_setting_on_its_grid(stem: str) -> None:
    scenario, actions = _ranked(stem)
    base_result = evaluate(scenario)
    for action in actions:
        if action.lever == "staffing":
            continue
        for value in GRIDS[action.path]:
            other = with_setting(scenario, action.path, value)
            if other is None:
                continue
            gain = compare(scenario, other, base_result).net_benefit_per_year
            assert gain <= action.net_benefit_per_year + 1e-6 * abs(action.net_benefit_per_year)


def test_every_lever_has_a_name_and_a_grid() -> None:
    assert set(LEVERS) == set(LEVER_NAMES) == set(GRIDS)


def test_optimize_considers_the_levers_and_beats_staffing_alone() -> None:
    scenario = load_preset("us-ecommerce")
    alone = optimize(scenario, practices=False)
    both = optimize(scenario)
    assert both.comparison.net_benefit_per_year >= alone.comparison.net_benefit_per_year
    for path, value in both.practices.items():
        section, _, field = path.partition(".")
        assert getattr(getattr(both.scenario, section), field) == value
    # The plan's comparison is compare's, against the scenario as it was.
    fresh = compare(scenario, both.scenario)
    assert both.comparison.net_benefit_per_year == pytest.approx(
        fresh.net_benefit_per_year, rel=1e-9
    )


def test_the_uncertainty_centre_is_the_result_with_practices() -> None:
    from cxcost import uncertainty

    scenario = _all_levers()
    ones = {name: np.ones(2) for name in uncertainty.PARAMETERS}
    outcome = uncertainty._outcomes(scenario, ones)
    result = evaluate(scenario)
    assert outcome.total_cost[0] == pytest.approx(result.total_cx_cost_per_year, rel=1e-12)
    assert outcome.revenue_at_risk[0] == pytest.approx(result.revenue_at_risk_per_year, rel=1e-12)


def test_in_person_staffing_covers_each_hours_work_at_the_occupancy_cap() -> None:
    """The planner's view of a shop: no queue, so each open hour needs the work / the cap,
    rounded up (one hour worked by hand below)."""
    from cxcost.staffing import required_staffing

    scenario = load_preset("no-car-dealer")
    plan = required_staffing(scenario)
    shop = plan.channels[0]
    channel = scenario.channels[0]
    assert shop.kind == "in_person"
    assert shop.met
    for hour in shop.hours:
        work = hour.contacts_per_hour * channel.handle_time_seconds / 3600.0
        assert hour.agents_on_queue == math.ceil(work / channel.max_occupancy - 1e-9)
        assert hour.service_level == (1.0 if hour.contacts_per_hour > 0 else None)
        if hour.occupancy is not None:
            assert hour.occupancy <= channel.max_occupancy + 1e-12


@pytest.mark.parametrize("stem", ["us-ecommerce", "no-car-dealer"])
def test_variants_priced_in_one_pass_equal_evaluate(stem: str) -> None:
    from cxcost.evaluate import variant_total_costs

    scenario = load_preset(stem)
    for path, grid in GRIDS.items():
        variants = [v for x in grid if (v := with_setting(scenario, path, x)) is not None]
        totals = variant_total_costs(variants)
        expected = [evaluate(v).total_cx_cost_per_year for v in variants]
        assert totals.tolist() == pytest.approx(expected, rel=1e-12), path
    other = scenario.model_copy(deep=True)
    other.channels[0].representatives += 1
    with pytest.raises(ValueError, match="practices and training only"):
        variant_total_costs([scenario, other])


def test_the_optimiser_never_plans_away_the_last_human_behind_self_service() -> None:
    """Found by Hypothesis: nobody leaves over service and staff cost little, so no staff
    would be cheapest; with self-service on, the plan keeps a channel staffed."""
    scenario = Scenario.model_validate(
        {
            "business": {"customers": 1},
            "channels": [
                {
                    "kind": "phone",
                    "name": "Phone",
                    "handle_time_seconds": 10.0,
                    "max_occupancy": 1.0,
                    "representatives": 0.03125,
                }
            ],
            "staffing": {"salary_per_year": 1_000.0},
            "churn": {
                "wait_churn_max": 0.0,
                "abandon_churn": 0.0,
                "rude_churn": 0.0,
                "dismissive_churn": 0.0,
            },
            "practices": {"self_service_share": 0.5},
        }
    )
    unconstrained = scenario.model_copy(update={"practices": Practices()})
    assert optimize(unconstrained, practices=False).representatives == [0.0]
    plan = optimize(scenario, practices=False)
    assert plan.representatives[0] > 0
    assert plan.scenario.practices.self_service_share == 0.5
