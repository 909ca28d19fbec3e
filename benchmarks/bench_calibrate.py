"""Benchmark: calibrating from a 10-million-row and a 100,000-row contact log (Parquet).

For each size, a synthetic log (``examples/generate_contacts.py``, seed 1) is
written as Parquet, then a fresh Python process runs
``cxcost.calibrate.calibrate`` on the file with a complaint log beside it. The
child reports the time calibrate() takes (wall clock, imports excluded); the
parent reads the child's peak resident memory (``ru_maxrss`` from ``os.wait4``,
the whole process: interpreter, libraries and data). Bars:

- 10,000,000 rows: under 30 s and under 2 GB peak memory;
- 100,000 rows: under 2 s.

Usage::

    python benchmarks/bench_calibrate.py            # both sizes (a few minutes)
    python benchmarks/bench_calibrate.py --quick    # 20,000 rows, no bars (a smoke run)

Exit status 1 if a figure is over its bar.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "examples" / "generate_contacts.py"

SIZES = ((10_000_000, 30.0, 2e9), (100_000, 2.0, None))
"""Rows, bar on calibrate() [s], bar on peak memory [bytes] (None: no bar)."""
QUICK_SIZES = ((20_000, None, None),)

_CHILD = """
import json, sys, time
sys.path.insert(0, {examples!r})
from generate_contacts import TRUE_PARAMETERS, customers_for
from cxcost.calibrate import calibrate
base = TRUE_PARAMETERS.scenario(customers_for({rows}))
start = time.perf_counter()
result = calibrate({contacts!r}, complaints={complaints!r}, base=base, name="contacts.parquet")
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "rows": result.rows, "values": len(result.values)}}))
"""


@dataclass(frozen=True)
class Figure:
    """One measured size."""

    rows: int
    seconds: float
    peak_bytes: int
    limit_seconds: float | None
    limit_bytes: float | None
    file_bytes: int

    @property
    def ok(self) -> bool:
        """Whether both figures are within their bars."""
        fast = self.limit_seconds is None or self.seconds <= self.limit_seconds
        small = self.limit_bytes is None or self.peak_bytes <= self.limit_bytes
        return fast and small


def _generate(rows: int, out: Path) -> tuple[Path, Path]:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--rows", str(rows), "--seed", "1",
         "--out", str(out), "--format", "parquet"],
        check=True, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    return out / "contacts.parquet", out / "complaints.parquet"


def measure(rows: int, folder: Path) -> tuple[float, int, int]:
    """Seconds calibrate() takes, the child's peak memory [bytes], the file's size [bytes]."""
    contacts, complaints = _generate(rows, folder / str(rows))
    script = _CHILD.format(
        examples=str(ROOT / "examples"), rows=rows, contacts=str(contacts),
        complaints=str(complaints),
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # wait4, not communicate: it returns the child's own resource usage.
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=errors, env=env
        )
        assert child.stdout is not None
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise RuntimeError(f"calibration of {rows:,} rows failed:\n{message}")
    report = json.loads(out.decode().strip().splitlines()[-1])
    # ru_maxrss is in kilobytes on Linux.
    return float(report["seconds"]), int(usage.ru_maxrss) * 1024, contacts.stat().st_size


def run(quick: bool = False) -> list[Figure]:
    """Measure every size; quick: one small size without bars."""
    figures = []
    with tempfile.TemporaryDirectory(prefix="cxcost-bench-") as folder:
        for rows, limit_seconds, limit_bytes in QUICK_SIZES if quick else SIZES:
            seconds, peak, size = measure(rows, Path(folder))
            figures.append(Figure(rows, seconds, peak, limit_seconds, limit_bytes, size))
    return figures


def _bar(limit: float | None, unit: str) -> str:
    return "no bar" if limit is None else f"bar {limit:g} {unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small log, no bars")
    args = parser.parse_args(argv)
    figures = run(quick=args.quick)
    for f in figures:
        limit_gb = None if f.limit_bytes is None else f.limit_bytes / 1e9
        print(
            f"calibrate, {f.rows:,} rows (Parquet, {f.file_bytes / 1e6:.0f} MB): "
            f"{f.seconds:.2f} s ({_bar(f.limit_seconds, 's')}), "
            f"peak memory {f.peak_bytes / 1e9:.2f} GB ({_bar(limit_gb, 'GB')}): "
            f"{'ok' if f.ok else 'over the bar'}"
        )
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
