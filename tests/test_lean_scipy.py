"""SciPy imported without NumPy's unused submodules (``cxcost._lean_scipy``, issue 16's
CLI start-up): what a fresh process imports, and that NumPy is left as it was."""

from __future__ import annotations

from typing import Any

import numpy as np
from scripts import run_fresh

from cxcost._lean_scipy import UNUSED_NUMPY_SUBMODULES, lean_numpy_namespace

_PROBE = """
import json, sys
import numpy
import {module}
from scipy import special
print(json.dumps({{
    "modules": sorted(sys.modules),
    "all": list(numpy.__all__),
    "dir": sorted(dir(numpy)),
    "gammaln": float(special.gammaln(10.5)),
}}))
"""


def _fresh(module: str) -> dict[str, Any]:
    return run_fresh(_PROBE.format(module=module))


def test_the_model_imports_scipy_without_numpys_unused_submodules() -> None:
    lean = _fresh("cxcost.queueing")
    plain = _fresh("scipy.special")
    lean_modules, plain_modules = set(lean["modules"]), set(plain["modules"])
    unused = {f"numpy.{name}" for name in UNUSED_NUMPY_SUBMODULES}
    # Without the context SciPy imports them (else this test would prove nothing) ...
    assert {"numpy.f2py", "numpy.testing", "numpy.random", "unittest"} <= plain_modules
    # ... with it, none, and NumPy's lists are as they were.
    assert lean_modules.isdisjoint(unused | {"unittest", "charset_normalizer"})
    assert sorted(lean["all"]) == sorted(plain["all"])
    assert lean["dir"] == plain["dir"]
    assert lean["gammaln"] == plain["gammaln"]


def test_calibration_imports_scipy_lean_too() -> None:
    modules = set(_fresh("cxcost.calibrate.fit")["modules"])
    assert {"scipy.stats", "scipy.optimize"} <= modules
    assert "numpy.f2py" not in modules


def test_numpy_is_untouched_once_scipy_is_imported() -> None:
    before_all, before_dir = list(np.__all__), sorted(dir(np))
    with lean_numpy_namespace():  # scipy.special is imported in this process already
        assert list(np.__all__) == before_all
        assert sorted(dir(np)) == before_dir
    assert np.random.default_rng(7).integers(10) == np.random.default_rng(7).integers(10)
