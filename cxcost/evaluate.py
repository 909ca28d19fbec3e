"""Scenario -> Result: what bad service costs, and what the service costs.

The computation is vectorised: ``evaluate_many`` prices k variants of one
scenario (different representatives per channel, training hours, patience or
churn-response values) in one pass, which the optimiser and the curves use;
``price_churn`` is its money step, shared with the uncertainty analysis.
``evaluate`` is the one-scenario view with a typed ``Result``.

Basis of the money: every ``..._per_year`` figure is per year in steady state.
A lost customer is valued once (``business.lost_customer_valuation``): its
discounted future margin, or the cost of a replacement. Churn cost per year =
customers lost per year x that value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from cxcost import churn, costs, practices, quality
from cxcost.channels import ChannelWeek, channel_week
from cxcost.scenario import ChannelKind, LostCustomerValuation, Scenario

Array = NDArray[np.float64]


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChannelResult(_Output):
    """One channel's week, weighted over the open hours."""

    name: str
    kind: ChannelKind
    representatives: float = Field(description="Representatives on the channel [FTE]")
    contacts_per_year: float = Field(description="Contacts offered, repeats included [1/year]")
    attempts_per_year: float = Field(
        description="Attempts offered to the queue: contacts, transfer legs and redials [1/year]"
    )
    transfer_attempts_per_year: float = Field(
        description="Attempts that are contacts queued again after a transfer: contacts x "
        "transfer share. The queue is offered a transfer leg for every contact, answered or "
        "not, so this counts more than the answered transfers in "
        "Result.transferred_contacts_per_year [1/year]"
    )
    redials_per_year: float = Field(
        description="Attempts by callers who hung up and try again [1/year]"
    )
    agents_per_open_hour: float = Field(description="Mean representatives on the queue [-]")
    p_wait: float = Field(description="Share of attempts that wait [0-1]")
    p_abandon: float = Field(description="Share of attempts that abandon [0-1]")
    give_up_share: float = Field(
        description="Share of contacts that abandon and do not redial: lost to the queue [0-1]"
    )
    mean_wait_seconds: float = Field(
        description="Mean wait over all offered attempts (e-mail: response time) [s]; "
        "infinite when the queue never clears"
    )
    service_level: float = Field(description="Share of attempts answered within the target [0-1]")
    occupancy: float = Field(description="Busy time / time on the queue [0-1]")
    peak_occupancy: float = Field(description="Occupancy of the busiest open hour [0-1]")
    flat_mean_wait_seconds: float = Field(
        description="Mean wait if arrivals and staff were flat over the open hours [s] "
        "(e-mail: capacity spread over all 168 hours)"
    )
    flat_service_level: float = Field(description="Service level of the flat-average week [0-1]")
    overloaded_hours_per_week: float = Field(
        description="Open hours in which load reaches capacity [h/week]"
    )
    wait_response: float = Field(
        description="Mean S-shaped wait response E[g(W); answered] per contact, before "
        "wait_churn_max scales it (``cxcost.queueing.expected_wait_response``) [0-1]"
    )
    wait_churn_per_contact: float = Field(
        description="Probability that waiting on this channel makes a customer leave: "
        "min(wait_churn_max x wait_response + abandon_churn x give_up_share, 1) [0-1]"
    )
    payroll_per_year: float = Field(description="Loaded payroll of the channel [currency/year]")


