"""Tests for cxcost.churn: per-contact churn, annual churn, attribution to drivers."""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxcost.churn import (
    DRIVERS,
    annual_service_churn,
    attribute_to_drivers,
    per_contact_churn,
    wait_churn_per_contact,
)

probabilities = st.floats(0.0, 1.0, allow_nan=False)
# Risks of a real contact: exactly 0, or not so small that lost x hazard underflows.
risks = st.one_of(st.just(0.0), st.floats(1e-12, 1.0))


def test_driver_names_are_the_api_contract() -> None:
    assert DRIVERS == ("wait", "rudeness", "dismissiveness")


@pytest.mark.parametrize(
    ("maximum", "response", "abandon", "give_up", "expected"),
    [
        (0.08, 0.0, 0.08, 0.0, 0.0),  # nobody waits long, nobody gives up: no wait churn
        (0.08, 1.0, 0.0, 0.0, 0.08),  # every answered contact waited "forever": the maximum
        (0.08, 0.25, 0.0, 0.0, 0.02),  # 0.08 x 0.25
        (0.08, 0.0, 0.10, 0.3, 0.03),  # give-ups carry their own churn: 0.10 x 0.3
        (0.08, 0.25, 0.10, 0.3, 0.05),  # the two add: 0.02 + 0.03
        (1.0, 1.0, 1.0, 1.0, 1.0),  # capped at a probability
    ],
)
def test_wait_churn_per_contact(
    maximum: float, response: float, abandon: float, give_up: float, expected: float
) -> None:
    # Eq 2 of cxcost.churn: wait_churn_max x E[g(W); answered] + abandon_churn x give-up share
    value = wait_churn_per_contact(maximum, response, abandon, give_up)
    assert value == pytest.approx(expected, abs=1e-15)


def _leave_by_enumeration(risks: tuple[float, float, float]) -> float:
    """P(at least one of three independent failures): sum over the 7 non-empty outcomes."""
    total = 0.0
    for outcome in itertools.product((False, True), repeat=3):
        if any(outcome):
            total += math.prod(x if hit else 1.0 - x for x, hit in zip(risks, outcome, strict=True))
    return total


@pytest.mark.parametrize(
    "risks",
    [(0.0, 0.0, 0.0), (0.01, 0.005, 0.018), (0.2, 0.1, 0.3), (1.0, 0.2, 0.1), (0.5, 0.5, 0.5)],
)
def test_per_contact_churn_reference(risks: tuple[float, float, float]) -> None:
    assert per_contact_churn(*risks) == pytest.approx(_leave_by_enumeration(risks), abs=1e-15)


@pytest.mark.parametrize(
    ("contacts", "q"),
    [(1.5, 0.038), (0.0, 0.5), (3.0, 0.0), (2.0, 1.0), (10.0, 0.2), (1e-9, 1e-9), (100.0, 0.7)],
)
def test_annual_churn_equals_poisson_sum(contacts: float, q: float) -> None:
    # With N ~ Poisson(c) contacts, each fatal with probability q:
    # P(leave) = sum_k P(N = k) (1 - (1 - q)^k), summed exactly with mpmath.
    mpmath.mp.dps = 40
    c, p = mpmath.mpf(contacts), mpmath.mpf(q)
    reference = mpmath.nsum(
        lambda k: mpmath.exp(-c) * c**k / mpmath.factorial(k) * (1 - (1 - p) ** k),
        [0, mpmath.inf],
    )
    assert annual_service_churn(contacts, q) == pytest.approx(float(reference), rel=1e-12)


def test_annual_churn_is_vectorised() -> None:
    c = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(
        annual_service_churn(c, 0.1), 1.0 - np.exp(-c * 0.1), rtol=1e-14, atol=0
    )


def test_attribution_shares_are_hazard_ratios() -> None:
    risks = (0.015, 0.006, 0.018)
    split = attribute_to_drivers(1000.0, *risks)
    hazards = [-math.log(1.0 - x) for x in risks]
    parts = [split.wait, split.rudeness, split.dismissiveness]
    assert sum(parts) == pytest.approx(1000.0, rel=1e-14)
    for part, hazard in zip(parts, hazards, strict=True):
        assert part == pytest.approx(1000.0 * hazard / sum(hazards), rel=1e-12)
    assert split.as_dict() == {"wait": parts[0], "rudeness": parts[1], "dismissiveness": parts[2]}


def test_attribution_without_any_hazard_is_zero() -> None:
    split = attribute_to_drivers(0.0, 0.0, 0.0, 0.0)
    assert split.as_dict() == {"wait": 0.0, "rudeness": 0.0, "dismissiveness": 0.0}


def test_attribution_with_a_certain_failure_stays_finite() -> None:
    split = attribute_to_drivers(50.0, 1.0, 0.1, 0.0)
    parts = list(split.as_dict().values())
    assert all(math.isfinite(p) and p >= 0 for p in parts)
    assert sum(parts) == pytest.approx(50.0, rel=1e-12)
    assert split.dismissiveness == 0.0


def test_attribution_is_vectorised() -> None:
    lost = np.array([10.0, 20.0])
    split = attribute_to_drivers(lost, np.array([0.1, 0.0]), 0.05, np.array([0.0, 0.2]))
    np.testing.assert_allclose(split.wait + split.rudeness + split.dismissiveness, lost, rtol=1e-14)
    assert np.asarray(split.wait)[1] == 0.0


@settings(deadline=None, max_examples=300)
@given(
    lost=st.one_of(st.just(0.0), st.floats(1e-9, 1e9)),
    wait=risks,
    rude=risks,
    dismissive=risks,
)
def test_driver_parts_sum_to_the_whole(
    lost: float, wait: float, rude: float, dismissive: float
) -> None:
    parts = attribute_to_drivers(lost, wait, rude, dismissive).as_dict()
    assert all(p >= 0 and math.isfinite(p) for p in parts.values())
    if wait + rude + dismissive > 0:
        assert sum(parts.values()) == pytest.approx(lost, rel=1e-12)


@settings(deadline=None, max_examples=300)
@given(
    contacts=st.floats(0.0, 100.0, allow_nan=False),
    wait=probabilities,
    rude=probabilities,
    dismissive=probabilities,
)
def test_churn_is_a_probability_and_rises_with_any_risk(
    contacts: float, wait: float, rude: float, dismissive: float
) -> None:
    q = per_contact_churn(wait, rude, dismissive)
    assert max(wait, rude, dismissive) - 1e-15 <= q <= 1.0
    annual = annual_service_churn(contacts, q)
    assert 0.0 <= annual <= 1.0
    assert (
        annual_service_churn(contacts, per_contact_churn(min(wait + 0.01, 1.0), rude, dismissive))
        >= annual
    )
