"""What every command shares: exit status, printable output, bad input, loading a PRESET.

A command registers its handler with ``parser.set_defaults(func=handler)``, where
``handler(args) -> int`` may raise :class:`CliError` or
:class:`~cxcost.presets.ScenarioError` for bad input; :func:`load_scenario` loads a
PRESET argument with its ``--set`` values.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from cxcost.presets import ScenarioError, apply_overrides, load_preset
from cxcost.scenario import Scenario

EXIT_OK = 0
EXIT_BAD_INPUT = 2

Handler = Callable[[argparse.Namespace], int | None]

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides and isolates that reorder a terminal line ("Trojan Source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""Text as it may reach a terminal: control characters written as ``\uXXXX``.

    A scenario name such as ``"Safe\x1b[2K\r..."`` would otherwise clear the
    line, move the cursor or recolour the terminal. ``\uXXXX`` is also a valid
    escape inside a JSON string, so JSON output stays valid JSON.

    Examples
    --------
    >>> printable("Safe\x1b[2K\rALL OK\tdone\n")
    'Safe\\u001b[2K\\u000dALL OK\tdone\n'
    """
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class _PrintableStream:
    """A text stream that writes everything through :func:`printable`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Every command's stdout and stderr through :func:`printable`, argparse's too."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = _PrintableStream(stdout)
    sys.stderr = _PrintableStream(stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def grid(header: Sequence[str], body: Sequence[Sequence[str]], out: TextIO) -> None:
    """A table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        numbers = [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        cells = [row[0].ljust(widths[0]), *numbers]
        print("  " + "  ".join(cells).rstrip(), file=out)


class CliError(Exception):
    """Bad input for a command; each line is printed on stderr, exit status 2."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def load_scenario(preset: str, assignments: Sequence[str] = ()) -> Scenario:
    """Load a PRESET argument (stem or path) and apply its ``--set`` assignments.

    Parameters
    ----------
    preset : a preset stem such as ``us-ecommerce`` or a path to a scenario file
    assignments : ``PATH=VALUE`` strings from ``--set``

    Returns
    -------
    Scenario

    Raises
    ------
    CliError
        One line per problem, prefixed with the file or ``--set``.
    """
    try:
        scenario = load_preset(preset)
    except ScenarioError as error:
        raise CliError([f"{preset}: {problem}" for problem in error.problems]) from None
    try:
        return apply_overrides(scenario, assignments)
    except ScenarioError as error:
        raise CliError([f"--set {problem}" for problem in error.problems]) from None


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table for people (default) or json with the model's field names",
    )


def add_set(parser: argparse.ArgumentParser, what: str = "the scenario") -> None:
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help=f"override one field of {what} by its dotted path, e.g. "
        "channels.0.representatives=40 (repeatable)",
    )
