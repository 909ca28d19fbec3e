"""Costs: representatives, training, attrition, and the value of a lost customer.

References
----------
.. [1] S. Gupta and D. Lehmann, "Customers as assets", Journal of Interactive
   Marketing 17(1), 2003, pp. 9-24: lifetime value = m (1 + i) / (1 + i - r)
   for margin m paid at the start of each year, retention r, discount rate i.
.. [2] US Bureau of Labor Statistics, OEWS May 2021, 43-4051 customer service
   representatives: mean annual wage USD 36,920.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cxcost.queueing import FloatOrArray
from cxcost.scenario import Business, Staffing, Training


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


def service_cost(
    representatives: ArrayLike, staffing: Staffing, training: Training, training_hours: ArrayLike
) -> ServiceCost:
    """Staffing, training and attrition cost per year.

    Payroll (salary x loaded multiplier) is split between time in training,
    which is counted as training cost together with its direct cost, and all
    other paid time, counted as staffing cost; nothing is counted twice.

    Parameters
    ----------
    representatives : total representatives [FTE]
    staffing, training : scenario parts (pay, multiplier, attrition, direct cost)
    training_hours : training per representative [h/year]

    Returns
    -------
    ServiceCost
        Every part >= 0 [currency/year].
    """
    reps = np.asarray(representatives, dtype=np.float64)
    hours = np.asarray(training_hours, dtype=np.float64)
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


def on_queue_hours_per_week(staffing: Staffing, training_hours: ArrayLike) -> FloatOrArray:
    """Hours one representative spends on the queues per week [h/week].

    Paid hours less shrinkage (breaks, meetings, absence) less training,
    which is off the phones.
    """
    hours = np.asarray(training_hours, dtype=np.float64)
    per_year = staffing.paid_hours_per_year * (1.0 - staffing.shrinkage) - hours
    value = np.maximum(per_year, 0.0) / 52.0
    return float(value) if value.ndim == 0 else value


def customer_lifetime_margin(business: Business) -> float:
    """Discounted gross margin of one customer over the expected lifetime [currency].

    CLV = m (1 + i) / (i + b), m = gross margin x annual revenue, b = baseline
    churn, i = discount rate (Eq 2 in [1], margin at the start of each year).

    Examples
    --------
    >>> round(customer_lifetime_margin(Business(revenue_per_customer=100, gross_margin=0.5,
    ...       baseline_churn=0.2, discount_rate=0.05)), 4)
    210.0
    """
    margin = business.gross_margin * business.revenue_per_customer
    rate = business.discount_rate
    return margin * (1.0 + rate) / (rate + business.baseline_churn)
