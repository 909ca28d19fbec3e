"""Channel performance over a week: phone and chat as queues, e-mail as a backlog.

Demand is not flat. Each channel's contacts follow the scenario's hourly
arrival profile, and every open hour is evaluated as its own steady-state
queue. Representatives are rostered in proportion to offered load, either
hour by hour ('hourly', the default: staggered shifts as a planner rosters,
of which ``scheduling_efficiency`` lands where the load needs it) or day by
day ('daily': each day gets staff in proportion to its load, spread evenly
over its open hours, so intraday peaks are understaffed as with one shift
pattern a day). Weekly metrics are the hours' metrics weighted by arrivals
(occupancy by agent-hours). The same week evaluated with flat average
arrivals and staffing is returned beside it, to show what a flat-average
calculation hides.

- phone: Erlang A (or C) with ``representatives`` servers; a share
  ``redial_share`` of abandoning callers redial (Erlang X style retrials,
  ``cxcost.queueing.erlang_a_redials``), only the rest give up for good.
- chat: the same with representatives x concurrency servers.
- in_person: served on the spot (shop, field technician): no queue, no wait,
  nobody abandons; occupancy is the week's work over the staff's hours, capped at 1.
- email: a first-in first-out backlog worked only in staffed hours and carried
  over nights and weekends (``cxcost.backlog``). Mail arrives around the clock.
  Nobody abandons an e-mail; if the week's work reaches the week's capacity the
  backlog grows without bound (infinite response time, service level 0).

The wait response of a channel is E[g(W); answered] per contact, g the
S-shaped curve of ``cxcost.queueing.wait_response`` with the channel's
midpoint ``wait_tolerance_minutes`` and shape.

All functions are vectorised over a leading axis (candidate staffing levels,
training hours or Monte Carlo grid points).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from math import comb
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxcost.backlog import backlog_week
from cxcost.queueing import (
    SECONDS_PER_HOUR,
    QueueMetrics,
    RedialQueue,
    erlang_a_redials,
    erlang_c,
    expected_wait_response,
)
from cxcost.scenario import HOURS_PER_WEEK, WEEKS_PER_YEAR, Channel

Array = NDArray[np.float64]

_NEGLIGIBLE_AGENT_HOURS = 1e-9


@dataclass(frozen=True)
class ChannelWeek:
    """Weekly performance of one channel; every field has the shape of the inputs.

    Attributes
    ----------
    p_wait, p_abandon, service_level : shares of all attempts, redials included,
        weighted by attempts [0-1] (every e-mail waits in the inbox: p_wait 1)
    occupancy : busy agent-hours / agent-hours on the queue [0-1]
    mean_wait_seconds : mean wait over all attempts [s] (e-mail: response time)
    give_up_share : contacts that abandon and never redial [0-1]
    attempts_per_contact : attempts offered per contact, redials included [-]
    wait_response : E[g(W); answered] per contact, g the S-shaped wait response [0-1]
    flat_mean_wait_seconds, flat_service_level : the same week with flat average
        arrivals and staffing over the open hours; worked out when first read
        (``flat_week``), as the planners' grids never read them
    agents_per_open_hour : mean representatives on the queue in an open hour [-]
    overloaded_hours : open hours per week where load reaches capacity (Erlang C
        saturation, or an e-mail backlog that never clears) [h/week]
    peak_occupancy : highest occupancy of any open hour [0-1]
    """

    p_wait: Array
    p_abandon: Array
    mean_wait_seconds: Array
    service_level: Array
    occupancy: Array
    give_up_share: Array
    attempts_per_contact: Array
    wait_response: Array
    agents_per_open_hour: Array
    overloaded_hours: Array
    peak_occupancy: Array
    flat_week: Callable[[], tuple[Array, Array]] = field(repr=False, compare=False)
    """The flat-average week's (mean wait, service level), computed on each call."""

    @cached_property
    def _flat(self) -> tuple[Array, Array]:
        return self.flat_week()

    @property
    def flat_mean_wait_seconds(self) -> Array:
        return self._flat[0]

    @property
    def flat_service_level(self) -> Array:
        return self._flat[1]


