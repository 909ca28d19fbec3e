"""Benchmark: every hostile input of issue 15 at its door, against a 1 s bar.

Each case is one input from ``tests/hostile_corpus.py`` handed to the door a
user reaches it by (a share link, an upload or file, ``--set``, ``cxcost
validate``, the presets folder). Printed per case: CPU time (``time.process_time``,
median of the repeats), peak Python memory while it runs (``tracemalloc``), the
size of the answer a user sees and the number of problems listed, and the
verdict against the bar of 1 s of CPU and a 4 KB message.

The suite (``tests/test_hostile.py``) asserts bounded work instead of time, so
that noisy CI machines do not fail it; this script is where the seconds live.
Only public functions are called, so the same script measures an older checkout
(``PYTHONPATH=<old checkout> python benchmarks/bench_hostile.py``) for a before
and after table.

Run ``python benchmarks/bench_hostile.py``; exit status 1 if a case is over its bar.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

# Run as a script from a checkout, the repository root is not on sys.path.
_REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
for _folder in (_REPOSITORY_ROOT, _REPOSITORY_ROOT / "tests"):
    if str(_folder) not in sys.path:
        sys.path.append(str(_folder))

import hostile_corpus as corpus  # noqa: E402

from cxcost import cli  # noqa: E402
from cxcost.presets import (  # noqa: E402
    ScenarioError,
    apply_overrides,
    decode_link,
    list_presets,
    load_preset,
    scenario_from_dict,
    scenario_from_json,
)
from cxcost.scenario import Scenario  # noqa: E402

CPU_BAR_SECONDS = 1.0
MESSAGE_BAR_BYTES = 4096
BLOCK_TIMEOUT_SECONDS = 5.0


class HostileRow(TypedDict):
    name: str
    cpu_seconds: float
    peak_mib: float
    message_bytes: int
    problems: int
    verdict: str


Answer = tuple[int, int]
"""What a door answers: (message bytes, problems or stderr lines); (0, 0) if it accepts."""


def _library(func: Callable[[], object]) -> Callable[[], Answer]:
    def door() -> Answer:
        try:
            func()
        except ScenarioError as error:
            return len(str(error).encode("utf-8")), len(error.problems)
        return 0, 0

    return door


def _validate_cli(path: Path) -> Callable[[], Answer]:
    def door() -> Answer:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            cli.main(["validate", str(path)])
        return len(err.getvalue().encode("utf-8")), len(err.getvalue().splitlines())

    return door


class _BlockedError(Exception):
    """The door did not answer within BLOCK_TIMEOUT_SECONDS."""


def _finishes(door: Callable[[], Answer]) -> Callable[[], Answer]:
    """door, or _BlockedError if it blocks (a pipe opened for reading waits for a writer)."""

    def run() -> Answer:
        answers: list[Answer] = []
        thread = threading.Thread(target=lambda: answers.append(door()), daemon=True)
        thread.start()
        thread.join(BLOCK_TIMEOUT_SECONDS)
        if thread.is_alive():
            raise _BlockedError
        return answers[0]

    return run


def _cases(folder: Path) -> list[tuple[str, Callable[[], Answer]]]:
    nan_file = folder / "nan-profile.json"
    nan_file.write_text(corpus.nan_profile_json(), encoding="utf-8")
    big = folder / "big.json"
    big.write_bytes(corpus.oversize_json())
    odd = folder / "presets"
    odd.mkdir()
    (odd / "good.json").write_text(Scenario().model_dump_json(), encoding="utf-8")
    os.mkfifo(odd / "pipe.json")
    nan_text = corpus.nan_profile_json()
    nan_dict = {"schema_version": 3, "demand": {"arrival_profile": [float("nan")] * 200_000}}
    doors: dict[str, Callable[[], object]] = {
        "decode_link: NaN x 200,000 profile (1 KB link)": lambda: decode_link(
            corpus.nan_profile_link()
        ),
        "scenario_from_json: NaN x 200,000 profile (upload)": lambda: scenario_from_json(nan_text),
        "scenario_from_dict: NaN x 200,000 profile": lambda: scenario_from_dict(nan_dict),
        "apply_overrides: --set profile of NaN x 200,000": lambda: apply_overrides(
            Scenario(), corpus.nan_profile_override()
        ),
        "scenario_from_json: 100,000 unknown top-level keys": lambda: scenario_from_json(
            corpus.unknown_keys_json()
        ),
        "decode_link: 10,000 unknown top-level keys": lambda: decode_link(
            corpus.unknown_keys_link()
        ),
        "apply_overrides: 500 unknown --set paths": lambda: apply_overrides(
            Scenario(), corpus.unknown_keys_overrides(500)
        ),
        "apply_overrides: 10,000 unknown --set paths": lambda: apply_overrides(
            Scenario(), corpus.unknown_keys_overrides(10_000)
        ),
        "scenario_from_json: 60,000 sources that are numbers": lambda: scenario_from_json(
            corpus.bad_sources_json()
        ),
        "scenario_from_json: 60,000 legal sources": lambda: scenario_from_json(
            corpus.many_sources_json()
        ),
        "load_preset: a 3 MiB file": lambda: load_preset(big),
        "decode_link: a 2 MB link": lambda: decode_link(corpus.long_link()),
    }
    cases = [(name, _library(door)) for name, door in doors.items()]
    cases.insert(4, ("cxcost validate: NaN x 200,000 profile file", _validate_cli(nan_file)))
    cases.append(
        ("list_presets: a named pipe in the folder", _finishes(_library(lambda: list_presets(odd))))
    )
    return cases


def _cpu_seconds(door: Callable[[], Answer], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        door()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _peak_mib(door: Callable[[], Answer]) -> float:
    tracemalloc.start()
    try:
        door()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(repeat: int = 3) -> list[HostileRow]:
    """Measure every case; the verdict is against 1 s of CPU and a 4 KB message."""
    rows: list[HostileRow] = []
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, door in _cases(Path(folder)):
            try:
                message_bytes, problems = door()
            except _BlockedError:
                verdict = f"BLOCKED (no answer in {BLOCK_TIMEOUT_SECONDS:g} s)"
                rows.append(HostileRow(name=name, cpu_seconds=float("nan"), peak_mib=float("nan"),
                                       message_bytes=0, problems=0, verdict=verdict))  # fmt: skip
                continue
            seconds = _cpu_seconds(door, repeat)
            peak = _peak_mib(door)
            ok = seconds <= CPU_BAR_SECONDS and message_bytes < MESSAGE_BAR_BYTES
            rows.append(HostileRow(name=name, cpu_seconds=seconds, peak_mib=peak,
                                   message_bytes=message_bytes, problems=problems,
                                   verdict="ok" if ok else "OVER BAR"))  # fmt: skip
    return rows


def main() -> int:
    rows = run()
    print(f"bar: {CPU_BAR_SECONDS:g} s CPU and a message under {MESSAGE_BAR_BYTES:,} bytes")
    print(f"{'case':<56} {'CPU s':>7} {'peak MiB':>9} {'message B':>11} {'problems':>9}  verdict")
    for row in rows:
        print(
            f"{row['name']:<56} {row['cpu_seconds']:>7.3f} {row['peak_mib']:>9.1f} "
            f"{row['message_bytes']:>11,} {row['problems']:>9,}  {row['verdict']}"
        )
    return 0 if all(row["verdict"] == "ok" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
