"""Scenario -> Result: what bad service costs, and what the service costs.

The computation is vectorised: ``evaluate_many`` prices k variants of one
scenario (different representatives per channel, training hours, patience or
churn-response values) in one pass, which the optimiser, the curves and the
uncertainty analysis use. ``evaluate`` is the one-scenario view with a typed
``Result``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from cxcost import churn, costs, quality
from cxcost.channels import ChannelWeek, channel_week
from cxcost.scenario import ChannelKind, Scenario

Array = NDArray[np.float64]


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChannelResult(_Output):
    """One channel's week, arrival-weighted over the open hours."""

    name: str
    kind: ChannelKind
    representatives: float = Field(description="Representatives on the channel [FTE]")
    contacts_per_year: float = Field(description="Contacts offered, repeats included [1/year]")
    agents_per_open_hour: float = Field(description="Mean representatives on the queue [-]")
    p_wait: float = Field(description="Share of contacts that wait [0-1]")
    p_abandon: float = Field(description="Share of contacts that abandon [0-1]")
    mean_wait_seconds: float = Field(
        description="Mean wait over all offered contacts (e-mail: response time) [s]; "
        "infinite when the queue never clears"
    )
    service_level: float = Field(description="Share answered within the target [0-1]")
    occupancy: float = Field(description="Busy time / time on the queue [0-1]")
    flat_mean_wait_seconds: float = Field(
        description="Mean wait if arrivals and staff were flat over the open hours [s]"
    )
    flat_service_level: float = Field(description="Service level of the flat-average week [0-1]")
    overloaded_hours_per_week: float = Field(
        description="Open hours in which load reaches capacity [h/week]"
    )
    wait_churn_per_contact: float = Field(
        description="Probability that waiting on this channel makes a customer leave [0-1]"
    )
    payroll_per_year: float = Field(description="Loaded payroll of the channel [currency/year]")


