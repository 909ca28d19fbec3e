"""Channel performance over a week: phone and chat as queues, e-mail as deferred work.

Demand is not flat. Each channel's contacts follow the scenario's hourly
arrival profile, and every open hour is evaluated as its own steady-state
queue. Representatives are scheduled in proportion to offered load, either
hour by hour ('hourly': ideal staggered shifts) or day by day ('daily': each
day gets staff in proportion to its load, spread evenly over its open hours,
so intraday peaks are understaffed as with one shift pattern a day). Weekly
metrics are the hours' metrics weighted by arrivals (occupancy by
agent-hours). The same week evaluated with flat average arrivals and staffing
is returned beside it, to show what a flat-average calculation hides.

- phone: Erlang A (or C) with ``representatives`` servers.
- chat: Erlang A (or C) with representatives x concurrency servers.
- email: deferred backlog. Mails arrive around the clock and are worked in
  first-in first-out order during opening hours only. Response time = the wait
  for the next opening (for mails that arrive while closed) + the Erlang C
  backlog delay of a team whose weekly capacity is spread over the whole week.
  Nobody abandons an e-mail; if load reaches capacity the backlog grows
  without bound (infinite response time, service level 0).

All functions are vectorised over a leading axis (candidate staffing levels,
training hours or Monte Carlo grid points).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxcost.queueing import SECONDS_PER_HOUR, answered_wait_transform, erlang_a, erlang_c
from cxcost.scenario import HOURS_PER_WEEK, WEEKS_PER_YEAR, Channel

Array = NDArray[np.float64]

_NEGLIGIBLE_AGENT_HOURS = 1e-9


@dataclass(frozen=True)
class ChannelWeek:
    """Weekly performance of one channel; every field has the shape of the inputs.

    Attributes
    ----------
    p_wait, p_abandon, service_level, occupancy : arrival-weighted shares [0-1]
    mean_wait_seconds : mean wait over all offered contacts [s] (e-mail: response time)
    wait_transform : arrival-weighted E[exp(-W / tolerance); answered] [0-1]
    flat_mean_wait_seconds, flat_service_level : the same week with flat average
        arrivals and staffing over the open hours
    agents_per_open_hour : mean representatives on the queue in an open hour [-]
    overloaded_hours : open hours per week where load reaches capacity (Erlang C
        saturation, or an e-mail backlog that never clears) [h/week]
    """

    p_wait: Array
    p_abandon: Array
    mean_wait_seconds: Array
    service_level: Array
    occupancy: Array
    wait_transform: Array
    flat_mean_wait_seconds: Array
    flat_service_level: Array
    agents_per_open_hour: Array
    overloaded_hours: Array


def _weighted(values: Array, weights: Array) -> Array:
    """Weighted mean over the last axis; an infinite value with weight > 0 stays infinite."""
    with np.errstate(invalid="ignore"):
        products = np.where(weights > 0, values * weights, 0.0)
    return products.sum(axis=-1) / weights.sum(axis=-1)


def channel_week(
    channel: Channel,
    arrival_profile: list[float],
    contacts_per_year: ArrayLike,
    representatives: ArrayLike,
    on_queue_hours_per_rep_week: ArrayLike,
    patience_factor: ArrayLike = 1.0,
    schedule: str = "hourly",
) -> ChannelWeek:
    """Evaluate one channel over the week for each entry of the (broadcast) inputs.

    Parameters
    ----------
    channel : the channel's handle time, target, patience, concurrency, model
    arrival_profile : 168 relative hourly weights, Monday 00:00 first [-]
    contacts_per_year : contacts offered to this channel, repeats included [1/year]
    representatives : representatives on this channel [FTE]
    on_queue_hours_per_rep_week : hours one representative is on the queue [h/week]
    patience_factor : multiplier on the channel's patience (uncertainty analysis) [x]
    schedule : 'hourly' or 'daily' roster (see the module docstring)

    Returns
    -------
    ChannelWeek
    """
    contacts, reps, hours, factor = np.broadcast_arrays(
        *[
            np.atleast_1d(np.asarray(v, dtype=np.float64))
            for v in (
                contacts_per_year,
                representatives,
                on_queue_hours_per_rep_week,
                patience_factor,
            )
        ]
    )
    weights = np.asarray(arrival_profile, dtype=np.float64)
    open_hours = weights > 0
    shape = weights[open_hours] / weights[open_hours].sum()
    per_week = contacts / WEEKS_PER_YEAR
    # Staff far below one agent-minute a week is no staff; subnormal values would
    # otherwise turn into NaN inside the queueing formulas.
    agent_hours = np.where(reps * hours < _NEGLIGIBLE_AGENT_HOURS, 0.0, reps * hours)
    agent_hours = agent_hours * channel.concurrency
    if channel.kind == "email":
        return _email_week(channel, open_hours, per_week, agent_hours)
    staff = _staff_shape(weights, schedule)[open_hours]
    # Weekdays repeat the same hours: evaluate each distinct (arrivals, staff)
    # hour once and weight it by how often it occurs in the week.
    hours_kind, count = np.unique(np.stack([shape, staff], axis=1), axis=0, return_counts=True)
    return _queue_week(
        channel,
        hours_kind[:, 0],
        hours_kind[:, 1],
        count.astype(np.float64),
        per_week,
        agent_hours,
        factor,
        open_count=int(open_hours.sum()),
    )


def _staff_shape(weights: Array, schedule: str) -> Array:
    """Share of the week's agent-hours put in each hour of the week."""
    if schedule == "hourly":
        return weights / weights.sum()
    if schedule != "daily":
        raise ValueError(f"schedule must be 'hourly' or 'daily', not {schedule!r}")
    days = weights.reshape(7, 24)
    open_per_day = (days > 0).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_hour = np.where(days > 0, days.sum(axis=1, keepdims=True) / open_per_day, 0.0)
    return (per_hour / weights.sum()).reshape(-1)


