"""Benchmark: the e-mail backlog week for 60 staffing candidates at once.

``cxcost.backlog.backlog_week`` is called by the optimiser with one row per
candidate staffing level; the bar is 5 ms for 60 candidates (us-ecommerce's
e-mail channel, three wait-response rates), so a cost curve stays inside the
app's rerun budget.

Run ``python benchmarks/bench_backlog.py``; ``run()`` returns the row for a
combined benchmark suite.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TypedDict

import numpy as np

# Run as a script from a checkout, the repository root is not on sys.path.
_REPOSITORY_ROOT = str(Path(__file__).resolve().parents[1])
if _REPOSITORY_ROOT not in sys.path:
    sys.path.insert(0, _REPOSITORY_ROOT)

from bench_erlang import median_seconds  # noqa: E402

from cxcost.backlog import backlog_week  # noqa: E402

CANDIDATES = 60
LIMIT_SECONDS = 0.005
MAILS_PER_HOUR = 18.2
HANDLE_TIME_SECONDS = 300.0
TARGET_SECONDS = 86_400.0
RATES_PER_SECOND = (1.8e-5, 3.7e-5, 5.5e-5)


class BenchmarkRow(TypedDict):
    name: str
    seconds: float
    limit_seconds: float


def _inputs() -> tuple[np.ndarray, np.ndarray]:
    """A weekday 08:00-20:00 and Saturday 10:00-16:00 roster, scaled per candidate."""
    day = np.zeros(24)
    day[8:20] = 1.0
    saturday = np.zeros(24)
    saturday[10:16] = 1.0
    shape = np.concatenate([day] * 5 + [saturday, np.zeros(24)])
    agent_hours = np.linspace(300.0, 900.0, CANDIDATES)
    agents = agent_hours[:, None] * shape[None, :] / shape.sum()
    return np.full(168, MAILS_PER_HOUR), agents


def run(repeat: int = 50) -> list[BenchmarkRow]:
    """Median wall time of one call for all candidates."""
    arrivals, agents = _inputs()
    call = lambda: backlog_week(  # noqa: E731
        arrivals, agents, HANDLE_TIME_SECONDS, TARGET_SECONDS, RATES_PER_SECOND
    )
    seconds = median_seconds(call, repeat)
    return [
        BenchmarkRow(
            name=f"backlog_week, {CANDIDATES} candidates x 168 h, {len(RATES_PER_SECOND)} rates",
            seconds=seconds,
            limit_seconds=LIMIT_SECONDS,
        )
    ]


def main() -> None:
    for row in run():
        verdict = "ok" if row["seconds"] <= row["limit_seconds"] else "over the bar"
        print(
            f"{row['name']}: {row['seconds'] * 1e3:.2f} ms "
            f"(bar {row['limit_seconds'] * 1e3:.0f} ms, {verdict})"
        )


if __name__ == "__main__":
    main()
