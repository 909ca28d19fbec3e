"""Tests for cxcost.uncertainty: seeded Monte Carlo over multiplier ranges, the tornado.

Draw counts are small: nothing here needs many draws to fail.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pytest
from fixture_types import ScenarioDict, ScenarioWith
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import scenarios

from cxcost import presets
from cxcost.compare import compare
from cxcost.evaluate import evaluate
from cxcost.optimize import Recommendation, optimize
from cxcost.scenario import UNCERTAIN_INPUTS, Range, Scenario
from cxcost.uncertainty import (
    _EXACT_SAMPLE,
    PARAMETERS,
    _outcomes,
    analyse,
    draw_factors,
    monte_carlo,
    tornado,
)

PRESETS = [entry.stem for entry in presets.list_presets()]


@pytest.fixture(scope="module")
def proposal(scenario_with: ScenarioWith) -> Scenario:
    return scenario_with({"channels.0.representatives": 24, "training.hours_per_rep_per_year": 40})


def test_every_uncertain_input_has_a_range_and_a_path() -> None:
    scenario = Scenario()
    assert set(PARAMETERS) == set(UNCERTAIN_INPUTS)
    assert len(PARAMETERS) == 16
    for name in PARAMETERS:
        bounds = getattr(scenario.uncertainty, name)
        assert bounds.low <= 1.0 <= bounds.high


def test_same_seed_gives_identical_draws(proposal: Scenario) -> None:
    base = Scenario()
    first = monte_carlo(base, proposal, draws=40, seed=7)
    second = monte_carlo(base, proposal, draws=40, seed=7)
    np.testing.assert_array_equal(first.revenue_at_risk, second.revenue_at_risk)
    np.testing.assert_array_equal(first.net_benefit, second.net_benefit)
    assert first.summary() == second.summary()


@settings(deadline=None, max_examples=20)
@given(seed=st.integers(0, 2**32 - 1))
def test_any_seed_reproduces_the_draws(seed: int) -> None:
    scenario = Scenario()
    first = draw_factors(scenario, 200, seed)
    second = draw_factors(scenario, 200, seed)
    for name in PARAMETERS:
        np.testing.assert_array_equal(first[name], second[name])


def test_different_seeds_give_different_draws() -> None:
    a = draw_factors(Scenario(), 1000, 7)
    b = draw_factors(Scenario(), 1000, 8)
    assert not np.array_equal(a["rude_churn"], b["rude_churn"])


def test_defaults_come_from_the_scenario(scenario_with: ScenarioWith) -> None:
    scenario = scenario_with({"uncertainty.draws": 100, "uncertainty.seed": 99})
    result = monte_carlo(scenario)
    assert (result.draws, result.seed) == (100, 99)
    assert result.revenue_at_risk.shape == (100,)
    assert result.net_benefit is None
    np.testing.assert_array_equal(
        result.revenue_at_risk, monte_carlo(Scenario(), draws=100, seed=99).revenue_at_risk
    )


def test_summary_percentiles_are_ordered(proposal: Scenario) -> None:
    summary = monte_carlo(Scenario(), proposal, draws=200, seed=1).summary()
    assert summary.revenue_at_risk_p10 <= summary.revenue_at_risk_p50
    assert summary.revenue_at_risk_p50 <= summary.revenue_at_risk_p90
    assert summary.total_cx_cost_p10 <= summary.total_cx_cost_p50 <= summary.total_cx_cost_p90
    assert summary.net_benefit_p10 is not None
    assert summary.net_benefit_p50 is not None
    assert summary.net_benefit_p90 is not None
    assert summary.net_benefit_p10 <= summary.net_benefit_p50 <= summary.net_benefit_p90
    assert summary.probability_pays_off is not None
    assert 0.0 <= summary.probability_pays_off <= 1.0
    assert summary.currency == "USD"


def test_summary_without_proposal_has_no_net_benefit() -> None:
    summary = monte_carlo(Scenario(), draws=20, seed=1).summary()
    assert summary.net_benefit_p50 is None
    assert summary.probability_pays_off is None


def test_probability_pays_off_counts_positive_draws(proposal: Scenario) -> None:
    result = monte_carlo(Scenario(), proposal, draws=60, seed=3)
    assert result.net_benefit is not None
    expected = float(np.mean(result.net_benefit > 0))
    assert result.summary().probability_pays_off == expected
    # A proposal identical to the base never pays off (net benefit exactly 0)
    same = monte_carlo(Scenario(), Scenario(), draws=30, seed=3)
    np.testing.assert_array_equal(same.net_benefit, 0.0)
    assert same.summary().probability_pays_off == 0.0


def test_no_draws_is_refused() -> None:
    with pytest.raises(ValueError, match="draws"):
        monte_carlo(Scenario(), draws=0)


# ---------------------------------------------------------------- the distribution


def test_draws_stay_within_their_ranges_and_have_median_one() -> None:
    """Two-piece triangular (Eq 1): on [low, high], P(factor < 1) = 1/2, mode 1."""
    scenario = Scenario()
    n = 40_000
    sample = draw_factors(scenario, n, 11)
    # 4 standard deviations of a binomial share: 4 x sqrt(0.25 / n) = 0.01
    tolerance = 4 * math.sqrt(0.25 / n)
    for name in PARAMETERS:
        bounds = getattr(scenario.uncertainty, name)
        values = sample[name]
        assert values.min() >= bounds.low
        assert values.max() <= bounds.high
        assert np.mean(values < 1.0) == pytest.approx(0.5, abs=tolerance), name
        # Triangles peaking at 1: the lower piece's mean is low + 2/3 (1 - low).
        lower = values[values < 1.0]
        assert lower.mean() == pytest.approx(
            bounds.low + 2 / 3 * (1 - bounds.low), abs=0.01 * (1 - bounds.low) + 1e-3
        )


def test_output_median_is_the_point_value_for_one_monotone_input(
    scenario_with: ScenarioWith,
) -> None:
    """Only the churn after a long wait uncertain: revenue at risk rises with it, so the
    draws below the headline are those with a factor below 1, half of them."""
    fixed = {f"uncertainty.{name}": {"low": 1.0, "high": 1.0} for name in PARAMETERS}
    scenario = scenario_with(fixed | {"uncertainty.wait_churn_max": {"low": 0.5, "high": 1.8}})
    draws = 400
    result = monte_carlo(scenario, draws=draws, seed=5)
    factors = draw_factors(scenario, draws, 5)["wait_churn_max"]
    point = evaluate(scenario).revenue_at_risk_per_year
    below = result.revenue_at_risk < point
    np.testing.assert_array_equal(below, factors < 1.0)
    assert np.mean(below) == pytest.approx(0.5, abs=4 * math.sqrt(0.25 / draws))


def test_no_uncertainty_gives_the_point_value(
    scenario_with: ScenarioWith, proposal: Scenario
) -> None:
    fixed = {f"uncertainty.{name}": {"low": 1.0, "high": 1.0} for name in PARAMETERS}
    scenario = scenario_with(fixed)
    result = monte_carlo(scenario, proposal, draws=20, seed=1)
    point = evaluate(scenario)
    np.testing.assert_allclose(result.revenue_at_risk, point.revenue_at_risk_per_year, rtol=1e-9)
    np.testing.assert_allclose(result.total_cost, point.total_cx_cost_per_year, rtol=1e-9)
    assert result.net_benefit is not None
    np.testing.assert_allclose(
        result.net_benefit, compare(scenario, proposal).net_benefit_per_year, rtol=1e-9
    )


def _interpolation_error(base: Scenario, proposal: Scenario | None, seed: int) -> float:
    """Largest relative gap between monte_carlo's grid-interpolated draws and the same
    draws computed exactly (in exact-size chunks)."""
    draws = _EXACT_SAMPLE + 24
    result = monte_carlo(base, proposal, draws=draws, seed=seed)
    factors = draw_factors(base, draws, seed)
    chunks = [
        {name: values[i : i + _EXACT_SAMPLE] for name, values in factors.items()}
        for i in range(0, draws, _EXACT_SAMPLE)
    ]
    exact = [_outcomes(base, chunk) for chunk in chunks]
    revenue = np.concatenate([o.revenue_at_risk for o in exact])
    total = np.concatenate([o.total_cost for o in exact])
    return float(
        max(
            np.max(np.abs(result.revenue_at_risk / revenue - 1)),
            np.max(np.abs(result.total_cost / total - 1)),
        )
    )


def test_interpolated_outcomes_equal_exact_evaluation(scenario_with: ScenarioWith) -> None:
    """Above the exact sample size the queues come from a grid and interpolation; with
    every queue clear of its capacity the draws agree with exact ones to 1 % (the
    9 x 7 x 7 grid's resolution; 0.35 % seen)."""
    roomy = scenario_with({"channels.2.representatives": 9.0})
    assert _interpolation_error(roomy, None, 12345) < 1e-2


def test_interpolation_is_exact_near_a_backlog_that_stops_clearing() -> None:
    assert _interpolation_error(Scenario(), None, 12345) < 1e-2


@pytest.mark.parametrize(
    "bounds",
    [{"low": 1.2, "high": 1.5}, {"low": 0.5, "high": 0.9}, {"low": 0.0, "high": 1.2}],
)
def test_ranges_are_multipliers_around_the_value(
    scenario_dict: ScenarioDict, bounds: dict[str, Any]
) -> None:
    """v3 ranges multiply the scenario's own value, so they must hold 1 (the value)."""
    with pytest.raises(ValidationError, match="rude_churn"):
        Scenario.model_validate(scenario_dict({"uncertainty.rude_churn": bounds}))


def test_drawn_shares_stay_probabilities(scenario_with: ScenarioWith) -> None:
    """A 5x multiplier on a 0.4 churn probability is clipped to 1, never above."""
    scenario = scenario_with(
        {"churn.rude_churn": 0.4, "uncertainty.rude_churn": {"low": 1.0, "high": 5.0}}
    )
    result = monte_carlo(scenario, draws=60, seed=2)
    assert np.all(np.isfinite(result.revenue_at_risk))
    assert np.all(result.revenue_at_risk <= scenario.business.customers * 600.0)


# ---------------------------------------------------------------- the tornado


def _with_factor(scenario: Scenario, name: str, factor: float) -> Scenario:
    data = scenario.model_dump()
    section, field = UNCERTAIN_INPUTS[name].split(".", 1)
    if section == "channels":
        for channel in data["channels"]:
            channel[field.split(".")[-1]] *= factor
    else:
        data[section][field] = min(data[section][field] * factor, 1.0)
    return Scenario.model_validate(data)


@pytest.mark.parametrize(
    "name", ["wait_churn_max", "abandon_churn", "patience", "wait_tolerance", "gross_margin"]
)
def test_tornado_bars_equal_evaluate_at_each_end(name: str) -> None:
    scenario = Scenario()
    bar = next(bar for bar in tornado(scenario) if bar.parameter == name)
    bounds = getattr(scenario.uncertainty, name)
    assert (bar.low, bar.high) == (bounds.low, bounds.high)
    low = evaluate(_with_factor(scenario, name, bar.low))
    high = evaluate(_with_factor(scenario, name, bar.high))
    assert bar.revenue_at_risk_low == pytest.approx(low.revenue_at_risk_per_year, rel=1e-9)
    assert bar.revenue_at_risk_high == pytest.approx(high.revenue_at_risk_per_year, rel=1e-9)
    assert bar.swing == pytest.approx(abs(bar.revenue_at_risk_high - bar.revenue_at_risk_low))
    assert bar.label


def test_tornado_of_a_proposal_is_on_its_net_benefit(proposal: Scenario) -> None:
    scenario = Scenario()
    bars = tornado(scenario, proposal)
    assert {bar.parameter for bar in bars} == set(PARAMETERS)
    assert [bar.swing for bar in bars] == sorted((bar.swing for bar in bars), reverse=True)
    for bar in bars:
        assert bar.net_benefit_low is not None
        assert bar.net_benefit_high is not None
        assert bar.swing == pytest.approx(abs(bar.net_benefit_high - bar.net_benefit_low))
    # Every bar's ends bracket nothing in particular, but the bar of an input whose
    # range is [1, 1] would be flat; the training half-life is not.
    half_life = next(bar for bar in bars if bar.parameter == "training_half_life")
    assert half_life.swing > 0


def test_tornado_directions() -> None:
    """More churn per failure, more revenue at risk.

    Patience has no fixed direction: it turns give-ups into answered waits, but
    lengthens everyone's wait, most in overloaded hours.
    """
    bars = {bar.parameter: bar for bar in tornado(Scenario())}
    for name in ("wait_churn_max", "abandon_churn", "rude_churn", "dismissive_churn"):
        assert bars[name].revenue_at_risk_high > bars[name].revenue_at_risk_low
    for name in ("revenue_per_customer", "contacts_per_customer"):
        assert bars[name].revenue_at_risk_high > bars[name].revenue_at_risk_low


# ---------------------------------------------------------------- headlines inside P10-P90


def _inside(value: float, low: float, high: float) -> bool:
    slack = 1e-9 * max(abs(value), abs(low), abs(high), 1.0)
    return low - slack <= value <= high + slack


@functools.cache
def _recommendation(stem: str) -> Recommendation:
    return optimize(presets.load_preset(stem))


@pytest.mark.slow
@pytest.mark.parametrize("stem", PRESETS)
def test_every_presets_headline_lies_inside_its_own_p10_p90(stem: str) -> None:
    """Revenue at risk, total CX cost and the recommendation's net benefit per year: the
    point values (every input at its own value) lie inside the preset's P10-P90."""
    scenario = presets.load_preset(stem)
    rec = _recommendation(stem)
    report = analyse(scenario, rec.scenario, draws=_EXACT_SAMPLE, seed=2024)
    point = evaluate(scenario)
    assert report.headline["revenue_at_risk_per_year"] == pytest.approx(
        point.revenue_at_risk_per_year, rel=1e-9
    )
    assert report.headline["total_cx_cost_per_year"] == pytest.approx(
        point.total_cx_cost_per_year, rel=1e-9
    )
    assert report.headline["net_benefit_per_year"] == pytest.approx(
        rec.comparison.net_benefit_per_year, rel=1e-9, abs=1e-6
    )
    for name in ("revenue_at_risk_per_year", "total_cx_cost_per_year", "net_benefit_per_year"):
        spread = getattr(report, name)
        assert spread.p10 <= spread.p50 <= spread.p90
        assert _inside(report.headline[name], spread.p10, spread.p90), (name, spread)
    assert {bar.parameter for bar in report.tornado} == set(PARAMETERS)


@settings(deadline=None, max_examples=8)
@given(scenario=scenarios(kinds=("phone", "chat"), max_channels=2), more=st.floats(1.0, 10.0))
def test_headlines_lie_inside_p10_p90(scenario: Scenario, more: float) -> None:
    """Over valid scenarios and a proposal adding staff to the first channel."""
    data = scenario.model_dump()
    data["channels"][0]["representatives"] = min(
        data["channels"][0]["representatives"] + more, 20_000.0
    )
    proposal = Scenario.model_validate(data)
    result = monte_carlo(scenario, proposal, draws=_EXACT_SAMPLE, seed=1)
    point = evaluate(scenario)
    net = compare(scenario, proposal).net_benefit_per_year
    assert result.net_benefit is not None
    for value, draws in (
        (point.revenue_at_risk_per_year, result.revenue_at_risk),
        (point.total_cx_cost_per_year, result.total_cost),
        (net, result.net_benefit),
    ):
        p10, p90 = np.percentile(draws, [10, 90])
        assert _inside(value, p10, p90), (value, p10, p90)


def test_range_accepts_a_point() -> None:
    assert Range(low=1.0, high=1.0).low == 1.0