def _metrics(
    channel: Channel, arrivals: Array, agents: Array, patience: Array
) -> tuple[dict[str, Array], Array]:
    """Queue metrics and the answered-wait transform for arrays of hours."""
    kappa = 1.0 / (channel.wait_tolerance_minutes * 60.0)
    if channel.queue_model == "erlang_c":
        m = erlang_c(arrivals, channel.handle_time_seconds, agents, channel.answer_within_seconds)
        transform = answered_wait_transform(
            arrivals, channel.handle_time_seconds, agents, None, kappa
        )
    else:
        m = erlang_a(
            arrivals, channel.handle_time_seconds, agents, patience, channel.answer_within_seconds
        )
        transform = answered_wait_transform(
            arrivals, channel.handle_time_seconds, agents, patience, kappa
        )
    fields = ("p_wait", "p_abandon", "mean_wait_seconds", "service_level", "occupancy")
    return {f: np.asarray(getattr(m, f)) for f in fields}, np.asarray(transform)


def _queue_week(
    channel: Channel,
    shape: Array,
    staff: Array,
    count: Array,
    per_week: Array,
    agent_hours: Array,
    factor: Array,
    open_count: int,
) -> ChannelWeek:
    """Queue metrics of distinct open hours (``count`` of each per week), aggregated."""
    arrivals = per_week[:, None] * shape[None, :]
    agents = agent_hours[:, None] * staff[None, :]
    patience = channel.patience_seconds * factor[:, None]
    hourly, transform = _metrics(channel, arrivals, agents, patience)
    overloaded = (arrivals * channel.handle_time_seconds / SECONDS_PER_HOUR >= agents) & (
        arrivals > 0
    )
    flat, _ = _metrics(
        channel, per_week[:, None] / open_count, agent_hours[:, None] / open_count, patience[:, :1]
    )
    agent_hours_by_kind = agents * count
    busy_hours = hourly["occupancy"] * agent_hours_by_kind
    total_agent_hours = agent_hours_by_kind.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        occupancy = np.where(total_agent_hours > 0, busy_hours.sum(-1) / total_agent_hours, 0.0)
    any_arrivals = per_week > 0
    weights = np.where(any_arrivals[:, None], arrivals, shape[None, :]) * count
    return ChannelWeek(
        p_wait=_weighted(hourly["p_wait"], weights),
        p_abandon=_weighted(hourly["p_abandon"], weights),
        mean_wait_seconds=_weighted(hourly["mean_wait_seconds"], weights),
        service_level=_weighted(hourly["service_level"], weights),
        occupancy=np.where(any_arrivals, occupancy, 0.0),
        wait_transform=_weighted(transform, weights),
        flat_mean_wait_seconds=flat["mean_wait_seconds"][:, 0],
        flat_service_level=flat["service_level"][:, 0],
        agents_per_open_hour=agent_hours / channel.concurrency / open_count,
        overloaded_hours=(overloaded * count).sum(-1),
    )


