"""The repository's scripts (benchmarks/, examples/) imported as modules for the tests,
and probes run in a fresh interpreter.

Neither folder is a package; a script is loaded once per process from its file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load_script(folder: str, name: str) -> ModuleType:
    """``ROOT/folder/name.py`` as the module ``name`` (the one already loaded, if any)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / folder / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_fresh(probe: str, *argv: str, timeout: float = 300) -> dict[str, Any]:
    """Run ``probe`` (Python code) with ``argv`` in a new interpreter in the checkout, for
    what a fresh process imports; its last line of output is a JSON object, returned."""
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return report