class Result(_Output):
    """Every output of the model for one scenario. Money in the scenario currency."""

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
    customer_lifetime_margin: float = Field(
        description="Discounted lifetime gross margin of one customer [currency]"
    )
    lost_lifetime_margin_per_year: float = Field(
        description="Lifetime margin of the customers lost per year [currency/year]"
    )
    replacement_acquisition_cost_per_year: float = Field(
        description="Cost to win as many new customers as were lost [currency/year]"
    )
    churn_cost_per_year: float = Field(
        description="Lost lifetime margin + replacement acquisition [currency/year]"
    )
    churn_cost_by_driver: dict[str, float] = Field(
        description="Churn cost per year by driver [currency/year]"
    )
    first_contacts_per_year: float = Field(description="New issues raised [1/year]")
    repeat_contacts_per_year: float = Field(
        description="Contacts about issues left unresolved before [1/year]"
    )
    contacts_per_year: float = Field(description="All contacts [1/year]")
    rude_share: float = Field(description="Contacts perceived as rude [0-1]")
    dismissive_share: float = Field(description="Contacts handled dismissively [0-1]")
    wait_churn_per_contact: float = Field(
        description="Mean probability that the wait makes a customer leave [0-1]"
    )
    churn_per_contact: float = Field(description="Probability one contact loses the customer")
    channels: list[ChannelResult]
    representatives: float = Field(description="All representatives [FTE]")
    staffing_cost_per_year: float = Field(description="Payroll outside training [currency/year]")
    training_cost_per_year: float = Field(
        description="Paid training time + direct training cost [currency/year]"
    )
    attrition_cost_per_year: float = Field(
        description="Recruiting and onboarding replacements [currency/year]"
    )
    service_cost_per_year: float = Field(
        description="Staffing + training + attrition [currency/year]"
    )
    total_cx_cost_per_year: float = Field(
        description="Service cost + churn cost: the number to minimise [currency/year]"
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
    wait_churn: Array
    rude_risk: Array
    dismissive_risk: Array
    churn_per_contact: Array
    service_churn_rate: Array
    customers_lost: Array
    revenue_at_risk: Array
    churn_cost: Array
    service_cost: costs.ServiceCost
    total_cost: Array


def evaluate_many(
    scenario: Scenario,
    representatives: ArrayLike | None = None,
    training_hours: ArrayLike | None = None,
    patience_factor: ArrayLike = 1.0,
    wait_churn_max: ArrayLike | None = None,
    rude_churn: ArrayLike | None = None,
    dismissive_churn: ArrayLike | None = None,
) -> Evaluation:
    """Price k variants of ``scenario`` at once.

    Parameters
    ----------
    scenario : the base scenario
    representatives : (k, channels) representatives [FTE]; default the scenario's
    training_hours : (k,) training per representative [h/year]; default the scenario's
    patience_factor : (k,) multiplier on every channel's patience [x]
    wait_churn_max, rude_churn, dismissive_churn : (k,) churn-response overrides [0-1]

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
    response = scenario.churn
    p_wait_max = np.asarray(
        response.wait_churn_max if wait_churn_max is None else wait_churn_max, dtype=np.float64
    )
    p_rude = np.asarray(response.rude_churn if rude_churn is None else rude_churn, np.float64)
    p_dismiss = np.asarray(
        response.dismissive_churn if dismissive_churn is None else dismissive_churn, np.float64
    )
    k = np.broadcast_shapes(
        reps.shape[:1],
        hours.shape,
        np.shape(patience_factor),
        p_wait_max.shape,
        p_rude.shape,
        p_dismiss.shape,
    )
    reps = np.broadcast_to(reps, (*k, n_channels))
    hours = np.broadcast_to(hours, k)

    business = scenario.business
    rude = np.asarray(quality.rude_share(scenario.quality, hours))
    dismissive = np.asarray(quality.dismissive_share(scenario.quality, hours))
    repeat = np.asarray(
        quality.repeat_contact_factor(dismissive, scenario.quality.repeat_contact_rate)
    )
    first_per_customer = scenario.demand.contacts_per_customer_per_year
    first_contacts = np.full(k, business.customers * first_per_customer)
    contacts = first_contacts * repeat
    on_queue = costs.on_queue_hours_per_week(scenario.staffing, hours)

    weeks = [
        channel_week(
            channel,
            scenario.demand.arrival_profile,
            contacts * channel.share_of_contacts,
            reps[:, i],
            on_queue,
            patience_factor,
            scenario.staffing.schedule,
        )
        for i, channel in enumerate(scenario.channels)
    ]
    channel_wait_churn = np.stack(
        [np.asarray(churn.wait_churn_per_contact(p_wait_max, w.wait_transform)) for w in weeks],
        axis=-1,
    )
    shares = np.asarray([c.share_of_contacts for c in scenario.channels])
    wait_churn = channel_wait_churn @ shares
    rude_risk = rude * p_rude
    dismissive_risk = dismissive * p_dismiss
    per_contact = np.asarray(churn.per_contact_churn(wait_churn, rude_risk, dismissive_risk))
    rate = np.asarray(churn.annual_service_churn(first_per_customer * repeat, per_contact))
    lost = business.customers * rate
    per_customer_cost = costs.customer_lifetime_margin(business) + business.acquisition_cost
    service = costs.service_cost(reps.sum(axis=-1), scenario.staffing, scenario.training, hours)
    churn_cost = lost * per_customer_cost
    return Evaluation(
        representatives=reps,
        training_hours=hours,
        rude_share=rude,
        dismissive_share=dismissive,
        first_contacts_per_year=first_contacts,
        contacts_per_year=contacts,
        weeks=weeks,
        channel_wait_churn=channel_wait_churn,
        wait_churn=wait_churn,
        rude_risk=np.broadcast_to(rude_risk, k),
        dismissive_risk=np.broadcast_to(dismissive_risk, k),
        churn_per_contact=per_contact,
        service_churn_rate=rate,
        customers_lost=lost,
        revenue_at_risk=lost * business.revenue_per_customer,
        churn_cost=churn_cost,
        service_cost=service,
        total_cost=churn_cost + np.asarray(service.total),
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
    business = scenario.business
    lost = float(e.customers_lost[0])
    split = churn.attribute_to_drivers(
        lost, float(e.wait_churn[0]), float(e.rude_risk[0]), float(e.dismissive_risk[0])
    )
    clv = costs.customer_lifetime_margin(business)
    complaining = lost * scenario.churn.complain_share
    silent = lost - complaining
    loaded = scenario.staffing.salary_per_year * scenario.staffing.loaded_cost_multiplier
    channel_results = [
        ChannelResult(
            name=channel.name,
            kind=channel.kind,
            representatives=channel.representatives,
            contacts_per_year=float(e.contacts_per_year[0] * channel.share_of_contacts),
            agents_per_open_hour=float(week.agents_per_open_hour[0]),
            p_wait=float(week.p_wait[0]),
            p_abandon=float(week.p_abandon[0]),
            mean_wait_seconds=float(week.mean_wait_seconds[0]),
            service_level=float(week.service_level[0]),
            occupancy=float(week.occupancy[0]),
            flat_mean_wait_seconds=float(week.flat_mean_wait_seconds[0]),
            flat_service_level=float(week.flat_service_level[0]),
            overloaded_hours_per_week=float(week.overloaded_hours[0]),
            wait_churn_per_contact=float(e.channel_wait_churn[0, i]),
            payroll_per_year=channel.representatives * loaded,
        )
        for i, (channel, week) in enumerate(zip(scenario.channels, e.weeks, strict=True))
    ]
    service = e.service_cost
    return Result(
        currency=business.currency,
        customers=business.customers,
        customers_lost_per_year=lost,
        customers_lost_by_driver=split.as_dict(),
        service_churn_rate=float(e.service_churn_rate[0]),
        silent_churners_per_year=silent,
        complaining_churners_per_year=complaining,
        silent_per_complaint=_ratio(silent, complaining),
        revenue_at_risk_per_year=float(e.revenue_at_risk[0]),
        revenue_at_risk_by_driver=_by_driver(split, business.revenue_per_customer),
        customer_lifetime_margin=clv,
        lost_lifetime_margin_per_year=lost * clv,
        replacement_acquisition_cost_per_year=lost * business.acquisition_cost,
        churn_cost_per_year=float(e.churn_cost[0]),
        churn_cost_by_driver=_by_driver(split, clv + business.acquisition_cost),
        first_contacts_per_year=float(e.first_contacts_per_year[0]),
        repeat_contacts_per_year=float(e.contacts_per_year[0] - e.first_contacts_per_year[0]),
        contacts_per_year=float(e.contacts_per_year[0]),
        rude_share=float(e.rude_share[0]),
        dismissive_share=float(e.dismissive_share[0]),
        wait_churn_per_contact=float(e.wait_churn[0]),
        churn_per_contact=float(e.churn_per_contact[0]),
        channels=channel_results,
        representatives=float(e.representatives[0].sum()),
        staffing_cost_per_year=float(np.asarray(service.staffing).reshape(-1)[0]),
        training_cost_per_year=float(np.asarray(service.training).reshape(-1)[0]),
        attrition_cost_per_year=float(np.asarray(service.attrition).reshape(-1)[0]),
        service_cost_per_year=float(np.asarray(service.total).reshape(-1)[0]),
        total_cx_cost_per_year=float(e.total_cost[0]),
    )