class Result(_Output):
    """Every output of the model for one scenario. Money in the scenario currency, per year
    in steady state."""

    currency: str
    customers: int = Field(description="Active customers [customers]")
    customers_lost_per_year: float = Field(description="Customers lost to bad service [1/year]")
    customers_lost_by_driver: dict[str, float] = Field(
        description="Customers lost per year by driver: wait, rudeness, dismissiveness"
    )
    service_churn_rate: float = Field(description="Share of customers lost to service [1/year]")
    silent_churners_per_year: float = Field(description="Leave without complaining [1/year]")
    complaining_churners_per_year: float = Field(description="Complain, then leave [1/year]")
    silent_per_complaint: float | None = Field(
        description="Silent leavers for every complaining one (None if nobody complains)"
    )
    revenue_at_risk_per_year: float = Field(
        description="Annual revenue of the customers lost per year [currency/year]"
    )
    revenue_at_risk_by_driver: dict[str, float] = Field(
        description="Revenue at risk per year by driver [currency/year]"
    )
    lost_customer_valuation: LostCustomerValuation = Field(
        description="How a lost customer is valued: lifetime_margin or replacement_cost"
    )
    lost_customer_value: float = Field(
        description="Value of one lost customer by that valuation [currency/customer]"
    )
    customer_lifetime_margin: float = Field(
        description="Discounted future margin of one customer at the scenario's retention, "
        "margin multiple r/(1+i-r) [currency]"
    )
    lost_lifetime_margin_per_year: float = Field(
        description="Lifetime margin of the customers lost per year; the churn cost under "
        "lifetime_margin [currency/year]"
    )
    replacement_acquisition_cost_per_year: float = Field(
        description="Cost to win as many new customers as were lost; part of the churn cost "
        "only under replacement_cost [currency/year]"
    )
    churn_cost_per_year: float = Field(
        description="Customers lost per year x the value of one lost customer [currency/year]"
    )
    churn_cost_by_driver: dict[str, float] = Field(
        description="Churn cost per year by driver [currency/year]"
    )
    first_contacts_per_year: float = Field(description="New issues raised [1/year]")
    repeat_contacts_per_year: float = Field(
        description="Contacts about issues left unresolved before [1/year]"
    )
    contacts_per_year: float = Field(description="All contacts [1/year]")
    answered_share: float = Field(
        description="Share of contacts that reach a representative (not given up) [0-1]"
    )
    rude_share: float = Field(description="Answered contacts perceived as rude [0-1]")
    dismissive_share: float = Field(
        description="Answered contacts the staff handles dismissively, from training [0-1]"
    )
    unresolved_share: float = Field(
        description="Contacts left unresolved, transfers and follow-up included [0-1]"
    )
    transferred_contacts_per_year: float = Field(
        description="Answered contacts transferred to another team [1/year]"
    )
    self_service_attempts_per_year: float = Field(
        description="First contacts that try self-service first [1/year]"
    )
    wait_churn_per_contact: float = Field(
        description="Mean probability that the wait makes a customer leave [0-1]"
    )
    churn_per_contact: float = Field(description="Probability one contact loses the customer")
    channels: list[ChannelResult]
    representatives: float = Field(description="All representatives [FTE]")
    new_hires_per_year: float = Field(description="Representatives hired a year [1/year]")
    training_hours_per_rep: float = Field(
        description="Training per representative, ongoing plus new hires' share [h/year]"
    )
    total_shrinkage: float = Field(
        description="Share of paid time off the queues, training included [0-1]"
    )
    staffing_cost_per_year: float = Field(description="Payroll outside training [currency/year]")
    training_cost_per_year: float = Field(
        description="Paid training time + direct training cost, new hires included [currency/year]"
    )
    attrition_cost_per_year: float = Field(
        description="Recruiting and hiring replacements [currency/year]"
    )
    practice_cost_per_year: float = Field(
        description="One-stop programme, follow-up and proactive contact time, self-service "
        "[currency/year]"
    )
    practice_cost_by_practice: dict[str, float] = Field(
        description="Practice cost per year: one_stop, follow_up, proactive, self_service "
        "[currency/year]"
    )
    service_cost_per_year: float = Field(
        description="Staffing + training + attrition + practices [currency/year]"
    )
    total_cx_cost_per_year: float = Field(
        description="Service cost + churn cost: what good and bad service cost together, "
        "the number the optimiser minimises [currency/year]"
    )


def _pick(value: ArrayLike | None, default: float) -> Array:
    """An override as an array, or the scenario's own value."""
    return np.asarray(default if value is None else value, dtype=np.float64)


