"""E-mail as a first-in first-out backlog worked only in staffed hours.

Mail arrives around the clock; representatives open it oldest first, only in
the hours they are rostered, and what is left at the end of a day or a week is
carried over. This module gives the backlog's periodic steady state over the
168 hours of a week and, from it, each mail's response time (arrival until a
representative opens it): its mean, the share within a target and its Laplace
transform E[exp(-κ W)] for the wait response of ``cxcost.channels``.

Method: a deterministic fluid model on cumulative curves, chosen over an
exact Markov chain because the week's inhomogeneous, periodic chain has no
closed form and a transient solve over thousands of backlog states per hour
is far too slow for the optimiser (k candidates per call, milliseconds each).
Response times of hours are set by the week's shape (the overnight and weekend
backlog and how fast the day shifts drain it), which the fluid model captures
exactly; the randomness of arrivals and handle times only matters where the
backlog runs empty, and there the stochastic floor below takes over.

1. The week is cut into ``_STEPS_PER_HOUR`` steps with constant arrival and
   capacity rates, so the cumulative arrivals A(t) and capacity C(t) are
   piecewise linear. Capacity is measured in mails opened: ``agents x step /
   handle time``, plus one mail at the start of every representative's shift
   (Eq 1): a representative who finishes the mail in hand after the shift ends
   opened it before, so a shift of length L opens 1 + L / handle mails on
   average, not L / handle.
2. The backlog is the reflection of X = A - C (Eq 2). When the week's capacity
   exceeds its work, X falls by a positive amount each week, so the infimum
   over the whole past is reached within the last week: two weeks of X give
   the periodic steady state exactly.
3. First in first out, a mail that arrives at t with backlog Q(t) ahead of it
   is opened when the capacity after t has covered Q(t): at
   C^-1(C(t) + Q(t)) (Newell's construction on cumulative curves, Eq 3).
   C^-1 is the right-continuous inverse, so a mail arriving to an empty
   backlog while nobody is rostered waits for the next shift.
4. Stochastic floor: every mail waits at least as in the hour's own queue,
   E[max(w, W)] for the fluid wait w and W = 0 or, with probability p, an
   exponential wait (Eq 4). Below saturation p and the rate are the stationary
   Erlang C ones of that hour's arrivals and representatives
   (``cxcost.queueing.erlang_c``), the rate held above 1/R; at and above
   saturation, and in unstaffed hours, p = 1 and the rate is 1/R, with R the
   mean wait of a critically loaded queue over a working day started empty
   (Eq 5, heavy-traffic reflected Brownian motion). p falls and the rate rises
   with the representatives and both are continuous at saturation.
5. Monotone in staff: more representatives in any hour never lengthen the mean
   response nor lower the service level (the fluid wait falls with the
   cumulative capacity, and the floor term falls with its rate and p); the
   suite checks this on random weeks with whole and fractional extras and on
   every preset's staffing curve. The floor counts only the hour's own staff
   (a larger previous hour would trim Eq 1's shift starts).

Weekly figures are means over mail (weighted by arrivals) by the midpoint rule
on the steps.

Representatives per hour may be fractional, read as a roster: 4.4 in an hour
means 4 for the whole hour and a fifth for its first 24 minutes. This is the
roster the reference simulation in ``tests/backlog_sim.py`` works.

Validated against that simulation (seeded FIFO discrete-event, exponential
handle times; ``python benchmarks/validate_backlog.py``): on every preset the
mean response is within 2.2 % and the share within the target within 0.01; on
the first 75 generated weeks (random opening hours, weekend opening, arrival
shapes, handle times of 2 to 30 minutes, targets of 4 to 48 hours), the 58
inside the range below have the mean within 5 % in 56 (90th percentile 1.9 %,
worst 6.1 % optimistic, at 377 mails a week) and the share within the target
within 0.02:

- at least 3 representatives and a capacity of 10 mails per open hour;
- the week's spare capacity (roster capacity minus mail) at least 4.4 standard
  deviations of the week's work, sqrt(2 x mails a week) [mails]: occupancy up
  to about 0.90 at 3,000 mails a week, 0.93 at 6,600.

Outside it the fluid model is optimistic, by up to 12.4 % in the mean: with few
mails an hour, or close to the week's capacity, the randomness of a day's work
delays the moment the backlog clears, which a deterministic backlog misses.

References
----------
.. [1] G. F. Newell, "Applications of queueing theory", 2nd ed., Chapman and
   Hall, 1982, ch. 2-3 (fluid approximation on cumulative curves).
.. [2] W. Whitt, "Stochastic-process limits", Springer, 2002, sec. 5.2
   (the reflection map Q = X - inf X).
.. [3] A. K. Erlang, "Solution of some problems in the theory of probabilities
   of significance in automatic telephone exchanges", 1917 (Erlang C).
.. [4] J. M. Harrison, "Brownian motion and stochastic flow systems", Wiley,
   1985, ch. 1 (E|B(t)| = sqrt(2t/π) for the reflected driftless motion);
   S. Halfin and W. Whitt, "Heavy-traffic limits for queues with many
   exponential servers", Operations Research 29, 1981 (variance 2nμ at
   critical load).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxcost.queueing import SECONDS_PER_HOUR, erlang_c

Array = NDArray[np.float64]

HOURS_PER_WEEK = 168
SECONDS_PER_WEEK = HOURS_PER_WEEK * SECONDS_PER_HOUR

# Ten-minute steps: on the presets the weekly figures are then within 0.3 % of
# those with 60 steps per hour, far below the model's own error.
_STEPS_PER_HOUR = 6
# Far below one mail a year is no mail (and spread over the steps it underflows).
_NEGLIGIBLE_MAILS = 1e-9
# A representative for a few microseconds of an hour is none (nor starts a shift).
_NEGLIGIBLE_AGENTS = 1e-9
_ROUND_OFF_SECONDS = 1e-6
# How long a critically loaded spell lasts for Eq 5: a working day [s].
_CRITICAL_SPELL_SECONDS = 9 * SECONDS_PER_HOUR


@dataclass(frozen=True)
class BacklogWeek:
    """Steady-state response of a backlog; every field has shape (k,) or (k, rates).

    Attributes
    ----------
    mean_wait_seconds : mean response time over all mail, arrival until a
        representative opens it [s]; infinite when unstable
    service_level : share of mail opened within the target [0-1]; 0 when unstable
    transform : (k, len(rates)) E[exp(-rate x response)] over all mail [0-1];
        0 when unstable
    occupancy : the week's work / the week's rostered capacity [0-1]
    stable : True when the week's work is below its rostered capacity (or there
        is no mail)
    peak_backlog : largest backlog of the week [mails]; infinite when unstable
    """

    mean_wait_seconds: Array
    service_level: Array
    transform: Array
    occupancy: Array
    stable: NDArray[np.bool_]
    peak_backlog: Array


def _as_weeks(name: str, values: ArrayLike) -> Array:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim not in (1, 2) or array.shape[-1] != HOURS_PER_WEEK:
        raise ValueError(
            f"{name} must hold one value per hour of the week: shape (168,) or (k, 168), "
            f"not {array.shape}"
        )
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite numbers >= 0 in every hour")
    return np.atleast_2d(array)


def _shift_starts(agents: Array, handle_time_seconds: float) -> Array:
    """Expected extra mails opened at the start of each hour [mails] (Eq 1).

    With ``n`` rostered in an hour read as floor(n) for the whole hour and one
    for its first fraction, representatives ceil(n_h) - floor(n_{h-1}) start a
    shift at hour h. A representative who opens a mail at the start of a shift
    is free then, unless the mail in hand from the previous shift runs on:
    exponential handle times leave it busy after a gap g with probability
    exp(-g / handle). Only the fractional representative of the previous hour
    comes back after a gap shorter than an hour; the others are taken as free.
    """
    previous = np.roll(agents, 1, axis=-1)
    whole = np.floor(previous)
    fraction = previous - whole
    starting = np.maximum(np.ceil(agents) - whole, 0.0)
    returning = (fraction > 0) & (starting > 0)
    still_busy = np.exp(-(1.0 - fraction) * SECONDS_PER_HOUR / handle_time_seconds)
    return np.asarray(starting - np.where(returning, still_busy, 0.0))


def _critical_wait_seconds(agents: Array, handle: float) -> Array:
    """Mean wait in a critically loaded queue over a working day, started empty [s] (Eq 5).

    With λ = nμ the queue length is a reflected Brownian motion of variance
    2nμ per second (heavy traffic, [4]): E[Q(t)] = sqrt(4nμt/π), drained at nμ,
    so a mail arriving t after the spell began waits sqrt(4t/(π nμ)); over a
    spell of length S the mean is (4/3) sqrt(S h / (π n)). S is a working day
    (``_CRITICAL_SPELL_SECONDS``); n is taken as at least one representative,
    and the result is capped at an hour, the old relaxation bound. Falls as n
    rises, so the floor it sets never grows with the staff.
    """
    wait = (4.0 / 3.0) * np.sqrt(
        _CRITICAL_SPELL_SECONDS * handle / (np.pi * np.maximum(agents, 1.0))
    )
    return np.minimum(wait, SECONDS_PER_HOUR)


def _first_time_covered(cumulative: Array, level: Array, step_seconds: float) -> Array:
    """Per row, the first time the piecewise-linear ``cumulative`` exceeds ``level`` [s].

    ``cumulative`` is (k, m + 1) non-decreasing at the step boundaries and
    ``level`` (k, p) lies in [0, cumulative[:, -1]). One ``searchsorted`` for all
    rows: each row is scaled to [0, 1] and shifted by twice its row number.
    """
    k, vertices = cumulative.shape
    total = cumulative[:, -1:]
    offset = 2.0 * np.arange(k)[:, None]
    flat = (cumulative / total + offset).ravel()
    query = (level / total + offset).ravel()
    index = np.searchsorted(flat, query, side="right").reshape(level.shape)
    index = np.clip(index - vertices * np.arange(k)[:, None], 1, vertices - 1)
    low = np.take_along_axis(cumulative, index - 1, axis=1)
    high = np.take_along_axis(cumulative, index, axis=1)
    inside = (level - low) / np.where(high > low, high - low, 1.0)
    return np.asarray((index - 1 + inside) * step_seconds)


def backlog_week(
    arrivals_per_hour: ArrayLike,
    agents_per_hour: ArrayLike,
    handle_time_seconds: float,
    target_seconds: float,
    rates_per_second: Sequence[float] | ArrayLike = (),
) -> BacklogWeek:
    """Steady-state response times of a FIFO backlog over a repeating week.

    Assumptions: mail arrives at the given hourly rates (Poisson where the
    backlog runs empty), is opened oldest first by the representatives rostered
    in each hour, each of whom finishes the mail in hand after the shift ends;
    exponential handle times; nobody withdraws a mail. The week repeats.

    Parameters
    ----------
    arrivals_per_hour : (168,) or (k, 168) mails arriving in each hour, Monday
        00:00 first [1/h]
    agents_per_hour : (168,) or (k, 168) representatives working the backlog in
        each hour (fractional: the last works the first part of the hour) [-]
    handle_time_seconds : mean handle time of a mail [s], > 0
    target_seconds : service-level target: opened within this time [s], >= 0
    rates_per_second : transform variables κ [1/s], >= 0

    Returns
    -------
    BacklogWeek
        Shapes (k,), ``transform`` (k, len(rates_per_second)); k broadcasts
        between the two hourly arrays. When the week's work reaches its rostered
        capacity the backlog grows without bound: mean infinite, service level
        and transform 0, occupancy 1, stable False.

    Notes
    -----
    With a(t), c(t) the arrival and opening rates on the steps (mails/s):

    - Eq 1: c(t) = agents(t) / handle + Σ_shift starts s (1 - e^{-g_s/handle}) δ(t - s);
    - Eq 2: Q(t) = X(t) - inf_{t-week < u <= t} X(u), X = A - C, A and C the
      integrals of a and c [2];
    - Eq 3: W(t) = C^-1(C(t) + Q(t)) - t [1];
    - Eq 4: each mail waits max(w, W), P(W > x) = p e^{-dx}: below saturation
      p = C and d = max(nμ - λ, 1/R) from that hour's Erlang C [3]; at and above
      it, and in unstaffed hours, p = 1 and d = 1/R. Then
      E[max(w, W)] = w + p e^{-dw}/d, P(max(w, W) <= T) = 1[w <= T](1 - p e^{-dT}),
      E[e^{-κ max(w, W)}] = e^{-κw}(1 - p e^{-dw} κ/(d + κ));
    - Eq 5: R = min((4/3) sqrt(S h / (π max(n, 1))), 1 h), S a working day [4].
      In Eqs 4-5, n counts a fractional representative's hourly restart as
      capacity, (1 - e^{-(1-f)·1h/h}) h / 1 h for a fraction f, as Eq 1 does in
      a roster that repeats hour after hour.

    Examples
    --------
    >>> import numpy as np
    >>> staffed = np.tile([0.0] * 8 + [3.0] * 10 + [0.0] * 6, 7)
    >>> week = backlog_week(np.full(168, 4.0), staffed, 360.0, 86400.0)
    >>> bool(week.stable[0]), round(float(week.occupancy[0]), 2)
    (True, 0.32)
    """
    arrivals = _as_weeks("arrivals_per_hour", arrivals_per_hour)
    agents = _as_weeks("agents_per_hour", agents_per_hour)
    agents = np.where(agents < _NEGLIGIBLE_AGENTS, 0.0, agents)
    handle = float(handle_time_seconds)
    target = float(target_seconds)
    if not np.isfinite(handle) or handle <= 0:
        raise ValueError(f"handle_time_seconds must be a number > 0, not {handle_time_seconds}")
    if not np.isfinite(target) or target < 0:
        raise ValueError(f"target_seconds must be a number >= 0, not {target_seconds}")
    rates = np.asarray(rates_per_second, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError("rates_per_second must be finite numbers >= 0")
    k = np.broadcast_shapes(arrivals.shape, agents.shape)[0]
    arrivals = np.broadcast_to(arrivals, (k, HOURS_PER_WEEK))
    agents = np.broadcast_to(agents, (k, HOURS_PER_WEEK))

    work = arrivals.sum(axis=1) * handle / SECONDS_PER_HOUR
    capacity = agents.sum(axis=1)
    mails = arrivals.sum(axis=1)
    no_mail = mails < _NEGLIGIBLE_MAILS
    # Shift starts open mail too (Eq 1), so they count towards the capacity.
    openings = capacity * SECONDS_PER_HOUR / handle + _shift_starts(agents, handle).sum(axis=1)
    stable = (mails < openings) | no_mail
    with np.errstate(invalid="ignore", divide="ignore"):
        occupancy = np.where(capacity > 0, np.minimum(work / capacity, 1.0), 0.0)
    occupancy = np.where(stable, occupancy, 1.0)
    occupancy = np.where(no_mail, 0.0, occupancy)

    mean = np.where(no_mail, 0.0, np.inf)
    service_level = np.where(no_mail, 1.0, 0.0)
    transform = np.where(no_mail[:, None], 1.0, np.zeros((k, rates.size)))
    peak = np.where(no_mail, 0.0, np.inf)
    rows = np.flatnonzero(stable & ~no_mail)
    if rows.size:
        solved = _steady_state(arrivals[rows], agents[rows], handle, target, rates)
        mean[rows], service_level[rows], transform[rows], peak[rows] = solved
    return BacklogWeek(
        mean_wait_seconds=mean,
        service_level=service_level,
        transform=transform,
        occupancy=occupancy,
        stable=stable,
        peak_backlog=peak,
    )


def _steady_state(
    arrivals: Array, agents: Array, handle: float, target: float, rates: Array
) -> tuple[Array, Array, Array, Array]:
    """Mean response, service level, transform and peak backlog of stable rows."""
    steps = _STEPS_PER_HOUR
    step_seconds = SECONDS_PER_HOUR / steps
    k = arrivals.shape[0]
    arriving = np.repeat(arrivals / steps, steps, axis=1)
    opening = np.repeat(agents * step_seconds / handle, steps, axis=1)
    # Eq 1: the shift starts' extra mails land in the hour's first step.
    starts = _shift_starts(agents, handle)
    opening[:, ::steps] += starts
    net = arriving - opening
    # Eq 2. With X(0) = 0 and X(week) = drift < 0, X(u - week) = X(u) - drift,
    # so the infimum over the last week is min(running min, start), where the
    # backlog at the start of the week is max(0, drift - min X).
    x = np.concatenate([np.zeros((k, 1)), np.cumsum(net, axis=1)], axis=1)
    start = np.maximum(x[:, -1:] - x.min(axis=1, keepdims=True), 0.0)
    lowest = np.minimum(np.minimum.accumulate(x, axis=1), -start)
    peak = (x - lowest).max(axis=1)
    # Midpoint of each step: the running minimum moves only if X falls below it there.
    backlog = np.maximum(x[:, :-1] + 0.5 * net - lowest[:, :-1], 0.0)
    # Eq 3, on one week's cumulative capacity plus whole weeks.
    cumulative = np.concatenate([np.zeros((k, 1)), np.cumsum(opening, axis=1)], axis=1)
    week_capacity = cumulative[:, -1:]
    level = cumulative[:, :-1] + 0.5 * opening + backlog
    weeks_ahead = np.floor(level / week_capacity)
    opened_at = _first_time_covered(cumulative, level - weeks_ahead * week_capacity, step_seconds)
    moments = (np.arange(net.shape[1]) + 0.5) * step_seconds
    wait = opened_at + weeks_ahead * SECONDS_PER_WEEK - moments
    # The inverse's round-off leaves a few nanoseconds where nobody waits at all.
    wait = np.where(wait < _ROUND_OFF_SECONDS, 0.0, wait)

    # Eq 4: every mail waits at least as long as the fluid backlog ahead of it
    # takes, and at least as in the hour's own queue: with probability p it waits
    # an exponential time of rate d; E[max(w, W)] in closed form. Below
    # saturation the queue is the stationary Erlang C one (p = C, d = nμ - λ),
    # unless that takes longer to build than an hour's critically loaded queue
    # started empty (Eq 5); at and above saturation, and in unstaffed hours,
    # p = 1 and the rate is Eq 5's. p falls and d rises with the representatives
    # and both are continuous at saturation, so more staff never lengthens a wait.
    # The floor counts a fractional representative's restart each hour as if the
    # previous hour had the same roster (Eq 1 in a steady roster), a function of the
    # hour's own staff only: Eq 1's starts fall when the previous hour has more
    # staff, which would make the floor, and the response, rise with staff.
    fraction = agents - np.floor(agents)
    restarts = np.where(fraction > 0, -np.expm1(-(1.0 - fraction) * SECONDS_PER_HOUR / handle), 0.0)
    capable = agents + restarts * handle / SECONDS_PER_HOUR
    load = arrivals * handle / SECONDS_PER_HOUR
    below = (capable > 0) & (arrivals > 0) & (load < capable)
    p_wait = np.ones((k, HOURS_PER_WEEK))
    p_wait[below] = erlang_c(arrivals[below], handle, capable[below]).p_wait
    drain = np.maximum((capable - load) / handle, 1.0 / _critical_wait_seconds(capable, handle))
    p_wait = np.repeat(p_wait, steps, axis=1)
    drain = np.repeat(drain, steps, axis=1)
    weights = arriving / arriving.sum(axis=1, keepdims=True)
    still_waiting = p_wait * np.exp(-drain * wait)
    mean = np.sum(weights * (wait + still_waiting / drain), axis=1)
    within = (wait <= target) * (1.0 - p_wait * np.exp(-drain * target))
    service_level = np.sum(weights * within, axis=1)
    transform = np.empty((k, rates.size))
    for j, rate in enumerate(rates):
        kept = np.exp(-rate * wait) * (1.0 - still_waiting * rate / (drain + rate))
        transform[:, j] = np.sum(weights * kept, axis=1)
    return mean, service_level, transform, peak