WEEK_ARRAYS: Final = (
    *(name for name in ChannelWeek.__dataclass_fields__ if name != "flat_week"),
    "flat_mean_wait_seconds",
    "flat_service_level",
)
"""The arrays of a ``ChannelWeek``, by attribute name, the flat-average week's included."""


def _weighted(values: Array, weights: Array) -> Array:
    """Weighted mean over the last axis; an infinite value with weight > 0 stays infinite."""
    with np.errstate(invalid="ignore"):
        products = np.where(weights > 0, values * weights, 0.0)
    return np.asarray(products.sum(axis=-1) / weights.sum(axis=-1))


def channel_week(
    channel: Channel,
    arrival_profile: Sequence[float],
    contacts_per_year: ArrayLike,
    representatives: ArrayLike,
    on_queue_hours_per_rep_week: ArrayLike,
    patience_factor: ArrayLike = 1.0,
    schedule: str = "hourly",
    scheduling_efficiency: float = 1.0,
    tolerance_factor: ArrayLike = 1.0,
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
    scheduling_efficiency : share of an hourly roster's queue time that lands
        where the load needs it [0-1]
    tolerance_factor : multiplier on the wait response's midpoint (uncertainty) [x]

    Returns
    -------
    ChannelWeek
    """
    numbers = (
        contacts_per_year,
        representatives,
        on_queue_hours_per_rep_week,
        patience_factor,
        tolerance_factor,
    )
    single = _single_values(numbers)
    if single is None:
        return _channel_week(channel, arrival_profile, *numbers, schedule, scheduling_efficiency)
    # One week, not a grid: the same channel with the same inputs (another channel's
    # slider moved, the baseline, a tab's rerun) is answered from the cache.
    # As bytes (1.3 KiB), not 168 float objects (5 KiB) of a scenario parsed anew each run.
    profile = np.asarray(arrival_profile, dtype=np.float64).tobytes()
    keyed = _KeyedChannel(channel.model_dump_json(), channel)
    return _cached_week(keyed, profile, *single, schedule, scheduling_efficiency)


WEEK_CACHE_ENTRIES: Final = 1024
"""Single weeks kept by ``channel_week`` (about 5 KiB each with their keys, 5 MiB in
all; a slider walked across 100 positions on three channels fills 300) [-]."""


@dataclass(frozen=True)
class _KeyedChannel:
    """A channel compared and hashed by its content, ``key`` (``Channel`` itself is mutable)."""

    key: str
    channel: Channel = field(compare=False)


def clear_week_cache() -> None:
    """Forget the weeks ``channel_week`` keeps (a test that watches the model's inner calls)."""
    _cached_week.cache_clear()


def _single_values(values: Sequence[ArrayLike]) -> tuple[float, ...] | None:
    """Each value as a float if every one is a single number (a scalar or one entry)."""
    singles: list[float] = []
    for value in values:
        array = np.asarray(value, dtype=np.float64)
        if array.size != 1 or array.ndim > 1:
            return None
        singles.append(float(array.reshape(-1)[0]))
    return tuple(singles)


@lru_cache(maxsize=WEEK_CACHE_ENTRIES)
def _cached_week(
    keyed: _KeyedChannel,
    arrival_profile: bytes,
    contacts_per_year: float,
    representatives: float,
    on_queue_hours_per_rep_week: float,
    patience_factor: float,
    tolerance_factor: float,
    schedule: str,
    scheduling_efficiency: float,
) -> ChannelWeek:
    """``_channel_week`` of single values; its arrays are read-only, as callers share them."""
    week = _channel_week(
        keyed.channel,
        np.frombuffer(arrival_profile, dtype=np.float64),  # the key holds bytes, not floats
        contacts_per_year,
        representatives,
        on_queue_hours_per_rep_week,
        patience_factor,
        tolerance_factor,
        schedule,
        scheduling_efficiency,
    )
    for name in WEEK_ARRAYS:  # the flat-average week too: its arrays are shared as well
        getattr(week, name).setflags(write=False)
    return week


def _channel_week(
    channel: Channel,
    arrival_profile: ArrayLike,
    contacts_per_year: ArrayLike,
    representatives: ArrayLike,
    on_queue_hours_per_rep_week: ArrayLike,
    patience_factor: ArrayLike,
    tolerance_factor: ArrayLike,
    schedule: str,
    scheduling_efficiency: float,
) -> ChannelWeek:
    contacts, reps, hours, factor, tolerance = np.broadcast_arrays(
        *[
            np.atleast_1d(np.asarray(v, dtype=np.float64))
            for v in (
                contacts_per_year,
                representatives,
                on_queue_hours_per_rep_week,
                patience_factor,
                tolerance_factor,
            )
        ]
    )
    weights = np.asarray(arrival_profile, dtype=np.float64)
    open_hours = weights > 0
    per_week = contacts / WEEKS_PER_YEAR
    # Staff far below one agent-minute a week is no staff.
    agent_hours = np.where(reps * hours < _NEGLIGIBLE_AGENT_HOURS, 0.0, reps * hours)
    if schedule == "hourly":
        agent_hours = agent_hours * scheduling_efficiency
    agent_hours = agent_hours * channel.concurrency
    midpoint = channel.wait_tolerance_minutes * 60.0 * tolerance
    staff = staff_shape(weights, schedule)
    if channel.kind == "email":
        return _email_week(channel, open_hours, staff, per_week, agent_hours, midpoint)
    if channel.kind == "in_person":
        return _in_person_week(channel, open_hours, per_week, agent_hours)
    shape = weights[open_hours] / weights[open_hours].sum()
    # Weekdays repeat the same hours: evaluate each distinct (arrivals, staff)
    # hour once and weight it by how often it occurs in the week.
    hours_kind, count = np.unique(
        np.stack([shape, staff[open_hours]], axis=1), axis=0, return_counts=True
    )
    return _queue_week(
        channel,
        hours_kind[:, 0],
        hours_kind[:, 1],
        count.astype(np.float64),
        per_week,
        agent_hours,
        factor,
        midpoint,
        open_count=int(open_hours.sum()),
    )


def staff_shape(weights: Array, schedule: str) -> Array:
    """Share of the week's agent-hours put in each hour of the week."""
    if schedule == "hourly":
        return np.asarray(weights / weights.sum())
    if schedule != "daily":
        raise ValueError(f"schedule must be 'hourly' or 'daily', not {schedule!r}")
    days = weights.reshape(7, 24)
    open_per_day = (days > 0).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_hour = np.where(days > 0, days.sum(axis=1, keepdims=True) / open_per_day, 0.0)
    return np.asarray((per_hour / weights.sum()).reshape(-1))


def _queue(
    channel: Channel, arrivals: Array, agents: Array, patience: Array
) -> tuple[QueueMetrics, RedialQueue | None]:
    """The channel's queue model at arrays of hours; the redials where it has them."""
    handle = channel.handle_time_seconds
    target = channel.answer_within_seconds
    if channel.queue_model == "erlang_c":
        return erlang_c(arrivals, handle, agents, target), None
    redials = erlang_a_redials(arrivals, handle, agents, patience, channel.redial_share, target)
    return redials.metrics, redials


def _metrics(
    channel: Channel, arrivals: Array, agents: Array, patience: Array, midpoint: Array
) -> dict[str, Array]:
    """Queue metrics of arrays of hours: per attempt, and per contact where named so."""
    shape = channel.wait_response_shape
    handle = channel.handle_time_seconds
    m, redials = _queue(channel, arrivals, agents, patience)
    if redials is None:
        response = expected_wait_response(arrivals, handle, agents, None, midpoint, shape)
        attempts = np.ones_like(np.asarray(m.p_wait))
        give_up = np.zeros_like(attempts)
        effective = arrivals
    else:
        effective = np.asarray(redials.effective_arrivals_per_hour)
        attempts = np.asarray(redials.attempts_per_contact)
        give_up = np.asarray(redials.give_up_share)
        response = (
            np.asarray(expected_wait_response(effective, handle, agents, patience, midpoint, shape))
            * attempts
        )
    fields = ("p_wait", "p_abandon", "mean_wait_seconds", "service_level", "occupancy")
    out = {f: np.asarray(getattr(m, f)) for f in fields}
    out.update(
        wait_response=np.asarray(response),
        attempts_per_contact=attempts,
        give_up_share=give_up,
        effective_arrivals=np.broadcast_to(effective, attempts.shape),
    )
    return out


def hour_metrics(
    channel: Channel, arrivals_per_hour: ArrayLike, servers: ArrayLike
) -> dict[str, Array]:
    """Steady-state metrics of open hours of a phone or chat channel, redials included.

    ``servers`` are agents on the queue (chat: representatives x concurrency).
    Keys: p_wait, p_abandon, mean_wait_seconds, service_level, occupancy (per
    attempt), wait_response, attempts_per_contact, give_up_share (per contact),
    effective_arrivals [1/h].
    """
    if channel.kind == "email":
        raise ValueError("hour_metrics is for phone and chat; e-mail is a backlog")
    arrivals, agents = np.broadcast_arrays(
        np.asarray(arrivals_per_hour, dtype=np.float64), np.asarray(servers, dtype=np.float64)
    )
    patience = np.full(arrivals.shape, channel.patience_seconds)
    midpoint = np.full(arrivals.shape, channel.wait_tolerance_minutes * 60.0)
    return _metrics(channel, arrivals, agents, patience, midpoint)


def _queue_week(
    channel: Channel,
    shape: Array,
    staff: Array,
    count: Array,
    per_week: Array,
    agent_hours: Array,
    factor: Array,
    midpoint: Array,
    open_count: int,
) -> ChannelWeek:
    """Queue metrics of distinct open hours (``count`` of each per week), aggregated."""
    arrivals = per_week[:, None] * shape[None, :]
    agents = agent_hours[:, None] * staff[None, :]
    patience = channel.patience_seconds * factor[:, None]
    hourly = _metrics(channel, arrivals, agents, patience, midpoint[:, None])
    overloaded = (
        hourly["effective_arrivals"] * channel.handle_time_seconds / SECONDS_PER_HOUR >= agents
    ) & (arrivals > 0)
    as_now = channel.model_copy()  # the flat week is worked out later: not a changed channel

    def flat_week() -> tuple[Array, Array]:
        flat, _ = _queue(
            as_now,
            per_week[:, None] / open_count,
            agent_hours[:, None] / open_count,
            patience[:, :1],
        )
        return np.asarray(flat.mean_wait_seconds)[:, 0], np.asarray(flat.service_level)[:, 0]

    agent_hours_by_kind = agents * count
    busy_hours = hourly["occupancy"] * agent_hours_by_kind
    total_agent_hours = agent_hours_by_kind.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        occupancy = np.where(total_agent_hours > 0, busy_hours.sum(-1) / total_agent_hours, 0.0)
    any_arrivals = per_week > 0
    contacts = np.where(any_arrivals[:, None], arrivals, shape[None, :]) * count
    attempts = contacts * hourly["attempts_per_contact"]
    return ChannelWeek(
        p_wait=_weighted(hourly["p_wait"], attempts),
        p_abandon=_weighted(hourly["p_abandon"], attempts),
        mean_wait_seconds=_weighted(hourly["mean_wait_seconds"], attempts),
        service_level=_weighted(hourly["service_level"], attempts),
        occupancy=np.where(any_arrivals, occupancy, 0.0),
        give_up_share=_weighted(hourly["give_up_share"], contacts),
        attempts_per_contact=_weighted(hourly["attempts_per_contact"], contacts),
        wait_response=_weighted(hourly["wait_response"], contacts),
        agents_per_open_hour=agent_hours / channel.concurrency / open_count,
        overloaded_hours=(overloaded * count).sum(-1),
        peak_occupancy=np.where(any_arrivals, hourly["occupancy"].max(-1), 0.0),
        flat_week=flat_week,
    )


def _email_week(
    channel: Channel,
    open_hours: NDArray[np.bool_],
    staff: Array,
    per_week: Array,
    agent_hours: Array,
    midpoint: Array,
) -> ChannelWeek:
    """E-mail as a FIFO backlog over the week (``cxcost.backlog``), mail around the clock."""
    shape = channel.wait_response_shape
    arrivals = np.repeat(per_week[:, None] / HOURS_PER_WEEK, HOURS_PER_WEEK, axis=1)
    agents = agent_hours[:, None] * staff[None, :]
    tau = midpoint / -np.log1p(-(2.0 ** (-1.0 / shape)))
    # Rates j / tau for the binomial expansion of (1 - e^{-W/tau})^shape; one
    # backlog pass per distinct tolerance (a single one except in uncertainty grids).
    response = np.empty_like(per_week)
    mean_wait = np.empty_like(per_week)
    service_level = np.empty_like(per_week)
    occupancy = np.empty_like(per_week)
    stable = np.empty(per_week.shape, dtype=bool)
    for value in np.unique(tau):
        rows = tau == value
        week = backlog_week(
            arrivals[rows],
            agents[rows],
            channel.handle_time_seconds,
            channel.answer_within_seconds,
            [j / value for j in range(1, shape + 1)],
        )
        coefficients = np.array([comb(shape, j) * (-1.0) ** j for j in range(1, shape + 1)])
        response[rows] = 1.0 + np.asarray(week.transform) @ coefficients
        mean_wait[rows] = week.mean_wait_seconds
        service_level[rows] = week.service_level
        occupancy[rows] = week.occupancy
        stable[rows] = week.stable
    open_count = int(open_hours.sum())
    zeros = np.zeros_like(per_week)

    # The flat-average view spreads the week's capacity over all 168 hours as one
    # queue: what a calculation that ignores the overnight backlog would say.
    handle, target = channel.handle_time_seconds, channel.answer_within_seconds

    def flat_week() -> tuple[Array, Array]:
        flat = erlang_c(per_week / HOURS_PER_WEEK, handle, agent_hours / HOURS_PER_WEEK, target)
        return np.asarray(flat.mean_wait_seconds), np.asarray(flat.service_level)

    return ChannelWeek(
        p_wait=np.where(per_week > 0, 1.0, 0.0),
        p_abandon=zeros,
        mean_wait_seconds=mean_wait,
        service_level=service_level,
        occupancy=occupancy,
        give_up_share=zeros,
        attempts_per_contact=np.ones_like(per_week),
        wait_response=np.clip(response, 0.0, 1.0),
        agents_per_open_hour=agent_hours / channel.concurrency / max(open_count, 1),
        overloaded_hours=np.where(stable, 0.0, float(open_count)),
        peak_occupancy=occupancy,
        flat_week=flat_week,
    )


def _in_person_week(
    channel: Channel, open_hours: NDArray[np.bool_], per_week: Array, agent_hours: Array
) -> ChannelWeek:
    """In-person service: no queue, so no wait and no abandonment; only the staff's load."""
    work = per_week * channel.handle_time_seconds / SECONDS_PER_HOUR
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(agent_hours > 0, work / agent_hours, np.where(work > 0, np.inf, 0.0))
    occupancy = np.minimum(load, 1.0)
    zeros = np.zeros_like(per_week)
    open_count = int(open_hours.sum())
    return ChannelWeek(
        p_wait=zeros,
        p_abandon=zeros,
        mean_wait_seconds=zeros,
        service_level=np.where(per_week > 0, 1.0, 0.0),
        occupancy=occupancy,
        give_up_share=zeros,
        attempts_per_contact=np.ones_like(per_week),
        wait_response=zeros,
        agents_per_open_hour=agent_hours / channel.concurrency / max(open_count, 1),
        overloaded_hours=np.where(load >= 1.0, float(open_count), 0.0),
        peak_occupancy=occupancy,
        flat_week=lambda: (zeros, np.where(per_week > 0, 1.0, 0.0)),  # no queue: as it is
    )