def channel_wait_churn(
    scenario: Scenario,
    channel_wait_response: ArrayLike,
    channel_give_up: ArrayLike,
    wait_churn_max: ArrayLike | None = None,
    abandon_churn: ArrayLike | None = None,
) -> Array:
    """(k, channels) probability that waiting on each channel loses the customer [0-1]."""
    response = scenario.churn
    return np.asarray(
        churn.wait_churn_per_contact(
            _pick(wait_churn_max, response.wait_churn_max)[..., None],
            channel_wait_response,
            _pick(abandon_churn, response.abandon_churn)[..., None],
            channel_give_up,
        )
    )


@dataclass(frozen=True)
class ChurnPrice:
    """Churn and its money for k variants; every array has shape (k,)."""

    answered_share: Array
    wait_churn: Array
    rude_risk: Array
    dismissive_risk: Array
    churn_per_contact: Array
    service_churn_rate: Array
    customers_lost: Array
    revenue_at_risk: Array
    lost_customer_value: Array
    churn_cost: Array


def price_churn(
    scenario: Scenario,
    channel_wait_response: ArrayLike,
    channel_give_up: ArrayLike,
    rude_share: ArrayLike,
    dismissive_share: ArrayLike,
    contacts_per_customer: ArrayLike,
    *,
    wait_churn_max: ArrayLike | None = None,
    abandon_churn: ArrayLike | None = None,
    rude_churn: ArrayLike | None = None,
    dismissive_churn: ArrayLike | None = None,
    revenue_per_customer: ArrayLike | None = None,
    gross_margin: ArrayLike | None = None,
    failed_self_service: ArrayLike = 0.0,
) -> ChurnPrice:
    """From channel queue outcomes and quality to customers lost and churn cost.

    Parameters
    ----------
    scenario : the scenario (business, channel shares, churn response)
    channel_wait_response : (k, channels) E[g(W); answered] per contact [0-1]
    channel_give_up : (k, channels) contacts that give up for good [0-1]
    rude_share : (k,) share of answered contacts handled rudely [0-1]
    dismissive_share : (k,) share of contacts left unresolved, practices included
        (``cxcost.practices.contact_flow``'s ``unresolved``) [0-1]
    contacts_per_customer : (k,) contacts per customer a year, repeats included [1/year]
    failed_self_service : (k,) share of contacts that follow a failed self-service
        attempt [0-1]
    wait_churn_max, abandon_churn, rude_churn, dismissive_churn : (k,) churn-response
        overrides [0-1]; default the scenario's
    revenue_per_customer, gross_margin : (k,) business overrides; default the scenario's

    Returns
    -------
    ChurnPrice
    """
    shares = np.asarray([c.share_of_contacts for c in scenario.channels])
    give_up = np.asarray(channel_give_up, dtype=np.float64)
    channel_wait = channel_wait_churn(
        scenario, channel_wait_response, give_up, wait_churn_max, abandon_churn
    )
    return price_contact_churn(
        scenario,
        channel_wait @ shares,
        (1.0 - give_up) @ shares,
        rude_share,
        dismissive_share,
        contacts_per_customer,
        rude_churn=rude_churn,
        dismissive_churn=dismissive_churn,
        revenue_per_customer=revenue_per_customer,
        gross_margin=gross_margin,
        failed_self_service=failed_self_service,
    )


