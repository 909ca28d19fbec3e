"""Churn: from one contact's failures to customers lost per year, split by driver.

Per contact, a customer leaves with probability
    q = 1 - (1 - p_wait)(1 - a rude_share p_rude)(1 - a dismissive_share p_dismiss)  (Eq 1)
where a is the share of contacts answered (only a contact that reaches someone can
be handled rudely or dismissively) and p_wait is the wait's own churn: an answered
contact that waited W leaves with an S-shaped, saturating probability
    wait_churn_max (1 - exp(-W / tau))^shape,                                     (Eq 2)
a short wait losing nobody (``cxcost.queueing.wait_response``), and a contact
that gives up for good (abandons and does not redial) with ``abandon_churn``.
A customer with c contacts a year (Poisson) leaves for service reasons with
probability 1 - exp(-c q)                                                        (Eq 3)
Lost customers are attributed to the three drivers in proportion to their
hazards -ln(1 - x_i), which add up to -ln(1 - q), so the parts always sum to
the whole                                                                        (Eq 4)

References
----------
.. [1] docs/model.md, section 2 "Why customers leave". Eq 3 is the Poisson thinning of contacts: of
   Poisson(c) contacts each independently fatal with probability q, the chance
   that none is fatal is exp(-c q).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cxcost.queueing import FloatOrArray

DRIVERS = ("wait", "rudeness", "dismissiveness")


def _out(value: np.ndarray) -> FloatOrArray:
    return float(value) if value.ndim == 0 else value


def wait_churn_per_contact(
    wait_churn_max: ArrayLike,
    wait_response: ArrayLike,
    abandon_churn: ArrayLike = 0.0,
    give_up_share: ArrayLike = 0.0,
) -> FloatOrArray:
    """Probability that waiting makes a contact's customer leave, per contact [0-1].

    Parameters
    ----------
    wait_churn_max : churn probability of an answered contact after an endless wait [0-1]
    wait_response : E[g(W); answered] per contact, g the S-shaped response of Eq 2 [0-1]
        (``cxcost.queueing.expected_wait_response``)
    abandon_churn : churn probability of a contact that gives up for good [0-1]
    give_up_share : contacts that abandon and never redial [0-1]

    Returns
    -------
    float or ndarray
        wait_churn_max x wait_response + abandon_churn x give_up_share [0-1]
    """
    value = np.asarray(wait_churn_max, dtype=np.float64) * np.asarray(
        wait_response, dtype=np.float64
    ) + np.asarray(abandon_churn, dtype=np.float64) * np.asarray(give_up_share, dtype=np.float64)
    return _out(np.minimum(value, 1.0))


def per_contact_churn(
    wait_churn: ArrayLike, rude_risk: ArrayLike, dismissive_risk: ArrayLike
) -> FloatOrArray:
    """Eq 1: probability that one contact makes the customer leave [0-1].

    ``rude_risk`` = rude share x p_rude, ``dismissive_risk`` = dismissive share x p_dismiss.
    """
    survive = (
        (1.0 - np.asarray(wait_churn, dtype=np.float64))
        * (1.0 - np.asarray(rude_risk, dtype=np.float64))
        * (1.0 - np.asarray(dismissive_risk, dtype=np.float64))
    )
    return _out(1.0 - survive)


def annual_service_churn(
    contacts_per_customer: ArrayLike, churn_per_contact: ArrayLike
) -> FloatOrArray:
    """Eq 3: share of customers who leave in a year for service reasons [0-1]."""
    c = np.asarray(contacts_per_customer, dtype=np.float64)
    q = np.asarray(churn_per_contact, dtype=np.float64)
    return _out(-np.expm1(-c * q))


@dataclass(frozen=True)
class DriverSplit:
    """Customers lost per year by driver; the three parts sum to the total."""

    wait: FloatOrArray
    rudeness: FloatOrArray
    dismissiveness: FloatOrArray

    def as_dict(self) -> dict[str, float]:
        return {d: float(getattr(self, d)) for d in DRIVERS}


def attribute_to_drivers(
    customers_lost: ArrayLike,
    wait_churn: ArrayLike,
    rude_risk: ArrayLike,
    dismissive_risk: ArrayLike,
) -> DriverSplit:
    """Eq 4: split ``customers_lost`` by the drivers' hazards -ln(1 - x).

    When no driver has any hazard, nothing is lost and every part is 0.
    """
    hazards = [
        -np.log1p(-np.minimum(np.asarray(x, dtype=np.float64), 1.0 - 1e-15))
        for x in (wait_churn, rude_risk, dismissive_risk)
    ]
    hazards = list(np.broadcast_arrays(*hazards))
    total = hazards[0] + hazards[1] + hazards[2]
    lost = np.asarray(customers_lost, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = [np.where(total > 0, lost * (h / total), 0.0) for h in hazards]
    return DriverSplit(*(_out(np.asarray(p)) for p in parts))
