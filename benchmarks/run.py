"""The performance suite: one table, every figure next to its peer or its limit.

Measured in one run on this machine (medians over repeats, wall time):

- the Erlang C and Erlang A service-level curves over 1..2,000 agents at
  20,000 calls/h, against one call per agent count (``bench_erlang.run()``:
  pyworkforce's ``ErlangC`` for Erlang C, cxcost's own scalar call for Erlang A);
- ``erlang_a_redials`` and ``expected_wait_response`` over a week of hours x 20
  staffing candidates, limit 0.1 s each (``bench_redials.run()``);
- the e-mail backlog week for 60 staffing candidates (``bench_backlog.run()``),
  limit 5 ms;
- ``evaluate`` of every preset, against the app's 300 ms rerun budget (it runs in
  every rerun);
- ``optimize`` of every preset (staffing, training and the practice levers, and the
  staffing and training alone), limit 0.5 s; ``rank_actions``, limit 1 s;
- a Monte Carlo of 100,000 draws with the optimiser's plan as the proposal,
  limit 1 s;
- a warm PNG export of the staffing chart at scale 2 (``cxcost.report.images``,
  the browser already started), limit 0.5 s; and the cold first image, no limit;
- the CLI's start-up, ``python -m cxcost evaluate`` of the default preset as a whole
  process, against issue 16's 0.7 s (``bench_cli_start.run()``; its own script
  also times ``presets``, ``validate`` and ``evaluate --format json``);
- the app's rerun after a slider change, server side (``streamlit.testing``'s
  ``AppTest``: ``at.run()`` after moving the phone-representatives slider to a
  value not seen before, so no cached result is reused), limit 0.3 s, per preset.

Usage::

    python benchmarks/run.py            # the full table (about a minute)
    python benchmarks/run.py --quick    # one repeat, default preset only (a smoke run)

Exit status 1 if a figure is over its limit.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_erlang import median_seconds  # noqa: E402

from cxcost.actions import rank_actions  # noqa: E402
from cxcost.evaluate import evaluate  # noqa: E402
from cxcost.optimize import cost_curve, optimize  # noqa: E402
from cxcost.presets import DEFAULT_PRESET, list_presets, load_preset  # noqa: E402
from cxcost.uncertainty import monte_carlo  # noqa: E402

RERUN_LIMIT = 0.3
OPTIMIZE_LIMIT = 0.5
ACTIONS_LIMIT = 1.0
"""The ranked action list of a preset [s]: the Practices tab waits for it (issue 12)."""
MONTE_CARLO_LIMIT = 1.0
PNG_LIMIT = 0.5
MONTE_CARLO_DRAWS = 100_000
PHONE_SLIDER = "in.channels.0.representatives"
PRESET_SELECT = "ui.preset"


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure and what it is measured against."""

    what: str
    seconds: float
    against: str
    against_seconds: float | None = None
    is_limit: bool = False
    repeats: int = 1

    @property
    def verdict(self) -> str:
        if self.against_seconds is None:
            return ""
        if self.is_limit:
            return "ok" if self.seconds <= self.against_seconds else "OVER LIMIT"
        return f"{self.against_seconds / self.seconds:,.0f}x faster"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def erlang_rows(quick: bool) -> list[Row]:
    import bench_erlang

    rows = bench_erlang.run(repeat_fast=3 if quick else 50, repeat_slow=1 if quick else 5)
    return [
        Row(
            what=row["name"].replace(" (vectorised)", "").replace("service-level", "SL")
            + f" at {bench_erlang.ARRIVALS_PER_HOUR:,.0f} calls/h",
            seconds=row["seconds"],
            against=row["peer"] or "",
            against_seconds=row["peer_seconds"],
            repeats=3 if quick else 50,
        )
        for row in rows
    ]


def redial_rows(quick: bool) -> list[Row]:
    import bench_redials

    repeat = 3 if quick else 21
    return [
        Row(
            what=row["name"],
            seconds=row["seconds"],
            against="limit",
            against_seconds=row["bar_seconds"],
            is_limit=True,
            repeats=repeat,
        )
        for row in bench_redials.run(repeat=repeat)
    ]


def backlog_rows(quick: bool) -> list[Row]:
    import bench_backlog

    return [
        Row(row["name"], row["seconds"], "limit", row["limit_seconds"], True, 3 if quick else 50)
        for row in bench_backlog.run(repeat=3 if quick else 50)
    ]


