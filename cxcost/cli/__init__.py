"""Command-line interface: ``python -m cxcost <command> ...``.

Commands
--------
evaluate PRESET   the model's Result for a preset or scenario file
optimize PRESET   representatives and training that minimise total CX cost
uncertainty PRESET   P10/P50/P90, probability of paying off, tornado and break-even
    of the recommended plan
staffing PRESET   representatives needed hour by hour for a target service level
compare BASE PROPOSAL   net benefit, ROI, payback and NPV of a change
presets           the shipped presets with one-line descriptions
schema            the JSON Schema of a scenario file
validate FILE...  check scenario files: ``ok`` or every problem with its field path
link PRESET       the share link of a scenario and its length
report PRESET...  the PDF summary, HTML report, workbook and chart images
calibrate CONTACTS   fit a scenario's assumptions from a contact log (and a
    complaint log); ``--out`` writes the calibrated scenario

Money figures are per year, steady state, with one-off costs spread over the
horizon (``cxcost.compare.YEARLY_BASIS``), or an NPV over the horizon's years;
every table says which.

PRESET is a preset stem (``us-ecommerce``) or a path to a JSON file. Where a
command takes ``--set PATH=VALUE``, the value overrides one field by its dotted
path (``channels.0.representatives=40``).

Exit status: 0 on success, 2 for bad input (missing file, malformed JSON, a
value out of range, an unknown ``--set`` path, a bad option). Bad input is
reported on stderr, one line per problem naming the field, the value and the
allowed range, never as a traceback.

The CLI is the top layer beside ``app.py``: ``cxcost.cli.model`` holds the model's
commands, ``cxcost.cli.report`` the ``report`` command (which imports the export
stack only when it runs), ``cxcost.cli.calibrate`` the ``calibrate`` command,
``cxcost.cli.common`` what they share. Nothing below
imports the CLI.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from cxcost.cli.actions import add_actions_command
from cxcost.cli.calibrate import add_calibrate_command
from cxcost.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CliError,
    Handler,
    load_scenario,
    printable,
    printable_output,
)
from cxcost.cli.model import add_model_commands
from cxcost.cli.report import add_report_command
from cxcost.presets import MigrationWarning, ScenarioError

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "CliError",
    "build_parser",
    "load_scenario",
    "main",
    "printable",
]


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    """The argument parser of ``python -m cxcost`` and its subparsers.

    Returns
    -------
    (ArgumentParser, subparsers action)
    """
    parser = argparse.ArgumentParser(
        prog="python -m cxcost",
        description="What slow, rude and dismissive service costs in lost customers, "
        "against the cost of representatives and training.",
        epilog="PRESET is a preset name (see 'presets') or a path to a scenario JSON file. "
        "Exit status 2 means bad input; the problems are listed on stderr.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_model_commands(commands)
    add_report_command(commands)
    add_calibrate_command(commands)
    add_actions_command(commands)
    return parser, commands


def _problem_lines(error: ValueError) -> list[str]:
    if isinstance(error, ValidationError):
        return str(ScenarioError.from_validation_error(error)).splitlines()
    return str(error).splitlines() or [type(error).__name__]


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    for warning in caught:
        if issubclass(warning.category, MigrationWarning):
            print(f"note: {warning.message}", file=sys.stderr)
        else:
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : arguments without the program name (default: ``sys.argv[1:]``)

    Returns
    -------
    int
        0 on success, 2 for bad input (reported on stderr, one line per problem).
    """
    with printable_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser, _ = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    handler: Handler = args.func
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MigrationWarning)
        try:
            status = handler(args)
        except CliError as error:
            lines = error.lines
        except ValueError as error:  # ScenarioError, ValidationError, model argument checks
            lines = _problem_lines(error)
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            # The reader (e.g. `| head`) has gone: stop quietly, as the Python docs advise.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
        else:
            _report_warnings(caught)
            return EXIT_OK if status is None else status
    _report_warnings(caught)
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT
