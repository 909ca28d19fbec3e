"""Costs: representatives, training, attrition, and the value of a lost customer.

References
----------
.. [1] S. Gupta and D. Lehmann, "Customers as assets", Journal of Interactive
   Marketing 17(1), 2003, pp. 9-24: the margin multiple. With a margin m at the
   end of each year, retention r and discount rate i, a customer's lifetime
   margin is m r / (1 + i - r) (Eq 3; e.g. r = 0.8, i = 0.12 gives 2.5 m).
.. [2] US Bureau of Labor Statistics, OEWS May 2021, 43-4051 customer service
   representatives: mean annual wage USD 36,920.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cxcost.queueing import FloatOrArray
from cxcost.scenario import WEEKS_PER_YEAR, Business, Staffing, Training


@dataclass(frozen=True)
class ServiceCost:
    """Annual cost of the service organisation [currency/year]."""

    staffing: FloatOrArray
    training: FloatOrArray
    attrition: FloatOrArray

    @property
    def total(self) -> FloatOrArray:
        return self.staffing + self.training + self.attrition


def loaded_hourly_cost(staffing: Staffing) -> float:
    """Fully loaded cost of one paid representative hour [currency/h]."""
    return staffing.salary_per_year * staffing.loaded_cost_multiplier / staffing.paid_hours_per_year


def training_hours_per_rep(
    staffing: Staffing, training: Training, hours: ArrayLike
) -> FloatOrArray:
    """Training per representative a year: general, the two tracks, new hires' share [h/year].

    attrition x new-hire hours: each year ``attrition_per_year`` of the
    representatives are new and take the initial programme. ``hours`` is the
    general training; the conflict-resolution and product-knowledge tracks come
    from ``training``.
    """
    value = np.asarray(hours, dtype=np.float64) + (
        training.conflict_hours_per_rep_per_year
        + training.knowledge_hours_per_rep_per_year
        + staffing.attrition_per_year * training.new_hire_hours
    )
    return float(value) if value.ndim == 0 else value


def service_cost(
    representatives: ArrayLike, staffing: Staffing, training: Training, training_hours: ArrayLike
) -> ServiceCost:
    """Staffing, training and attrition cost per year.

    Payroll (salary x loaded multiplier) is split between time in training
    (ongoing and new hires'), which is counted as training cost together with
    its direct cost, and all other paid time, counted as staffing cost;
    nothing is counted twice.

    Parameters
    ----------
    representatives : total representatives [FTE]
    staffing, training : scenario parts (pay, multiplier, attrition, direct cost)
    training_hours : ongoing training per representative [h/year]

    Returns
    -------
    ServiceCost
        Every part >= 0 [currency/year].
    """
    reps = np.asarray(representatives, dtype=np.float64)
    hours = np.asarray(training_hours_per_rep(staffing, training, training_hours))
    payroll = reps * staffing.salary_per_year * staffing.loaded_cost_multiplier
    in_training = reps * hours * loaded_hourly_cost(staffing)
    direct = reps * hours * training.cost_per_training_hour
    attrition = reps * staffing.attrition_per_year * staffing.cost_to_replace_rep

    def out(value: np.ndarray) -> FloatOrArray:
        return float(value) if value.ndim == 0 else value

    return ServiceCost(
        staffing=out(payroll - in_training),
        training=out(in_training + direct),
        attrition=out(attrition),
    )


def hiring_cost_per_rep(staffing: Staffing, training: Training) -> float:
    """One-off cost of adding one representative: hiring plus new-hire training [currency]."""
    per_hour = loaded_hourly_cost(staffing) + training.cost_per_training_hour
    return staffing.cost_to_replace_rep + training.new_hire_hours * per_hour


def on_queue_hours_per_week(
    staffing: Staffing, training: Training, training_hours: ArrayLike
) -> FloatOrArray:
    """Hours one representative spends on the queues per week [h/week].

    Paid hours less shrinkage (breaks, meetings, absence) less training
    (ongoing and new hires'), which is off the phones; when the shrinkage
    already includes training it is not taken again.
    """
    paid_on_queue = staffing.paid_hours_per_year * (1.0 - staffing.shrinkage)
    hours = np.asarray(training_hours_per_rep(staffing, training, training_hours))
    per_year = paid_on_queue - (0.0 if staffing.shrinkage_includes_training else hours)
    value = np.maximum(per_year, 0.0) / WEEKS_PER_YEAR
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def total_shrinkage(
    staffing: Staffing, training: Training, training_hours: ArrayLike
) -> FloatOrArray:
    """Share of paid time off the queues, training included [0-1]."""
    on_queue = np.asarray(on_queue_hours_per_week(staffing, training, training_hours))
    # Clipped at 0: with no shrinkage and no training, 1 - on_queue x weeks / paid rounds
    # to -2.2e-16 for some paid hours.
    value = np.maximum(1.0 - on_queue * WEEKS_PER_YEAR / staffing.paid_hours_per_year, 0.0)
    return float(value) if value.ndim == 0 else value


def margin_multiple(retention: ArrayLike, discount_rate: float) -> FloatOrArray:
    """Gupta & Lehmann's margin multiple r / (1 + i - r), margins at year end (Eq 3 in [1]).

    Parameters
    ----------
    retention : share of customers kept per year, r in [0, 1) [1/year]
    discount_rate : i >= 0 [1/year]

    Returns
    -------
    float or ndarray
        Lifetime margin per unit of annual margin [years].

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.12), 12)
    2.5
    """
    r = np.clip(np.asarray(retention, dtype=np.float64), 0.0, 1.0 - 1e-9)
    value = r / (1.0 + discount_rate - r)
    return float(value) if value.ndim == 0 else value


def customer_lifetime_margin(
    business: Business, service_churn: ArrayLike = 0.0, annual_margin: ArrayLike | None = None
) -> FloatOrArray:
    """Discounted future gross margin of one customer [currency].

    m r / (1 + i - r) (Eq 3 in [1]) with m = gross margin x annual revenue,
    r = 1 - (baseline churn + service churn), i = discount rate.

    Parameters
    ----------
    business : margin, revenue, baseline churn, discount rate
    service_churn : the scenario's own churn for service reasons [share/year]
    annual_margin : m [currency/year]; default gross margin x revenue per customer

    Examples
    --------
    >>> round(customer_lifetime_margin(Business(revenue_per_customer=100, gross_margin=0.5,
    ...       baseline_churn=0.15, discount_rate=0.12), service_churn=0.05), 6)
    125.0
    """
    margin = np.asarray(
        business.gross_margin * business.revenue_per_customer
        if annual_margin is None
        else annual_margin,
        dtype=np.float64,
    )
    retention = 1.0 - business.baseline_churn - np.asarray(service_churn, dtype=np.float64)
    value = margin * np.asarray(margin_multiple(retention, business.discount_rate))
    return float(value) if value.ndim == 0 else value


def lost_customer_value(
    business: Business, service_churn: ArrayLike = 0.0, annual_margin: ArrayLike | None = None
) -> FloatOrArray:
    """What one lost customer costs, valued once by ``business.lost_customer_valuation`` [currency].

    - ``lifetime_margin``: the customer's discounted future margin
      (:func:`customer_lifetime_margin`);
    - ``replacement_cost``: the company wins a replacement, whose own margin
      then replaces the lost one: acquisition cost plus the margin lost while
      the replacement ramps up (``replacement_ramp_up_months``).

    Never the sum of the two: that would count one lost customer twice.

    Parameters
    ----------
    business : the business, its valuation and its economics
    service_churn : the scenario's own churn for service reasons [share/year]
    annual_margin : margin of one customer a year [currency/year]; default the business's

    Examples
    --------
    >>> b = Business(revenue_per_customer=120, gross_margin=0.5, acquisition_cost=80,
    ...              lost_customer_valuation="replacement_cost", replacement_ramp_up_months=2)
    >>> lost_customer_value(b)
    90.0
    """
    if business.lost_customer_valuation == "lifetime_margin":
        return customer_lifetime_margin(business, service_churn, annual_margin)
    margin = np.asarray(
        business.gross_margin * business.revenue_per_customer
        if annual_margin is None
        else annual_margin,
        dtype=np.float64,
    )
    value = business.acquisition_cost + margin * business.replacement_ramp_up_months / 12.0
    value = value + np.zeros(np.shape(service_churn))
    return float(value) if value.ndim == 0 else value


def annuity_factor(discount_rate: float, years: int) -> float:
    """Present value of 1 a year paid at the end of each of ``years`` years [years].

    Examples
    --------
    >>> round(annuity_factor(0.1, 2), 6)
    1.735537
    """
    if discount_rate == 0:
        return float(years)
    # (1 - (1 + i)^-n) / i, in expm1/log1p form: exact to round-off for any i > 0,
    # where 1 + i rounds to 1 (i below 1.1e-16) too, and tending to n as i -> 0.
    return float(-math.expm1(-years * math.log1p(discount_rate)) / discount_rate)
