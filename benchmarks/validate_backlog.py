"""Validation run: the e-mail backlog model against the FIFO simulation on many weeks.

The suite checks every preset and 12 generated weeks (``tests/test_backlog.py``);
this longer run takes the first ``--weeks`` generated weeks (the suite's own
generator) and prints, for those inside the validated range stated in
``cxcost.backlog`` and for those outside it, the worst relative error of the
mean response and the worst absolute error of the service level against the
bars (5 %, 0.03). It also searches random rosters for a longer response with
more staff (the model's monotonicity) and prints the largest rise found.

Run ``python benchmarks/validate_backlog.py [--weeks 75] [--monotone 3000]``
(about a minute for the defaults).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
for folder in (str(_ROOT), str(_ROOT / "tests")):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from backlog_sim import simulate_backlog  # noqa: E402
from test_backlog import _generated_case, _within_validated_range  # noqa: E402

from cxcost.backlog import backlog_week  # noqa: E402

MEAN_BAR = 0.05
SERVICE_LEVEL_BAR = 0.03
MEASURED_WEEKS = 40


def validate(weeks: int) -> dict[str, tuple[int, float, float]]:
    """Worst errors (count, mean relative, service level absolute) inside / outside range."""
    worst: dict[str, list[float]] = {"inside": [0, 0.0, 0.0], "outside": [0, 0.0, 0.0]}
    seed = 0
    counted = 0
    while counted < weeks:
        arrivals, agents, handle, target = _generated_case(seed)
        seed += 1
        if arrivals.sum() > 6000:
            continue
        counted += 1
        model = backlog_week(arrivals, agents, handle, target)
        if not model.stable[0]:
            continue
        sim = simulate_backlog(
            arrivals, agents, handle, target, seed=1000 + seed, measured_weeks=MEASURED_WEEKS
        )
        key = "inside" if _within_validated_range(arrivals, agents, handle) else "outside"
        row = worst[key]
        row[0] += 1
        row[1] = max(row[1], abs(float(model.mean_wait_seconds[0]) / sim.mean_wait_seconds - 1))
        row[2] = max(row[2], abs(float(model.service_level[0]) - sim.service_level))
    return {key: (int(v[0]), v[1], v[2]) for key, v in worst.items()}


def monotone_search(cases: int, seed: int = 1) -> tuple[float, float]:
    """Largest relative rise of the mean and fall of the service level with more staff."""
    rng = np.random.default_rng(seed)
    rise = fall = 0.0
    for case in range(cases):
        arrivals = np.tile(rng.uniform(0, 40, 24), 7)
        agents = np.tile(np.where(rng.random(24) < 0.4, 0.0, rng.uniform(0.2, 20, 24)), 7)
        if agents.sum() == 0:
            continue
        handle = rng.uniform(60, 1800)
        capacity = agents.sum() * 3600 / handle
        if arrivals.sum() > 0.97 * capacity:
            arrivals *= 0.97 * capacity / arrivals.sum()
        kind = case % 3
        if kind == 0:
            more = np.where(agents > 0, agents + rng.integers(1, 4), 0.0)
        elif kind == 1:
            more = agents + rng.uniform(0, 1, 168) * (rng.random(168) < 0.5)
        else:
            more = agents * rng.uniform(1.0, 1.2)
        target = rng.uniform(0, 2 * 86400)
        fewer = backlog_week(arrivals, agents, handle, target)
        larger = backlog_week(arrivals, more, handle, target)
        if not fewer.stable[0] or fewer.mean_wait_seconds[0] == 0:
            continue
        rise = max(rise, float(larger.mean_wait_seconds[0] / fewer.mean_wait_seconds[0] - 1))
        fall = max(fall, float(fewer.service_level[0] - larger.service_level[0]))
    return rise, fall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=75)
    parser.add_argument("--monotone", type=int, default=3000)
    args = parser.parse_args()
    for key, (count, mean, level) in validate(args.weeks).items():
        print(
            f"{key} the validated range: {count} stable weeks, worst mean error "
            f"{100 * mean:.1f} % (bar {100 * MEAN_BAR:.0f} % inside), worst service-level error "
            f"{level:.3f} (bar {SERVICE_LEVEL_BAR})"
        )
    rise, fall = monotone_search(args.monotone)
    print(
        f"more staff over {args.monotone} random rosters: largest rise of the mean "
        f"{rise:.2e} (relative), largest fall of the service level {fall:.2e}"
    )


if __name__ == "__main__":
    main()
