"""Small tasks for the background pool's tests; importable by its worker processes."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path


def square(x: float) -> float:
    """x squared."""
    return x * x


def logged(x: int, log: str, seconds: float = 0.0) -> int:
    """Append ``x`` to the file ``log`` (which runs happened), after ``seconds``."""
    time.sleep(seconds)
    with Path(log).open("a", encoding="utf-8") as handle:
        handle.write(f"{x}\n")
    return x


def niceness() -> int:
    """This process's niceness."""
    return os.nice(0)


def refuse(x: float) -> float:
    """Raise the model's kind of error."""
    raise ValueError(f"x = {x} is outside 0-1")


def die(x: int) -> int:
    """End the worker process abruptly."""
    os._exit(3)


def ran(log: str) -> list[int]:
    """The ``x`` values ``logged`` ran with, in order."""
    path = Path(log)
    return [int(line) for line in path.read_text(encoding="utf-8").split()] if path.exists() else []


def modules() -> list[str]:
    """The modules the worker process has imported."""
    return sorted(sys.modules)


def threads() -> list[str]:
    """The names of the worker process's threads."""
    return [thread.name for thread in threading.enumerate()]
