"""Benchmark: a whole service-level curve over 1..2,000 agents.

cxcost computes the curve in one vectorised call; the peer is the usual way
of doing it with pyworkforce, one ``ErlangC(...).service_level(positions)``
call per agent count (each call runs its own Erlang B recursion, so the loop
is quadratic in the number of agents). Erlang A has no pyworkforce peer in
the pinned version (0.5.1); its peer is cxcost's own function called once per
agent count, which shows what the vectorisation buys.

Run ``python benchmarks/bench_erlang.py``; ``run()`` returns the rows for a
combined benchmark suite.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

import numpy as np
from numpy.typing import NDArray
from pyworkforce.queuing import ErlangC

# Run as a script from a checkout, the repository root is not on sys.path.
_REPOSITORY_ROOT = str(Path(__file__).resolve().parents[1])
if _REPOSITORY_ROOT not in sys.path:
    sys.path.insert(0, _REPOSITORY_ROOT)

from cxcost.queueing import erlang_a, erlang_c  # noqa: E402

ARRIVALS_PER_HOUR = 20_000.0
HANDLE_TIME_SECONDS = 180.0
ANSWER_WITHIN_SECONDS = 20.0
PATIENCE_SECONDS = 60.0
AGENTS = np.arange(1, 2001)
OFFERED_LOAD_ERLANGS = ARRIVALS_PER_HOUR * HANDLE_TIME_SECONDS / 3600.0


class BenchmarkRow(TypedDict):
    name: str
    seconds: float
    peer: str | None
    peer_seconds: float | None
    ratio: float | None


def median_seconds(func: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``func()`` over ``repeat`` runs after ``warmup`` runs [s]."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cxcost_erlang_c_curve() -> NDArray[np.float64]:
    metrics = erlang_c(ARRIVALS_PER_HOUR, HANDLE_TIME_SECONDS, AGENTS, ANSWER_WITHIN_SECONDS)
    return np.asarray(metrics.service_level)


def cxcost_erlang_a_curve() -> NDArray[np.float64]:
    metrics = erlang_a(
        ARRIVALS_PER_HOUR, HANDLE_TIME_SECONDS, AGENTS, PATIENCE_SECONDS, ANSWER_WITHIN_SECONDS
    )
    return np.asarray(metrics.service_level)


def cxcost_erlang_a_loop() -> NDArray[np.float64]:
    return np.array(
        [
            erlang_a(
                ARRIVALS_PER_HOUR,
                HANDLE_TIME_SECONDS,
                int(n),
                PATIENCE_SECONDS,
                ANSWER_WITHIN_SECONDS,
            ).service_level
            for n in AGENTS
        ]
    )


def pyworkforce_erlang_c_loop() -> NDArray[np.float64]:
    # pyworkforce counts transactions per interval and takes times in minutes.
    model = ErlangC(
        transactions=ARRIVALS_PER_HOUR,
        aht=HANDLE_TIME_SECONDS / 60.0,
        asa=ANSWER_WITHIN_SECONDS / 60.0,
        interval=60,
    )
    return np.array([model.service_level(int(n)) for n in AGENTS])


def run(repeat_fast: int = 50, repeat_slow: int = 5) -> list[BenchmarkRow]:
    """Time each curve; ``ratio`` is peer time / cxcost time (> 1: cxcost is faster)."""
    rows: list[BenchmarkRow] = []
    cases: list[tuple[str, Callable[[], object], str, Callable[[], object]]] = [
        (
            "erlang_c service-level curve, 1..2000 agents (vectorised)",
            cxcost_erlang_c_curve,
            "pyworkforce 0.5.1 ErlangC.service_level, loop over agents",
            pyworkforce_erlang_c_loop,
        ),
        (
            "erlang_a service-level curve, 1..2000 agents (vectorised)",
            cxcost_erlang_a_curve,
            "cxcost erlang_a, loop over agents",
            cxcost_erlang_a_loop,
        ),
    ]
    for name, ours, peer_name, peer in cases:
        seconds = median_seconds(ours, repeat_fast)
        peer_seconds = median_seconds(peer, repeat_slow)
        rows.append(
            BenchmarkRow(
                name=name,
                seconds=seconds,
                peer=peer_name,
                peer_seconds=peer_seconds,
                ratio=peer_seconds / seconds,
            )
        )
    return rows


class Agreement(TypedDict):
    max_service_level_difference: float
    max_p_wait_relative_difference: float
    agents_at_or_below_load: int
    service_level_disagreements_below_load: int
    peer_p_wait_range_below_load: tuple[float, float]


def pyworkforce_agreement() -> Agreement:
    """Compare the Erlang C curves of cxcost and pyworkforce.

    Differences are taken where pyworkforce is stable (agents above the
    offered load). At or below the load the M/M/n queue has no steady state:
    cxcost reports p_wait 1 and service level 0 by convention; pyworkforce
    evaluates its formula anyway, returning a "probability" of waiting
    between 1 and ~A, and clamps the service level with ``max(0, ...)``.
    """
    # pyworkforce counts transactions per interval and takes times in minutes.
    model = ErlangC(
        transactions=ARRIVALS_PER_HOUR,
        aht=HANDLE_TIME_SECONDS / 60.0,
        asa=ANSWER_WITHIN_SECONDS / 60.0,
        interval=60,
    )
    ours = erlang_c(ARRIVALS_PER_HOUR, HANDLE_TIME_SECONDS, AGENTS, ANSWER_WITHIN_SECONDS)
    peer_service_level = pyworkforce_erlang_c_loop()
    peer_p_wait = np.array([model.waiting_probability(int(n)) for n in AGENTS])
    service_level = np.asarray(ours.service_level)
    p_wait = np.asarray(ours.p_wait)
    stable = AGENTS > OFFERED_LOAD_ERLANGS
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.abs(p_wait[stable] - peer_p_wait[stable]) / p_wait[stable]
    return Agreement(
        max_service_level_difference=float(
            np.max(np.abs(service_level[stable] - peer_service_level[stable]))
        ),
        max_p_wait_relative_difference=float(np.nanmax(relative)),
        agents_at_or_below_load=int(np.count_nonzero(~stable)),
        service_level_disagreements_below_load=int(
            np.count_nonzero(service_level[~stable] != peer_service_level[~stable])
        ),
        peer_p_wait_range_below_load=(
            float(peer_p_wait[~stable].min()),
            float(peer_p_wait[~stable].max()),
        ),
    )


def main() -> None:
    rows = run()
    width = max(len(row["name"]) for row in rows)
    print(
        f"{ARRIVALS_PER_HOUR:,.0f} calls/h, handle {HANDLE_TIME_SECONDS:.0f} s "
        f"({OFFERED_LOAD_ERLANGS:,.0f} Erl), target {ANSWER_WITHIN_SECONDS:.0f} s, "
        f"patience {PATIENCE_SECONDS:.0f} s (Erlang A); median wall times"
    )
    print(f"{'curve':<{width}}  {'cxcost':>10}  {'peer':>10}  {'peer/cxcost':>11}")
    for row in rows:
        peer_seconds = row["peer_seconds"]
        ratio = row["ratio"]
        ours_text = f"{row['seconds'] * 1e3:8.3f}ms"
        peer_text = f"{peer_seconds * 1e3:8.2f}ms" if peer_seconds is not None else "-"
        ratio_text = f"{ratio:10.0f}x" if ratio is not None else "-"
        print(f"{row['name']:<{width}}  {ours_text:>10}  {peer_text:>10}  {ratio_text:>11}")
        print(f"{'':<{width}}  peer: {row['peer']}")
    agreement = pyworkforce_agreement()
    low, high = agreement["peer_p_wait_range_below_load"]
    print(
        "Erlang C vs pyworkforce, agents above the load: "
        f"max |ΔSL| = {agreement['max_service_level_difference']:.1e}, "
        f"max relative Δp_wait = {agreement['max_p_wait_relative_difference']:.1e}.\n"
        f"At or below the load ({agreement['agents_at_or_below_load']} agent counts, no steady "
        f"state) both give SL 0 ({agreement['service_level_disagreements_below_load']} differ), "
        f"but pyworkforce's p_wait there runs from {low:.3g} to {high:.4g} (cxcost: 1)."
    )


if __name__ == "__main__":
    main()
