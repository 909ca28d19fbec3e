"""Tests for cxcost.costs: service cost split, time on the queues, customer lifetime margin."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from cxcost.costs import (
    customer_lifetime_margin,
    loaded_hourly_cost,
    on_queue_hours_per_week,
    service_cost,
)
from cxcost.scenario import Business, Staffing, Training


def test_loaded_hourly_cost() -> None:
    # 36,920 x 1.3 / 2,080 h = 23.075 per paid hour
    assert loaded_hourly_cost(Staffing()) == pytest.approx(23.075, rel=1e-14)


def test_service_cost_reference() -> None:
    # 10 reps, BLS salary 36,920, x1.3 loaded, 2,080 paid h, 16 training h at 40/h direct,
    # 35 % attrition at 6,000 each:
    #   payroll     10 x 36,920 x 1.3          = 479,960
    #   in training 10 x 16 x 23.075           =   3,692
    #   direct      10 x 16 x 40               =   6,400
    #   attrition   10 x 0.35 x 6,000          =  21,000
    cost = service_cost(10.0, Staffing(), Training(), 16.0)
    assert cost.staffing == pytest.approx(479_960 - 3_692, rel=1e-12)
    assert cost.training == pytest.approx(3_692 + 6_400, rel=1e-12)
    assert cost.attrition == pytest.approx(21_000, rel=1e-12)
    assert cost.total == pytest.approx(479_960 + 6_400 + 21_000, rel=1e-12)


@pytest.mark.parametrize("hours", [0.0, 16.0, 200.0])
def test_payroll_is_counted_once(hours: float) -> None:
    staffing, training = Staffing(), Training(cost_per_training_hour=55.0)
    cost = service_cost(7.0, staffing, training, hours)
    payroll = 7.0 * staffing.salary_per_year * staffing.loaded_cost_multiplier
    direct = 7.0 * hours * training.cost_per_training_hour
    assert cost.staffing + cost.training - direct == pytest.approx(payroll, rel=1e-12)
    assert cost.total == pytest.approx(
        payroll + direct + 7.0 * staffing.attrition_per_year * staffing.cost_to_replace_rep,
        rel=1e-12,
    )


def test_service_cost_is_vectorised_and_linear() -> None:
    reps = np.array([0.0, 1.0, 2.0, 40.0])
    cost = service_cost(reps, Staffing(), Training(), 16.0)
    one = service_cost(1.0, Staffing(), Training(), 16.0)
    np.testing.assert_allclose(cost.total, reps * one.total, rtol=1e-12)
    assert cost.total[0] == 0.0


def test_on_queue_hours_per_week() -> None:
    # (2,080 paid h x (1 - 0.30 shrinkage) - 16 training h) / 52 weeks = 1,440 / 52
    assert on_queue_hours_per_week(Staffing(), 16.0) == pytest.approx(1440 / 52, rel=1e-14)
    np.testing.assert_allclose(
        on_queue_hours_per_week(Staffing(), np.array([0.0, 1456.0, 2000.0])),
        [1456 / 52, 0.0, 0.0],
        rtol=1e-14,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    ("revenue", "margin", "churn", "rate", "expected"),
    [
        # docstring: m = 0.5 x 100 = 50; 50 x 1.05 / (0.05 + 0.2) = 210
        (100.0, 0.5, 0.2, 0.05, 210.0),
        # defaults: m = 0.35 x 600 = 210; 210 x 1.08 / (0.08 + 0.12) = 1,134
        (600.0, 0.35, 0.12, 0.08, 1134.0),
        # no discounting: m / b = 100 / 0.25 = 400 (expected lifetime 1/b years)
        (100.0, 1.0, 0.25, 0.0, 400.0),
        (0.0, 0.35, 0.12, 0.08, 0.0),
    ],
)
def test_customer_lifetime_margin_gupta_lehmann(
    revenue: float, margin: float, churn: float, rate: float, expected: float
) -> None:
    business = Business(
        revenue_per_customer=revenue, gross_margin=margin, baseline_churn=churn, discount_rate=rate
    )
    assert customer_lifetime_margin(business) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("churn", "rate"), [(0.12, 0.08), (0.001, 0.0), (0.95, 0.5), (0.3, 0.1), (0.02, 0.25)]
)
def test_lifetime_margin_is_the_discounted_margin_stream(churn: float, rate: float) -> None:
    # Margin m paid at the start of each year t = 0, 1, ... while the customer stays
    # (retention 1 - b), discounted at i: sum_t m ((1 - b) / (1 + i))^t.
    business = Business(
        revenue_per_customer=600.0, gross_margin=0.35, baseline_churn=churn, discount_rate=rate
    )
    m = mpmath.mpf(600) * mpmath.mpf("0.35")
    ratio = (1 - mpmath.mpf(churn)) / (1 + mpmath.mpf(rate))
    stream = mpmath.nsum(lambda t: m * ratio**t, [0, mpmath.inf])
    assert customer_lifetime_margin(business) == pytest.approx(float(stream), rel=1e-10)
