"""Tests for cxcost.uncertainty: seeded Monte Carlo and the tornado chart."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cxcost.evaluate import evaluate, evaluate_many
from cxcost.scenario import Scenario
from cxcost.uncertainty import PARAMETERS, _draws, monte_carlo, tornado


@pytest.fixture(scope="module")
def proposal(scenario_with) -> Scenario:
    return scenario_with({"channels.0.representatives": 24, "training.hours_per_rep_per_year": 40})


def test_same_seed_gives_identical_draws(proposal: Scenario) -> None:
    base = Scenario()
    first = monte_carlo(base, proposal, draws=5_000, seed=7)
    second = monte_carlo(base, proposal, draws=5_000, seed=7)
    np.testing.assert_array_equal(first.revenue_at_risk, second.revenue_at_risk)
    np.testing.assert_array_equal(first.net_benefit, second.net_benefit)
    assert first.summary() == second.summary()


@settings(deadline=None, max_examples=20)
@given(seed=st.integers(0, 2**32 - 1))
def test_any_seed_reproduces(seed: int) -> None:
    first = monte_carlo(Scenario(), draws=500, seed=seed)
    np.testing.assert_array_equal(
        first.revenue_at_risk, monte_carlo(Scenario(), draws=500, seed=seed).revenue_at_risk
    )
    assert first.seed == seed


def test_different_seed_gives_different_draws() -> None:
    base = Scenario()
    a = monte_carlo(base, draws=5_000, seed=7).revenue_at_risk
    b = monte_carlo(base, draws=5_000, seed=8).revenue_at_risk
    assert not np.array_equal(a, b)
    # ... but the same distribution: medians within a few per cent
    assert np.median(a) == pytest.approx(np.median(b), rel=0.03)


def test_defaults_come_from_the_scenario(scenario_with) -> None:
    scenario = scenario_with({"uncertainty.draws": 2_000, "uncertainty.seed": 99})
    result = monte_carlo(scenario)
    assert (result.draws, result.seed) == (2_000, 99)
    assert result.revenue_at_risk.shape == (2_000,)
    assert result.net_benefit is None
    np.testing.assert_array_equal(
        result.revenue_at_risk, monte_carlo(Scenario(), draws=2_000, seed=99).revenue_at_risk
    )


def test_summary_percentiles_are_ordered(proposal: Scenario) -> None:
    summary = monte_carlo(Scenario(), proposal, draws=20_000, seed=1).summary()
    assert summary.revenue_at_risk_p10 <= summary.revenue_at_risk_p50
    assert summary.revenue_at_risk_p50 <= summary.revenue_at_risk_p90
    assert summary.net_benefit_p10 <= summary.net_benefit_p50 <= summary.net_benefit_p90
    assert 0.0 <= summary.probability_pays_off <= 1.0
    assert summary.currency == "USD"


def test_summary_without_proposal_has_no_net_benefit() -> None:
    summary = monte_carlo(Scenario(), draws=1_000, seed=1).summary()
    assert summary.net_benefit_p50 is None
    assert summary.probability_pays_off is None


def test_probability_pays_off_counts_positive_draws(proposal: Scenario) -> None:
    result = monte_carlo(Scenario(), proposal, draws=10_000, seed=3)
    expected = float(np.mean(result.net_benefit > 0))
    assert result.summary().probability_pays_off == expected
    # A proposal identical to the base never pays off (net benefit exactly 0)
    same = monte_carlo(Scenario(), Scenario(), draws=1_000, seed=3)
    np.testing.assert_array_equal(same.net_benefit, 0.0)
    assert same.summary().probability_pays_off == 0.0


def test_draws_stay_within_their_ranges() -> None:
    scenario = Scenario()
    sample = _draws(scenario, 50_000, 11)
    for name in PARAMETERS:
        bounds = getattr(scenario.uncertainty, name)
        assert sample[name].min() >= bounds.low
        assert sample[name].max() <= bounds.high


@pytest.mark.parametrize("seed", [0, 12345])
def test_interpolated_outcomes_equal_exact_evaluation(seed: int, proposal: Scenario) -> None:
    """The patience grid + interpolation reproduces evaluate_many per draw to 1e-4."""
    base = Scenario()
    draws = 200
    result = monte_carlo(base, proposal, draws=draws, seed=seed)
    sample = _draws(base, draws, seed)
    exact = evaluate_many(base, **sample)
    exact_proposal = evaluate_many(proposal, **sample)
    np.testing.assert_allclose(result.revenue_at_risk, exact.revenue_at_risk, rtol=1e-4)
    np.testing.assert_allclose(
        result.net_benefit,
        exact.total_cost - exact_proposal.total_cost,
        rtol=1e-4,
        atol=1e-4 * float(np.max(np.abs(exact.total_cost))),
    )


def test_monte_carlo_speed() -> None:
    """Spec bar: 100,000 draws in under 1 s (CPU time, median of 3 after a warm-up)."""
    base = Scenario()
    monte_carlo(base, draws=100_000)
    times = []
    for _ in range(3):
        start = time.process_time()
        monte_carlo(base, draws=100_000)
        times.append(time.process_time() - start)
    assert statistics.median(times) < 1.0


def test_no_draws_is_refused() -> None:
    with pytest.raises(ValueError, match="draws"):
        monte_carlo(Scenario(), draws=0)


def _with_parameter(scenario: Scenario, name: str, value: float) -> Scenario:
    data = scenario.model_dump()
    if name == "patience_factor":
        for channel in data["channels"]:
            channel["patience_seconds"] *= value
    else:
        data["churn"][name] = value
    return Scenario.model_validate(data)


def test_tornado_bars_equal_evaluate_at_each_end() -> None:
    scenario = Scenario()
    bars = tornado(scenario)
    assert {bar.parameter for bar in bars} == set(PARAMETERS)
    for bar in bars:
        bounds = getattr(scenario.uncertainty, bar.parameter)
        assert (bar.low, bar.high) == (bounds.low, bounds.high)
        low = evaluate(_with_parameter(scenario, bar.parameter, bar.low))
        high = evaluate(_with_parameter(scenario, bar.parameter, bar.high))
        assert bar.revenue_at_risk_low == pytest.approx(low.revenue_at_risk_per_year, rel=1e-12)
        assert bar.revenue_at_risk_high == pytest.approx(high.revenue_at_risk_per_year, rel=1e-12)
        assert bar.swing == pytest.approx(abs(bar.revenue_at_risk_high - bar.revenue_at_risk_low))
        assert bar.label


def test_tornado_is_sorted_by_swing() -> None:
    swings = [bar.swing for bar in tornado(Scenario())]
    assert swings == sorted(swings, reverse=True)


def test_tornado_directions() -> None:
    """More churn per failure, more revenue at risk.

    Patience has no fixed direction: it turns abandons (the worst wait) into
    answered waits, but lengthens everyone's wait, most in overloaded hours.
    """
    bars = {bar.parameter: bar for bar in tornado(Scenario())}
    for name in ("wait_churn_max", "rude_churn", "dismissive_churn"):
        assert bars[name].revenue_at_risk_high > bars[name].revenue_at_risk_low


def test_a_valid_patience_range_can_be_analysed(scenario_dict) -> None:
    """Range allows low = 0; then either validation refuses it or the analysis runs."""
    data = scenario_dict({"uncertainty.patience_factor": {"low": 0.0, "high": 1.0}})
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert "patience_factor" in refusal
        return
    result = monte_carlo(scenario, draws=1_000, seed=1)
    assert np.all(np.isfinite(result.revenue_at_risk))
    assert len(tornado(scenario)) == len(PARAMETERS)


@pytest.mark.parametrize("name", ["wait_churn_max", "rude_churn", "dismissive_churn"])
def test_churn_probability_ranges_stay_probabilities(scenario_dict, name: str) -> None:
    """The ranges of churn probabilities are documented as [share 0-1]."""
    data = scenario_dict({f"uncertainty.{name}": {"low": 0.5, "high": 5.0}})
    with pytest.raises(ValidationError, match=name):
        Scenario.model_validate(data)
