"""Service practices as levers: transfers and one-stop resolution, follow-up after a
transfer, proactive outreach, self-service deflection.

Each practice changes the flow of contacts, the three per-contact churn risks or
the cost side; the model (``cxcost.evaluate``) applies them in one place, so the
optimiser, the uncertainty analysis and ``compare`` price them alike. Separate
conflict-resolution and product-knowledge training tracks live beside the
training response (``cxcost.quality``). Symbols (``scenario.practices``):

    t0  transfer_share today          x   one_stop_share (lever)
    f   follow_up_share (lever)        rf  follow_up_recovery
    p   proactive_share (lever)        rp  proactive_recovery, pi proactive_inbound_share
    s   self_service_share (lever)     sig self_service_resolution
    d   dismissive (unresolved) share of the staff, from training (``cxcost.quality``)
    r   quality.repeat_contact_rate,   c1  first contacts per customer a year

Transfers. One-stop resolution removes a share x of today's transfers:

    t = t0 (1 - x)                                                        (P1)

A transferred contact waits and is handled twice, and is resolved less often:
its unresolved share is d_t = d + fcr_drop (1 - d) (SQM: first-contact
resolution 14 % lower [1]); a follow-up by the first representative resolves
a share rf of those still unresolved. The unresolved share of all contacts is

    u = (1 - t) d + t d_t (1 - f rf)                                      (P2)

Flow of contacts per customer a year. Self-service resolves s sig of the first
contacts; the rest reach a human, s (1 - sig) of them after a failed attempt.
Unresolved contacts come back (the geometric series of ``cxcost.quality``), and
a share pi of the customers contacted proactively contact the company again
(Gartner 2022 [3]); these follow-on contacts are counted once:

    c = c1 (1 - s sig) / (1 - u r) x (1 + p pi u)                        (P3)

The queues see (1 + t) arrivals per contact: a transfer queues again.

Per-contact risks, with a the answered share, rho the rude share, w the wait
churn, p_r, p_d the rude and dismissive churn responses, c_t the transfer's
effort churn, c_s the failed self-service attempt's, and phi = c1 s (1 - sig) / c
the share of human contacts that follow a failed attempt:

    wait         1 - (1 - w)(1 - t w)                  a second wait        (P4)
    rudeness     1 - (1 - R)(1 - t R),  R = a rho p_r  a second handling
    dismissive   1 - (1 - D)(1 - a t c_t)(1 - phi c_s),
                 D = a u p_d (1 - p rp)                proactive recovery

The effort of a transfer ("ask someone else") and of a failed self-service
attempt is counted as dismissiveness; the three hazards still split the
customers lost exactly (``cxcost.churn.attribute_to_drivers``).

Cost per year (outbound work is paid time outside the queues, at the loaded
hourly cost: the plan adds those hours; it does not take them from the queues):

    one-stop      x x one_stop_cost_per_rep x representatives
    follow-up     f t a C h_f / 60 x hourly cost          C contacts a year
    proactive     p u C h_p / 60 x hourly cost
    self-service  s c1 N x cost per attempt + upkeep (when s > 0)

Every lever at 0 adds no cost and, with no transfers today, leaves every
result as it was without practices.

References
----------
.. [1] SQM Group, "Call transfer: the impact on FCR and customer satisfaction":
   transferred callers' satisfaction 12 % lower, first-call resolution 14 % lower.
.. [2] Gartner (2019), "Gartner says only 9 % of customers report solving their
   issue completely via self-service"; cost per contact about USD 0.10
   self-service against USD 8.01 live.
.. [3] Gartner (2022), proactive customer service: 66 % of B2C customers
   contact the company after a proactive outreach.
.. [4] M. Dixon, K. Freeman, N. Toman, "Stop trying to delight your customers",
   Harvard Business Review, 2010 (CEB: transfers and repeat contacts are main
   sources of customer effort).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxcost import costs
from cxcost.scenario import Practices, Scenario

Array = NDArray[np.float64]

LEVERS: tuple[str, ...] = (
    "practices.one_stop_share",
    "practices.follow_up_share",
    "practices.proactive_share",
    "practices.self_service_share",
    "training.conflict_hours_per_rep_per_year",
    "training.knowledge_hours_per_rep_per_year",
)
"""The practice levers, by field path: each one a decision ``compare`` prices."""


def transfer_share(practices: Practices) -> float:
    """Share of answered contacts transferred, after one-stop resolution (P1) [0-1]."""
    return practices.transfer_share * (1.0 - practices.one_stop_share)


def unresolved_share(practices: Practices, dismissive: ArrayLike) -> Array:
    """Share of contacts left unresolved, transfers and follow-up included (P2) [0-1].

    Examples
    --------
    >>> from cxcost.scenario import Practices
    >>> p = Practices(transfer_share=0.2, transfer_fcr_drop=0.14, follow_up_share=0.5,
    ...               follow_up_recovery=0.5)
    >>> round(float(unresolved_share(p, 0.1)), 6)  # 0.8*0.1 + 0.2*0.226*0.75
    0.1139
    """
    d = np.asarray(dismissive, dtype=np.float64)
    t = transfer_share(practices)
    transferred = d + practices.transfer_fcr_drop * (1.0 - d)
    recovered = 1.0 - practices.follow_up_share * practices.follow_up_recovery
    return np.asarray((1.0 - t) * d + t * transferred * recovered)


@dataclass(frozen=True)
class ContactFlow:
    """Contacts that reach a human and what they carry; arrays of the input's shape.

    Attributes
    ----------
    contacts_per_customer : human contacts per customer a year, repeats and the
        outreach's follow-on contacts included (P3) [1/year]
    unresolved : share of contacts left unresolved (P2) [0-1]
    failed_self_service : share of human contacts that follow a failed
        self-service attempt [0-1]
    legs : queue arrivals per contact, 1 + transfer share [-]
    """

    contacts_per_customer: Array
    unresolved: Array
    failed_self_service: Array
    legs: float


def contact_flow(
    scenario: Scenario,
    dismissive: ArrayLike,
    first_contacts_per_customer: ArrayLike | None = None,
    repeat_contact_rate: ArrayLike | None = None,
) -> ContactFlow:
    """Human contacts per customer a year with the scenario's practices (P2, P3).

    Parameters
    ----------
    scenario : the scenario (practices, demand, quality)
    dismissive : the staff's dismissive share from training [0-1]
    first_contacts_per_customer : c1 override (uncertainty draws) [1/year]
    repeat_contact_rate : r override [0-1]
    """
    p = scenario.practices
    c1 = np.asarray(
        scenario.demand.contacts_per_customer_per_year
        if first_contacts_per_customer is None
        else first_contacts_per_customer,
        dtype=np.float64,
    )
    r = np.asarray(
        scenario.quality.repeat_contact_rate
        if repeat_contact_rate is None
        else repeat_contact_rate,
        dtype=np.float64,
    )
    u = unresolved_share(p, dismissive)
    s, sig = p.self_service_share, p.self_service_resolution
    per_customer = (
        c1
        * (1.0 - s * sig)
        / (1.0 - u * r)
        * (1.0 + p.proactive_share * p.proactive_inbound_share * u)
    )
    failed = np.divide(
        c1 * s * (1.0 - sig),
        per_customer,
        out=np.zeros(np.broadcast(c1, per_customer).shape),
        where=per_customer > 0,
    )
    return ContactFlow(
        contacts_per_customer=np.asarray(per_customer),
        unresolved=u,
        failed_self_service=np.asarray(failed),
        legs=1.0 + transfer_share(p),
    )


@dataclass(frozen=True)
class Risks:
    """The three per-contact churn risks with the practices applied (P4) [0-1]."""

    wait: Array
    rudeness: Array
    dismissiveness: Array


def contact_risks(
    practices: Practices,
    wait_churn: ArrayLike,
    answered: ArrayLike,
    rude_share: ArrayLike,
    unresolved: ArrayLike,
    failed_self_service: ArrayLike,
    rude_churn: ArrayLike,
    dismissive_churn: ArrayLike,
) -> Risks:
    """Wait, rude and dismissive churn risk of one contact (P4) [0-1].

    With no transfers and every lever at 0 these are w, a rho p_r and a u p_d,
    the model without practices.
    """
    t = transfer_share(practices)
    w = np.asarray(wait_churn, dtype=np.float64)
    a = np.asarray(answered, dtype=np.float64)
    rude = a * np.asarray(rude_share) * np.asarray(rude_churn)
    kept = 1.0 - practices.proactive_share * practices.proactive_recovery
    dismissed = a * np.asarray(unresolved) * np.asarray(dismissive_churn) * kept
    effort = (1.0 - a * t * practices.transfer_churn) * (
        1.0 - np.asarray(failed_self_service) * practices.self_service_failure_churn
    )
    return Risks(
        wait=np.asarray(1.0 - (1.0 - w) * (1.0 - t * w)),
        rudeness=np.asarray(1.0 - (1.0 - rude) * (1.0 - t * rude)),
        dismissiveness=np.asarray(1.0 - (1.0 - dismissed) * effort),
    )


@dataclass(frozen=True)
class PracticeCost:
    """Yearly cost of each practice [currency/year]; arrays of the inputs' shape."""

    one_stop: Array
    follow_up: Array
    proactive: Array
    self_service: Array

    @property
    def total(self) -> Array:
        return np.asarray(self.one_stop + self.follow_up + self.proactive + self.self_service)

    def as_dict(self) -> dict[str, float]:
        """The parts of a single variant, by practice."""
        return {
            name: float(np.asarray(getattr(self, name)).reshape(-1)[0])
            for name in ("one_stop", "follow_up", "proactive", "self_service")
        }