def price_contact_churn(
    scenario: Scenario,
    wait_churn: ArrayLike,
    answered_share: ArrayLike,
    rude_share: ArrayLike,
    dismissive_share: ArrayLike,
    contacts_per_customer: ArrayLike,
    *,
    rude_churn: ArrayLike | None = None,
    dismissive_churn: ArrayLike | None = None,
    revenue_per_customer: ArrayLike | None = None,
    gross_margin: ArrayLike | None = None,
    failed_self_service: ArrayLike = 0.0,
) -> ChurnPrice:
    """The money step of :func:`price_churn`, from the channels' combined wait churn.

    The practices' effect on the three risks is applied here
    (``cxcost.practices.contact_risks``), so every caller prices them alike.

    Parameters
    ----------
    wait_churn : (k,) share-weighted wait churn per contact, give-ups included [0-1]
    answered_share : (k,) share of contacts that reach a representative [0-1]
    (the others as in :func:`price_churn`)
    """
    response = scenario.churn
    business = scenario.business
    answered = np.asarray(answered_share, dtype=np.float64)
    risks = practices.contact_risks(
        scenario.practices,
        wait_churn,
        answered,
        rude_share,
        dismissive_share,
        failed_self_service,
        _pick(rude_churn, response.rude_churn),
        _pick(dismissive_churn, response.dismissive_churn),
    )
    wait, rude_risk, dismissive_risk = risks.wait, risks.rudeness, risks.dismissiveness
    per_contact = np.asarray(churn.per_contact_churn(wait, rude_risk, dismissive_risk))
    rate = np.asarray(churn.annual_service_churn(contacts_per_customer, per_contact))
    lost = business.customers * rate
    revenue = _pick(revenue_per_customer, business.revenue_per_customer)
    margin = revenue * _pick(gross_margin, business.gross_margin)
    value = np.asarray(costs.lost_customer_value(business, rate, margin))
    return ChurnPrice(
        answered_share=np.broadcast_to(answered, lost.shape),
        wait_churn=np.broadcast_to(wait, lost.shape),
        rude_risk=np.broadcast_to(rude_risk, lost.shape),
        dismissive_risk=np.broadcast_to(dismissive_risk, lost.shape),
        churn_per_contact=per_contact,
        service_churn_rate=rate,
        customers_lost=lost,
        revenue_at_risk=lost * revenue,
        lost_customer_value=np.broadcast_to(value, lost.shape),
        churn_cost=lost * value,
    )


@dataclass(frozen=True)
class Evaluation:
    """Vectorised outputs for k variants of a scenario; each array has shape (k,)."""

    representatives: Array  # (k, channels)
    training_hours: Array
    rude_share: Array
    dismissive_share: Array
    first_contacts_per_year: Array
    contacts_per_year: Array
    weeks: list[ChannelWeek]
    channel_wait_churn: Array  # (k, channels)
    price: ChurnPrice
    service_cost: costs.ServiceCost
    practice_cost: practices.PracticeCost
    unresolved_share: Array
    total_cost: Array

    @property
    def customers_lost(self) -> Array:
        return self.price.customers_lost

    @property
    def revenue_at_risk(self) -> Array:
        return self.price.revenue_at_risk

    @property
    def churn_cost(self) -> Array:
        return self.price.churn_cost


def channel_weeks(
    scenario: Scenario,
    contacts_per_year: ArrayLike,
    representatives: Array,
    on_queue_hours_per_rep_week: ArrayLike,
    patience_factor: ArrayLike = 1.0,
    tolerance_factor: ArrayLike = 1.0,
) -> list[ChannelWeek]:
    """Every channel's week: ``representatives`` is (k, channels) [FTE].

    A transferred contact queues again: each channel is offered (1 + transfer
    share) arrivals per contact (``cxcost.practices``).
    """
    staffing = scenario.staffing
    legs = 1.0 + practices.transfer_share(scenario.practices)
    return [
        channel_week(
            channel,
            scenario.demand.arrival_profile,
            np.asarray(contacts_per_year) * channel.share_of_contacts * legs,
            representatives[..., i],
            on_queue_hours_per_rep_week,
            patience_factor,
            staffing.schedule,
            staffing.scheduling_efficiency,
            tolerance_factor,
        )
        for i, channel in enumerate(scenario.channels)
    ]


