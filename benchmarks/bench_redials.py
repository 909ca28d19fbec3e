"""Benchmark: the redial fixed point and the wait response over a week of hours.

The workload is what ``cxcost.channels`` asks for when it prices staffing
candidates: 168 hourly queues x 20 candidate staffing levels (3,360 queues),
phone-like (240 s handle, 120 s patience, redial share 0.6, midpoint 5 min,
shape 3). Each figure is held against a bar, a share of the app's 0.3 s rerun
budget (``benchmarks/run.py``). The peers are the straightforward versions
the functions replace: 60 plain iterations of λ = λ0 / (1 - r p(λ)), and the
binomial expansion of E[g(W); answered] over the answered-wait transform
(fast, but it cancels for short waits).

Run ``python benchmarks/bench_redials.py``; ``run()`` returns the rows for
``benchmarks/run.py``.
"""

from __future__ import annotations

import sys
from math import comb
from pathlib import Path
from typing import TypedDict

import numpy as np
from numpy.typing import NDArray

# Run as a script from a checkout, the repository root is not on sys.path.
_REPOSITORY_ROOT = str(Path(__file__).resolve().parents[1])
if _REPOSITORY_ROOT not in sys.path:
    sys.path.insert(0, _REPOSITORY_ROOT)

from bench_erlang import median_seconds  # noqa: E402

from cxcost.queueing import (  # noqa: E402
    answered_wait_transform,
    erlang_a,
    erlang_a_redials,
    expected_wait_response,
)

HANDLE_TIME_SECONDS = 240.0
PATIENCE_SECONDS = 120.0
REDIAL_SHARE = 0.6
MIDPOINT_SECONDS = 300.0
SHAPE = 3
CANDIDATES = 20
# A week's arrival profile (calls/h) and staffing candidates around it, seeded.
_RNG = np.random.default_rng(2024)
ARRIVALS_PER_HOUR = np.broadcast_to(_RNG.uniform(20.0, 400.0, 168), (CANDIDATES, 168))
AGENTS = (
    ARRIVALS_PER_HOUR * HANDLE_TIME_SECONDS / 3600.0 * np.linspace(0.8, 1.5, CANDIDATES)[:, None]
)
# Bars: each function may take a third of the app's 0.3 s rerun budget.
BAR_SECONDS = 0.1


class BenchmarkRow(TypedDict):
    name: str
    seconds: float
    bar_seconds: float
    peer: str
    peer_seconds: float


def cxcost_redials() -> NDArray[np.float64]:
    queue = erlang_a_redials(
        ARRIVALS_PER_HOUR, HANDLE_TIME_SECONDS, AGENTS, PATIENCE_SECONDS, REDIAL_SHARE
    )
    return np.asarray(queue.effective_arrivals_per_hour)


def plain_iteration_redials() -> NDArray[np.float64]:
    lam = ARRIVALS_PER_HOUR.copy()
    for _ in range(60):
        p_abandon = erlang_a(lam, HANDLE_TIME_SECONDS, AGENTS, PATIENCE_SECONDS).p_abandon
        lam = ARRIVALS_PER_HOUR / (1.0 - REDIAL_SHARE * np.asarray(p_abandon))
    return lam


def cxcost_wait_response() -> NDArray[np.float64]:
    return np.asarray(
        expected_wait_response(
            ARRIVALS_PER_HOUR,
            HANDLE_TIME_SECONDS,
            AGENTS,
            PATIENCE_SECONDS,
            MIDPOINT_SECONDS,
            SHAPE,
        )
    )


def binomial_wait_response() -> NDArray[np.float64]:
    tau = MIDPOINT_SECONDS / -np.log1p(-(2.0 ** (-1.0 / SHAPE)))
    total = np.zeros_like(ARRIVALS_PER_HOUR)
    for j in range(SHAPE + 1):
        transform = answered_wait_transform(
            ARRIVALS_PER_HOUR, HANDLE_TIME_SECONDS, AGENTS, PATIENCE_SECONDS, j / tau
        )
        total = total + comb(SHAPE, j) * (-1.0) ** j * np.asarray(transform)
    return total


def run(repeat: int = 7) -> list[BenchmarkRow]:
    """Time each function and its peer over the week x candidates grid."""
    cases = [
        (
            "erlang_a_redials, 168 h x 20 candidates",
            cxcost_redials,
            "60 plain fixed-point iterations",
            plain_iteration_redials,
        ),
        (
            "expected_wait_response, 168 h x 20 candidates",
            cxcost_wait_response,
            "binomial expansion over answered_wait_transform",
            binomial_wait_response,
        ),
    ]
    return [
        BenchmarkRow(
            name=name,
            seconds=median_seconds(ours, repeat),
            bar_seconds=BAR_SECONDS,
            peer=peer_name,
            peer_seconds=median_seconds(peer, max(1, repeat // 3)),
        )
        for name, ours, peer_name, peer in cases
    ]


def main() -> int:
    """Print the table; exit status 1 if a figure is over its bar."""
    rows = run()
    width = max(len(row["name"]) for row in rows)
    print(
        f"{ARRIVALS_PER_HOUR.size:,} queues, handle {HANDLE_TIME_SECONDS:.0f} s, patience "
        f"{PATIENCE_SECONDS:.0f} s, redial share {REDIAL_SHARE}, midpoint "
        f"{MIDPOINT_SECONDS:.0f} s, shape {SHAPE}; median wall times"
    )
    print(f"{'function':<{width}}  {'cxcost':>9}  {'bar':>9}  verdict     {'peer':>9}")
    over = False
    for row in rows:
        ok = row["seconds"] <= row["bar_seconds"]
        over |= not ok
        print(
            f"{row['name']:<{width}}  {row['seconds'] * 1e3:7.1f}ms  "
            f"{row['bar_seconds'] * 1e3:7.1f}ms  {'ok' if ok else 'OVER BAR':<10}  "
            f"{row['peer_seconds'] * 1e3:7.1f}ms  ({row['peer']})"
        )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