def practice_cost(
    scenario: Scenario,
    representatives: ArrayLike,
    contacts_per_year: ArrayLike,
    answered: ArrayLike,
    unresolved: ArrayLike,
) -> PracticeCost:
    """Yearly cost of the practices (see the module docstring).

    Parameters
    ----------
    scenario : the scenario (practices, pay, customers, demand)
    representatives : all representatives [FTE]
    contacts_per_year : human contacts a year [1/year]
    answered : share of contacts answered [0-1]
    unresolved : share of contacts left unresolved [0-1]
    """
    p = scenario.practices
    hourly = costs.loaded_hourly_cost(scenario.staffing)
    contacts = np.asarray(contacts_per_year, dtype=np.float64)
    reps = np.asarray(representatives, dtype=np.float64)
    t = transfer_share(p)
    attempts = (
        p.self_service_share
        * scenario.demand.contacts_per_customer_per_year
        * scenario.business.customers
    )
    upkeep = p.self_service_cost_per_year if p.self_service_share > 0 else 0.0
    shape = np.broadcast(reps, contacts, np.asarray(answered), np.asarray(unresolved)).shape
    return PracticeCost(
        one_stop=np.broadcast_to(p.one_stop_share * p.one_stop_cost_per_rep * reps, shape),
        follow_up=np.broadcast_to(
            p.follow_up_share
            * t
            * contacts
            * np.asarray(answered)
            * p.follow_up_minutes
            / 60.0
            * hourly,
            shape,
        ),
        proactive=np.broadcast_to(
            p.proactive_share
            * np.asarray(unresolved)
            * contacts
            * p.proactive_minutes
            / 60.0
            * hourly,
            shape,
        ),
        self_service=np.full(shape, attempts * p.self_service_cost_per_contact + upkeep),
    )
