"""A brief run of the CLI start-up benchmark (benchmarks/bench_cli_start.py), so it cannot rot.

It asserts that every command ran and has its row, never a speed: the figures and
their verdicts are in docs/performance.md ("CLI start-up").
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent

bench_cli_start = load_script("benchmarks", "bench_cli_start")

_ROW = re.compile(r"^\| `python -m cxcost (?P<command>[^`]+)` \| (?P<median>[0-9.]+) s \| "
                  r"(?P<p95>[0-9.]+) s \| 0\.7 s \| (?P<verdict>ok|OVER TARGET) \|$")  # fmt: skip


@pytest.mark.slow
def test_the_quick_run_prints_a_row_for_every_command() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_cli_start.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    # Exit status 1 only flags a median over the target, which a busy machine may see.
    assert run.returncode in (0, 1), run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert "3 runs of each" in lines[0]
    header = lines.index("| command | median | p95 | target 0.7 s | verdict |")
    rows = [_ROW.match(line) for line in lines[header + 2 :] if line.startswith("| ")]
    assert all(rows), lines[header + 2 :]
    assert [row["command"] for row in rows if row] == [
        " ".join(command) for command in bench_cli_start.COMMANDS
    ]
    for row in rows:
        assert row is not None
        assert 0 < float(row["median"]) <= float(row["p95"])
    assert "Traceback" not in run.stderr


def test_the_table_judges_the_median_against_the_target() -> None:
    timings = [
        bench_cli_start.Timing(("presets",), (0.30, 0.20, 0.90)),
        bench_cli_start.Timing(("evaluate", "x"), (0.80, 0.75, 0.60)),
    ]
    rows = bench_cli_start.table(timings).splitlines()[2:]
    assert rows == [
        "| `python -m cxcost presets` | 0.300 s | 0.840 s | 0.7 s | ok |",
        "| `python -m cxcost evaluate x` | 0.750 s | 0.795 s | 0.7 s | OVER TARGET |",
    ]


def test_a_failing_command_stops_the_benchmark_with_its_message() -> None:
    with pytest.raises(RuntimeError, match="no-such-preset"):
        bench_cli_start.time_once(("evaluate", "no-such-preset"))
    with pytest.raises(ValueError, match="runs must be 1 or more"):
        bench_cli_start.run(0)


@pytest.mark.slow
def test_the_performance_suite_has_a_cli_start_up_row() -> None:
    """benchmarks/run.py's table times ``evaluate`` of the default preset against 0.7 s."""
    suite = load_script("benchmarks", "run")
    (row,) = suite.cli_rows(1)
    assert row.what == "CLI start-up, python -m cxcost evaluate us-ecommerce"
    assert (row.against_seconds, row.is_limit, row.repeats) == (0.7, True, 3)
    assert row.seconds > 0
    assert row.verdict in ("ok", "OVER LIMIT")
