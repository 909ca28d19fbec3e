"""Scenarios from and to JSON: parse, migrate, validate, and write back."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError

from cxcost.presets.migrations import migrate
from cxcost.presets.parsing import _checked, _parse
from cxcost.presets.problems import Problem, ScenarioError, _problem_from_error
from cxcost.scenario import Scenario

BASELINE_KEY: Final = "baseline"
"""Key of the optional baseline scenario in a scenario file or link (``ScenarioPair``)."""


@dataclass(frozen=True)
class ScenarioPair:
    """A scenario and, optionally, the baseline it is compared with ("proposal vs baseline").

    A file or link may carry the baseline under the ``baseline`` key, a whole
    scenario of its own (its ``schema_version`` defaults to the outer one).
    Files and links without it read as before, with ``baseline`` None.
    """

    scenario: Scenario
    baseline: Scenario | None = None


def _one_scenario(data: dict[str, Any]) -> Scenario:
    migrated, checker = _checked(migrate(data))
    return _validate(migrated, checker.problems, checker.more)


def pair_from_dict(data: dict[str, Any]) -> ScenarioPair:
    """Migrate and validate parsed data: the scenario and the baseline it may carry.

    Parameters
    ----------
    data : a parsed JSON object in any supported ``schema_version``, with an
        optional ``baseline`` object

    Returns
    -------
    ScenarioPair

    Raises
    ------
    ScenarioError
        With every problem of both, the baseline's paths starting ``baseline.``.
    """
    data = dict(data)
    raw_baseline = data.pop(BASELINE_KEY, None)
    if raw_baseline is None:
        return ScenarioPair(_one_scenario(data))
    problems: list[Problem] = []
    scenario: Scenario | None = None
    baseline: Scenario | None = None
    try:
        scenario = _one_scenario(data)
    except ScenarioError as error:
        problems += error.problems
    if isinstance(raw_baseline, dict):
        inner = dict(raw_baseline)
        inner.setdefault("schema_version", data.get("schema_version", 1))
        try:
            baseline = _one_scenario(inner)
        except ScenarioError as error:
            for problem in error.problems:
                path = f"{BASELINE_KEY}.{problem.path}" if problem.path else BASELINE_KEY
                problems.append(Problem(path, problem.message, problem.value))
    else:
        problems.append(
            Problem(BASELINE_KEY, "must be an object {...} holding a scenario", raw_baseline)
        )
    if problems or scenario is None:
        raise ScenarioError(problems)
    return ScenarioPair(scenario, baseline)


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Migrate and validate parsed scenario data (a baseline it carries is checked too).

    Parameters
    ----------
    data : a parsed JSON object in any supported ``schema_version``

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem found, each naming its field path.
    """
    return pair_from_dict(data).scenario


def _validate(data: dict[str, Any], problems: list[Problem], more: int = 0) -> Scenario:
    """Validate data as a Scenario; raise with ``problems`` plus every validation problem.

    A validation error at a path already in ``problems``, or below one, is
    left out: it would repeat the same mistake in pydantic's words. ``more``
    counts problems found but not built.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        # The checker took out everything that is long, so these errors are bounded
        # by the scenario's layout (a few hundred at most), not by the input.
        known = {p.path for p in problems}
        fresh = [
            problem
            for problem in map(_problem_from_error, error.errors())
            if not _under(problem.path, known)
        ]
        raise ScenarioError(problems + fresh, more) from None
    if problems or more:
        raise ScenarioError(problems, more)
    return scenario


def _under(path: str, known: set[str]) -> bool:
    """``path`` is one of ``known`` or lies below one of them."""
    parts = path.split(".")
    return any(".".join(parts[:end]) in known for end in range(1, len(parts) + 1))


def scenario_from_json(data: str | bytes, source: str = "file") -> Scenario:
    """Read a scenario from JSON text: a preset file, an upload, a decoded link.

    The size (``MAX_BYTES``) and the nesting depth (``MAX_DEPTH``) are checked
    before parsing; NaN, Infinity and numbers too large for a float are refused
    with their field path; older versions are migrated (:func:`migrate`).

    Parameters
    ----------
    data : the JSON text, or its UTF-8 bytes (a byte-order mark is allowed)
    source : what the text is, used in messages ("file", "upload", "link")

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem found; never another exception type.

    Examples
    --------
    >>> text = '{"schema_version": 2, "business": {"customers": 5000}}'
    >>> scenario_from_json(text).business.customers
    5000
    """
    return scenario_from_dict(_parse(data, source))


def pair_from_json(data: str | bytes, source: str = "file") -> ScenarioPair:
    """Read a scenario and the baseline it may carry from JSON text (as ``scenario_from_json``)."""
    return pair_from_dict(_parse(data, source))


def scenario_to_json(scenario: Scenario, baseline: Scenario | None = None) -> str:
    """Write a scenario as pretty JSON that :func:`scenario_from_json` reads back equal.

    Keys follow the model's field order; the hourly arrival profile is written
    one day (24 values) per line. Floats are written with ``repr`` precision, so
    ``scenario_from_json(scenario_to_json(s)) == s`` holds exactly.

    Parameters
    ----------
    scenario : the scenario
    baseline : the baseline it is compared with, written under ``baseline``
        (read back by :func:`pair_from_json`); None writes the scenario alone

    Returns
    -------
    str
        UTF-8 JSON text ending in a newline.
    """
    data = scenario.model_dump(mode="json")
    profiles: dict[str, tuple[list[float], str]] = {}
    parts = [data]
    if baseline is not None:
        data[BASELINE_KEY] = baseline.model_dump(mode="json")
        parts.append(data[BASELINE_KEY])
    for part, indent in zip(parts, ("    ", "      "), strict=False):
        placeholder = f"@@arrival_profile_{uuid.uuid4().hex}@@"
        profiles[placeholder] = (part["demand"]["arrival_profile"], indent)
        part["demand"]["arrival_profile"] = placeholder
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    for placeholder, (profile, indent) in profiles.items():
        days = [
            ", ".join(json.dumps(w) for w in profile[start : start + 24])
            for start in range(0, len(profile), 24)
        ]
        rows = f",\n  {indent}".join(days)
        text = text.replace(f'"{placeholder}"', f"[\n  {indent}{rows}\n{indent}]", 1)
    return text + "\n"