def _closure_delays_hours(open_hours: NDArray[np.bool_]) -> Array:
    """For mail arriving in each hour of the week, the wait until the team is in [h].

    Mail that arrives during an open hour waits 0 here; mail that arrives while
    closed waits until the start of the next open hour (arrival mid-hour).
    """
    delays = np.zeros(HOURS_PER_WEEK)
    for hour in range(HOURS_PER_WEEK):
        if open_hours[hour]:
            continue
        ahead = 1
        while not open_hours[(hour + ahead) % HOURS_PER_WEEK]:
            ahead += 1
        delays[hour] = ahead - 0.5
    return delays


def _email_week(
    channel: Channel, open_hours: NDArray[np.bool_], per_week: Array, agent_hours: Array
) -> ChannelWeek:
    delays = _closure_delays_hours(open_hours) * SECONDS_PER_HOUR
    arrivals = per_week / HOURS_PER_WEEK
    agents = agent_hours / HOURS_PER_WEEK
    backlog = erlang_c(arrivals, channel.handle_time_seconds, agents)
    p_wait = np.asarray(backlog.p_wait)
    queue_wait = np.asarray(backlog.mean_wait_seconds)
    drain = agents / channel.handle_time_seconds - arrivals / SECONDS_PER_HOUR
    stable = (drain > 0) | (arrivals == 0)
    target = channel.answer_within_seconds
    slack = target - delays[None, :]
    with np.errstate(over="ignore", invalid="ignore"):
        within = np.where(
            slack >= 0, 1.0 - p_wait[:, None] * np.exp(-np.maximum(drain, 0)[:, None] * slack), 0.0
        )
        kappa = 1.0 / (channel.wait_tolerance_minutes * 60.0)
        queue_transform = np.where(
            drain > 0, (1.0 - p_wait) + p_wait * drain / (drain + kappa), 1.0
        )
    service_level = np.where(stable, within.mean(-1), 0.0)
    transform = np.where(stable, np.exp(-kappa * delays).mean() * queue_transform, 0.0)
    mean_wait = np.where(stable, delays.mean() + queue_wait, np.inf)
    open_count = int(open_hours.sum())
    occupancy = np.where(
        agents > 0,
        np.minimum(
            arrivals
            * channel.handle_time_seconds
            / SECONDS_PER_HOUR
            / np.where(agents > 0, agents, 1.0),
            1.0,
        ),
        0.0,
    )
    return ChannelWeek(
        p_wait=np.where(arrivals > 0, p_wait, 0.0),
        p_abandon=np.zeros_like(arrivals),
        mean_wait_seconds=mean_wait,
        service_level=service_level,
        occupancy=occupancy,
        wait_transform=transform,
        flat_mean_wait_seconds=np.where(stable, queue_wait, np.inf),
        flat_service_level=np.where(
            stable, 1.0 - p_wait * np.exp(-np.maximum(drain, 0) * target), 0.0
        ),
        agents_per_open_hour=agent_hours / channel.concurrency / max(open_count, 1),
        overloaded_hours=np.where(stable, 0.0, float(open_count)),
    )
