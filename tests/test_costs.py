"""Tests for cxcost.costs: service cost split, time on the queues, the value of a lost customer."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from cxcost.costs import (
    annuity_factor,
    customer_lifetime_margin,
    hiring_cost_per_rep,
    loaded_hourly_cost,
    lost_customer_value,
    margin_multiple,
    on_queue_hours_per_week,
    service_cost,
    total_shrinkage,
    training_hours_per_rep,
)
from cxcost.scenario import Business, Staffing, Training


def test_loaded_hourly_cost() -> None:
    # 36,920 x 1.3 / 2,080 h = 23.075 per paid hour
    assert loaded_hourly_cost(Staffing()) == pytest.approx(23.075, rel=1e-14)


def test_service_cost_reference() -> None:
    # 10 reps, BLS salary 36,920, x1.3 loaded, 2,080 paid h, 16 training h + 35 % attrition x
    # 120 new-hire h = 58 h per rep at 40/h direct, 35 % attrition at 6,000 each:
    #   payroll     10 x 36,920 x 1.3          = 479,960
    #   in training 10 x 58 x 23.075           =  13,383.5
    #   direct      10 x 58 x 40               =  23,200
    #   attrition   10 x 0.35 x 6,000          =  21,000
    cost = service_cost(10.0, Staffing(), Training(), 16.0)
    assert cost.staffing == pytest.approx(479_960 - 13_383.5, rel=1e-12)
    assert cost.training == pytest.approx(13_383.5 + 23_200, rel=1e-12)
    assert cost.attrition == pytest.approx(21_000, rel=1e-12)
    assert cost.total == pytest.approx(479_960 + 23_200 + 21_000, rel=1e-12)


@pytest.mark.parametrize("hours", [0.0, 16.0, 200.0])
def test_payroll_is_counted_once(hours: float) -> None:
    staffing, training = Staffing(), Training(cost_per_training_hour=55.0)
    cost = service_cost(7.0, staffing, training, hours)
    payroll = 7.0 * staffing.salary_per_year * staffing.loaded_cost_multiplier
    per_rep = hours + staffing.attrition_per_year * training.new_hire_hours
    direct = 7.0 * per_rep * training.cost_per_training_hour
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
    assert np.asarray(cost.total)[0] == 0.0


def test_new_hires_take_the_initial_programme() -> None:
    # 16 h ongoing + 0.35 attrition x 120 h new-hire programme = 58 h per rep a year;
    # with no attrition nobody is new and only the ongoing hours remain.
    assert training_hours_per_rep(Staffing(), Training(), 16.0) == pytest.approx(58.0, rel=1e-14)
    assert training_hours_per_rep(
        Staffing(attrition_per_year=0.0), Training(), 16.0
    ) == pytest.approx(16.0, rel=1e-14)
    # Hiring one rep: 6,000 + 120 h x (23.075 loaded + 40 direct) = 13,569
    assert hiring_cost_per_rep(Staffing(), Training()) == pytest.approx(13_569.0, rel=1e-14)


def test_on_queue_hours_per_week() -> None:
    # (2,080 paid h x (1 - 0.30 shrinkage) - 16 training h - 0.35 x 120 new-hire h) / 52 weeks
    # = (1,456 - 58) / 52 = 1,398 / 52
    assert on_queue_hours_per_week(Staffing(), Training(), 16.0) == pytest.approx(
        1398 / 52, rel=1e-14
    )
    np.testing.assert_allclose(
        on_queue_hours_per_week(Staffing(), Training(), np.array([0.0, 1414.0, 2000.0])),
        [1414 / 52, 0.0, 0.0],
        rtol=1e-14,
        atol=1e-12,
    )


def test_shrinkage_with_or_without_training_counts_training_once() -> None:
    """Hand case: 2,080 paid h, 30 % shrinkage, 16 h + 0.35 x 120 h = 58 h training.

    Excluded from the shrinkage, training comes on top: 1,456 - 58 = 1,398 h on the
    queues, 1 - 1,398 / 2,080 = 32.79 % off them. Included, the 58 h are already part
    of the 624 h of shrinkage: 1,456 h on the queues, exactly 30 % off them, and more
    training does not take any further time off.
    """
    excluded = Staffing(shrinkage_includes_training=False)
    included = Staffing(shrinkage_includes_training=True)
    training = Training()
    assert on_queue_hours_per_week(excluded, training, 16.0) * 52 == pytest.approx(1398, rel=1e-14)
    assert total_shrinkage(excluded, training, 16.0) == pytest.approx(1 - 1398 / 2080, rel=1e-14)
    for hours in (0.0, 16.0, 400.0):
        assert on_queue_hours_per_week(included, training, hours) * 52 == pytest.approx(
            1456, rel=1e-14
        )
        assert total_shrinkage(included, training, hours) == pytest.approx(0.30, rel=1e-14)
    # The cost of the training time is the same either way: only its place differs.
    assert service_cost(10.0, included, training, 16.0) == service_cost(
        10.0, excluded, training, 16.0
    )


@pytest.mark.parametrize(
    ("retention", "rate", "expected"),
    [
        # Gupta & Lehmann (2003), Table 1: r = 0.8, i = 0.12 -> margin multiple 2.5
        (0.8, 0.12, 2.5),
        # 0.9 / (1.1 - 0.9) = 4.5
        (0.9, 0.10, 4.5),
        # no discounting: r / (1 - r) years of margin after this one, 0.5 / 0.5 = 1
        (0.5, 0.0, 1.0),
        (0.0, 0.12, 0.0),
    ],
)
def test_margin_multiple_gupta_lehmann(retention: float, rate: float, expected: float) -> None:
    assert margin_multiple(retention, rate) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_margin_multiple_is_vectorised() -> None:
    np.testing.assert_allclose(
        margin_multiple(np.array([0.8, 0.9]), 0.12), [2.5, 0.9 / 0.22], rtol=1e-12
    )


def test_lifetime_margin_hand_case_uses_retention_net_of_service_churn() -> None:
    # m = 0.5 x 100 = 50 a year; r = 1 - (0.15 baseline + 0.05 service) = 0.8; i = 0.12:
    # 50 x 0.8 / (1.12 - 0.8) = 50 x 2.5 = 125 (Gupta & Lehmann's r = 0.8, i = 0.12 case)
    business = Business(
        revenue_per_customer=100, gross_margin=0.5, baseline_churn=0.15, discount_rate=0.12
    )
    assert customer_lifetime_margin(business, service_churn=0.05) == pytest.approx(125.0, rel=1e-12)
    # Without the service churn, r = 0.85: 50 x 0.85 / 0.27 = 157.407...
    assert customer_lifetime_margin(business) == pytest.approx(50 * 0.85 / 0.27, rel=1e-12)
    # More service churn, a shorter expected life: a lower value.
    assert customer_lifetime_margin(business, 0.10) < customer_lifetime_margin(business, 0.05)


@pytest.mark.parametrize(
    ("revenue", "margin", "churn", "rate", "expected"),
    [
        # m = 0.5 x 100 = 50; r = 0.8: 50 x 0.8 / (1.05 - 0.8) = 160
        (100.0, 0.5, 0.2, 0.05, 160.0),
        # defaults: m = 0.35 x 600 = 210; r = 0.88: 210 x 0.88 / (1.08 - 0.88) = 924
        (600.0, 0.35, 0.12, 0.08, 924.0),
        # no discounting: m r / (1 - r) = 100 x 0.75 / 0.25 = 300 (margins at year end)
        (100.0, 1.0, 0.25, 0.0, 300.0),
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
    # Margin m paid at the end of each year t = 1, 2, ... while the customer stays
    # (retention r = 1 - b - service churn), discounted at i: sum_t m (r / (1 + i))^t.
    business = Business(
        revenue_per_customer=600.0, gross_margin=0.35, baseline_churn=churn, discount_rate=rate
    )
    service = 0.04 * (1 - churn)
    with mpmath.workdps(40):
        m = mpmath.mpf(600) * mpmath.mpf("0.35")
        ratio = (1 - mpmath.mpf(churn) - mpmath.mpf(service)) / (1 + mpmath.mpf(rate))
        # Year by year until a year adds less than 1e-30 of the sum (the rest, a
        # geometric tail, is below ratio / (1 - ratio) times that: under 1e-28 here).
        # nsum's extrapolation was 2.9e-7 off for ratio 0.959 at 30 digits.
        stream, term = mpmath.mpf(0), m * ratio
        while term > mpmath.mpf("1e-30") * (stream + term):
            stream, term = stream + term, term * ratio
    assert customer_lifetime_margin(business, service) == pytest.approx(float(stream), rel=1e-10)


def _valuation_case(valuation: str) -> Business:
    return Business(
        revenue_per_customer=120.0,
        gross_margin=0.5,
        baseline_churn=0.15,
        discount_rate=0.12,
        acquisition_cost=80.0,
        replacement_ramp_up_months=2.0,
        lost_customer_valuation=valuation,
    )


def test_lost_customer_value_is_one_valuation_never_the_sum() -> None:
    # m = 0.5 x 120 = 60 a year. lifetime_margin at r = 1 - (0.15 + 0.05) = 0.8, i = 0.12:
    # 60 x 2.5 = 150. replacement_cost: 80 to win one + 60 x 2 / 12 = 10 of margin lost
    # while the replacement ramps up = 90. Neither is 150 + 80.
    lifetime = lost_customer_value(_valuation_case("lifetime_margin"), 0.05)
    replacement = lost_customer_value(_valuation_case("replacement_cost"), 0.05)
    assert lifetime == pytest.approx(150.0, rel=1e-12)
    assert replacement == pytest.approx(90.0, rel=1e-12)
    # The replacement's own margin replaces the lost one: its cost does not hang on the
    # retention, and it is the same array shape as the churn it is asked for.
    np.testing.assert_allclose(
        lost_customer_value(_valuation_case("replacement_cost"), np.array([0.0, 0.3])),
        [90.0, 90.0],
        rtol=1e-12,
    )


def test_annuity_factor() -> None:
    # 1/1.1 + 1/1.21 = 1.7355...; no discounting: the number of years
    assert annuity_factor(0.1, 2) == pytest.approx(1 / 1.1 + 1 / 1.21, rel=1e-14)
    assert annuity_factor(0.0, 5) == 5.0
