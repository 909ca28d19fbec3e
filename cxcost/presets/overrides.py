"""``--set PATH=VALUE`` overrides of single fields, parsed as JSON numbers or text."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any, Literal

from cxcost.dotted import split_path
from cxcost.presets.parsing import MAX_BYTES, _checked, _loads
from cxcost.presets.problems import (
    _MAX_SUGGESTIONS,
    MAX_PROBLEMS,
    Problem,
    _cut,
    _error_at,
    _path_text,
    _Slot,
    _slot,
    _unknown_field_message,
    _unwrap,
)
from cxcost.presets.scenarios import _validate
from cxcost.scenario import Scenario

MAX_OVERRIDES = 500
"""Most ``--set`` assignments read at once; a scenario has about 300 values to set."""


def _parse_value(text: str, slot: _Slot | None) -> Any:
    """A --set value: JSON if it parses, else the text itself; text fields take the text."""
    annotation = _unwrap(slot.annotation) if slot else None
    is_text = annotation is str or (
        typing.get_origin(annotation) is Literal
        and all(isinstance(a, str) for a in typing.get_args(annotation))
    )
    if is_text:
        return text
    try:
        return _loads(text)
    except (ValueError, RecursionError):
        return text


def _assign(data: dict[str, Any], path: str, text: str, suggest: bool = True) -> Problem | None:
    """Set one dotted path in dumped scenario data; a Problem if the path does not exist.

    Below a free-keyed dict (``sources``) the rest of the path is one key, since
    those keys are field paths themselves: ``sources.business.customers=...``.
    """
    parts = split_path(path)
    if not path or any(part == "" for part in parts):
        example = "channels.0.representatives=40"
        return Problem(path, f"{path or '(nothing)'} is not a field path; write it like {example}")
    if parts == ["schema_version"]:
        return Problem(path, "is set by cxcost and cannot be changed", text)
    if len(text) > MAX_BYTES:
        size = f"{len(text):,} characters"
        return Problem(path, f"the value is too large: {size}; at most {MAX_BYTES:,} are read")
    node: Any = data
    for depth, part in enumerate(parts):
        here = _path_text(parts[: depth + 1])
        last = depth == len(parts) - 1
        slot = _slot(parts[:depth])
        if isinstance(node, dict) and slot and typing.get_origin(_unwrap(slot.annotation)) is dict:
            node[_path_text(parts[depth:])] = _parse_value(text, _slot(parts))
            return None
        if isinstance(node, list):
            if not isinstance(part, int) or part >= len(node):
                return Problem(
                    here, f"there is no item {part} here; valid indexes are 0 to {len(node) - 1}"
                )
        elif isinstance(node, dict):
            if str(part) not in node:
                return Problem(here, _unknown_field_message(parts[: depth + 1], suggest), text)
            part = str(part)
        else:
            return Problem(here, f"{_path_text(parts[:depth])} holds a single value, not fields")
        if last:
            node[part] = _parse_value(text, _slot(parts))
        else:
            node = node[part]
    return None


def apply_overrides(scenario: Scenario, assignments: Sequence[str]) -> Scenario:
    """A copy of ``scenario`` with ``path=value`` assignments applied, validated.

    Parameters
    ----------
    scenario : the starting scenario; it is not modified
    assignments : e.g. ``["channels.0.representatives=40", "business.currency=NOK"]``.
        The value is read as JSON when it parses (numbers, true/false, lists,
        objects), otherwise as text; text fields always take the text as typed.

    Returns
    -------
    Scenario
        A new, validated scenario.

    Raises
    ------
    ScenarioError
        Every unknown path (with the closest valid names) and every invalid value.

    Examples
    --------
    >>> s = apply_overrides(Scenario(), ["staffing.salary_per_year=40000"])
    >>> s.staffing.salary_per_year
    40000.0
    """
    if len(assignments) > MAX_OVERRIDES:
        raise _error_at(
            "",
            f"{len(assignments):,} assignments were given; at most {MAX_OVERRIDES} are "
            "read at once (write the changes into a scenario file instead)",
        )
    data = scenario.model_dump()
    problems: list[Problem] = []
    more = 0
    for assignment in assignments:
        path, equals, text = assignment.partition("=")
        path = path.strip()
        if not equals:
            example = "channels.0.representatives=40"
            problem: Problem | None = Problem(
                path, f"expected path=value, e.g. {example}", _cut(assignment)
            )
        else:
            problem = _assign(data, path, text.strip(), suggest=len(problems) < _MAX_SUGGESTIONS)
        if problem is None:
            continue
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)
        else:
            more += 1
    checked, checker = _checked(data, text_for_number=True)
    return _validate(checked, problems + checker.problems, more + checker.more)