def evaluate_many(
    scenario: Scenario,
    representatives: ArrayLike | None = None,
    training_hours: ArrayLike | None = None,
    patience_factor: ArrayLike = 1.0,
    wait_churn_max: ArrayLike | None = None,
    rude_churn: ArrayLike | None = None,
    dismissive_churn: ArrayLike | None = None,
    abandon_churn: ArrayLike | None = None,
) -> Evaluation:
    """Price k variants of ``scenario`` at once.

    Parameters
    ----------
    scenario : the base scenario
    representatives : (k, channels) representatives [FTE]; default the scenario's
    training_hours : (k,) ongoing training per representative [h/year]; default the scenario's
    patience_factor : (k,) multiplier on every channel's patience [x]
    wait_churn_max, rude_churn, dismissive_churn, abandon_churn : (k,) churn-response
        overrides [0-1]

    Returns
    -------
    Evaluation
    """
    n_channels = len(scenario.channels)
    reps = np.asarray(
        [c.representatives for c in scenario.channels]
        if representatives is None
        else representatives,
        dtype=np.float64,
    ).reshape(-1, n_channels)
    hours = np.asarray(
        scenario.training.hours_per_rep_per_year if training_hours is None else training_hours,
        dtype=np.float64,
    )
    overrides = (wait_churn_max, rude_churn, dismissive_churn, abandon_churn)
    k = np.broadcast_shapes(
        reps.shape[:1],
        hours.shape,
        np.shape(patience_factor),
        *(np.shape(v) for v in overrides if v is not None),
    )
    reps = np.broadcast_to(reps, (*k, n_channels))
    hours = np.broadcast_to(hours, k)

    business = scenario.business
    attrition = scenario.staffing.attrition_per_year
    rude = np.asarray(quality.rude_share(scenario.quality, scenario.training, attrition, hours))
    dismissive = np.asarray(
        quality.dismissive_share(scenario.quality, scenario.training, attrition, hours)
    )
    flow = practices.contact_flow(scenario, dismissive)
    p = scenario.practices
    first_per_customer = scenario.demand.contacts_per_customer_per_year * (
        1.0 - p.self_service_share * p.self_service_resolution
    )
    first_contacts = np.full(k, business.customers * first_per_customer)
    contacts = np.broadcast_to(business.customers * flow.contacts_per_customer, k)
    on_queue = costs.on_queue_hours_per_week(scenario.staffing, scenario.training, hours)
    weeks = channel_weeks(scenario, contacts, reps, on_queue, patience_factor)
    response = np.stack([w.wait_response for w in weeks], axis=-1)
    give_up = np.stack([w.give_up_share for w in weeks], axis=-1)
    channel_wait = channel_wait_churn(scenario, response, give_up, wait_churn_max, abandon_churn)
    shares = np.asarray([c.share_of_contacts for c in scenario.channels])
    price = price_contact_churn(
        scenario,
        channel_wait @ shares,
        (1.0 - give_up) @ shares,
        rude,
        flow.unresolved,
        flow.contacts_per_customer,
        rude_churn=rude_churn,
        dismissive_churn=dismissive_churn,
        failed_self_service=flow.failed_self_service,
    )
    service = costs.service_cost(reps.sum(axis=-1), scenario.staffing, scenario.training, hours)
    practice = practices.practice_cost(
        scenario, reps.sum(axis=-1), contacts, price.answered_share, flow.unresolved
    )
    return Evaluation(
        representatives=reps,
        training_hours=hours,
        rude_share=np.broadcast_to(rude, k),
        dismissive_share=np.broadcast_to(dismissive, k),
        first_contacts_per_year=first_contacts,
        contacts_per_year=np.broadcast_to(contacts, k),
        weeks=weeks,
        channel_wait_churn=channel_wait,
        price=price,
        service_cost=service,
        practice_cost=practice,
        unresolved_share=np.broadcast_to(flow.unresolved, k),
        total_cost=price.churn_cost + np.asarray(service.total) + practice.total,
    )


