"""Sources that follow edits: which source each value of a scenario carries.

A preset gives every value its source (a publication, or "illustrative").
Once a user moves a value, that source no longer describes it: the value is
the user's. This module keeps the ``sources`` table honest, in one pure
function the app calls on every run (:func:`track_sources`):

- a value a consultant typed a source for carries that source;
- a value equal to a reference's (the loaded preset's, then the baseline's)
  carries that reference's source, or none when the reference gave none;
- any other value carries :func:`user_source`, "set by the user (YYYY-MM-DD)".

The marker is written in English into the scenario (files and links stay
language-neutral); displays translate it with :func:`user_source_date`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from cxcost.scenario import MAX_SOURCE_CHARS, Scenario

USER_SOURCE: Final = "set by the user"
"""Start of the source of a value a user changed; the date follows in brackets."""

META_FIELDS: Final = frozenset({"schema_version", "name", "description", "client", "sources"})
"""Top-level fields that are no input values and carry no source."""

_USER_SOURCE = re.compile(rf"{USER_SOURCE} \((\d{{4}}-\d{{2}}-\d{{2}})\)")


def user_source(day: date) -> str:
    """The source of a value a user set on ``day``.

    >>> user_source(date(2026, 12, 5))
    'set by the user (2026-12-05)'
    """
    return f"{USER_SOURCE} ({day.isoformat()})"


def user_source_date(text: str) -> date | None:
    """The day of a :func:`user_source` text; None for any other source.

    >>> user_source_date("set by the user (2026-12-05)")
    datetime.date(2026, 12, 5)
    >>> user_source_date("illustrative") is None
    True
    """
    match = _USER_SOURCE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _leaves(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Dotted path and value of every leaf of dumped data; a list of numbers is one leaf."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}{key}.")
    elif isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
        for index, item in enumerate(node):
            yield from _leaves(item, f"{prefix}{index}.")
    else:
        yield prefix.removesuffix("."), node


def value_paths(scenario: Scenario) -> dict[str, Any]:
    """Every input value of ``scenario`` by its dotted path (the ``sources`` keys).

    Names, the description, the client and the sources table are left out;
    the hourly arrival profile is one value (``demand.arrival_profile``).
    """
    data = {key: value for key, value in scenario.model_dump().items() if key not in META_FIELDS}
    return dict(_leaves(data, ""))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        if isinstance(a, bool) or isinstance(b, bool):
            return a is b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _source_at(sources: Mapping[str, str], path: str) -> str | None:
    """A reference's source for ``path``; a range's source may sit on the range itself."""
    if path in sources:
        return sources[path]
    parent = path.rsplit(".", 1)[0]
    return sources.get(parent) if path.endswith((".low", ".high")) else None


def track_sources(
    scenario: Scenario,
    references: Sequence[Scenario],
    typed: Mapping[str, str],
    day: date,
) -> Scenario:
    """``scenario`` with a ``sources`` table that says where each value now comes from.

    Parameters
    ----------
    scenario : the scenario as edited (its own ``sources`` are those it was
        loaded with)
    references : scenarios whose values keep their sources, first match wins:
        the loaded preset, then the baseline
    typed : sources a consultant typed, by dotted path; they win over both rules
        (an empty text removes the typed source)
    day : today, for the "set by the user" mark

    Returns
    -------
    Scenario
        A copy whose ``sources`` hold, for every value: the typed source, else
        the source of the first reference with the same value (none if that
        reference gave none), else ``user_source(day)``. Keys that name no
        value of the scenario (e.g. notes on a whole section) are kept.

    Examples
    --------
    >>> preset = Scenario(sources={"business.customers": "annual report 2025"})
    >>> edited = preset.model_copy(
    ...     update={"business": preset.business.model_copy(update={"customers": 9000})}
    ... )
    >>> track_sources(edited, [preset], {}, date(2026, 12, 5)).sources
    {'business.customers': 'set by the user (2026-12-05)'}
    >>> track_sources(preset, [preset], {}, date(2026, 12, 5)).sources
    {'business.customers': 'annual report 2025'}
    """
    values = value_paths(scenario)
    reference_values = [value_paths(reference) for reference in references]
    sources = {key: text for key, text in scenario.sources.items() if key not in values}
    for path, value in values.items():
        text = typed.get(path, "").strip()
        if text:
            sources[path] = text[:MAX_SOURCE_CHARS]
            continue
        for reference, known in zip(references, reference_values, strict=True):
            if path in known and _same(known[path], value):
                found = _source_at(reference.sources, path)
                if found:
                    sources[path] = found
                break
        else:
            sources[path] = user_source(day)
    if sources == scenario.sources:
        return scenario
    return scenario.model_copy(update={"sources": sources})
