"""CLI start-up (issue 16): what ``presets``, ``validate`` and ``evaluate`` import.

Each command runs in a fresh Python process (the CLI's ``main`` in-process, then
``sorted(sys.modules)``), because in the test process every module is loaded already.
No timing here: the start-up times are ``benchmarks/bench_cli_start.py``'s and
docs/performance.md's ("CLI start-up"). Each lazy import the start-up depends on has
its line below, so moving one back to a module's top fails a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scripts import run_fresh

from cxcost.presets import PRESETS_DIR

ROOT = Path(__file__).resolve().parent.parent

NEVER = ("streamlit", "plotly", "kaleido", "choreographer", "fpdf", "openpyxl", "pandas")
"""Top-level packages none of the three commands may import: the app and the export stack."""
LIGHT_REPORT_MODULES = frozenset({"cxcost.report", "cxcost.report.formats"})
"""The report package and its table of format names, which the parser reads for
``report --formats``; every other ``cxcost.report`` module is the export stack."""
TABLE_TEXT_MODULES = frozenset({"cxcost.report.rows", "cxcost.report.content"})
"""The text helpers the evaluate table borrows (row labels, the total-cost sentence)."""
MODEL = ("numpy", "scipy", "cxcost.evaluate", "cxcost.queueing")
OPTIMISER = ("cxcost.optimize", "cxcost.actions", "cxcost.uncertainty", "cxcost.report.levers")
CATALOG_READERS = ("babel.messages", "babel.support")
"""Babel's ``.po`` reader and gettext wrapper: loaded when a string is first read."""
PO_READER = ("babel.messages",)
"""Babel's ``.po`` reader and ``.mo`` writer: a command that prints text reads the
shipped ``.mo`` (``cxcost.i18n._compiled``) unless a ``.po`` was edited since."""

_PROBE = """
import contextlib, io, json, sys
import cxcost.cli
with contextlib.redirect_stdout(io.StringIO()) as out:
    status = cxcost.cli.main(sys.argv[1:])
print(json.dumps({"status": status, "stdout": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _run_fresh(*argv: str) -> dict[str, Any]:
    """``cxcost.cli.main(argv)`` in a new interpreter: its status, stdout and modules."""
    return run_fresh(_PROBE, *argv)


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The names (packages count with their submodules) that are among ``modules``."""
    return sorted(
        name for name in names if any(m == name or m.startswith(name + ".") for m in modules)
    )


PRESET_FILE = str(PRESETS_DIR / "us-ecommerce.json")


@pytest.mark.parametrize(
    ("argv", "absent", "report_modules"),
    [
        (["presets"], MODEL + OPTIMISER + CATALOG_READERS, LIGHT_REPORT_MODULES),
        (["validate", PRESET_FILE], MODEL + OPTIMISER + CATALOG_READERS, LIGHT_REPORT_MODULES),
        (["evaluate", "us-ecommerce"], OPTIMISER + PO_READER,
         LIGHT_REPORT_MODULES | TABLE_TEXT_MODULES),
        (["evaluate", "us-ecommerce", "--format", "json"],
         ("cxcost.compare", *OPTIMISER, *CATALOG_READERS), LIGHT_REPORT_MODULES),
    ],
    ids=["presets", "validate", "evaluate", "evaluate-json"],
)  # fmt: skip
def test_a_light_command_imports_only_what_it_needs(
    argv: list[str], absent: tuple[str, ...], report_modules: frozenset[str]
) -> None:
    report = _run_fresh(*argv)
    assert report["status"] == 0
    assert report["stdout"].strip()
    modules = set(report["modules"])
    assert _loaded(modules, NEVER) == []
    assert _loaded(modules, ("cxcost.ui",)) == []
    assert {m for m in modules if m.startswith("cxcost.report")} <= report_modules
    assert _loaded(modules, absent) == []


def test_evaluate_loads_the_model_it_runs() -> None:
    """The probe sees lazily imported modules once a command needs them: the model here."""
    modules = set(_run_fresh("evaluate", "us-ecommerce", "--format", "json")["modules"])
    assert _loaded(modules, MODEL) == sorted(MODEL)


@pytest.mark.slow
def test_report_in_a_fresh_process_loads_the_export_stack_and_writes(tmp_path: Path) -> None:
    """``report`` imports the stack the light commands leave out, when it runs."""
    out = tmp_path / "out"
    report = _run_fresh("report", "us-ecommerce", "--out", str(out), "--formats", "xlsx")
    assert report["status"] == 0
    workbook = out / "us-ecommerce-workbook.xlsx"
    assert report["stdout"].split() == [str(workbook)]
    assert workbook.read_bytes()[:2] == b"PK"  # an xlsx is a zip archive
    assert _loaded(set(report["modules"]), ("openpyxl", "cxcost.report.xlsx")) == [
        "cxcost.report.xlsx",
        "openpyxl",
    ]


_MAIN_PROBE = """
import contextlib, gc, io, json, runpy, sys
sys.argv = ["cxcost", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        runpy.run_module("cxcost", run_name="__main__")
    except SystemExit as exit_:
        status = exit_.code
print(json.dumps({"status": status, "threshold": gc.get_threshold()[0],
                  "frozen": gc.get_freeze_count()}))
"""


def test_python_m_cxcost_tunes_the_garbage_collector_for_a_short_process() -> None:
    """``python -m cxcost`` raises the young generation's threshold before the imports
    and freezes what is alive at the end, so the exit's collections skip it."""
    report = run_fresh(_MAIN_PROBE, "evaluate", "us-ecommerce", "--format", "json")
    assert report["status"] == 0
    assert report["threshold"] == 100_000
    assert report["frozen"] > 10_000  # the model's modules, classes and the result