def _ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None where that is not a finite number."""
    if denominator <= 0:
        return None
    value = numerator / denominator
    return value if np.isfinite(value) else None


def _by_driver(split: churn.DriverSplit, scale: float) -> dict[str, float]:
    return {driver: value * scale for driver, value in split.as_dict().items()}


def evaluate(scenario: Scenario) -> Result:
    """Price one scenario: customers and money lost to bad service, and the service cost.

    Parameters
    ----------
    scenario : a validated Scenario

    Returns
    -------
    Result

    Examples
    --------
    >>> result = evaluate(Scenario())
    >>> parts = result.customers_lost_by_driver
    >>> abs(sum(parts.values()) - result.customers_lost_per_year) < 1e-6
    True
    """
    e = evaluate_many(scenario)
    p = e.price
    business = scenario.business
    lost = float(p.customers_lost[0])
    split = churn.attribute_to_drivers(
        lost, float(p.wait_churn[0]), float(p.rude_risk[0]), float(p.dismissive_risk[0])
    )
    rate = float(p.service_churn_rate[0])
    clv = float(costs.customer_lifetime_margin(business, rate))
    value = float(p.lost_customer_value[0])
    complaining = lost * scenario.churn.complain_share
    silent = lost - complaining
    loaded = scenario.staffing.salary_per_year * scenario.staffing.loaded_cost_multiplier
    contacts = float(e.contacts_per_year[0])
    transfer = practices.transfer_share(scenario.practices)
    channel_results = [
        ChannelResult(
            name=channel.name,
            kind=channel.kind,
            representatives=channel.representatives,
            contacts_per_year=contacts * channel.share_of_contacts,
            attempts_per_year=contacts
            * channel.share_of_contacts
            * (1.0 + transfer)
            * float(week.attempts_per_contact[0]),
            transfer_attempts_per_year=contacts * channel.share_of_contacts * transfer,
            redials_per_year=contacts
            * channel.share_of_contacts
            * (1.0 + transfer)
            * (float(week.attempts_per_contact[0]) - 1.0),
            agents_per_open_hour=float(week.agents_per_open_hour[0]),
            p_wait=float(week.p_wait[0]),
            p_abandon=float(week.p_abandon[0]),
            give_up_share=float(week.give_up_share[0]),
            mean_wait_seconds=float(week.mean_wait_seconds[0]),
            service_level=float(week.service_level[0]),
            occupancy=float(week.occupancy[0]),
            peak_occupancy=float(week.peak_occupancy[0]),
            flat_mean_wait_seconds=float(week.flat_mean_wait_seconds[0]),
            flat_service_level=float(week.flat_service_level[0]),
            overloaded_hours_per_week=float(week.overloaded_hours[0]),
            wait_response=float(week.wait_response[0]),
            wait_churn_per_contact=float(e.channel_wait_churn[0, i]),
            payroll_per_year=channel.representatives * loaded,
        )
        for i, (channel, week) in enumerate(zip(scenario.channels, e.weeks, strict=True))
    ]
    service = e.service_cost
    hours = scenario.training.hours_per_rep_per_year
    representatives = float(e.representatives[0].sum())
    return Result(
        currency=business.currency,
        customers=business.customers,
        customers_lost_per_year=lost,
        customers_lost_by_driver=split.as_dict(),
        service_churn_rate=rate,
        silent_churners_per_year=silent,
        complaining_churners_per_year=complaining,
        silent_per_complaint=_ratio(silent, complaining),
        revenue_at_risk_per_year=float(p.revenue_at_risk[0]),
        revenue_at_risk_by_driver=_by_driver(split, business.revenue_per_customer),
        lost_customer_valuation=business.lost_customer_valuation,
        lost_customer_value=value,
        customer_lifetime_margin=clv,
        lost_lifetime_margin_per_year=lost * clv,
        replacement_acquisition_cost_per_year=lost * business.acquisition_cost,
        churn_cost_per_year=float(p.churn_cost[0]),
        churn_cost_by_driver=_by_driver(split, value),
        first_contacts_per_year=float(e.first_contacts_per_year[0]),
        repeat_contacts_per_year=contacts - float(e.first_contacts_per_year[0]),
        contacts_per_year=contacts,
        answered_share=float(p.answered_share[0]),
        rude_share=float(e.rude_share[0]),
        dismissive_share=float(e.dismissive_share[0]),
        unresolved_share=float(e.unresolved_share[0]),
        transferred_contacts_per_year=contacts * float(p.answered_share[0]) * transfer,
        self_service_attempts_per_year=business.customers
        * scenario.demand.contacts_per_customer_per_year
        * scenario.practices.self_service_share,
        wait_churn_per_contact=float(p.wait_churn[0]),
        churn_per_contact=float(p.churn_per_contact[0]),
        channels=channel_results,
        representatives=representatives,
        new_hires_per_year=representatives * scenario.staffing.attrition_per_year,
        training_hours_per_rep=float(
            costs.training_hours_per_rep(scenario.staffing, scenario.training, hours)
        ),
        total_shrinkage=float(costs.total_shrinkage(scenario.staffing, scenario.training, hours)),
        staffing_cost_per_year=float(np.asarray(service.staffing).reshape(-1)[0]),
        training_cost_per_year=float(np.asarray(service.training).reshape(-1)[0]),
        attrition_cost_per_year=float(np.asarray(service.attrition).reshape(-1)[0]),
        practice_cost_per_year=float(e.practice_cost.total.reshape(-1)[0]),
        practice_cost_by_practice=e.practice_cost.as_dict(),
        service_cost_per_year=float(np.asarray(service.total).reshape(-1)[0])
        + float(e.practice_cost.total.reshape(-1)[0]),
        total_cx_cost_per_year=float(e.total_cost[0]),
    )


def variant_total_costs(variants: Sequence[Scenario]) -> Array:
    """Total CX cost per year of scenarios that differ only in practices and training.

    The lever searches (``cxcost.actions``, ``cxcost.optimize``) price many
    variants of one scenario whose channels, representatives, demand profile and
    churn responses are the same; their queues differ only in the contacts
    offered and the hours on the queue. Each channel's week is then evaluated
    once for all variants (vectorised), and each variant is priced as
    :func:`evaluate_many` prices it, so the result equals
    ``evaluate(v).total_cx_cost_per_year`` for each variant.

    Raises
    ------
    ValueError
        The variants differ in more than practices and training.
    """
    base = variants[0]
    fixed = base.model_dump(exclude={"practices", "training", "name", "sources"})
    for variant in variants[1:]:
        if variant.model_dump(exclude={"practices", "training", "name", "sources"}) != fixed:
            raise ValueError("variant_total_costs prices variants of practices and training only")
    staffing, business = base.staffing, base.business
    reps = np.asarray([c.representatives for c in base.channels], dtype=np.float64)
    hours, rude, flows, on_queue = [], [], [], []
    for variant in variants:
        h = variant.training.hours_per_rep_per_year
        d = float(
            quality.dismissive_share(
                variant.quality, variant.training, staffing.attrition_per_year, h
            )
        )
        hours.append(h)
        rude.append(
            float(
                quality.rude_share(
                    variant.quality, variant.training, staffing.attrition_per_year, h
                )
            )
        )
        flows.append(practices.contact_flow(variant, d))
        on_queue.append(float(costs.on_queue_hours_per_week(staffing, variant.training, h)))
    contacts = business.customers * np.asarray([float(f.contacts_per_customer) for f in flows])
    legs = np.asarray([f.legs for f in flows])
    weeks = [
        channel_week(
            channel,
            base.demand.arrival_profile,
            contacts * channel.share_of_contacts * legs,
            np.full(len(variants), reps[i]),
            np.asarray(on_queue),
            1.0,
            staffing.schedule,
            staffing.scheduling_efficiency,
        )
        for i, channel in enumerate(base.channels)
    ]
    response = np.stack([w.wait_response for w in weeks], axis=-1)
    give_up = np.stack([w.give_up_share for w in weeks], axis=-1)
    channel_wait = channel_wait_churn(base, response, give_up)
    shares = np.asarray([c.share_of_contacts for c in base.channels])
    wait, answered = channel_wait @ shares, (1.0 - give_up) @ shares
    totals = np.empty(len(variants))
    for i, (variant, flow) in enumerate(zip(variants, flows, strict=True)):
        price = price_contact_churn(
            variant,
            wait[i : i + 1],
            answered[i : i + 1],
            rude[i],
            flow.unresolved,
            flow.contacts_per_customer,
            failed_self_service=flow.failed_self_service,
        )
        service = costs.service_cost(reps.sum(), staffing, variant.training, hours[i])
        practice = practices.practice_cost(
            variant, reps.sum(), contacts[i], price.answered_share, flow.unresolved
        )
        totals[i] = float(
            price.churn_cost[0] + float(np.asarray(service.total)) + practice.total.reshape(-1)[0]
        )
    return totals
