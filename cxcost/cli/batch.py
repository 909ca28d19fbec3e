"""Several scenarios in one call: PRESET arguments and folders, one row per scenario.

``evaluate``, ``optimize`` and ``report`` take several PRESETs: preset names,
scenario files and folders (a folder means its ``*.json`` files, sorted by name).
A scenario that does not load is reported on stderr in one line, naming the
file, the field, the value and the allowed range, and the others still run; the
command then exits with status 2.

As rows (``--format csv`` or ``json``), each scenario is one flat object: ``name``
(the scenario's name) first, then the output model's fields by their own names.
A nested model's or a dict's fields are dotted (``customers_lost_by_driver.wait``),
a list's items numbered from 0 (``channels.0.service_level``, ``warnings.0``). A
number that is not finite (the mean wait of a backlog that never clears) is
``null`` in JSON and an empty cell in CSV, as ``--format json`` writes it for one
scenario. Scenarios with different numbers of channels give the union of the
columns, in the order first met; a scenario without a column has it empty.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from cxcost.presets import (
    PRESETS_DIR,
    MigrationWarning,
    ScenarioError,
    apply_overrides,
    load_preset,
)
from cxcost.scenario import Scenario

Row = dict[str, Any]


@dataclass(frozen=True)
class BatchInput:
    """One scenario to run: a PRESET argument, or a file found in a folder argument.

    Attributes
    ----------
    label : the argument, or the file's path in its folder; names the scenario
        in messages and is what :func:`cxcost.presets.load_preset` reads
    problem : why there is nothing to run (an empty folder); None otherwise
    """

    label: str
    problem: str | None = None


def _is_folder(argument: str) -> bool:
    """A folder argument; a bare name that is also a shipped preset stays the preset."""
    path = Path(argument)
    if not path.is_dir():
        return False
    return not (path.name == argument and (PRESETS_DIR / f"{argument}.json").is_file())


def expand_inputs(arguments: Sequence[str]) -> list[BatchInput]:
    """The scenarios the PRESET arguments name, in order; a folder's ``*.json`` sorted by name.

    Examples
    --------
    >>> [item.label for item in expand_inputs(["us-ecommerce", "no-bank"])]
    ['us-ecommerce', 'no-bank']
    """
    inputs: list[BatchInput] = []
    for argument in arguments:
        if not _is_folder(argument):
            inputs.append(BatchInput(argument))
            continue
        folder = Path(argument)
        try:
            files = sorted(folder.glob("*.json"), key=lambda path: path.name)
        except OSError as error:
            inputs.append(BatchInput(argument, f"cannot read the folder: {error.strerror}"))
            continue
        if not files:
            inputs.append(BatchInput(argument, "no scenario files (*.json) in this folder"))
        inputs.extend(BatchInput(str(file)) for file in files)
    return inputs


def is_batch(arguments: Sequence[str], output_format: str = "table") -> bool:
    """Whether the arguments ask for rows: several, a folder, or ``--format csv``.

    One PRESET argument in ``table`` or ``json`` gives the single-scenario output.
    """
    return len(arguments) > 1 or output_format == "csv" or any(map(_is_folder, arguments))


def report_failure(label: str, problems: Sequence[str], err: TextIO | None = None) -> None:
    """One stderr line for a scenario that could not be run: its label, then every problem."""
    print(f"error: {label}: {'; '.join(problems)}", file=err or sys.stderr)


def _name_the_file(label: str, caught: list[warnings.WarningMessage]) -> None:
    """A scenario's warnings while loading (an older format, a preset name that is also
    a file here), one stderr line each, naming the file."""
    for warning in caught:
        kind = "note" if issubclass(warning.category, MigrationWarning) else "warning"
        print(f"{kind}: {label}: {warning.message}", file=sys.stderr)


def load_each(
    arguments: Sequence[str], assignments: Sequence[str] = ()
) -> tuple[list[tuple[str, Scenario]], bool]:
    """Load every scenario the arguments name, with the ``--set`` assignments applied.

    Parameters
    ----------
    arguments : PRESET arguments (preset names, files, folders)
    assignments : ``PATH=VALUE`` strings from ``--set``, applied to every scenario

    Returns
    -------
    (list of (label, Scenario), bool)
        The scenarios that loaded, and whether any did not (each reported on
        stderr in one line by :func:`report_failure`).
    """
    loaded: list[tuple[str, Scenario]] = []
    failed = False
    for item in expand_inputs(arguments):
        if item.problem is not None:
            report_failure(item.label, [item.problem])
            failed = True
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                scenario = load_preset(item.label)
        except ScenarioError as error:
            report_failure(item.label, [str(problem) for problem in error.problems])
            failed = True
            continue
        finally:
            _name_the_file(item.label, caught)
        try:
            loaded.append((item.label, apply_overrides(scenario, assignments)))
        except ScenarioError as error:
            report_failure(item.label, [f"--set {problem}" for problem in error.problems])
            failed = True
    return loaded, failed


def _flatten(value: Any, key: str, row: Row) -> None:
    if isinstance(value, Mapping):
        for name, item in value.items():
            _flatten(item, f"{key}.{name}" if key else str(name), row)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, f"{key}.{index}", row)
    elif isinstance(value, float) and not math.isfinite(value):
        row[key] = None
    else:
        row[key] = value


def flat_row(name: str, model: BaseModel, exclude: set[str] | None = None) -> Row:
    """One scenario's output as a flat row: ``name`` first, then the model's fields dotted.

    Parameters
    ----------
    name : the scenario's name
    model : the output model (``Result``, ``Recommendation``)
    exclude : top-level fields left out

    Examples
    --------
    >>> from cxcost.scenario import Range
    >>> flat_row("Shop", Range(low=0.8, high=1.25))
    {'name': 'Shop', 'low': 0.8, 'high': 1.25}
    """
    row: Row = {"name": name}
    _flatten(model.model_dump(mode="json", exclude=exclude), "", row)
    return row


def write_rows(rows: Sequence[Row], output_format: str, out: TextIO) -> None:
    """Rows as CSV (a header, then one line per row) or as a JSON list of objects.

    Every row gets every column (the union, in the order first met); a missing
    value is an empty CSV cell or ``null``. Numbers are written in full
    precision with a ``.`` decimal point (Python's shortest round-trip form).
    """
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if output_format == "json":
        full = [{column: row.get(column) for column in columns} for row in rows]
        print(json.dumps(full, indent=2, ensure_ascii=False, allow_nan=False), file=out)
        return
    writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
