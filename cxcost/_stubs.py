# TEMPORARY stand-ins until the helpers' modules land; never committed.
from __future__ import annotations
from dataclasses import dataclass
from math import comb
import numpy as np
from cxcost.queueing import answered_wait_transform, erlang_a, QueueMetrics


def expected_wait_response(lam, handle, agents, patience, midpoint, shape):
    tau = np.asarray(midpoint, float) / -np.log1p(-(2.0 ** (-1.0 / shape)))
    total = 0.0
    for j in range(shape + 1):
        t = answered_wait_transform(lam, handle, agents, patience, j / tau)
        total = total + comb(shape, j) * (-1.0) ** j * np.asarray(t)
    return np.clip(total, 0, 1)


@dataclass(frozen=True)
class RedialQueue:
    effective_arrivals_per_hour: object
    metrics: QueueMetrics
    give_up_share: object
    attempts_per_contact: object


def erlang_a_redials(lam0, handle, agents, patience, r, target=20.0):
    lam0 = np.asarray(lam0, float)
    lam = lam0.copy()
    for _ in range(60):
        m = erlang_a(lam, handle, agents, patience, target)
        lam = lam0 / (1 - r * np.asarray(m.p_abandon))
    m = erlang_a(lam, handle, agents, patience, target)
    pa = np.asarray(m.p_abandon)
    return RedialQueue(lam, m, (1 - r) * pa / (1 - r * pa), 1 / (1 - r * pa))


@dataclass(frozen=True)
class BacklogWeek:
    mean_wait_seconds: np.ndarray
    service_level: np.ndarray
    transform: np.ndarray
    occupancy: np.ndarray
    stable: np.ndarray
    peak_backlog: np.ndarray


def backlog_week(arrivals, agents, handle, target, rates=()):
    arrivals = np.atleast_2d(np.asarray(arrivals, float))
    agents = np.atleast_2d(np.asarray(agents, float))
    k = max(arrivals.shape[0], agents.shape[0])
    arrivals = np.broadcast_to(arrivals, (k, 168))
    agents = np.broadcast_to(agents, (k, 168))
    sub = 6
    a = np.repeat(arrivals, sub, axis=1) / sub
    c = np.repeat(agents, sub, axis=1) * 3600 / handle / sub
    n = 168 * sub
    stable = c.sum(1) > a.sum(1)
    A = np.cumsum(np.concatenate([a, a, a], 1), 1)
    C = np.cumsum(np.concatenate([c, c, c], 1), 1)
    # fluid queue via Lindley on steps
    B = np.zeros(k)
    waits = np.zeros((k, n))
    busy = np.zeros(k)
    peak = np.zeros(k)
    Ctot = np.concatenate([c, c, c], 1)
    for w in range(3):
        for t in range(n):
            idx = w * n + t
            B = B + a[:, t]
            served = np.minimum(B, Ctot[:, idx])
            B = B - served
            if w == 2:
                busy += served
                peak = np.maximum(peak, B)
                # wait of work arriving now: time until cumulative capacity covers B
                need = C[:, idx] + B
                j = np.array([np.searchsorted(C[i], need[i]) for i in range(k)])
                waits[:, t] = (np.minimum(j, 3 * n - 1) - idx) * 3600 / sub
    wts = a / a.sum(1, keepdims=True)
    mean = np.where(stable, (waits * wts).sum(1), np.inf)
    sl = np.where(stable, ((waits <= target) * wts).sum(1), 0)
    tr = (
        np.stack([np.where(stable, (np.exp(-r * waits) * wts).sum(1), 0) for r in rates], -1)
        if len(rates)
        else np.zeros((k, 0))
    )
    occ = busy / np.maximum(c.sum(1), 1e-300)
    return BacklogWeek(mean, sl, tr, np.minimum(occ, 1), stable, peak)
