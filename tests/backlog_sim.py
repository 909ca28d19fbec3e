"""Seeded FIFO discrete-event simulation of an e-mail backlog over repeated weeks.

The reference the backlog model (``cxcost.backlog``) is tested against. Rules:

- Mail arrives as a Poisson process around the clock whose rate is constant
  within each of the 168 hours (``arrivals_per_hour``); each hour's count is
  Poisson and its arrival times are uniform within the hour, which is the exact
  law of such a process (the thinning construction gives the same law).
- ``agents_per_hour[h]`` representatives work in hour h. A fractional count
  works the first part of the hour: 4.4 representatives are 4 for the whole
  hour and a fifth for its first 24 minutes, so the week's capacity is exactly
  the roster's agent-hours with no extra randomness.
- Handle times are exponential with mean ``handle_time_seconds`` (as in
  ``cxcost.channels``, which hands the channel's handle time over unchanged;
  concurrency is already folded into the agent counts).
- First in first out: the oldest mail goes to the first representative who
  is free and on shift. A representative who is handling a mail when the shift
  ends finishes it (the realistic rule); nobody starts a mail off shift.
- The response time of a mail is the time from its arrival until a
  representative opens it (the model's convention, as for Erlang C waits).
- ``warmup_weeks`` weeks are discarded; mail arriving in the next
  ``measured_weeks`` weeks is measured; the simulation runs on until all of
  it has been opened.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

HOURS_PER_WEEK = 168
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_WEEK = HOURS_PER_WEEK * SECONDS_PER_HOUR


@dataclass(frozen=True)
class SimulatedBacklog:
    """Measured over the mails that arrived in the measured weeks."""

    mean_wait_seconds: float
    service_level: float
    waits_seconds: NDArray[np.float64]

    def transform(self, rate_per_second: float) -> float:
        """E[exp(-rate W)] over the measured mails [-]."""
        return float(np.mean(np.exp(-rate_per_second * self.waits_seconds)))


def _shift_windows(
    agents_per_hour: NDArray[np.float64], weeks: int
) -> list[tuple[list[float], list[float]]]:
    """Each representative's on-shift intervals over ``weeks`` weeks, merged [s]."""
    hours = np.tile(agents_per_hour, weeks)
    windows: list[tuple[list[float], list[float]]] = []
    for agent in range(int(np.ceil(hours.max()))):
        share = np.clip(hours - agent, 0.0, 1.0)
        starts: list[float] = []
        ends: list[float] = []
        for hour in np.flatnonzero(share > 0):
            start = hour * SECONDS_PER_HOUR
            end = start + share[hour] * SECONDS_PER_HOUR
            if ends and ends[-1] >= start:
                ends[-1] = end
            else:
                starts.append(start)
                ends.append(end)
        windows.append((starts, ends))
    return windows


def simulate_backlog(
    arrivals_per_hour: ArrayLike,
    agents_per_hour: ArrayLike,
    handle_time_seconds: float,
    target_seconds: float,
    seed: int = 0,
    warmup_weeks: int = 3,
    measured_weeks: int = 12,
) -> SimulatedBacklog:
    """Simulate the backlog and measure its response times.

    Parameters
    ----------
    arrivals_per_hour : (168,) mean mails arriving in each hour of the week [1/h]
    agents_per_hour : (168,) representatives working in each hour [-]
    handle_time_seconds : mean handle time, exponential [s]
    target_seconds : service-level target [s]
    seed : seed of the random generator
    warmup_weeks, measured_weeks : weeks discarded, weeks measured

    Returns
    -------
    SimulatedBacklog
    """
    rng = np.random.default_rng(seed)
    arrivals = np.asarray(arrivals_per_hour, dtype=np.float64)
    agents = np.asarray(agents_per_hour, dtype=np.float64)
    weeks = warmup_weeks + measured_weeks
    counts = rng.poisson(np.tile(arrivals, weeks))
    hour_of_mail = np.repeat(np.arange(counts.size), counts)
    times = np.sort((hour_of_mail + rng.random(hour_of_mail.size)) * SECONDS_PER_HOUR)
    handles = rng.exponential(handle_time_seconds, times.size)
    # Enough weeks after the last arrival for the backlog to drain.
    work_weeks = arrivals.sum() * handle_time_seconds / SECONDS_PER_HOUR
    drain_weeks = int(np.ceil(work_weeks / max(agents.sum() - work_weeks, 1e-9) + 2))
    windows = _shift_windows(agents, weeks + min(drain_weeks, 200))

    def next_on_shift(agent: int, moment: float) -> float:
        starts, ends = windows[agent]
        j = bisect_right(ends, moment)
        if j == len(ends):
            return np.inf
        return max(moment, starts[j])

    # Heap of (earliest moment the representative can open a mail, representative).
    free = [(next_on_shift(i, 0.0), i) for i in range(len(windows))]
    heapq.heapify(free)
    starts_at = np.empty_like(times)
    for m, (arrival, handle) in enumerate(zip(times.tolist(), handles.tolist(), strict=True)):
        while True:
            moment, agent = heapq.heappop(free)
            if moment >= arrival:
                break
            moment = next_on_shift(agent, arrival)
            if moment == arrival:
                break
            heapq.heappush(free, (moment, agent))
        starts_at[m] = moment
        heapq.heappush(free, (next_on_shift(agent, moment + handle), agent))
    measured = times >= warmup_weeks * SECONDS_PER_WEEK
    waits = starts_at[measured] - times[measured]
    return SimulatedBacklog(
        mean_wait_seconds=float(waits.mean()),
        service_level=float(np.mean(waits <= target_seconds)),
        waits_seconds=waits,
    )
