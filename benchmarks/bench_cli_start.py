"""CLI start-up: how long ``python -m cxcost presets``, ``validate`` and ``evaluate`` take.

Issue 16 asks that each starts in under 0.7 s: the wall time of the whole process,
from the shell starting it to its exit, is what a person waits for. This script runs
each command as its own process (``subprocess``, output thrown away), one warm-up
run each (so the page cache holds the files), then ``--runs`` counted runs, the
commands taking turns so that a busy moment of the machine falls on all of them,
and prints a Markdown table: command | median | p95 | target | verdict.

Usage::

    python benchmarks/bench_cli_start.py              # 20 runs of each command
    python benchmarks/bench_cli_start.py --runs 50
    python benchmarks/bench_cli_start.py --quick      # 3 runs (a smoke run)

Exit status 1 if a median is over the target, 2 if a command fails. The import
times behind the figures: ``python -X importtime -m cxcost evaluate us-ecommerce``
(see docs/performance.md, "CLI start-up").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
TARGET_SECONDS: Final = 0.7
"""Issue 16's bar for each command's start-up [s], wall time of the whole process."""
QUICK_RUNS: Final = 3
DEFAULT_RUNS: Final = 20
TIMEOUT_SECONDS: Final = 60.0
COMMANDS: Final[tuple[tuple[str, ...], ...]] = (
    ("presets",),
    ("validate", "cxcost/data/presets/us-ecommerce.json"),
    ("evaluate", "us-ecommerce"),
    ("evaluate", "us-ecommerce", "--format", "json"),
)
"""The commands timed, as arguments of ``python -m cxcost`` run from the repository root."""


@dataclass(frozen=True)
class Timing:
    """The wall times of one command's counted runs [s]."""

    command: tuple[str, ...]
    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        """The 95th percentile (linear between the runs; the slowest run below 20 runs)."""
        if len(self.seconds) < 2:
            return self.seconds[0]
        return statistics.quantiles(self.seconds, n=20, method="inclusive")[-1]

    @property
    def verdict(self) -> str:
        return "ok" if self.median <= TARGET_SECONDS else "OVER TARGET"


def time_once(command: Sequence[str]) -> float:
    """One run of ``python -m cxcost COMMAND`` [s, wall]; a failing command raises.

    Raises
    ------
    RuntimeError
        If the command exits with a status other than 0 (its stderr in the message).
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cxcost", *command],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        timeout=TIMEOUT_SECONDS, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"python -m cxcost {' '.join(command)} exited {done.returncode}: "
            f"{done.stderr.strip()[-2000:]}"
        )
    return elapsed


def run(runs: int, commands: Sequence[tuple[str, ...]] = COMMANDS) -> list[Timing]:
    """Each command once to warm up, then ``runs`` counted runs, the commands in turn.

    Parameters
    ----------
    runs : counted runs of each command, 1 or more
    commands : ``python -m cxcost`` argument lists

    Returns
    -------
    list[Timing]
        One per command, in the order given.
    """
    if runs < 1:
        raise ValueError(f"runs must be 1 or more, not {runs}")
    for command in commands:
        time_once(command)
    seconds: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            seconds[index].append(time_once(command))
    return [Timing(command, tuple(s)) for command, s in zip(commands, seconds, strict=True)]


def table(timings: Sequence[Timing]) -> str:
    """The timings as a Markdown table: command | median | p95 | target | verdict."""
    lines = [
        f"| command | median | p95 | target {TARGET_SECONDS:g} s | verdict |",
        "|---|---:|---:|---:|---|",
    ]
    for timing in timings:
        lines.append(
            f"| `python -m cxcost {' '.join(timing.command)}` | {timing.median:.3f} s "
            f"| {timing.p95:.3f} s | {TARGET_SECONDS:g} s | {timing.verdict} |"
        )
    return "\n".join(lines)


def _runs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number; allowed range 1 to 1000"
        ) from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"{text} is outside the allowed range 1 to 1000")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; exit status 1 if a median is over the target, 2 if a command fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=_runs, default=DEFAULT_RUNS,
        help=f"counted runs of each command, 1 to 1000 (default {DEFAULT_RUNS})",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} runs of each")
    args = parser.parse_args(argv)
    runs = QUICK_RUNS if args.quick else args.runs
    try:
        timings = run(runs)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    print(
        f"cxcost CLI start-up, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPU "
        f"cores, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; wall time of the whole process, {runs} runs of each "
        f"after one warm-up; 1-minute load average {load:.2f} at the end\n"
    )
    print(table(timings))
    return 1 if any(timing.verdict != "ok" for timing in timings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