def model_rows(stems: Sequence[str], repeat: int) -> list[Row]:
    rows: list[Row] = []
    for stem in stems:
        scenario = load_preset(stem)
        seconds = median_seconds(functools.partial(evaluate, scenario), repeat * 4)
        rows.append(Row(f"evaluate {stem}", seconds, "rerun budget", RERUN_LIMIT, True, repeat * 4))
    for stem in stems:
        scenario = load_preset(stem)
        seconds = median_seconds(functools.partial(optimize, scenario), repeat)
        rows.append(Row(f"optimize {stem}", seconds, "limit", OPTIMIZE_LIMIT, True, repeat))
    for stem in stems:
        scenario = load_preset(stem)
        staffing_only = functools.partial(optimize, scenario, practices=False)
        seconds = median_seconds(staffing_only, repeat)
        rows.append(
            Row(f"optimize {stem}, staffing alone", seconds, "limit", OPTIMIZE_LIMIT, True, repeat)
        )
        seconds = median_seconds(functools.partial(rank_actions, scenario), repeat)
        rows.append(Row(f"rank_actions {stem}", seconds, "limit", ACTIONS_LIMIT, True, repeat))
    for stem in stems:
        scenario = load_preset(stem)
        plan = optimize(scenario).scenario
        seconds = median_seconds(
            functools.partial(monte_carlo, scenario, plan, draws=MONTE_CARLO_DRAWS), repeat
        )
        rows.append(
            Row(
                f"Monte Carlo {MONTE_CARLO_DRAWS:,} draws + proposal, {stem}",
                seconds,
                "limit",
                MONTE_CARLO_LIMIT,
                True,
                repeat,
            )
        )
    return rows


def cli_rows(repeat: int) -> list[Row]:
    """``python -m cxcost evaluate`` of the default preset, a whole process (issue 16)."""
    import bench_cli_start

    runs = max(repeat, bench_cli_start.QUICK_RUNS)
    (timing,) = bench_cli_start.run(runs, [("evaluate", DEFAULT_PRESET)])
    return [
        Row(f"CLI start-up, python -m cxcost evaluate {DEFAULT_PRESET}", timing.median,
            "limit", bench_cli_start.TARGET_SECONDS, True, runs)
    ]  # fmt: skip


def export_rows(repeat: int) -> list[Row]:
    from cxcost.report import charts, images

    if not images.browser_available():
        return [Row("PNG export", float("nan"), images.missing_browser_message())]
    scenario = load_preset(DEFAULT_PRESET)
    figure = charts.staffing_curve_figure(cost_curve(scenario, 0))
    renderer = images.ChartRenderer()
    try:
        started = time.perf_counter()
        images.figure_to_image(figure, "png", scale=2, renderer=renderer, timeout_seconds=60)
        cold = time.perf_counter() - started
        warm = median_seconds(
            lambda: images.figure_to_image(figure, "png", scale=2, renderer=renderer),
            repeat * 3,
            warmup=1,
        )
    finally:
        renderer.close()
    return [
        Row("PNG export, staffing chart at 2x, warm browser", warm, "limit", PNG_LIMIT, True,
            repeat * 3),
        Row("PNG export, first image (starts the browser)", cold, "no limit"),
    ]  # fmt: skip


def rerun_rows(stems: Sequence[str], repeat: int) -> list[Row]:
    """``at.run()`` after a slider change, per preset (server time, no browser)."""
    from streamlit.testing.v1 import AppTest

    rows: list[Row] = []
    for stem in stems:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        app.run()
        app.run()  # the run a new page asks for: the sidebar's controls and inputs
        app.selectbox(key=PRESET_SELECT).set_value(stem).run()
        if app.exception:
            raise RuntimeError(f"the app failed on {stem}: {app.exception[0].value}")
        slider = app.slider(key=PHONE_SLIDER)
        value, step_value = slider.value, slider.step or 0.5
        assert isinstance(value, int | float), value  # a one-number slider
        assert isinstance(step_value, int | float), step_value
        start, step, high = float(value), float(step_value), float(slider.max)
        direction = 1.0 if start + (repeat + 2) * step <= high else -1.0
        times = []
        for move in range(1, repeat + 2):
            value = start + direction * move * step
            slider = app.slider(key=PHONE_SLIDER).set_value(value)
            started = time.perf_counter()
            slider.run()
            elapsed = time.perf_counter() - started
            if app.exception:
                raise RuntimeError(f"the app failed on {stem}: {app.exception[0].value}")
            if move > 1:  # the first move also warms this preset's code paths
                times.append(elapsed)
        rows.append(
            Row(f"app rerun after a slider move, {stem}", statistics.median(times),
                "limit", RERUN_LIMIT, True, len(times))
        )  # fmt: skip
    return rows


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| benchmark | median | against | peer / limit | verdict |",
        "|---|---:|---|---:|---|",
    ]
    for row in rows:
        against = _ms(row.against_seconds) if row.against_seconds is not None else ""
        lines.append(
            f"| {row.what} | {_ms(row.seconds)} | {row.against} | {against} | {row.verdict} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; exit status 1 if a figure is over its limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repeat, default preset only")
    parser.add_argument("--repeat", type=int, default=7, help="repeats per slow figure")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    stems = (
        [DEFAULT_PRESET]
        if args.quick
        else [entry.stem for entry in list_presets() if entry.error is None]
    )
    warnings.simplefilter("ignore")
    rows = [
        *erlang_rows(args.quick),
        *redial_rows(args.quick),
        *backlog_rows(args.quick),
        *model_rows(stems, repeat),
        *cli_rows(repeat),
        *export_rows(repeat),
        *rerun_rows(stems, repeat),
    ]
    print(
        f"cxcost performance, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} CPU cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; medians of {repeat} or more runs\n"
    )
    print(table(rows))
    return 1 if any(row.verdict == "OVER LIMIT" for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
