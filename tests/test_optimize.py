"""Tests for cxcost.optimize: the recommended plan, its constraints, and the cost curves."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from strategies import field_limits

from cxcost import presets
from cxcost.compare import compare
from cxcost.costs import annuity_factor, hiring_cost_per_rep
from cxcost.evaluate import evaluate, evaluate_many
from cxcost.optimize import (
    FLAT_BAND,
    USUAL_MAX_TRAINING_HOURS,
    Recommendation,
    _plan_for_training,
    _training_limit,
    cost_curve,
    optimize,
    practice_warnings,
    training_curve,
)
from cxcost.scenario import Scenario, Training
from cxcost.uncertainty import tornado

Array = NDArray[np.float64]

# Grids of more than one FTE per step (large centres) may miss the best level by a
# step; 1e-4 of the total cost allows for that, not for a plan clearly beaten.
PLAN_TOLERANCE = 1e-4
TRAINING_LIMIT = field_limits(Training, "hours_per_rep_per_year").high


def _changed(changes: dict[str, Any], base: Scenario | None = None) -> Scenario:
    """A scenario (default: the default one) with dotted-path changes (as the conftest
    ``scenario_with`` fixture; needed here at collection time, without fixtures)."""
    data = (base or Scenario()).model_dump()
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value
    return Scenario.model_validate(data)


def _fast(changes: dict[str, Any] | None = None, email: bool = False) -> Scenario:
    """The default business on Erlang C phone and chat (and e-mail if asked).

    The optimiser's search is the same for every queue model; Erlang C keeps these
    tests fast (no redial fixed point, no e-mail backlog).
    """
    data = Scenario().model_dump()
    # Staffed within the occupancy caps: Erlang C has no abandonment, so an overloaded
    # base would not be a plan the optimiser may choose.
    for channel, reps in zip(data["channels"], (24.0, 10.0, 8.0), strict=True):
        channel["queue_model"] = "erlang_c" if channel["kind"] != "email" else "erlang_a"
        channel["representatives"] = reps
    if not email:
        data["channels"] = data["channels"][:2]
        data["channels"][0].update(share_of_contacts=0.7, representatives=27.0)
        data["channels"][1].update(share_of_contacts=0.3, representatives=12.0)
    return _changed(changes or {}, Scenario.model_validate(data))


CASES = {
    "default": lambda: _fast(),
    # cheap customers and patient ones: the cheapest plan staffs thinly
    "lean": lambda: _fast({"business.revenue_per_customer": 60.0, "churn.wait_churn_max": 0.001}),
    # valuable customers: the cheapest plan staffs generously
    "high-value customers": lambda: _fast({"business.revenue_per_customer": 5000.0}),
    "daily roster": lambda: _fast({"staffing.schedule": "daily"}),
    "replacement cost": lambda: _fast(
        {"business.lost_customer_valuation": "replacement_cost", "business.acquisition_cost": 400.0}
    ),
    "with e-mail": lambda: _fast(email=True),
    # within usual practice on every count: no warnings
    "plain": lambda: _fast({"business.revenue_per_customer": 100.0, "churn.wait_churn_max": 0.02}),
    "slow training": lambda: _fast({"quality.training_half_life_hours": 48.0}),
}
PRESETS = [entry.stem for entry in presets.list_presets()]


@functools.cache
def _scenario(case: str) -> Scenario:
    return CASES[case]()


@functools.cache
def _optimized(
    case: str,
    min_service_level: float | None = None,
    max_budget: float | None = None,
    max_occupancy: float | None = None,
    max_training_hours: float | None = None,
    practices: bool = True,
) -> Recommendation:
    return optimize(
        _scenario(case),
        min_service_level,
        max_budget,
        max_occupancy,
        max_training_hours,
        practices=practices,
    )


@pytest.mark.parametrize("case", ["default", "lean", "high-value customers", "with e-mail"])
def test_plan_is_not_beaten_by_the_base_or_any_curve_point(case: str) -> None:
    scenario = _scenario(case)
    rec = _optimized(case)
    # The curves' total is the optimiser's objective (hiring spread over the horizon).
    best = rec.result.total_cx_cost_per_year + rec.comparison.one_off_cost / (
        rec.comparison.annuity_factor
    )
    assert best <= evaluate(scenario).total_cx_cost_per_year * (1 + 1e-12)
    for i, channel in enumerate(scenario.channels):
        for label, around in (("base", scenario), ("plan", rec.scenario)):
            curve = cost_curve(around, i)
            # Only levels a plan may take: within the channel's occupancy cap, and whose
            # queue clears (see test_an_overloaded_erlang_c_queue_loses_...).
            levels = np.tile(
                [c.representatives for c in around.channels], (len(curve.total_cost), 1)
            )
            levels[:, i] = curve.representatives
            occupancy = evaluate_many(around, representatives=levels).weeks[i].occupancy
            stable = np.isfinite(curve.mean_wait_seconds) & (occupancy <= channel.max_occupancy)
            cheapest = float(np.min(np.asarray(curve.total_cost)[stable]))
            if label == "plan":
                # Around the plan, hiring counts from the plan's staffing: add the
                # plan's own hiring, which the base pays.
                cheapest += rec.comparison.one_off_cost / rec.comparison.annuity_factor
            at = np.asarray(curve.representatives)[stable][
                int(np.argmin(np.asarray(curve.total_cost)[stable]))
            ]
            assert best <= cheapest * (1 + PLAN_TOLERANCE), (
                f"{channel.name}: the {label} curve costs {cheapest:,.0f} at {at:g} FTE, "
                f"the plan {best:,.0f} at {rec.representatives[i]:g} FTE"
            )


@pytest.mark.parametrize("case", ["default", "slow training"])
def test_training_search_is_not_beaten_by_any_whole_hour(case: str) -> None:
    """The grid and golden-section search over training hours against trying every
    whole hour from 0 to the limit (each with its best staffing)."""
    scenario = _scenario(case)
    rec = _optimized(case)
    limit = _training_limit(scenario)
    every_hour = [
        _plan_for_training(scenario, float(hours), None, None, None).cost
        for hours in range(int(limit) + 1)
    ]
    best = rec.result.total_cx_cost_per_year + rec.comparison.one_off_cost / (
        rec.comparison.annuity_factor
    )
    assert best <= min(every_hour) * (1 + PLAN_TOLERANCE)


@pytest.mark.parametrize("case", ["default", "lean", "replacement cost", "with e-mail"])
def test_recommendation_is_consistent(case: str) -> None:
    scenario = _scenario(case)
    rec = _optimized(case)
    assert [c.representatives for c in rec.scenario.channels] == rec.representatives
    assert rec.scenario.training.hours_per_rep_per_year == rec.training_hours
    assert rec.result == evaluate(rec.scenario)
    assert rec.base_result == evaluate(scenario)
    assert rec.comparison == compare(scenario, rec.scenario)
    assert rec.comparison.net_benefit_per_year >= 0
    assert rec.comparison.npv >= 0
    assert rec.comparison.changed_assumptions == []
    assert rec.feasible
    assert rec.message
    # Everything else is left as it was, but the practice levers the plan names
    unchanged = rec.scenario.model_dump()
    original = scenario.model_dump()
    for data in (unchanged, original):
        for channel in data["channels"]:
            channel.pop("representatives")
        data["training"].pop("hours_per_rep_per_year")
    for path, value in rec.practices.items():
        section, _, field = path.partition(".")
        assert unchanged[section].pop(field) == value != original[section].pop(field)
    assert unchanged == original


@pytest.mark.parametrize(
    ("case", "constraints"),
    [
        ("lean", {"min_service_level": 0.8}),
        ("lean", {"min_service_level": 0.85, "max_budget": 2_000_000.0}),
        ("default", {"max_budget": 2_000_000.0}),
        ("default", {"max_budget": 1_600_000.0}),
        ("lean", {"max_occupancy": 0.85}),
        ("default", {"max_training_hours": 20.0}),
    ],
)
def test_constraints_are_met_when_feasible(case: str, constraints: dict[str, Any]) -> None:
    rec = _optimized(case, **constraints)
    free = _optimized(case)
    assert rec.feasible, rec.message
    if "min_service_level" in constraints:
        for channel in rec.result.channels:
            assert channel.service_level >= constraints["min_service_level"] - 1e-9, channel.name
    if "max_budget" in constraints:
        assert rec.result.service_cost_per_year <= constraints["max_budget"] * (1 + 1e-12)
    if "max_occupancy" in constraints:
        for channel in rec.result.channels:
            assert channel.occupancy <= constraints["max_occupancy"] + 1e-12, channel.name
    if "max_training_hours" in constraints:
        assert rec.training_hours <= constraints["max_training_hours"]
    # A constraint can only make the cheapest plan dearer
    assert rec.result.total_cx_cost_per_year >= free.result.total_cx_cost_per_year * (1 - 1e-9)


def test_binding_service_level_constraint_changes_the_plan() -> None:
    free = _optimized("lean")
    assert min(c.service_level for c in free.result.channels) < 0.8
    held = _optimized("lean", min_service_level=0.8)
    assert sum(held.representatives) > sum(free.representatives)


@pytest.mark.parametrize(
    ("constraints", "fragments"),
    [
        # answered within 20 s for every caller: impossible with random arrivals
        ({"min_service_level": 1.0}, ["service level of at least 100%"]),
        ({"max_budget": 0.0}, ["service budget of at most 0 USD"]),
        (
            {"min_service_level": 1.0, "max_budget": 1000.0},
            ["service level of at least 100%", "at most 1,000 USD"],
        ),
    ],
)
def test_infeasible_constraints_are_reported(
    constraints: dict[str, Any], fragments: list[str]
) -> None:
    rec = _optimized("default", **constraints)
    assert rec.feasible is False
    for fragment in fragments:
        assert fragment in rec.message


@pytest.mark.parametrize(
    ("constraints", "match"),
    [
        ({"min_service_level": 1.5}, "min_service_level"),
        ({"min_service_level": -0.1}, "min_service_level"),
        ({"max_budget": -1.0}, "max_budget"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"max_occupancy": 1.2}, "max_occupancy"),
        ({"max_training_hours": -1.0}, "max_training_hours"),
    ],
)
def test_invalid_constraints_are_refused(constraints: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        optimize(Scenario(), **constraints)


def test_plan_stays_within_the_training_field_limit() -> None:
    """Slow-acting training makes the cheapest level long; it must stay a valid scenario."""
    scenario = _fast({"quality.training_half_life_hours": 200.0})
    rec = optimize(scenario)
    assert 0 <= rec.training_hours <= TRAINING_LIMIT


def _hiring_per_year(scenario: Scenario) -> float:
    b = scenario.business
    return hiring_cost_per_rep(scenario.staffing, scenario.training) / annuity_factor(
        b.discount_rate, b.horizon_years
    )


@pytest.mark.parametrize("index", [0, 1, 2])
def test_cost_curve(index: int) -> None:
    scenario = _fast(email=True)
    curve = cost_curve(scenario, index)
    reps = np.asarray(curve.representatives)
    total = np.asarray(curve.total_cost)
    assert curve.best_index == int(np.argmin(total))
    assert scenario.channels[index].representatives in curve.representatives
    assert curve.current_representatives == scenario.channels[index].representatives
    assert curve.channel_name == scenario.channels[index].name
    # The total is the optimiser's objective: service + churn cost + hiring of the
    # representatives added over the scenario's, spread over the horizon.
    added = np.maximum(reps - scenario.channels[index].representatives, 0.0)
    np.testing.assert_allclose(
        total,
        np.asarray(curve.service_cost)
        + np.asarray(curve.churn_cost)
        + added * _hiring_per_year(scenario),
        rtol=1e-12,
    )
    assert np.all(np.diff(reps) > 0)
    assert np.all(np.diff(curve.service_cost) > 0)
    for name in ("service_cost", "churn_cost", "revenue_at_risk", "service_level", "p_abandon"):
        assert len(getattr(curve, name)) == reps.size


def test_cost_curve_is_u_shaped_for_the_phones() -> None:
    curve = cost_curve(Scenario(), 0)
    assert 0 < curve.best_index < len(curve.total_cost) - 1


def test_an_overloaded_erlang_c_queue_loses_its_waiting_customers() -> None:
    """An Erlang C phone line with 5 reps for about 20 erlangs never clears its queue:
    every caller waits without end, so waiting must cost at least as much churn as on a
    line that clears, and an unstaffed line must not be the cheapest plan."""
    scenario = _fast()
    reps = np.array([[0.0, 12.0], [5.0, 12.0], [27.0, 12.0]])
    e = evaluate_many(scenario, representatives=reps)
    assert np.isinf(e.weeks[0].mean_wait_seconds[:2]).all()
    wait = e.channel_wait_churn[:, 0]
    assert wait[0] >= wait[2]
    assert wait[1] >= wait[2]
    assert cost_curve(scenario, 0).best_index > 0


def test_cost_curve_points_equal_evaluate() -> None:
    scenario = _fast(email=True)
    curve = cost_curve(scenario, 1, representatives=[3.0, 6.0, 11.0])
    assert curve.representatives == [3.0, 6.0, 11.0]
    hiring = _hiring_per_year(scenario)
    for reps, total, level in zip(
        curve.representatives, curve.total_cost, curve.service_level, strict=True
    ):
        result = evaluate(_changed({"channels.1.representatives": reps}, scenario))
        added = max(reps - scenario.channels[1].representatives, 0.0)
        assert total == pytest.approx(result.total_cx_cost_per_year + added * hiring, rel=1e-12)
        assert level == pytest.approx(result.channels[1].service_level, rel=1e-12)


def test_cost_curve_refuses_an_unknown_channel() -> None:
    with pytest.raises(ValueError, match="channel_index"):
        cost_curve(Scenario(), 3)


def test_training_curve() -> None:
    scenario = _fast()
    curve = training_curve(scenario)
    assert curve.best_index == int(np.argmin(curve.total_cost))
    assert curve.current_hours == scenario.training.hours_per_rep_per_year
    assert curve.hours[0] == 0.0
    for name in ("rude_share", "dismissive_share", "repeat_contacts_per_year"):
        assert np.all(np.diff(getattr(curve, name)) <= 0), name
    assert np.all(np.diff(curve.training_cost) > 0)


def test_training_curve_points_equal_evaluate() -> None:
    scenario = _fast()
    curve = training_curve(scenario, hours=[0.0, 16.0, 100.0])
    for hours, total in zip(curve.hours, curve.total_cost, strict=True):
        result = evaluate(_changed({"training.hours_per_rep_per_year": hours}, scenario))
        assert total == pytest.approx(result.total_cx_cost_per_year, rel=1e-12)


# ---------------------------------------------------------------- curve ranges and bands


def _check_band(
    values: Array, total: Array, low: float, high: float, best: float
) -> tuple[int, int]:
    """band_low <= best <= band_high; inside the band every point is within 1 % of the
    minimum; the grid points just outside it are not."""
    minimum = float(total.min())
    within = minimum + FLAT_BAND * abs(minimum)
    assert low <= best <= high
    inside = (values >= low) & (values <= high)
    assert np.all(total[inside] <= within * (1 + 1e-12))
    first, last = np.flatnonzero(inside)[[0, -1]]
    if first > 0:
        assert total[first - 1] > within
    if last < values.size - 1:
        assert total[last + 1] > within
    return first, last


def _check_range(
    values: Array, current: float, best: float, first: int, last: int, top: float
) -> None:
    """The range holds the current value and the minimum, with points beyond the band
    on both sides (unless it starts at 0 or ends at the field's limit)."""
    assert current in values
    assert values[0] <= min(current, best) <= max(current, best) <= values[-1]
    assert first >= 1 or values[0] == 0.0
    assert last <= values.size - 2 or values[-1] >= top


@pytest.mark.parametrize("stem", PRESETS)
def test_staffing_curves_hold_the_current_value_and_the_minimum(stem: str) -> None:
    scenario = presets.load_preset(stem)
    for index, channel in enumerate(scenario.channels):
        curve = cost_curve(scenario, index)
        reps, total = np.asarray(curve.representatives), np.asarray(curve.total_cost)
        best = reps[curve.best_index]
        first, last = _check_band(reps, total, curve.band_low, curve.band_high, best)
        _check_range(reps, channel.representatives, best, first, last, 20_000.0)
        # Margin on both sides of the minimum, not just the band.
        assert reps[0] < best or reps[0] == 0.0, channel.name
        assert reps[-1] > best, channel.name


@pytest.mark.parametrize("stem", PRESETS)
def test_training_curves_hold_the_current_value_and_the_minimum(stem: str) -> None:
    scenario = presets.load_preset(stem)
    curve = training_curve(scenario)
    hours, total = np.asarray(curve.hours), np.asarray(curve.total_cost)
    best = hours[curve.best_index]
    _, last = _check_band(hours, total, curve.band_low, curve.band_high, best)
    assert hours[0] == 0.0
    assert curve.current_hours <= hours[-1]
    assert hours[0] <= best <= hours[-1]
    assert last <= hours.size - 2 or hours[-1] >= _training_limit(scenario)


# ---------------------------------------------------------------- guardrails


def test_a_plan_outside_usual_practice_is_flagged_with_its_reason() -> None:
    """The default business on the phones: the cheapest plan runs the queues below 70 %
    occupancy and trains more than 80 h: each is named, with the input that drives it."""
    # The staffing and general-training plan alone: with the practice levers the
    # training tracks take over from general training (tests/test_practices.py).
    rec = _optimized("default", practices=False)
    assert rec.training_hours > USUAL_MAX_TRAINING_HOURS
    text = " ".join(rec.warnings)
    assert len(rec.warnings) >= 2
    assert "occupancy" in text
    assert "Training" in text
    assert "quality.training_half_life_hours" in text
    low_occupancy = [c for c in rec.result.channels if c.occupancy < 0.70]
    assert low_occupancy
    for channel in low_occupancy:
        assert any(w.startswith(channel.name) for w in rec.warnings)


def test_a_plain_plan_has_no_warnings() -> None:
    rec = _optimized("plain")
    assert rec.warnings == []
    for channel in rec.result.channels:
        assert channel.occupancy >= 0.70
        assert channel.service_level <= 0.95
    assert rec.training_hours <= USUAL_MAX_TRAINING_HOURS
    assert rec.result.total_shrinkage <= 0.40


def test_occupancy_cap_binds_where_the_cheapest_plan_runs_hotter() -> None:
    free = _optimized("lean")
    assert max(c.occupancy for c in free.result.channels) > 0.85
    capped = _optimized("lean", max_occupancy=0.85)
    assert capped.feasible
    assert all(c.occupancy <= 0.85 for c in capped.result.channels)
    assert sum(capped.representatives) > sum(free.representatives)


def test_training_answer_does_not_scale_with_the_half_life() -> None:
    """Doubling the hours that halve failures does not double the best hours: with
    rate = floor + gap 2^(-E / T), the optimum is about T log2(K / T), so twice T gives
    2 T log2(K / 2T) = twice the hours less 2T. A linear answer would be a defect."""
    h1 = _optimized("default", practices=False).training_hours
    h2 = _optimized("slow training", practices=False).training_hours
    assert h1 < h2 < 1.9 * h1


def test_the_tornado_of_the_recommendation_includes_the_training_half_life() -> None:
    scenario = _scenario("default")
    rec = _optimized("default")
    bars = {bar.parameter: bar for bar in tornado(scenario, rec.scenario)}
    bar = bars["training_half_life"]
    assert bar.net_benefit_low is not None
    assert bar.net_benefit_high is not None
    assert bar.swing > 0
    # Training that acts faster (a shorter half-life) makes the plan's training worth more
    assert bar.net_benefit_low != bar.net_benefit_high


def test_a_warning_never_reads_as_the_limit_it_lies_beyond() -> None:
    """A service level of 95.04 % is beyond the usual 95 %; "95 % (usual: at most 95 %)"
    would contradict itself (seen on the default chat line before the fix)."""
    scenario = _fast()
    result = evaluate(scenario)
    channels = [
        result.channels[0].model_copy(update={"service_level": 0.9504, "occupancy": 0.8}),
        result.channels[1].model_copy(update={"service_level": 0.9, "occupancy": 0.6996}),
    ]
    warnings = practice_warnings(scenario, result.model_copy(update={"channels": channels}))
    text = " ".join(warnings)
    assert "a service level of 95.04% (usual: at most 95%)" in text
    assert "an occupancy of 69.96% (usual: at least 70%)" in text
