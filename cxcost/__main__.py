"""``python -m cxcost``: the command-line interface (see :mod:`cxcost.cli`).

Start-up (issue 16, docs/performance.md "CLI start-up"): importing pydantic, NumPy
and SciPy builds some 60,000 objects that live as long as the process, and the
cyclic garbage collector, at its default threshold of 700 new container objects,
runs about 140 times while ``evaluate`` builds them; at exit the interpreter
collects them all once more. For this short-lived process the young generation's
threshold is raised to ``START_UP_GC_THRESHOLD`` (``evaluate`` then runs no
collection; a long command still collects its cycles, 100,000 objects apart), and
what is alive when the command returns is frozen (``gc.freeze``), which the final
collections skip. Both change only when cycles are collected, never what a command
prints.
"""

from __future__ import annotations

import gc
from typing import Final

START_UP_GC_THRESHOLD: Final = 100_000
"""New container objects between two young-generation collections (Python's default 700)."""


def run() -> int:
    """Run the command line with the garbage collector tuned for a short process.

    Returns
    -------
    int
        The exit status of :func:`cxcost.cli.main`.
    """
    gc.set_threshold(START_UP_GC_THRESHOLD)
    from cxcost.cli import main

    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":
    raise SystemExit(run())
