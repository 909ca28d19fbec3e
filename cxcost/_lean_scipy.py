"""Import SciPy without the NumPy submodules its array-API layer pulls in.

SciPy 1.17's ``scipy.special`` (and with it ``scipy.stats`` and
``scipy.optimize``) imports its vendored ``array_api_compat.numpy`` on first
import, which copies NumPy's namespace with ``from numpy import *`` and a
``getattr`` of every name in ``dir(numpy)``. Both lists name NumPy's lazily
loaded submodules, so the copy imports ``numpy.f2py`` (and ``charset_normalizer``),
``numpy.testing`` (and ``unittest``), ``numpy.ma``, ``numpy.random``,
``numpy.polynomial`` and a few more that cxcost and SciPy's own code never reach
through that namespace: 123 modules, about 140 ms of every ``python -m cxcost
evaluate`` (0.36 s against 0.22 s for ``from scipy import special`` on the 2-core
build machine, docs/performance.md "CLI start-up").

:func:`lean_numpy_namespace` hides those submodule names from NumPy's ``__all__``
and ``__dir__`` for the length of an import and puts them back afterwards. NumPy
itself is untouched: ``numpy.random`` and the rest still import on first use. Once
SciPy is imported the copy is made and the context does nothing more. The names are
hidden process-wide for the length of that one import (about 0.2 s, once per
process, in the app's warm-up thread or a worker's start); of what a cxcost process
imports, only SciPy's array-API layer reads NumPy's ``__all__`` or ``dir()``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

import numpy as np

UNUSED_NUMPY_SUBMODULES: Final = frozenset(
    {"char", "ctypeslib", "f2py", "ma", "polynomial", "random", "rec", "strings", "test", "testing"}
)
"""NumPy's lazily loaded submodules that SciPy's array-API copy of NumPy need not
import: none is part of the array API, and SciPy's code reaches them through
``numpy`` itself (``numpy.testing`` only in its own tests, on CuPy and PyTorch)."""


@contextmanager
def lean_numpy_namespace() -> Iterator[None]:
    """Hide :data:`UNUSED_NUMPY_SUBMODULES` from ``from numpy import *`` and ``dir(numpy)``.

    For use around the first import of ``scipy``'s subpackages only; does nothing
    when ``scipy.special`` is already imported (the copy is made once per process).
    """
    namespace = vars(np)
    public: list[str] | None = namespace.get("__all__")
    listing: Callable[[], list[str]] | None = namespace.get("__dir__")
    if "scipy.special" in sys.modules or public is None or listing is None:
        yield
        return
    namespace["__all__"] = [name for name in public if name not in UNUSED_NUMPY_SUBMODULES]
    namespace["__dir__"] = lambda: [
        name for name in listing() if name not in UNUSED_NUMPY_SUBMODULES
    ]
    try:
        yield
    finally:
        namespace["__all__"] = public
        namespace["__dir__"] = listing
