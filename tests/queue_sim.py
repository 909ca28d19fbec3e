"""Seeded discrete-event simulation of an M/M/n+M queue whose abandoning callers redial.

Reference for ``cxcost.queueing.erlang_a_redials`` and ``expected_wait_response``,
written from the model's description only (it imports nothing from cxcost):

- fresh contacts arrive as a Poisson stream; every attempt (first or redial)
  joins one first-come first-served queue in front of ``agents`` servers with
  exponential handle times;
- a waiting attempt abandons after an exponential patience; it then redials
  with probability ``redial_share`` after an exponential delay (mean
  ``redial_delay_seconds``) as a new attempt with fresh patience, or gives up
  for good.

Statistics are taken over attempts and contacts that arrive after a warm-up
and before the horizon, split into ``batches`` consecutive batches; the
spread of the batch ratios gives each estimate's standard error (batch means,
Law & Kelton, "Simulation modeling and analysis", ch. 9).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_FRESH, _REDIAL, _DONE, _ABANDON = 0, 1, 2, 3
_WAITING, _SERVED, _GONE = 0, 1, 2


@dataclass(frozen=True)
class Estimate:
    """A ratio estimated from the whole run, with its batch-means standard error."""

    value: float
    standard_error: float


@dataclass(frozen=True)
class SimulationResult:
    """Per-attempt and per-contact statistics of a simulated retrial queue.

    Attributes
    ----------
    attempts_per_contact : attempts (first + redials) / fresh contacts [-]
    p_abandon : abandoned attempts / attempts [-]
    give_up_share : contacts that abandon and do not redial / contacts [-]
    service_level : attempts answered within the target / attempts [-]
    wait_response : sum of g(wait) over answered attempts / attempts [-]
    wait_response_per_contact : the same sum / contacts [-]
    effective_arrivals_per_hour : attempts per hour [1/h]
    contacts : fresh contacts counted
    """

    attempts_per_contact: Estimate
    p_abandon: Estimate
    give_up_share: Estimate
    service_level: Estimate
    wait_response: Estimate
    wait_response_per_contact: Estimate
    effective_arrivals_per_hour: Estimate
    contacts: int


class _Stream:
    """Exponential(1) or uniform(0, 1) variates drawn in blocks (fast in a Python loop)."""

    def __init__(self, rng: np.random.Generator, uniform: bool, block: int = 65_536) -> None:
        self._draw = rng.random if uniform else rng.standard_exponential
        self._block = block
        self._values: list[float] = []

    def next(self) -> float:
        if not self._values:
            self._values = self._draw(self._block).tolist()
        return self._values.pop()


def simulate_redials(
    arrivals_per_hour: float,
    handle_time_seconds: float,
    agents: int,
    patience_seconds: float,
    redial_share: float,
    *,
    redial_delay_seconds: float,
    target_seconds: float,
    midpoint_seconds: float,
    shape: int,
    hours: float,
    warmup_hours: float = 2.0,
    batches: int = 20,
    seed: int = 0,
) -> SimulationResult:
    """Simulate the retrial queue for ``warmup_hours + hours`` and measure it.

    Times in seconds, rates per hour; ``shape`` and ``midpoint_seconds`` define
    g(W) = (1 - exp(-W/τ))^shape with g(midpoint) = 1/2.
    """
    rng = np.random.default_rng(seed)
    exp = _Stream(rng, uniform=False)
    uniform = _Stream(rng, uniform=True)
    tau = midpoint_seconds / -math.log1p(-(2.0 ** (-1.0 / shape)))
    mean_gap = 3600.0 / arrivals_per_hour
    start = warmup_hours * 3600.0
    end = start + hours * 3600.0
    # Attempts that arrive before ``end`` are followed until they are answered or
    # abandoned; an hour is many patience times.
    stop = end + 3600.0
    batch_length = (end - start) / batches

    # per batch: contacts, attempts, abandoned, gave up, answered in time, sum of g
    tally = np.zeros((batches, 6))
    events: list[tuple[float, int, int]] = [(exp.next() * mean_gap, _FRESH, -1)]
    arrived_at: list[float] = []
    batch_of: list[int] = []  # batch of each attempt's arrival, -1 outside the window
    status = bytearray()
    queue: deque[int] = deque()
    busy = 0

    def batch(time: float) -> int:
        return int((time - start) // batch_length) if start <= time < end else -1

    while events:
        now, kind, who = heapq.heappop(events)
        if now >= stop:
            break
        if kind in (_FRESH, _REDIAL):
            if kind == _FRESH:
                heapq.heappush(events, (now + exp.next() * mean_gap, _FRESH, -1))
            b = batch(now)
            if b >= 0:
                tally[b, 1] += 1
                if kind == _FRESH:
                    tally[b, 0] += 1
            who = len(arrived_at)
            arrived_at.append(now)
            batch_of.append(b)
            if busy < agents:
                busy += 1
                status.append(_SERVED)
                if b >= 0 and target_seconds >= 0:
                    tally[b, 4] += 1  # answered at once; g(0) = 0
                heapq.heappush(events, (now + exp.next() * handle_time_seconds, _DONE, who))
            else:
                status.append(_WAITING)
                queue.append(who)
                heapq.heappush(events, (now + exp.next() * patience_seconds, _ABANDON, who))
        elif kind == _DONE:
            busy -= 1
            while queue and status[queue[0]] != _WAITING:
                queue.popleft()
            if queue:
                nxt = queue.popleft()
                status[nxt] = _SERVED
                busy += 1
                b = batch_of[nxt]
                if b >= 0:
                    wait = now - arrived_at[nxt]
                    if wait <= target_seconds:
                        tally[b, 4] += 1
                    tally[b, 5] += (-math.expm1(-wait / tau)) ** shape
                heapq.heappush(events, (now + exp.next() * handle_time_seconds, _DONE, nxt))
        elif status[who] == _WAITING:  # an abandonment that was not overtaken by service
            status[who] = _GONE
            b = batch_of[who]
            redials = uniform.next() < redial_share
            if b >= 0:
                tally[b, 2] += 1
                if not redials:
                    tally[b, 3] += 1
            if redials:
                heapq.heappush(events, (now + exp.next() * redial_delay_seconds, _REDIAL, -1))

    contacts, attempts, abandoned, gave_up, in_time, response = tally.T
    return SimulationResult(
        attempts_per_contact=_ratio(attempts, contacts),
        p_abandon=_ratio(abandoned, attempts),
        give_up_share=_ratio(gave_up, contacts),
        service_level=_ratio(in_time, attempts),
        wait_response=_ratio(response, attempts),
        wait_response_per_contact=_ratio(response, contacts),
        effective_arrivals_per_hour=_ratio(attempts, np.full(batches, batch_length / 3600.0)),
        contacts=int(contacts.sum()),
    )


def _ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> Estimate:
    """Ratio of totals, with the batch-means standard error of the batch ratios."""
    batch_ratios = numerator / denominator
    spread = float(np.std(batch_ratios, ddof=1)) / math.sqrt(len(batch_ratios))
    return Estimate(float(numerator.sum() / denominator.sum()), spread)
